/**
 * The header's way to the inbox: a bell with the unread count, polled every UNREAD_COUNT_MS
 * (api/live.ts) and refreshed at once when the person marks something read. Its accessible name,
 * from its content, says the count in words ("Inbox, 3 unread notifications"); the number on the
 * badge is hidden from screen readers so it is not read twice.
 */
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { unreadCountQuery } from "../api/notifications";
import styles from "./InboxLink.module.css";

export function unreadLabel(n: number | undefined): string {
  if (n === undefined) return "notifications";
  if (n === 0) return "no unread notifications";
  return n === 1 ? "1 unread notification" : `${n} unread notifications`;
}

export function InboxLink() {
  const unread = useQuery(unreadCountQuery);
  const n = unread.data;
  return (
    <Link
      to="/notifications"
      className={styles.inbox}
      activeProps={{ className: `${styles.inbox} ${styles.active}`, "aria-current": "page" }}
      data-testid="inbox-link"
    >
      <svg className={styles.bell} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
      </svg>
      <span className={styles.text}>Inbox</span>
      {n !== undefined && n > 0 ? (
        <span className={styles.count} aria-hidden="true" data-testid="unread-badge">
          {n > 99 ? "99+" : n}
        </span>
      ) : null}
      <span className="visually-hidden" data-testid="unread-label">
        , {unreadLabel(n)}
      </span>
    </Link>
  );
}
