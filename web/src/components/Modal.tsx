/**
 * The app's one modal dialog, on the platform's `<dialog>` and `showModal()`: focus moves into it
 * (to `initialFocus`, else its first control) and back to where it was when it closes, Escape
 * closes it, the page behind is inert and hidden from screen readers (the top layer), and its
 * scroll is held by `:root:has(dialog:modal)` in styles/global.css. Radix's modal Dialog and
 * AlertDialog are not used: their scroll lock (react-remove-scroll) injects a `<style>` element,
 * which the app's Content-Security-Policy (`style-src 'self'`) refuses (docs/web.md, "Dialogs").
 * Confirmations use ConfirmDialog, built on this.
 */
import { type ReactNode, type RefObject, useEffect, useId, useRef } from "react";
import styles from "./Modal.module.css";

export interface ModalProps {
  open: boolean;
  /** Called once it has closed, whichever way (Escape, a click beside it, `open` set to false). */
  onClose: () => void;
  /** Its accessible name, shown as its heading. */
  title: string;
  /** What it is for, read out with the name (`aria-describedby`). */
  description?: ReactNode;
  /**
   * "alertdialog" for a confirmation that interrupts: it closes only by its buttons or Escape.
   * A plain dialog also closes on a click on the backdrop, as people expect.
   */
  role?: "dialog" | "alertdialog";
  initialFocus?: RefObject<HTMLElement | null>;
  children?: ReactNode;
}

export function Modal({ open, onClose, title, description, role = "dialog", initialFocus, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      initialFocus?.current?.focus();
    } else if (!open && dialog.open) dialog.close();
  }, [open, initialFocus]);

  // A click on the backdrop lands on the <dialog> itself (its content fills the box); the press
  // must have started there too, so that selecting text inside and letting go outside does not
  // close it.
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || role === "alertdialog") return;
    let pressedOutside = false;
    const down = (e: PointerEvent) => {
      pressedOutside = e.target === dialog;
    };
    const click = (e: MouseEvent) => {
      if (pressedOutside && e.target === dialog) dialog.close();
    };
    dialog.addEventListener("pointerdown", down);
    dialog.addEventListener("click", click);
    return () => {
      dialog.removeEventListener("pointerdown", down);
      dialog.removeEventListener("click", click);
    };
  }, [role]);

  return (
    // Escape and dialog.close() both end in "close": the owner's state follows.
    <dialog
      ref={ref}
      className={styles.dialog}
      role={role === "alertdialog" ? "alertdialog" : undefined}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onClose={onClose}
    >
      {open ? (
        <div className={styles.content}>
          <h2 id={titleId} className={styles.title}>
            {title}
          </h2>
          {description ? (
            <div id={descriptionId} className={styles.description}>
              {description}
            </div>
          ) : null}
          {children}
        </div>
      ) : null}
    </dialog>
  );
}
