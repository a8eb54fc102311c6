/**
 * "Are you sure?" before an action that changes something outside the page (replaying a dead
 * letter, revoking a session): Radix's AlertDialog — focus moves into it and back, Escape and
 * Cancel close it, the rest of the page is inert while it is open. The action's own outcome is
 * shown by the page (it may arrive after the dialog closed).
 */
import { AlertDialog } from "radix-ui";
import type { ReactNode } from "react";
import styles from "./ConfirmDialog.module.css";
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
  return (
    <AlertDialog.Root open={open} onOpenChange={onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className={styles.overlay} />
        <AlertDialog.Content className={styles.content}>
          <AlertDialog.Title className={styles.title}>{title}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div className={styles.description}>{children}</div>
          </AlertDialog.Description>
          <div className={styles.actions}>
            <AlertDialog.Cancel className={ui.secondary}>Cancel</AlertDialog.Cancel>
            <AlertDialog.Action className={danger ? styles.danger : ui.button} onClick={onConfirm}>
              {confirm}
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
