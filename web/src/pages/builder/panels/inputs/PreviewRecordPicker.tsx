/**
 * The record the template previews render against: the newest record of the workflow's object
 * until the person finds another by name. Chosen once for the whole builder (the kit keeps it),
 * so every template shows the same lead.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { toApiFilter } from "../../../../records/filters";
import { type ObjectInfo, recordTitle } from "../../../../records/model";
import { listRecords } from "../../../../records/recordsApi";
import { useKit } from "../kit";
import styles from "../panels.module.css";

const MATCHES = 8;

export interface PreviewRecord {
  id: string;
  title: string;
}

/** The chosen record (defaulting to the newest one) and its title. */
export function usePreviewRecord(object: ObjectInfo | undefined): { record: PreviewRecord | undefined; loading: boolean } {
  const kit = useKit();
  const newest = useQuery({
    queryKey: ["builder", "preview-newest", object?.plural],
    enabled: object !== undefined,
    queryFn: async () => (object ? (await listRecords(object.plural, { sort: "-created_at", limit: 1 })).data : []),
  });
  const chosen = useQuery({
    queryKey: ["builder", "preview-record", object?.plural, kit.previewRecord],
    enabled: object !== undefined && kit.previewRecord !== undefined,
    queryFn: async () =>
      object && kit.previewRecord
        ? (await listRecords(object.plural, { filter: { field: "id", op: "eq", value: kit.previewRecord }, limit: 1 })).data
        : [],
  });
  const { setPreviewRecord, previewRecord } = kit;
  const first = newest.data?.[0];
  useEffect(() => {
    if (previewRecord === undefined && first) setPreviewRecord(first.id);
  }, [previewRecord, first, setPreviewRecord]);
  const r = chosen.data?.[0] ?? (previewRecord === undefined ? first : undefined);
  return {
    record: r && object ? { id: r.id, title: recordTitle(object, r) } : undefined,
    loading: newest.isPending || (kit.previewRecord !== undefined && chosen.isPending),
  };
}

export function PreviewRecordPicker({ object }: { object: ObjectInfo }) {
  const kit = useKit();
  const id = useId();
  const [text, setText] = useState("");
  const [words, setWords] = useState("");
  const found = useQuery({
    queryKey: ["builder", "preview-search", object.plural, words],
    enabled: words !== "",
    queryFn: async () => (await listRecords(object.plural, { filter: toApiFilter(object, { q: words }), limit: MATCHES })).data,
  });
  const noun = object.label.toLowerCase();
  return (
    <details>
      <summary>Preview with another {noun}</summary>
      <div className={styles.row}>
        <label className="visually-hidden" htmlFor={`${id}-q`}>
          Find a {noun} for the preview
        </label>
        <input
          id={`${id}-q`}
          type="search"
          className={styles.input}
          placeholder="Name or email"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              setWords(text.trim());
            }
          }}
        />
        <button type="button" className={styles.small} onClick={() => setWords(text.trim())}>
          Find
        </button>
      </div>
      <div aria-live="polite">
        {found.data && found.data.length === 0 ? (
          <span className={styles.hint}>
            No {noun} matches “{words}”.
          </span>
        ) : null}
        {found.data && found.data.length > 0 ? (
          <ul className={styles.matches} aria-label={`${object.label} records to preview with`}>
            {found.data.map((r) => (
              <li key={r.id}>
                <button type="button" className={styles.small} onClick={() => kit.setPreviewRecord(r.id)}>
                  {recordTitle(object, r)}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </details>
  );
}
