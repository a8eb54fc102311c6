/** Home: what Handoff is doing in this workspace right now, from the existing list endpoints. */
import { useQuery } from "@tanstack/react-query";
import { Link, useRouteContext } from "@tanstack/react-router";
import { api, unwrap } from "../api/client";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../components/ui";
import { type Count, countText } from "./counts";

const PAGE = 500;

function useCounts() {
  const leads = useQuery({
    queryKey: ["home", "leads"],
    queryFn: async (): Promise<Count> => {
      const page = unwrap(await api.GET("/api/v1/leads", { params: { query: { limit: String(PAGE) } } }));
      return { n: page.data.length, more: page.next_cursor !== null };
    },
  });
  const tasks = useQuery({
    queryKey: ["home", "open-tasks"],
    queryFn: async (): Promise<Count> => {
      const page = unwrap(await api.GET("/api/v1/tasks", { params: { query: { where: "status:eq:open", limit: String(PAGE) } } }));
      return { n: page.data.length, more: page.next_cursor !== null };
    },
  });
  const workflows = useQuery({
    queryKey: ["workflows"],
    queryFn: async () => unwrap(await api.GET("/api/v1/workflows")).data,
  });
  const waiting = useQuery({
    queryKey: ["home", "waiting-runs"],
    queryFn: async (): Promise<Count> => {
      const body = unwrap(await api.GET("/api/v1/runs", { params: { query: { status: "waiting", limit: "200" } } }));
      return { n: body.data.length, more: body.data.length >= 200 };
    },
  });
  return { leads, tasks, workflows, waiting };
}

export function Home() {
  const { session } = useRouteContext({ from: "/app" });
  const { leads, tasks, workflows, waiting } = useCounts();
  const error = leads.error ?? tasks.error ?? workflows.error ?? waiting.error;
  const published = workflows.data?.filter((w) => w.live_version !== null).length;
  const drafts = workflows.data ? workflows.data.length - (published ?? 0) : undefined;
  const show = (c: Count | undefined) => (c ? countText(c) : "…");

  return (
    <>
      <PageHeader title={`Welcome, ${session.user.name.split(" ")[0]}`}>
        What Handoff is doing in {session.workspace.name} right now.
      </PageHeader>
      {error ? <ErrorMessage error={error} what="the workspace's numbers" /> : null}
      <ul className={ui.stats} aria-label="At a glance">
        <li>
          <Link to="/records" className={ui.stat}>
            <span className={ui.statValue}>{show(leads.data)}</span>
            <span className={ui.statLabel}>Leads</span>
            <span className={ui.statHint}>in this workspace</span>
          </Link>
        </li>
        <li>
          <Link to="/records" className={ui.stat}>
            <span className={ui.statValue}>{show(tasks.data)}</span>
            <span className={ui.statLabel}>Open tasks</span>
            <span className={ui.statHint}>waiting for someone</span>
          </Link>
        </li>
        <li>
          <Link to="/workflows" className={ui.stat}>
            <span className={ui.statValue}>{published ?? "…"}</span>
            <span className={ui.statLabel}>Workflows published</span>
            <span className={ui.statHint}>{drafts === undefined ? "" : `${drafts} in draft`}</span>
          </Link>
        </li>
        <li>
          <Link to="/runs" className={ui.stat}>
            <span className={ui.statValue}>{show(waiting.data)}</span>
            <span className={ui.statLabel}>Runs waiting</span>
            <span className={ui.statHint}>for a call, a reply or a time</span>
          </Link>
        </li>
      </ul>
      {workflows.data && workflows.data.length === 0 ? (
        <EmptyState title="No workflows yet">
          Nothing is automated in this workspace yet. Publish one with <code>handoff workflow publish</code> (the ready recipes are in the{" "}
          <code>recipes/</code> folder); it appears under Workflows.
        </EmptyState>
      ) : null}
    </>
  );
}
