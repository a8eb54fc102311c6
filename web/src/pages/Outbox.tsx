/**
 * Outbox (admins and managers, as the API allows): the emails, webhooks, chat messages and HTTP
 * calls that workflows send — filtered by where they are (pending, failing and being retried,
 * dead letters, delivered) — with each one's attempts and last error, and the replay of a dead
 * letter after a confirmation. While something shown is still on its way the list refreshes every
 * few seconds (api/live.ts), so a replay is seen through to delivered or dead again.
 */
import { type InfiniteData, useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, unwrap } from "../api/client";
import { LIST_MS, whileRunning } from "../api/live";
import { AppLink } from "../components/AppLink";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { RoleGate } from "../components/RoleGate";
import { Segmented } from "../components/Segmented";
import { fullTime, timeAgo } from "../components/time";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../components/ui";
import styles from "./Outbox.module.css";

type Filter = "all" | "pending" | "failing" | "dead" | "delivered";

const FILTERS: readonly { value: Filter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "pending", label: "Pending" },
  { value: "failing", label: "Failing" },
  { value: "dead", label: "Dead letters" },
  { value: "delivered", label: "Delivered" },
];

const EMPTY: Record<Filter, [string, string]> = {
  all: ["Nothing sent yet", "External actions appear here once a workflow sends an email, a webhook, a chat message or an HTTP call."],
  pending: ["Nothing waiting", "Every external action has been delivered or given up on."],
  failing: ["Nothing failing", "No delivery is being retried after a failure right now."],
  dead: ["No dead letters", "Nothing has failed for good. Deliveries that do are listed here, to be replayed once their cause is fixed."],
  delivered: ["Nothing delivered yet", "Delivered external actions appear here."],
};

const KIND_NAMES: Record<string, string> = { email: "Email", http: "HTTP call", webhook: "Webhook", chat: "Chat message" };

interface OutboxItem {
  id: string;
  kind: string;
  connector: string | null;
  run_id: string | null;
  record_id: string | null;
  status: "pending" | "delivered" | "dead";
  attempts: number;
  next_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  updated_at: string;
  replayed_at: string | null;
}

function statusText(o: OutboxItem): string {
  if (o.status === "dead") return "Dead letter";
  if (o.status === "delivered") return "Delivered";
  return o.attempts > 0 ? "Failing, will retry" : "Pending";
}

interface OutboxPage {
  items: OutboxItem[];
  next: string | null;
}

async function page(filter: Filter, before: string | undefined): Promise<OutboxPage> {
  const query: { limit: string; status?: Exclude<Filter, "all">; before?: string } = { limit: "50" };
  if (filter !== "all") query.status = filter;
  if (before) query.before = before;
  const body = unwrap(await api.GET("/api/v1/outbox", { params: { query } }));
  return { items: body.data as OutboxItem[], next: body.next };
}

function OutboxList() {
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<Filter>("all");
  const [confirming, setConfirming] = useState<OutboxItem | null>(null);
  const pages = useInfiniteQuery({
    queryKey: ["outbox", filter],
    queryFn: ({ pageParam }) => page(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    // Something on its way (a replay, a retry): follow it closely; otherwise the list's pace.
    refetchInterval: whileRunning<InfiniteData<OutboxPage>>(
      (d) => d.pages.some((p) => p.items.some((o) => o.status === "pending")),
      LIST_MS,
    ),
  });
  const replay = useMutation({
    mutationFn: async (item: OutboxItem) =>
      unwrap(await api.POST("/api/v1/outbox/{id}/replay", { params: { path: { id: item.id } } })) as OutboxItem,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["outbox"] }),
  });
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const [emptyTitle, emptyText] = EMPTY[filter];

  return (
    <>
      <div className={styles.toolbar}>
        <Segmented label="Status" options={FILTERS} value={filter} onChange={setFilter} />
      </div>
      <div aria-live="polite" className={styles.result}>
        {replay.isSuccess ? (
          <p className={styles.ok} role="status">
            Replayed <code>{replay.data.id}</code>: sent again with the same idempotency key. Its status below follows the delivery.
          </p>
        ) : null}
      </div>
      {replay.error ? (
        <div role="alert" className={ui.alert}>
          <strong>Could not replay it.</strong> {replay.error.message}.{" "}
          {replay.error instanceof ApiError && replay.error.status === 409
            ? "It is no longer a dead letter: the list shows where it is now."
            : ""}
        </div>
      ) : null}
      {pages.error ? <ErrorMessage error={pages.error} what="the outbox" /> : null}
      {pages.isPending ? <p aria-live="polite">Loading the outbox…</p> : null}
      {pages.data && items.length === 0 ? <EmptyState title={emptyTitle}>{emptyText}</EmptyState> : null}
      {items.length > 0 ? (
        <div className={styles.scroll}>
          <table className={ui.table}>
            <caption className="visually-hidden">Outbox items, newest first</caption>
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((o) => (
                <tr key={o.id}>
                  <td>
                    <strong>{KIND_NAMES[o.kind] ?? o.kind}</strong>
                    {o.connector ? <span className={styles.muted}> via {o.connector}</span> : null}
                    <div className={styles.links}>
                      {o.run_id ? <AppLink href={`/runs/${o.run_id}`}>See its run</AppLink> : null}
                      <code className={styles.id}>{o.id}</code>
                    </div>
                  </td>
                  <td>
                    <span className={o.status === "dead" ? styles.dead : o.status === "delivered" ? styles.delivered : ui.badge}>
                      {statusText(o)}
                    </span>
                    {o.replayed_at ? <div className={styles.muted}>replayed {timeAgo(o.replayed_at)}</div> : null}
                  </td>
                  <td>{o.attempts}</td>
                  <td className={styles.error}>
                    {o.last_error ? (
                      <>
                        {o.last_status ? <span className={styles.muted}>{o.last_status} · </span> : null}
                        {o.last_error}
                      </>
                    ) : (
                      <span className={styles.muted}>none</span>
                    )}
                  </td>
                  <td>
                    <time dateTime={o.updated_at} title={fullTime(o.updated_at)}>
                      {timeAgo(o.updated_at)}
                    </time>
                  </td>
                  <td>
                    {o.status === "dead" ? (
                      <button type="button" className={ui.secondary} onClick={() => setConfirming(o)} aria-label={`Replay ${o.id}`}>
                        Replay
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => {
          if (!open) setConfirming(null);
        }}
        title="Replay this dead letter?"
        confirm="Replay"
        cancel="Cancel"
        onConfirm={() => {
          if (confirming) replay.mutate(confirming);
          setConfirming(null);
        }}
      >
        <p>
          {KIND_NAMES[confirming?.kind ?? ""] ?? "The action"} <code>{confirming?.id}</code> will be sent again now, with the same
          idempotency key, and retried up to the limit if it fails.
        </p>
        {confirming?.last_error ? <p>It last failed with: {confirming.last_error}</p> : null}
        <p>Replay it once its cause is fixed (the receiver is back, the address corrected), or it will fail again.</p>
      </ConfirmDialog>
    </>
  );
}

export function Outbox() {
  return (
    <RoleGate roles={["admin", "manager"]} who="admins and managers" title="Outbox">
      <PageHeader title="Outbox">Emails, webhooks, chat messages and HTTP calls that workflows send, and whether they arrived.</PageHeader>
      <OutboxList />
    </RoleGate>
  );
}
