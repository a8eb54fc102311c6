/**
 * Runs: the newest workflow runs with their status and current step, filtered by status and
 * workflow (kept in the URL: ?status=failed&workflow=<id>, so a filtered list can be shared).
 * A count on the workflow graph opens it narrowed further to one version's runs started since an
 * instant that passed, wait at or failed at one step (&version=&since=&step=&step_state=), said
 * in a sentence above the table; the KPI page's workflow health opens one version's failed runs
 * started in its period (&version=&since=&until=). Each run opens the run inspector.
 */
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { Label } from "radix-ui";
import { api, unwrap } from "../api/client";
import { when } from "../components/time";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../components/ui";
import styles from "./Runs.module.css";
import { RunsTable } from "./run/RunsTable";
import { TERMINAL_STATUSES } from "./run/run-types";
import { STATUS_WORDS } from "./run/run-words";

interface WorkflowInfo {
  id: string;
  name: string;
  object: string;
}

export type StepState = "passed" | "waiting" | "failed";

export interface RunsSearch {
  status?: string;
  workflow?: string;
  /** The rest narrow the list to a count on the workflow graph (with `workflow`). */
  version?: number;
  since?: string;
  /** Runs started before this instant (with `since`: a period). */
  until?: string;
  step?: string;
  step_state?: StepState;
}

const STEP_STATE_WORDS: Record<StepState, string> = { passed: "passed", waiting: "are waiting at", failed: "failed at" };

/**
 * The narrowing in a sentence: "Runs of Speed to lead v2 started since 3 Dec 2026, 10:00 that
 * passed step assign."; "Runs of Speed to lead v2 started from 1 Nov 2026, 00:00, before 1 Dec 2026, 00:00."
 */
function stepFilterWords(search: RunsSearch, workflowName: string | undefined): string | undefined {
  if (!search.step && !search.since && !search.until) return undefined;
  const of = `${workflowName ?? "this workflow"}${search.version !== undefined ? ` v${search.version}` : ""}`;
  const period =
    search.since && search.until
      ? ` started from ${when(search.since)}, before ${when(search.until)}`
      : search.since
        ? ` started since ${when(search.since)}`
        : search.until
          ? ` started before ${when(search.until)}`
          : "";
  if (!search.step) return `Runs of ${of}${period}.`;
  const state = search.step_state ? STEP_STATE_WORDS[search.step_state] : "reached";
  return `Runs of ${of}${period} that ${state} step ${search.step}.`;
}

export function Runs() {
  const search: RunsSearch = useSearch({ from: "/app/runs" });
  const navigate = useNavigate({ from: "/runs" });
  const workflows = useQuery({
    queryKey: ["workflows"],
    queryFn: async () => unwrap(await api.GET("/api/v1/workflows")).data as WorkflowInfo[],
  });
  const runs = useQuery({
    queryKey: ["runs", search],
    queryFn: async () => {
      const query = {
        limit: "100",
        ...(search.status ? { status: search.status } : {}),
        ...(search.workflow ? { workflow_id: search.workflow } : {}),
        ...(search.version !== undefined ? { version: String(search.version) } : {}),
        ...(search.since ? { since: search.since } : {}),
        ...(search.until ? { until: search.until } : {}),
        ...(search.step ? { step: search.step } : {}),
        ...(search.step_state ? { step_state: search.step_state } : {}),
      };
      return unwrap(await api.GET("/api/v1/runs", { params: { query } })).data;
    },
    // Runs under way move on by themselves: keep the list current while any is shown.
    refetchInterval: (q) => (q.state.data?.some((r) => !TERMINAL_STATUSES.includes(r.status)) ? 5000 : false),
  });
  const workflowsById = new Map((workflows.data ?? []).map((w) => [w.id, w]));
  const filtered = Boolean(search.status || search.workflow || search.step || search.since || search.until);
  const stepFilter = stepFilterWords(search, search.workflow ? workflowsById.get(search.workflow)?.name : undefined);
  // Choosing a status keeps the narrowing (a step, a version, a period); choosing another workflow
  // (or none) drops it, as it names a step and a version of the workflow it came from.
  const set = (patch: Pick<RunsSearch, "status" | "workflow">) =>
    navigate({
      search: (prev: RunsSearch) => {
        const next = { ...prev, ...patch };
        const keep = next.workflow === prev.workflow;
        return {
          ...(next.status ? { status: next.status } : {}),
          ...(next.workflow ? { workflow: next.workflow } : {}),
          ...(keep
            ? {
                ...(next.step ? { step: next.step, ...(next.step_state ? { step_state: next.step_state } : {}) } : {}),
                ...(next.version !== undefined ? { version: next.version } : {}),
                ...(next.since ? { since: next.since } : {}),
                ...(next.until ? { until: next.until } : {}),
              }
            : {}),
        };
      },
    });

  return (
    <>
      <PageHeader title="Runs">Each time a workflow works on a record: where it is and what it waits for.</PageHeader>
      <form className={styles.filters} aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        <div className={ui.field}>
          <Label.Root htmlFor="runs-status" className={ui.label}>
            Status
          </Label.Root>
          <select id="runs-status" className={ui.input} value={search.status ?? ""} onChange={(e) => set({ status: e.target.value })}>
            <option value="">Any status</option>
            {Object.entries(STATUS_WORDS).map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </select>
        </div>
        <div className={ui.field}>
          <Label.Root htmlFor="runs-workflow" className={ui.label}>
            Workflow
          </Label.Root>
          <select id="runs-workflow" className={ui.input} value={search.workflow ?? ""} onChange={(e) => set({ workflow: e.target.value })}>
            <option value="">Any workflow</option>
            {(workflows.data ?? []).map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        {filtered ? (
          <button type="button" className={ui.secondary} onClick={() => set({ status: "", workflow: "" })}>
            Show all runs
          </button>
        ) : null}
      </form>
      {stepFilter ? (
        <p className={styles.stepFilter} aria-live="polite">
          {stepFilter}
        </p>
      ) : null}
      {runs.error ? <ErrorMessage error={runs.error} what="the runs" /> : null}
      {runs.isPending ? <p aria-live="polite">Loading runs…</p> : null}
      {runs.data && runs.data.length === 0 ? (
        filtered ? (
          <EmptyState title="No runs match">
            No run matches these filters (runs move on: a count may have changed since). Choose another filter, or show all runs.
          </EmptyState>
        ) : (
          <EmptyState title="No runs yet">
            Runs appear here when a published workflow's trigger fires, for example when a lead arrives.
          </EmptyState>
        )
      ) : null}
      {runs.data && runs.data.length > 0 ? (
        <RunsTable
          runs={runs.data}
          caption={`Newest runs${filtered ? ", filtered" : ""}`}
          workflows={workflowsById}
          showWorkflow
          time="updated"
        />
      ) : null}
    </>
  );
}
