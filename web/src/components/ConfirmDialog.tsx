/**
 * "Are you sure?" before an action that changes something outside the page (replay a dead letter;
 * retry, cancel or skip a run's wait; archive a workflow): an alert dialog (Modal) that says what
 * will happen, with the cancel button focused first so that Enter does not confirm by accident.
 * While the action runs its button says so (`pending`); a refusal is shown inside (`error`), and
 * the dialog stays open so the person can read it. A page that reports the outcome itself (it may
 * arrive after the dialog closed) closes it in `onConfirm` instead.
 */
import { type ReactNode, useRef } from "react";
import styles from "./ConfirmDialog.module.css";
import { Modal } from "./Modal";
import { ui } from "./ui";

export interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** A question: "Retry this run?". */
  title: string;
  /** What will happen, in words (the dialog's description). */
  children: ReactNode;
  /** The confirm button's label, the action's name: "Retry", "Archive workflow". */
  confirm: string;
  onConfirm: () => void;
  /** A destructive action: the confirm button in the danger colour. */
  danger?: boolean;
  /** The label of the button that changes nothing. */
  cancel?: string;
  /** The action is under way: the confirm button is disabled and says `pendingLabel`. */
  pending?: boolean;
  pendingLabel?: string;
  /** Why it did not work, shown inside as an alert. */
  error?: ReactNode;
}

export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  children,
  confirm,
  onConfirm,
  danger = false,
  cancel = "Keep it as it is",
  pending = false,
  pendingLabel = "Working…",
  error,
}: ConfirmDialogProps) {
  const cancelButton = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      open={open}
      onClose={() => onOpenChange(false)}
      title={title}
      description={children}
      role="alertdialog"
      initialFocus={cancelButton}
    >
      {error ? (
        <div role="alert" className={ui.alert}>
          {error}
        </div>
      ) : null}
      <div className={styles.actions}>
        <button ref={cancelButton} type="button" className={ui.secondary} onClick={() => onOpenChange(false)}>
          {cancel}
        </button>
        <button type="button" className={danger ? styles.danger : ui.button} disabled={pending} onClick={onConfirm}>
          {pending ? pendingLabel : confirm}
        </button>
      </div>
    </Modal>
  );
}
