/**
 * A modal dialog on the platform's `<dialog>` and `showModal()`: focus moves into it (to
 * `initialFocus`, else its first control) and back to where it was when it closes, Escape closes
 * it, and the page behind is inert — what Radix's Dialog does. Radix's modal Dialog and
 * AlertDialog cannot be used here: their scroll lock (react-remove-scroll) injects a `<style>`
 * element, which the app's Content-Security-Policy (`style-src 'self'`) blocks (docs/web.md,
 * "Dialogs").
 */
import { type ReactNode, type RefObject, useEffect, useId, useRef } from "react";
import styles from "./Modal.module.css";

export function Modal({
  open,
  onClose,
  title,
  role = "dialog",
  initialFocus,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  /** "alertdialog" for a confirmation that interrupts. */
  role?: "dialog" | "alertdialog";
  initialFocus?: RefObject<HTMLElement | null>;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      initialFocus?.current?.focus();
    } else if (!open && dialog.open) dialog.close();
  }, [open, initialFocus]);
  return (
    // Escape and dialog.close() both end in "close": the owner's state follows.
    <dialog
      ref={ref}
      className={styles.dialog}
      role={role === "alertdialog" ? "alertdialog" : undefined}
      aria-labelledby={titleId}
      onClose={onClose}
    >
      {open ? (
        <div className={styles.content}>
          <h2 id={titleId} className={styles.title}>
            {title}
          </h2>
          {children}
        </div>
      ) : null}
    </dialog>
  );
}
