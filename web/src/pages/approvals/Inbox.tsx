/**
 * /approvals: the approvals inbox. Tabs — waiting for me (the default), decided by me, submitted by
 * me, and all (admins and managers; the API refuses it to reps too) — with filters by status and
 * object, all kept in the URL. Each row: what is asked (a link to the request), the record, the
 * values at stake, who it waits on, when it falls due, who asked, how long ago, its status.
 * Polled like the other lists others change (LIST_MS).
 */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useNavigate, useRouteContext, useSearch } from "@tanstack/react-router";
import { Tabs } from "radix-ui";
import { APPROVAL_STATUSES, type ApprovalView, approvalKeys, listApprovals } from "../../api/approvals";
import { LIST_MS } from "../../api/live";
import { AppLink } from "../../components/AppLink";
import { fullTime, timeAgo, when } from "../../components/time";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import styles from "./Approvals.module.css";
import { type InboxSearch, readInboxSearch } from "./inbox-search";
import { StakeInline, StatusBadge } from "./parts";
import { pluralOf, STATUS_WORDS } from "./words";

const TABS: { view: ApprovalView; label: string; table: string }[] = [
  { view: "mine", label: "Waiting for me", table: "Requests waiting for your decision" },
  { view: "decided", label: "Decided by me", table: "Requests you decided" },
  { view: "submitted", label: "Submitted by me", table: "Requests you submitted" },
  { view: "all", label: "All", table: "All approval requests" },
];

/** What each tab's empty state says: what would appear here, and what to do next. */
const EMPTY: Record<ApprovalView, { title: string; body: string }> = {
  mine: {
    title: "Nothing waits for your decision",
    body: "When a workflow's approval step asks you — a discount over a threshold, a large deal — the request appears here, and the Approvals link in the navigation shows how many wait.",
  },
  decided: {
    title: "You have not decided any request yet",
    body: "Requests you approve, reject or send back for revision are listed here with the outcome, so you can find them again.",
  },
  submitted: {
    title: "No request was made on your behalf",
    body: "When a workflow asks for approval of a record you own (for example a deal's discount), the request is listed here until it is decided.",
  },
  all: {
    title: "No approval request yet",
    body: "Add an Approval step to a workflow in the builder (its Decide group); each request it opens is listed here.",
  },
};

function InboxTable({ view, status, object }: { view: ApprovalView; status: InboxSearch["status"]; object: string | undefined }) {
  const objects = useQuery(objectsQuery);
  const pages = useInfiniteQuery({
    queryKey: approvalKeys.list(view, status ?? "", object ?? ""),
    queryFn: ({ pageParam }) => listApprovals({ view, status, object }, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: LIST_MS,
  });
  const rows = pages.data?.pages.flatMap((p) => p.data) ?? [];
  const tab = TABS.find((t) => t.view === view) ?? TABS[0];
  if (pages.error) return <ErrorMessage error={pages.error} what="the approval requests" />;
  if (pages.isPending) return <p aria-live="polite">Loading the requests…</p>;
  if (rows.length === 0) {
    const filtered = status !== undefined || object !== undefined;
    return filtered ? (
      <EmptyState title="No request with these filters">Choose “Any status” and “Any object” to see the others.</EmptyState>
    ) : (
      <EmptyState title={EMPTY[view].title}>{EMPTY[view].body}</EmptyState>
    );
  }
  return (
    <>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1) */}
      {/* biome-ignore lint/a11y/useSemanticElements: a <section> would add a landmark per table; the region is the scroll frame */}
      <div className={styles.tableFrame} tabIndex={0} role="region" aria-label={`${tab?.table} (scrolls sideways)`}>
        <table className={ui.table} aria-label={tab?.table}>
          <thead>
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Record</th>
              <th scope="col">At stake</th>
              <th scope="col">Waiting on</th>
              <th scope="col">Due</th>
              <th scope="col">Submitted by</th>
              <th scope="col">Asked</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <AppLink href={`/approvals/${encodeURIComponent(r.id)}`}>{r.summary}</AppLink>
                  {r.round > 1 ? <div className={styles.muted}>round {r.round}</div> : null}
                </td>
                <td>
                  <AppLink href={`/records/${pluralOf(objects.data, r.object)}/${encodeURIComponent(r.record.id)}`}>
                    {r.record.title ?? `${r.object} ${r.record.id}`}
                  </AppLink>
                  <div className={styles.muted}>{objects.data?.find((o) => o.name === r.object)?.label ?? r.object}</div>
                </td>
                <td>
                  <StakeInline stake={r.stake} />
                </td>
                <td>{r.waiting_on.length > 0 ? r.waiting_on.join(", ") : <span className={styles.muted}>nobody</span>}</td>
                <td>
                  {r.due_at ? <time dateTime={r.due_at}>{when(r.due_at)}</time> : <span className={styles.muted}>no time limit</span>}
                </td>
                <td>{r.submitter?.name ?? <span className={styles.muted}>a workflow</span>}</td>
                <td>
                  <time dateTime={r.created_at} title={fullTime(r.created_at)}>
                    {timeAgo(r.created_at)}
                  </time>
                </td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages.hasNextPage ? (
        <div>
          <button type="button" className={ui.secondary} onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
            {pages.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      ) : null}
    </>
  );
}

export function Inbox() {
  const { session } = useRouteContext({ from: "/app" });
  const search = useSearch({ from: "/app/approvals" });
  const navigate = useNavigate({ from: "/approvals" });
  const objects = useQuery(objectsQuery);
  const seesAll = session.user.role === "admin" || session.user.role === "manager";
  const tabs = TABS.filter((t) => t.view !== "all" || seesAll);
  // A rep given an address with view=all reads their own inbox instead (the API would refuse "all").
  const view: ApprovalView = search.view === "all" && !seesAll ? "mine" : (search.view ?? "mine");
  const set = (patch: Partial<Record<keyof InboxSearch, string | undefined>>) =>
    void navigate({ search: (prev) => readInboxSearch({ ...prev, ...patch }), replace: true });
  return (
    <div className={styles.page}>
      <PageHeader title="Approvals">
        Human checkpoints that workflows ask for: a discount over a threshold, a large deal. A record stays locked while its request waits;
        the workflow goes on once it is decided.
      </PageHeader>
      <div className={styles.filters}>
        <label>
          Status
          <select className={ui.input} value={search.status ?? ""} onChange={(e) => set({ status: e.target.value || undefined })}>
            <option value="">Any status</option>
            {APPROVAL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_WORDS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Object
          <select className={ui.input} value={search.object ?? ""} onChange={(e) => set({ object: e.target.value || undefined })}>
            <option value="">Any object</option>
            {(objects.data ?? []).map((o) => (
              <option key={o.name} value={o.name}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Tabs.Root value={view} onValueChange={(v) => set({ view: v === "mine" ? undefined : v })}>
        <Tabs.List className={styles.tabList} aria-label="Which requests">
          {tabs.map((t) => (
            <Tabs.Trigger key={t.view} value={t.view} className={styles.tab}>
              {t.label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {tabs.map((t) => (
          <Tabs.Content key={t.view} value={t.view}>
            {t.view === view ? <InboxTable view={view} status={search.status} object={search.object} /> : null}
          </Tabs.Content>
        ))}
      </Tabs.Root>
    </div>
  );
}
