/**
 * /data-quality/review: the data review queue. What needs a person's look — possible duplicates,
 * records that passed a warn rule, values that did not normalise, missing fields, records someone
 * flagged — with counts by kind, filters kept in the URL (status, kind, whose), and on each open
 * item what a person does: take it (or give it back), mark it resolved once the record is fixed,
 * dismiss it. Admins and managers assign to anyone from the API and CLI; on the page, everyone
 * takes work for themselves; a possible duplicate also has "Compare and merge", the merge screen
 * with the pair preselected (the merge resolves the item as merged). Polled like the other lists
 * others change (LIST_MS).
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useRouteContext, useSearch } from "@tanstack/react-router";
import { useId, useState } from "react";
import { LIST_MS } from "../../api/live";
import {
  assignReviewItem,
  invalidateReviewQueue,
  listReviewItems,
  REVIEW_KINDS,
  type ReviewItem,
  reviewQueueKeys,
} from "../../api/review-queue";
import { AppLink } from "../../components/AppLink";
import { fullTime, timeAgo } from "../../components/time";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import { pluralOf } from "../approvals/words";
import { type CloseAction, CloseItemDialog } from "./CloseItemDialog";
import styles from "./DataQuality.module.css";
import { type ReviewSearch, readReviewSearch } from "./review-search";
import { detailLine, KIND_WORDS, STATUS_WORDS } from "./review-words";

function RecordLink({ object, record }: { object: string; record: ReviewItem["record"] }) {
  const objects = useQuery(objectsQuery);
  if (!record.exists) return <span className={styles.muted}>{record.name} (no longer exists)</span>;
  return <AppLink href={`/records/${pluralOf(objects.data, object)}/${encodeURIComponent(record.id)}`}>{record.name}</AppLink>;
}

/** A duplicate pair's way to the merge screen, the pair preselected (`?with=`); merging resolves the item as merged. */
function CompareLink({ item }: { item: ReviewItem }) {
  const objects = useQuery(objectsQuery);
  const other = item.other_record;
  // A pair across objects (a lead and a contact) is no merge: the lead is converted instead.
  if (item.kind !== "duplicate" || !other || !item.record.exists || !other.exists || other.object !== item.object) return null;
  const href = `/records/${pluralOf(objects.data, item.object)}/${encodeURIComponent(item.record.id)}/merge?with=${encodeURIComponent(other.id)}`;
  return (
    <AppLink href={href} className={ui.button} aria-label={`Compare and merge ${item.record.name} and ${other.name}`}>
      Compare and merge
    </AppLink>
  );
}

function ItemActions({ item, me, onClose }: { item: ReviewItem; me: string; onClose: (a: CloseAction) => void }) {
  const client = useQueryClient();
  const assign = useMutation({
    mutationFn: (assignee: string | null) => assignReviewItem(item.id, assignee),
    onSettled: () => invalidateReviewQueue(client),
  });
  if (item.status !== "open") return <span className={styles.muted}>{STATUS_WORDS[item.status]}</span>;
  const mine = item.assignee?.id === me;
  const what = `${KIND_WORDS[item.kind].toLowerCase()}: ${item.record.name}`;
  return (
    <div className={styles.rowActions}>
      <CompareLink item={item} />
      {item.assignee === null ? (
        <button
          type="button"
          className={ui.secondary}
          onClick={() => assign.mutate(me)}
          disabled={assign.isPending}
          aria-label={`Take ${what}`}
        >
          Take
        </button>
      ) : mine ? (
        <button
          type="button"
          className={ui.secondary}
          onClick={() => assign.mutate(null)}
          disabled={assign.isPending}
          aria-label={`Give back ${what}`}
        >
          Give back
        </button>
      ) : null}
      <button type="button" className={ui.secondary} onClick={() => onClose("resolve")} aria-label={`Resolve ${what}`}>
        Resolve
      </button>
      <button type="button" className={ui.secondary} onClick={() => onClose("dismiss")} aria-label={`Dismiss ${what}`}>
        {item.kind === "duplicate" ? "Not a duplicate" : "Dismiss"}
      </button>
      {assign.error ? (
        <span role="alert" className={ui.fieldError}>
          {assign.error instanceof Error ? assign.error.message : "It did not work"}
        </span>
      ) : null}
    </div>
  );
}

