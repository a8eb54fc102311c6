/**
 * The record's open data-quality items (issue 20): possible duplicates (with the other record),
 * rule warnings, formats to check, missing fields, flags — each with its reason — a link to the
 * review queue, and "Flag for review" for a person who sees something wrong with the record.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { addReviewItem, invalidateReviewQueue, recordReviewQuery } from "../../api/review-queue";
import { AppLink } from "../../components/AppLink";
import { Modal } from "../../components/Modal";
import { ErrorMessage, ui } from "../../components/ui";
import dq from "../data-quality/DataQuality.module.css";
import { detailLine, KIND_WORDS } from "../data-quality/review-words";
import card from "./RecordPage.module.css";

const REASON_MAX = 500;

function FlagDialog({ recordId, onClose }: { recordId: string; onClose: () => void }) {
  const client = useQueryClient();
  const [reason, setReason] = useState("");
  const id = useId();
  const input = useRef<HTMLTextAreaElement>(null);
  const flag = useMutation({
    mutationFn: () => addReviewItem(recordId, reason.trim()),
    onSuccess: async () => {
      await invalidateReviewQueue(client);
      onClose();
    },
  });
  const blank = reason.trim() === "";
  return (
    <Modal
      open
      onClose={onClose}
      title="Flag this record for review"
      description="It joins the review queue with your reason, for someone to fix."
      initialFocus={input}
    >
      <form
        className={dq.dialogBody}
        onSubmit={(e) => {
          e.preventDefault();
          if (!blank) flag.mutate();
        }}
      >
        <label htmlFor={id} className={ui.label}>
          What looks wrong
        </label>
        <textarea
          id={id}
          ref={input}
          className={ui.input}
          rows={3}
          maxLength={REASON_MAX}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        {flag.error ? (
          <div role="alert" className={ui.alert}>
            {flag.error instanceof Error ? flag.error.message : "It did not work; try again."}
          </div>
        ) : null}
        <div className={dq.actions}>
          <button type="button" className={ui.secondary} onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={ui.button} disabled={blank || flag.isPending}>
            {flag.isPending ? "Flagging…" : "Flag for review"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function DataQualityPanel({ recordId, recordPath }: { recordId: string; recordPath: (id: string) => string }) {
  const items = useQuery(recordReviewQuery(recordId));
  const [flagging, setFlagging] = useState(false);
  return (
    <section className={card.card} aria-labelledby="data-quality-heading" data-testid="data-quality">
      <h2 id="data-quality-heading">Data quality</h2>
      {items.error ? <ErrorMessage error={items.error} what="the record's review items" /> : null}
      {items.data && items.data.length === 0 ? <p className={card.muted}>Nothing waits for review on this record.</p> : null}
      {items.data && items.data.length > 0 ? (
        <ul>
          {items.data.map((item) => {
            const other = item.other_record?.id === recordId ? item.record : item.other_record;
            return (
              <li key={item.id}>
                <strong>{KIND_WORDS[item.kind]}</strong>: {item.reason}
                {other ? (
                  <>
                    {" "}
                    — with {other.exists ? <AppLink href={recordPath(other.id)}>{other.name}</AppLink> : `${other.name} (no longer exists)`}
                  </>
                ) : null}
                {detailLine(item.kind, item.detail) ? <div className={card.muted}>{detailLine(item.kind, item.detail)}</div> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      <p className={dq.rowActions}>
        <AppLink href="/data-quality/review">Open the review queue</AppLink>
        <button type="button" className={ui.secondary} onClick={() => setFlagging(true)}>
          Flag for review
        </button>
      </p>
      {flagging ? <FlagDialog recordId={recordId} onClose={() => setFlagging(false)} /> : null}
    </section>
  );
}
