/**
 * "Delete this step?" with the two ways, each saying what it will do: just this step (what led
 * to it goes on to the step after it) or the step with what follows it (the steps only it leads
 * to). Cancel is focused first, so that Enter deletes nothing by accident.
 */
import { useRef } from "react";
import { Modal } from "../../../components/Modal";
import { ui } from "../../../components/ui";
import type { deletePreview } from "../model/edit";
import styles from "./canvas.module.css";

export interface DeleteDialogProps {
  stepId: string | undefined;
  preview: ReturnType<typeof deletePreview> | undefined;
  error: string | undefined;
  onDelete: (mode: "reconnect" | "subtree") => void;
  onClose: () => void;
}

const list = (ids: string[]) => ids.map((id) => `“${id}”`).join(", ");

export function DeleteDialog({ stepId, preview, error, onDelete, onClose }: DeleteDialogProps) {
  const cancel = useRef<HTMLButtonElement>(null);
  const p = preview;
  return (
    <Modal
      open={stepId !== undefined}
      onClose={onClose}
      title={`Delete step “${stepId ?? ""}”?`}
      role="alertdialog"
      initialFocus={cancel}
      description={
        p ? (
          <>
            <p>
              <strong>Just this step:</strong> what led to it goes on to {p.reconnectTo ? `“${p.reconnectTo}”` : "the end"}
              {p.reconnect.length > 0 ? `; its other paths go too (${list(p.reconnect)})` : ""}.
            </p>
            <p>
              <strong>With what follows:</strong>{" "}
              {p.subtree.length > 0
                ? `also deletes ${list(p.subtree)}, which only this step leads to`
                : "nothing else follows only this step"}
              ; the path that led to it ends there.
            </p>
          </>
        ) : null
      }
    >
      {error ? (
        <div role="alert" className={ui.alert}>
          {error}
        </div>
      ) : null}
      <div className={styles.menuActions}>
        <button ref={cancel} type="button" className={ui.secondary} onClick={onClose}>
          Keep it
        </button>
        <button type="button" className={ui.secondary} onClick={() => onDelete("reconnect")}>
          Delete just this step
        </button>
        <button type="button" className={styles.danger} onClick={() => onDelete("subtree")}>
          Delete it and what follows
        </button>
      </div>
    </Modal>
  );
}
