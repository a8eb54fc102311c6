/**
 * A rescore's progress: after a version is published (or a model switched on) every record of its
 * object is scored again in the background, in batches, while writes go on. `RescoreLine` is the
 * list's one line; `RescoreProgress` the model page's bar, polled every second until it is done
 * (data.ts `rescoreQuery`) and announced politely to screen readers when it finishes.
 */
import { useQuery } from "@tanstack/react-query";
import { when } from "../../components/time";
import { type Rescore, rescoreQuery, rescoreRunning } from "./data";
import { styles } from "./styles";

const count = (n: number) => n.toLocaleString();

/** "Rescoring: 1,200 of 5,000 records (24 %)", "Done: 5,000 records, …", "Failed: …". */
export function rescoreWords(r: Rescore): string {
  const pct = r.total > 0 ? Math.floor((r.done / r.total) * 100) : 100;
  switch (r.state) {
    case "queued":
      return `Waiting to start: ${count(r.total)} records to score under version ${r.version}`;
    case "running":
      return `Rescoring under version ${r.version}: ${count(r.done)} of ${count(r.total)} records (${pct} %)`;
    case "done":
      return `Done: ${count(r.total)} ${r.total === 1 ? "record" : "records"} scored under version ${r.version}, ${count(r.changed)} of them changed${r.finished_at ? `, ${when(r.finished_at)}` : ""}`;
    case "failed":
      return `Stopped after ${count(r.done)} of ${count(r.total)} records: ${r.error ?? "an error"}`;
  }
}

export function RescoreLine({ rescore }: { rescore: Rescore }) {
  return (
    <span className={rescore.state === "failed" ? styles.error : undefined} data-testid="rescore-line">
      {rescoreWords(rescore)}
      {rescoreRunning(rescore) ? (
        <progress className={styles.progressSmall} max={Math.max(1, rescore.total)} value={rescore.done} aria-hidden="true" />
      ) : null}
    </span>
  );
}

export function RescoreProgress({ modelKey }: { modelKey: string }) {
  const rescore = useQuery(rescoreQuery(modelKey));
  const r = rescore.data;
  return (
    <section className={styles.card} aria-labelledby="rescore-heading" data-testid="rescore">
      <h2 id="rescore-heading">Rescoring existing records</h2>
      {rescore.error ? <p className={styles.error}>Could not read the rescore: {rescore.error.message}.</p> : null}
      {r === null ? <p className={styles.muted}>No rescore has run yet.</p> : null}
      {r ? (
        <>
          <progress
            className={styles.progress}
            max={Math.max(1, r.total)}
            value={r.state === "done" ? Math.max(1, r.total) : r.done}
            aria-label={`Rescore under version ${r.version}`}
          />
          <p aria-live="polite" data-testid="rescore-words">
            {rescoreWords(r)}
          </p>
          <p className={styles.muted}>
            {rescoreRunning(r)
              ? "Records keep being saved meanwhile; each one is scored under the new version as its turn comes, and its ledger says which version scored it."
              : r.started_at
                ? `Started ${when(r.started_at)}.`
                : null}
          </p>
        </>
      ) : null}
    </section>
  );
}
