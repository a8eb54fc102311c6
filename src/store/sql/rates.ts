/** The workflow rate cap's slots (see rate-ports.ts), and the runs it has deferred. */
import type { Kysely } from "kysely";
import type { DeferredRuns, WorkflowRate } from "../rate-ports.js";
import type { SqlDialect } from "./dialect.js";
import { direct, rows } from "./direct.js";
import type { Database, WorkflowRatesTable } from "./schema.js";

type Db = Kysely<Database>;
const CHUNK = 500;

const toRate = (r: WorkflowRatesTable): WorkflowRate => ({
  workspaceId: r.workspace_id,
  workflowId: r.workflow_id,
  windowStart: r.window_start,
  used: Number(r.used),
  alertedAt: r.alerted_at,
});

export async function lockWorkflowRates(db: Db, d: SqlDialect, workspaceId: string, workflowIds: readonly string[]) {
  const out: WorkflowRate[] = [];
  const unique = [...new Set(workflowIds)].sort();
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    // In workflow id order, so that two lockers never wait on each other crosswise.
    const { rows: found } = await direct<WorkflowRatesTable>(
      db,
      d,
      `select * from workflow_rates where workspace_id = ? and workflow_id in (${rows(chunk.length, "?")})
       order by workflow_id${d.rowLocks ? " for update" : ""}`,
      [workspaceId, ...chunk],
    );
    out.push(...found.map(toRate));
  }
  return out;
}

export async function saveWorkflowRates(db: Db, d: SqlDialect, list: readonly WorkflowRate[]) {
  for (let i = 0; i < list.length; i += CHUNK) {
    const chunk = list.slice(i, i + CHUNK);
    const params: unknown[] = [];
    for (const r of chunk) params.push(r.workspaceId, r.workflowId, r.windowStart, r.used, r.alertedAt);
    await direct(
      db,
      d,
      `insert into workflow_rates (workspace_id, workflow_id, window_start, used, alerted_at) values ${rows(chunk.length, "(?, ?, ?, ?, ?)")}
       on conflict (workspace_id, workflow_id) do update
       set window_start = excluded.window_start, used = excluded.used, alerted_at = excluded.alerted_at`,
      params,
    );
  }
}

/**
 * A deferred run is still at its first step (seq 0) and has a `continue` item that was never
 * tried (a retried one has attempts) due later than the run was created (an ordinary first item
 * is due as the run is created). One still pending is not started, even if its slot has come.
 * Reads the pending items (the backlog), through the index on their due time.
 */
export async function deferredRuns(db: Db, d: SqlDialect, workspaceId: string, workflowId: string): Promise<DeferredRuns> {
  const { rows: found } = await direct<{ n: number | string; next_at: string | null; last_at: string | null }>(
    db,
    d,
    `select count(*) as n, min(w.due_at) as next_at, max(w.due_at) as last_at
     from work_items w join runs r on r.workspace_id = w.workspace_id and r.id = w.run_id
     where w.status = 'pending' and w.due_at > r.created_at and w.workspace_id = ? and w.timer_id is null and w.attempts = 0
       and r.workflow_id = ? and r.seq = 0`,
    [workspaceId, workflowId],
  );
  const r = found[0];
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
  return { count: Number(r?.n ?? 0), nextAt: iso(r?.next_at), lastAt: iso(r?.last_at) };
}
