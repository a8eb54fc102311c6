/**
 * The inbox (`/notifications`): the signed-in person's notifications, newest first, all or only
 * the unread ones; each with its message, when, and links to its record and the run that sent it;
 * mark one read, or all. The list and the header's count refresh together after a change, and on
 * their own every few seconds (api/live.ts).
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { LIST_MS } from "../api/live";
import {
  listNotifications,
  markAllRead,
  markRead,
  type Notification,
  notificationKeys,
  refreshInbox,
  unreadCountQuery,
} from "../api/notifications";
import { AppLink } from "../components/AppLink";
import { Segmented } from "../components/Segmented";
import { fullTime, timeAgo } from "../components/time";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../components/ui";
import { type ObjectInfo, objectsQuery } from "../records/model";
import styles from "./Notifications.module.css";

function Item({ n, onRead, busy, objects }: { n: Notification; onRead: (id: string) => void; busy: boolean; objects: ObjectInfo[] }) {
  const unread = n.read_at === null;
  // The API names the record's object in the singular (`lead`); record pages live under the plural.
  const object = objects.find((o) => o.name === n.record_object);
  return (
    <li className={unread ? `${styles.item} ${styles.unread}` : styles.item}>
      <div className={styles.body}>
        <p className={styles.message}>
          {unread ? <span className={styles.dot} aria-hidden="true" /> : null}
          {unread ? <span className="visually-hidden">Unread: </span> : null}
          {n.message}
        </p>
        <p className={styles.meta}>
          <time dateTime={n.created_at} title={fullTime(n.created_at)}>
            {timeAgo(n.created_at)}
          </time>
          {n.record_id && object ? (
            <AppLink href={`/records/${object.plural}/${n.record_id}`}>Open the {object.label.toLowerCase()}</AppLink>
          ) : n.record_id && n.record_object === null ? (
            <span>the record was deleted</span>
          ) : null}
          {n.run_id ? <AppLink href={`/runs/${n.run_id}`}>See the run</AppLink> : null}
        </p>
      </div>
      {unread ? (
        <button type="button" className={ui.secondary} onClick={() => onRead(n.id)} disabled={busy} aria-label={`Mark read: ${n.message}`}>
          Mark read
        </button>
      ) : (
        <span className={styles.read}>Read</span>
      )}
    </li>
  );
}

export function Notifications() {
  const queryClient = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const unread = useQuery(unreadCountQuery);
  const objects = useQuery(objectsQuery).data ?? [];
  const pages = useInfiniteQuery({
    queryKey: notificationKeys.list(unreadOnly),
    queryFn: ({ pageParam }) => listNotifications(unreadOnly, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: LIST_MS,
  });
  const one = useMutation({ mutationFn: markRead, onSettled: () => refreshInbox(queryClient) });
  const all = useMutation({ mutationFn: markAllRead, onSettled: () => refreshInbox(queryClient) });
  const items = pages.data?.pages.flatMap((p) => p.data) ?? [];
  const count = unread.data ?? 0;

  return (
    <>
      <PageHeader title="Notifications">What workflows and Handoff told you: assignments, escalations, alerts.</PageHeader>
      <div className={styles.toolbar}>
        <Segmented
          label="Show"
          options={[
            { value: "all", label: "All" },
            { value: "unread", label: unread.data !== undefined ? `Unread (${count})` : "Unread" },
          ]}
          value={unreadOnly ? "unread" : "all"}
          onChange={(v) => setUnreadOnly(v === "unread")}
        />
        <button type="button" className={ui.button} onClick={() => all.mutate()} disabled={count === 0 || all.isPending}>
          {all.isPending ? "Marking…" : "Mark all read"}
        </button>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {all.isSuccess ? `${all.data.marked} marked read.` : ""}
      </p>
      {one.error ? <ErrorMessage error={one.error} what="that notification" /> : null}
      {all.error ? <ErrorMessage error={all.error} what="your notifications" /> : null}
      {pages.error ? <ErrorMessage error={pages.error} what="your notifications" /> : null}
      {pages.isPending ? <p aria-live="polite">Loading your notifications…</p> : null}
      {pages.data && items.length === 0 ? (
        unreadOnly ? (
          <EmptyState title="You're all caught up">Nothing unread. Choose All to see the notifications you have read.</EmptyState>
        ) : (
          <EmptyState title="No notifications yet">
            Workflows notify you here — a lead assigned to you, a task overdue, an escalation. Nothing has been sent to you so far.
          </EmptyState>
        )
      ) : null}
      {items.length > 0 ? (
        <ul className={styles.list} aria-label={unreadOnly ? "Unread notifications" : "Notifications"}>
          {items.map((n) => (
            <Item key={n.id} n={n} objects={objects} onRead={(id) => one.mutate(id)} busy={one.isPending && one.variables === n.id} />
          ))}
        </ul>
      ) : null}
      {pages.hasNextPage ? (
        <button
          type="button"
          className={`${ui.secondary} ${styles.more}`}
          onClick={() => pages.fetchNextPage()}
          disabled={pages.isFetchingNextPage}
        >
          {pages.isFetchingNextPage ? "Loading…" : "Show older"}
        </button>
      ) : null}
    </>
  );
}
