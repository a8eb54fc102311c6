/** Small pieces every approvals page shares: the status badge (a word, not only a colour), the lock badge, the stake list. */
import type { ApprovalRequest, ApprovalStatus } from "../../api/approvals";
import styles from "./Approvals.module.css";
import { STATUS_WORDS, stakeChanged, stakeValue } from "./words";

export function StatusBadge({ status }: { status: ApprovalStatus }) {
  return (
    <span className={`${styles.status} ${styles[status]}`} data-status={status}>
      {STATUS_WORDS[status]}
    </span>
  );
}

/** "Locked" with a padlock: what a pending request keeps from changing. */
export function LockBadge({ label = "Locked" }: { label?: string }) {
  return (
    <span className={styles.lock} data-testid="lock-badge">
      <svg className={styles.lockIcon} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <path d="M4 7V5a4 4 0 1 1 8 0v2h1a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h1Zm2 0h4V5a2 2 0 1 0-4 0v2Z" />
      </svg>
      {label}
    </span>
  );
}

/** The fields at stake in one line each: "Discount %: 25", and "(now 30)" marked when it has changed since. */
export function StakeInline({ stake }: { stake: ApprovalRequest["stake"] }) {
  if (stake.length === 0) return <span className={styles.muted}>no fields named</span>;
  return (
    <ul className={styles.stakeList}>
      {stake.map((s) => (
        <li key={s.field}>
          {s.label}: {stakeValue(s.value)}
          {stakeChanged(s) ? <span className={styles.changed}> (now {stakeValue(s.now)})</span> : null}
        </li>
      ))}
    </ul>
  );
}
