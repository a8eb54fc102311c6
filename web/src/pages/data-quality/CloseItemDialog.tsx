/**
 * Resolving or dismissing a review item: a dialog that says what the action means (a dismissed
 * pair is never suggested again), with an optional note kept on the item. A refusal — someone
 * else holds it, it was closed meanwhile — is shown inside, and the dialog stays open.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { closeReviewItem, invalidateReviewQueue, type ReviewItem } from "../../api/review-queue";
import { Modal } from "../../components/Modal";
import { ui } from "../../components/ui";
import styles from "./DataQuality.module.css";

const NOTE_MAX = 2_000;

export type CloseAction = "resolve" | "dismiss";

export function CloseItemDialog({ item, action, onClose }: { item: ReviewItem; action: CloseAction; onClose: () => void }) {
  const client = useQueryClient();
  const [note, setNote] = useState("");
  const noteId = useId();
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const close = useMutation({
    mutationFn: () => closeReviewItem(item.id, action, note),
    onSuccess: async () => {
      await invalidateReviewQueue(client);
      onClose();
    },
  });
  const pair = item.kind === "duplicate";
  const title = action === "resolve" ? "Mark this item resolved?" : pair ? "Not a duplicate?" : "Dismiss this item?";
  const meaning =
    action === "resolve"
      ? "Say it is fixed: the record was corrected. The item leaves the open queue, with your note and your name."
      : pair
        ? "These two records are different people or companies: the pair leaves the queue and is never suggested again."
        : "Nothing needs to change: the item leaves the open queue, with your note and your name.";
  return (
    <Modal open onClose={onClose} title={title} description={meaning} initialFocus={noteRef}>
      <div className={styles.dialogBody}>
        <label htmlFor={noteId} className={ui.label}>
          Note (optional)
        </label>
        <textarea
          id={noteId}
          ref={noteRef}
          className={ui.input}
          value={note}
          maxLength={NOTE_MAX}
          rows={3}
          onChange={(e) => setNote(e.target.value)}
        />
        {close.error ? (
          <div role="alert" className={ui.alert}>
            {close.error instanceof Error ? close.error.message : "It did not work; try again."}
          </div>
        ) : null}
        <div className={styles.actions}>
          <button type="button" className={ui.secondary} onClick={onClose}>
            Cancel
          </button>
          <button type="button" className={ui.button} disabled={close.isPending} onClick={() => close.mutate()}>
            {close.isPending ? "Saving…" : action === "resolve" ? "Mark resolved" : pair ? "Not a duplicate" : "Dismiss"}
          </button>
        </div>
      </div>
    </Modal>
  );
}
