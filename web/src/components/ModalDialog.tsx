/**
 * A modal dialog on Radix's Dialog that keeps to the app's CSP (`style-src 'self'`): Radix's
 * modal mode locks scrolling with react-remove-scroll, which injects `<style>` elements the CSP
 * refuses (a console error on every open, and `test/helpers/browser.ts` counts it). So the
 * dialog runs in Radix's non-modal mode, and what modal mode adds is done here without inline
 * styles: a backdrop from the stylesheet, Tab and Shift+Tab kept inside the dialog, and
 * `aria-modal` so that screen readers stay in it. Radix still gives the role, the labelling by
 * title and description, focus moved in on open and back to the trigger on close, and Escape or
 * a click outside to close. Use it for confirmations (Run workflow; retry, cancel, skip a wait).
 */
import { Dialog } from "radix-ui";
import type { KeyboardEvent, ReactNode } from "react";
import styles from "./ModalDialog.module.css";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Tab from the last control goes to the first, Shift+Tab from the first to the last. */
function keepFocusInside(e: KeyboardEvent<HTMLDivElement>) {
  if (e.key !== "Tab") return;
  const items = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.closest("fieldset:disabled"));
  const first = items[0];
  const last = items.at(-1);
  if (!first || !last) return;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}

export interface ModalDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The button that opens it (rendered as Radix's Trigger, so focus returns to it on close). */
  trigger: ReactNode;
  title: string;
  description: ReactNode;
  children: ReactNode;
}

export function ModalDialog({ open, onOpenChange, trigger, title, description, children }: ModalDialogProps) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange} modal={false}>
      <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>
      <Dialog.Portal>
        {open ? <div className={styles.backdrop} aria-hidden="true" /> : null}
        <Dialog.Content className={styles.dialog} aria-modal="true" onKeyDown={keepFocusInside}>
          <Dialog.Title className={styles.title}>{title}</Dialog.Title>
          <Dialog.Description className={styles.description}>{description}</Dialog.Description>
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
