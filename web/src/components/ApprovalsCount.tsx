/**
 * The navigation's count of approval requests waiting for the signed-in person, polled like the
 * inbox's unread count (api/live.ts) and refreshed at once after a decision. The number on the
 * badge is hidden from screen readers; the link's name says it in words ("Approvals, 2 waiting
 * for your decision").
 */
import { useQuery } from "@tanstack/react-query";
import { openCountQuery } from "../api/approvals";
import styles from "./ApprovalsCount.module.css";

export function openLabel(n: number | undefined): string {
  if (n === undefined || n === 0) return "";
  return n === 1 ? ", 1 waiting for your decision" : `, ${n} waiting for your decision`;
}

export function ApprovalsCount() {
  const open = useQuery(openCountQuery).data;
  if (open === undefined || open === 0) return null;
  return (
    <>
      <span className={styles.count} aria-hidden="true" data-testid="approvals-badge">
        {open > 99 ? "99+" : open}
      </span>
      <span className="visually-hidden">{openLabel(open)}</span>
    </>
  );
}
