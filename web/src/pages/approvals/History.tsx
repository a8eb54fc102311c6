/** A request's rounds (each a link to that round's request) and its full history, oldest first. */
import type { ApprovalDetail } from "../../api/approvals";
import { AppLink } from "../../components/AppLink";
import { fullTime, when } from "../../components/time";
import styles from "./Approvals.module.css";
import { StatusBadge } from "./parts";
import { historyWords } from "./words";

export function Rounds({ request }: { request: ApprovalDetail }) {
  if (request.rounds.length <= 1) return null;
  return (
    <section className={styles.card} aria-labelledby="rounds-heading">
      <h2 id="rounds-heading">Rounds</h2>
      <p className={styles.muted}>Each time the request was sent back and resubmitted, a new round asked again.</p>
      <ol className={styles.history}>
        {request.rounds.map((r) => (
          <li key={r.id}>
            {r.id === request.id ? (
              <strong aria-current="page">Round {r.round} (this one)</strong>
            ) : (
              <AppLink href={`/approvals/${encodeURIComponent(r.id)}`}>Round {r.round}</AppLink>
            )}{" "}
            <StatusBadge status={r.status} /> <span className={styles.muted}>opened {when(r.created_at)}</span>
            {r.outcome ? <div className={styles.muted}>{r.outcome}</div> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function History({ request }: { request: ApprovalDetail }) {
  return (
    <section className={styles.card} aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <ol className={styles.history} aria-label="History of this request">
        {request.history.map((h) => (
          <li key={h.seq}>
            <time dateTime={h.at} title={fullTime(h.at)} className={styles.muted}>
              {when(h.at)}
            </time>
            <span>{historyWords(h)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
