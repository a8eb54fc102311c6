/**
 * "Are you sure?" before an action that changes something outside the page (replaying a dead
 * letter): an alert dialog (Modal) whose Cancel has the focus first, so Enter does not confirm by
 * accident. The action's own outcome is shown by the page (it may arrive after the dialog closed).
 */
import { type ReactNode, useRef } from "react";
import styles from "./ConfirmDialog.module.css";
import { Modal } from "./Modal";
import { ui } from "./ui";

export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  children,
  confirm,
  onConfirm,
  danger = false,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  children: ReactNode;
  confirm: string;
  onConfirm: () => void;
  danger?: boolean;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  return (
    <Modal open={open} onClose={() => onOpenChange(false)} title={title} role="alertdialog" initialFocus={cancel}>
      <div className={styles.description}>{children}</div>
      <div className={styles.actions}>
        <button ref={cancel} type="button" className={ui.secondary} onClick={() => onOpenChange(false)}>
          Cancel
        </button>
        <button type="button" className={danger ? styles.danger : ui.button} onClick={onConfirm}>
          {confirm}
        </button>
      </div>
    </Modal>
  );
}
