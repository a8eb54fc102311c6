/** A request's levels in order: each one's name, how many must approve, its status, and every approver with their vote. */
import type { ApprovalDetail } from "../../api/approvals";
import { when } from "../../components/time";
import styles from "./Approvals.module.css";
import { DECISION_DONE } from "./words";

const LEVEL_STATUS: Record<string, string> = {
  pending: "deciding now",
  waiting: "asked after the level before",
  approved: "approved",
  rejected: "rejected",
  revise: "sent back",
  closed: "closed without a decision",
};

export function Levels({ request }: { request: ApprovalDetail }) {
  if (request.levels.length === 0)
    return (
      <section className={styles.card} aria-labelledby="levels-heading">
        <h2 id="levels-heading">Who decides</h2>
        <p>Nobody was asked: the route decided automatically.</p>
      </section>
    );
  return (
    <section className={styles.card} aria-labelledby="levels-heading">
      <h2 id="levels-heading">Who decides</h2>
      {request.levels.map((l, i) => {
        const current = request.status === "pending" && i === request.level;
        return (
          <section
            // biome-ignore lint/suspicious/noArrayIndexKey: levels are fixed and ordered; the index is the level's identity
            key={`${i}-${l.name}`}
            className={current ? `${styles.level} ${styles.levelCurrent}` : styles.level}
            aria-label={`Level ${i + 1}: ${l.name}`}
          >
            <h3>
              Level {i + 1}: {l.name}
            </h3>
            <p className={styles.muted}>
              {l.approvers.length === 1 ? "Needs their approval" : `Needs ${l.require} to approve`} ·{" "}
              {current ? "deciding now" : (LEVEL_STATUS[l.status] ?? l.status)}
            </p>
            <ul className={styles.approvers}>
              {l.approvers.map((a) => (
                <li key={a.user_id}>
                  <strong>{a.name}</strong>
                  {a.on_behalf_of ? <> for {a.on_behalf_of.name}, who is away</> : null}
                  {a.escalated ? <> (added by escalation: may decide alone)</> : null}
                  <span className={styles.muted}> — {a.why}</span>
                  <div>
                    {a.vote ? (
                      <>
                        {DECISION_DONE[a.vote.decision]} <time dateTime={a.vote.at}>{when(a.vote.at)}</time>
                        {a.vote.comment ? <>: “{a.vote.comment}”</> : null}
                      </>
                    ) : (
                      <span className={styles.muted}>{current ? "has not decided yet" : "no vote"}</span>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </section>
  );
}