function QueueTable({ search, me }: { search: ReviewSearch; me: string }) {
  const [closing, setClosing] = useState<{ item: ReviewItem; action: CloseAction } | null>(null);
  const status = search.status ?? "open";
  const pages = useInfiniteQuery({
    queryKey: reviewQueueKeys.list(status, search.kind ?? "", search.assignee ?? ""),
    queryFn: ({ pageParam }) => listReviewItems({ status, kind: search.kind, assignee: search.assignee }, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: LIST_MS,
  });
  const rows = pages.data?.pages.flatMap((p) => p.data) ?? [];
  const counts = pages.data?.pages[0]?.open_counts ?? {};
  const open = REVIEW_KINDS.reduce((n, k) => n + (counts[k] ?? 0), 0);
  return (
    <>
      <ul className={styles.counts} aria-label="Open items by kind">
        <li className={styles.count}>
          <strong>{open}</strong> open in all
        </li>
        {REVIEW_KINDS.map((k) => (
          <li key={k} className={styles.count}>
            <strong>{counts[k] ?? 0}</strong> {KIND_WORDS[k].toLowerCase()}
          </li>
        ))}
      </ul>
      {pages.error ? <ErrorMessage error={pages.error} what="the review queue" /> : null}
      {pages.isPending ? <p aria-live="polite">Loading the queue…</p> : null}
      {!pages.isPending && rows.length === 0 ? (
        search.kind || search.assignee || search.status ? (
          <EmptyState title="Nothing with these filters">Choose “Open”, “Any kind” and “Anyone” to see the whole open queue.</EmptyState>
        ) : (
          <EmptyState title="Nothing waits for review">
            Records land here when a warn rule lets a write through, a value does not normalise, a create looks like an existing record, or
            someone flags one. Set rules and matching under Data quality.
          </EmptyState>
        )
      ) : null}
      {rows.length > 0 ? (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1)
        // biome-ignore lint/a11y/useSemanticElements: the region is the scroll frame, not a landmark
        <div className={styles.tableFrame} tabIndex={0} role="region" aria-label="Review items (scrolls sideways)">
          <table className={ui.table} aria-label="Review items">
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Record</th>
                <th scope="col">Why</th>
                <th scope="col">Assignee</th>
                <th scope="col">Queued</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((item) => (
                <tr key={item.id}>
                  <td>
                    <span className={styles.kind}>{KIND_WORDS[item.kind]}</span>
                    <div className={styles.muted}>{item.object}</div>
                  </td>
                  <td>
                    <RecordLink object={item.object} record={item.record} />
                    {item.other_record ? (
                      <div>
                        <span className={styles.muted}>and </span>
                        <RecordLink object={item.other_record.object ?? item.object} record={item.other_record} />
                      </div>
                    ) : null}
                  </td>
                  <td>
                    {item.reason}
                    {detailLine(item.kind, item.detail) ? <div className={styles.muted}>{detailLine(item.kind, item.detail)}</div> : null}
                    {item.note ? <div className={styles.muted}>Note: {item.note}</div> : null}
                  </td>
                  <td>{item.assignee?.name ?? <span className={styles.muted}>nobody</span>}</td>
                  <td>
                    <time dateTime={item.created_at} title={fullTime(item.created_at)}>
                      {timeAgo(item.created_at)}
                    </time>
                  </td>
                  <td>
                    <ItemActions item={item} me={me} onClose={(action) => setClosing({ item, action })} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {pages.hasNextPage ? (
        <div>
          <button type="button" className={ui.secondary} onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
            {pages.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      ) : null}
      {closing ? <CloseItemDialog item={closing.item} action={closing.action} onClose={() => setClosing(null)} /> : null}
    </>
  );
}

export function ReviewQueue() {
  const { session } = useRouteContext({ from: "/app" });
  const search = useSearch({ from: "/app/data-quality/review" });
  const id = useId();
  const navigate = useNavigate({ from: "/data-quality/review" });
  const set = (patch: Partial<Record<keyof ReviewSearch, string | undefined>>) =>
    void navigate({ search: (prev) => readReviewSearch({ ...prev, ...patch }), replace: true });
  return (
    <div className={styles.page}>
      <PageHeader title="Review queue">
        Data that needs a person's look: possible duplicates, records a warn rule let through, values that did not normalise, missing
        fields. Take an item, fix the record, then mark it resolved — or dismiss it.
      </PageHeader>
      <div className={styles.filters}>
        <div>
          <label htmlFor={`${id}-status`}>Status</label>
          <select
            id={`${id}-status`}
            className={ui.input}
            value={search.status ?? "open"}
            onChange={(e) => set({ status: e.target.value === "open" ? undefined : e.target.value })}
          >
            <option value="open">{STATUS_WORDS.open}</option>
            <option value="resolved">{STATUS_WORDS.resolved}</option>
            <option value="dismissed">{STATUS_WORDS.dismissed}</option>
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select
            id={`${id}-kind`}
            className={ui.input}
            value={search.kind ?? ""}
            onChange={(e) => set({ kind: e.target.value || undefined })}
          >
            <option value="">Any kind</option>
            {REVIEW_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_WORDS[k]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-assignee`}>Assigned to</label>
          <select
            id={`${id}-assignee`}
            className={ui.input}
            value={search.assignee ?? ""}
            onChange={(e) => set({ assignee: e.target.value || undefined })}
          >
            <option value="">Anyone</option>
            <option value="me">Me</option>
            <option value="unassigned">Nobody yet</option>
          </select>
        </div>
      </div>
      <QueueTable search={search} me={session.user.id} />
    </div>
  );
}
