/**
 * /sla/clocks: the SLA clocks at risk (their warning fired) and in breach (their target passed,
 * still open), for every signed-in role — two tabs, filters by policy and by the owner's team
 * (kept in the URL), a table with the record (a link to its page), the policy, owner, team,
 * status, due instant or time past the target, and the business time left; "Load more" follows
 * next_cursor (GET /api/v1/sla/clocks). Polled like the other lists others change (LIST_MS).
 */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { Tabs } from "radix-ui";
import { api, unwrap } from "../../api/client";
import { LIST_MS } from "../../api/live";
import { AppLink } from "../../components/AppLink";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import { ClockBadge } from "./ClockBadge";
import styles from "./Clocks.module.css";
import { businessDuration, instant, milestoneWords, type SlaClockAtRisk, wallDuration } from "./clock-words";
import { type ClocksSearch, type ClocksTab, readClocksSearch } from "./clocks-search";
import { policiesQuery } from "./data";
import { useNow } from "./use-now";

const PAGE = "50";

const teamsQuery = {
  queryKey: ["teams", "all"],
  queryFn: async () => unwrap(await api.GET("/api/v1/teams", { params: { query: { sort: "name", limit: "200" } } })).data,
  staleTime: 60_000,
};

function useClocks(status: ClocksTab, policy: string | undefined, team: string | undefined) {
  return useInfiniteQuery({
    queryKey: ["sla", "clocks", status, policy ?? "", team ?? ""],
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET("/api/v1/sla/clocks", {
          params: {
            query: {
              status,
              limit: PAGE,
              ...(policy ? { policy } : {}),
              ...(team ? { team } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    initialPageParam: "",
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: LIST_MS,
  });
}

function DueCell({ clock, now }: { clock: SlaClockAtRisk; now: number }) {
  const next = clock.next_milestone;
  if (clock.status === "breached")
    return (
      <>
        <span className={styles.over}>{businessDuration(clock.left_ms)} past the target</span>
        <div className={styles.muted}>in business time</div>
        {next ? (
          <div className={styles.muted}>
            next: {milestoneWords(next.key, next.level)} at <time dateTime={next.due_at}>{instant(next.due_at, now)}</time>
          </div>
        ) : (
          <div className={styles.muted}>no escalation left</div>
        )}
      </>
    );
  if (!clock.due_at) return <>—</>;
  const ms = Date.parse(clock.due_at) - now;
  return (
    <>
      <time dateTime={clock.due_at}>{instant(clock.due_at, now)}</time>
      <div className={styles.muted}>{ms > 0 ? `in ${wallDuration(now, Date.parse(clock.due_at))}` : "now"}</div>
    </>
  );
}

function ClockTable({ tab, policy, team }: { tab: ClocksTab; policy: string | undefined; team: string | undefined }) {
  const clocks = useClocks(tab, policy, team);
  const objects = useQuery(objectsQuery);
  const now = useNow();
  const plural = (object: string) => objects.data?.find((o) => o.name === object)?.plural ?? `${object}s`;
  const rows = clocks.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = policy !== undefined || team !== undefined;
  if (clocks.error) return <ErrorMessage error={clocks.error} what="the SLA clocks" />;
  if (clocks.isPending) return <p aria-live="polite">Loading the clocks…</p>;
  if (rows.length === 0)
    return tab === "warning" ? (
      <EmptyState title={filtered ? "No clock at risk with these filters" : "No clock at risk"}>
        A record appears here once its SLA clock's warning has fired — for example when three quarters of a 4-hour first-response target are
        used — and stays until the clock stops in time or breaches.{" "}
        {filtered ? "Clear a filter to see the others." : "Nothing is close to its target now."}
      </EmptyState>
    ) : (
      <EmptyState title={filtered ? "No clock in breach with these filters" : "No clock in breach"}>
        A record appears here when its SLA target passes while its clock is still running or paused, and stays until the clock stops (the
        ticket is answered or resolved, as its policy says).{" "}
        {filtered ? "Clear a filter to see the others." : "Every open clock is within its target."}
      </EmptyState>
    );
  return (
    <>
      <table className={ui.table} aria-label={tab === "warning" ? "Clocks at risk" : "Clocks in breach"}>
        <thead>
          <tr>
            <th scope="col">Record</th>
            <th scope="col">Policy</th>
            <th scope="col">Owner</th>
            <th scope="col">Team</th>
            <th scope="col">Status</th>
            <th scope="col">{tab === "warning" ? "Due" : "Breached"}</th>
            <th scope="col" className={styles.numeric}>
              Business time left
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id}>
              <td>
                <AppLink href={`/records/${plural(c.record.object)}/${c.record.id}`}>
                  {c.record.title ?? `${c.record.object} ${c.record.id}`}
                </AppLink>
              </td>
              <td>
                <Link to="/sla/policies/$name" params={{ name: c.policy.name }}>
                  {c.policy.name}
                </Link>
              </td>
              <td>{c.owner?.name ?? "nobody"}</td>
              <td>{c.team?.name ?? "—"}</td>
              <td>
                <ClockBadge status={c.status} />
              </td>
              <td>
                <DueCell clock={c} now={now} />
              </td>
              <td className={styles.numeric}>{c.left_ms > 0 ? businessDuration(c.left_ms) : <span className={styles.over}>none</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {clocks.hasNextPage ? (
        <div>
          <button type="button" className={ui.secondary} onClick={() => void clocks.fetchNextPage()} disabled={clocks.isFetchingNextPage}>
            {clocks.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      ) : null}
    </>
  );
}

export function Clocks() {
  const search = useSearch({ from: "/app/sla/clocks" });
  const navigate = useNavigate({ from: "/sla/clocks" });
  const tab: ClocksTab = search.status ?? "warning";
  const policies = useQuery(policiesQuery);
  const teams = useQuery(teamsQuery);
  const set = (patch: Partial<ClocksSearch>) =>
    void navigate({
      search: (prev) => {
        const next = { ...prev, ...patch };
        return readClocksSearch(next as Record<string, unknown>);
      },
      replace: true,
    });
  return (
    <div className={styles.page}>
      <PageHeader title="At risk and in breach">
        Records whose SLA clock needs attention now: at risk (the warning has fired, the target is close) or in breach (the target has
        passed and the clock is still open). Each record opens on its own page with its clock and history.
      </PageHeader>
      {policies.data?.length === 0 ? (
        <p className={styles.muted}>
          No SLA policy exists yet, so no clock runs: <Link to="/sla/policies">SLA policies</Link> says how to set one up.
        </p>
      ) : null}
      <div className={styles.filters}>
        <label>
          Policy
          <select className={ui.input} value={search.policy ?? ""} onChange={(e) => set({ policy: e.target.value || undefined })}>
            <option value="">All policies</option>
            {(policies.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Owner's team
          <select className={ui.input} value={search.team ?? ""} onChange={(e) => set({ team: e.target.value || undefined })}>
            <option value="">All teams</option>
            {(teams.data ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {typeof t.name === "string" ? t.name : t.id}
              </option>
            ))}
          </select>
        </label>
      </div>
      {policies.error ? <ErrorMessage error={policies.error} what="the SLA policies" /> : null}
      {teams.error ? <ErrorMessage error={teams.error} what="the teams" /> : null}
      <Tabs.Root className={styles.tabs} value={tab} onValueChange={(v) => set({ status: v === "breached" ? "breached" : undefined })}>
        <Tabs.List className={styles.tabList} aria-label="Which clocks">
          <Tabs.Trigger value="warning" className={styles.tab}>
            At risk
          </Tabs.Trigger>
          <Tabs.Trigger value="breached" className={styles.tab}>
            In breach
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="warning">
          {tab === "warning" ? <ClockTable tab="warning" policy={search.policy} team={search.team} /> : null}
        </Tabs.Content>
        <Tabs.Content value="breached">
          {tab === "breached" ? <ClockTable tab="breached" policy={search.policy} team={search.team} /> : null}
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}
