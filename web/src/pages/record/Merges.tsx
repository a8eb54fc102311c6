/**
 * The record page's merges (issue 20): the records merged into this one, each with who merged it,
 * when, how many linked records moved, and "Undo merge" while the workspace's window is open. An
 * undo the server refuses (past the window, changed since) says why, naming the field.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, unwrap } from "../../api/client";
import { ui } from "../../components/ui";
import styles from "../merge/Merge.module.css";
import { fieldValue, type Rec, recordTitle } from "./words";

type MergesPath = "/api/v1/leads/{id}/merges";

interface MergeItem {
  id: string;
  merged_id: string;
  merged_record: Rec;
  moved: unknown[];
  merged_by: string;
  merged_at: string;
  undo_until: string;
  undone_at: string | null;
}

export function Merges({ plural, id, objectLabel }: { plural: string; id: string; objectLabel: string }) {
  const queryClient = useQueryClient();
  const merges = useQuery({
    queryKey: ["record", plural, id, "merges"],
    queryFn: async () =>
      (
        unwrap(await api.GET(`/api/v1/${plural}/{id}/merges` as MergesPath, { params: { path: { id } } })) as unknown as {
          data: MergeItem[];
        }
      ).data,
  });
  const [refusal, setRefusal] = useState<string | undefined>(undefined);
  const open = (merges.data ?? []).filter((m) => m.undone_at === null);
  if (open.length === 0 && !refusal) return null;
  const undo = async (mergeId: string) => {
    setRefusal(undefined);
    try {
      unwrap(await api.POST("/api/v1/merges/{id}/undo", { params: { path: { id: mergeId } } }));
      await queryClient.invalidateQueries();
    } catch (e) {
      const issues = e instanceof ApiError ? ((e.problem as { errors?: Array<{ path: string; message: string }> })?.errors ?? []) : [];
      setRefusal([e instanceof Error ? e.message : String(e), ...issues.map((i) => `${i.path}: ${i.message}`)].join(" · "));
    }
  };
  const now = Date.now();
  return (
    <section className={ui.panel} aria-labelledby="merges-heading">
      <h2 id="merges-heading">Merged into this {objectLabel.toLowerCase()}</h2>
      <ul className={styles.merges}>
        {open.map((m) => (
          <li key={m.id}>
            <span>
              <strong>{recordTitle(m.merged_record)}</strong> — merged {fieldValue(m.merged_at, "datetime")} by {m.merged_by},{" "}
              {m.moved.length} linked record(s) moved
            </span>
            {Date.parse(m.undo_until) > now ? (
              <button type="button" className={ui.secondary} onClick={() => undo(m.id)}>
                Undo merge<span className="visually-hidden"> of {recordTitle(m.merged_record)}</span>
              </button>
            ) : (
              <span className={ui.hint}>can no longer be undone (since {fieldValue(m.undo_until, "datetime")})</span>
            )}
          </li>
        ))}
      </ul>
      {refusal ? (
        <p role="alert" className={ui.fieldError}>
          The undo did not happen: {refusal}
        </p>
      ) : null}
    </section>
  );
}
