/** Runs, their steps, and the work items that drive them. */

import { type ExpressionBuilder, type Kysely, sql } from "kysely";
import {
  type FactsSeen,
  type NewWorkItem,
  type RunCounts,
  type RunQuery,
  type RunRow,
  type RunStepRow,
  readRunInput,
  type StepCount,
  type StepState,
  type WorkItem,
} from "../workflow-ports.js";
import { claimDue } from "./claim-due.js";
import type { SqlDialect } from "./dialect.js";
import { direct, jsonParam, rows } from "./direct.js";
import type { Database, RunStepsTable, RunsTable, WorkItemsTable } from "./schema.js";

type Db = Kysely<Database>;
const TERMINAL = ["completed", "exited", "failed", "cancelled"];
/** Rows per multi-row statement: SQLite allows 32,766 parameters, PostgreSQL 65,535. */
const ROWS_PER_STATEMENT = 500;

const toRun = (d: SqlDialect, r: RunsTable): RunRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  workflowId: r.workflow_id,
  version: Number(r.version),
  recordId: r.record_id,
  triggerKey: r.trigger_key,
  state: d.parseJson(r.state) as RunRow["state"],
  seq: Number(r.seq),
  depth: Number(r.depth),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
});

const toStep = (d: SqlDialect, r: RunStepsTable): RunStepRow => ({
  workspaceId: r.workspace_id,
  runId: r.run_id,
  seq: Number(r.seq),
  step: r.step,
  type: r.type,
  input: r.input,
  outcome: r.outcome,
  why: r.why,
  effects: d.parseJson(r.effects),
  at: r.at,
  durationMs: Number(r.duration_ms),
  runInput: r.run_input === null || r.run_input === undefined ? null : readRunInput(d.parseJson(r.run_input)),
  recordVersion: r.record_version === null || r.record_version === undefined ? null : Number(r.record_version),
  factsDigest: r.facts_digest ?? null,
  factsSeen: readFactsSeen(r.facts_seen === null || r.facts_seen === undefined ? null : d.parseJson(r.facts_seen)),
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A step's `facts_seen` as written by insertRunSteps; anything else reads as none. */
function readFactsSeen(value: unknown): FactsSeen | null {
  if (!isObject(value) || !isObject(value.counts) || !isObject(value.refs)) return null;
  const counts: Record<string, number> = {};
  for (const [k, n] of Object.entries(value.counts)) if (typeof n === "number") counts[k] = n;
  const refs: Record<string, { id: string; version: number } | null> = {};
  for (const [k, r] of Object.entries(value.refs))
    refs[k] = isObject(r) && typeof r.id === "string" && typeof r.version === "number" ? { id: r.id, version: r.version } : null;
  const p = value.prediction;
  // Written by the executor from a PredictionFact; its discriminant and names checked, the rest kept as written.
  if (isObject(p) && typeof p.ok === "boolean" && typeof p.step === "string" && typeof p.model === "string")
    return { counts, refs, prediction: p as unknown as NonNullable<FactsSeen["prediction"]> };
  return { counts, refs };
}

const toItem = (d: SqlDialect, r: WorkItemsTable & { id: number; attempts: number }): WorkItem => ({
  id: Number(r.id),
  workspaceId: r.workspace_id,
  runId: r.run_id,
  input: readRunInput(d.parseJson(r.input)),
  timerId: r.timer_id,
  dueAt: r.due_at,
  attempts: Number(r.attempts),
  leaseOwner: r.lease_owner,
});

const runValues = (run: RunRow): unknown[] => [
  run.workspaceId,
  run.id,
  run.workflowId,
  run.version,
  run.recordId,
  run.triggerKey,
  run.state.status,
  JSON.stringify(run.state),
  run.seq,
  run.depth,
  run.createdAt,
  run.updatedAt,
  run.finishedAt,
];

const INSERT_RUNS = `insert into runs (workspace_id, id, workflow_id, version, record_id, trigger_key, status, state, seq, depth, created_at, updated_at, finished_at) values`;
const runRow = (d: SqlDialect) => `(?, ?, ?, ?, ?, ?, ?, ${jsonParam(d)}, ?, ?, ?, ?, ?)`;

export async function insertRun(db: Db, d: SqlDialect, run: RunRow) {
  const r = await direct(
    db,
    d,
    `${INSERT_RUNS} ${runRow(d)} on conflict (workspace_id, workflow_id, trigger_key) do nothing`,
    runValues(run),
  );
  return Number(r.numAffectedRows ?? 0) === 1;
}

export async function insertRuns(db: Db, d: SqlDialect, list: readonly RunRow[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  // 13 parameters a row: 500 rows stay below SQLite's 32,766.
  for (let i = 0; i < list.length; i += ROWS_PER_STATEMENT) {
    const chunk = list.slice(i, i + ROWS_PER_STATEMENT);
    const { rows: written } = await direct<{ id: string }>(
      db,
      d,
      `${INSERT_RUNS} ${rows(chunk.length, runRow(d))} on conflict (workspace_id, workflow_id, trigger_key) do nothing returning id`,
      chunk.flatMap(runValues),
    );
    for (const r of written) inserted.add(r.id);
  }
  return inserted;
}

export async function runsOfRecords(db: Db, d: SqlDialect, workspaceId: string, recordIds: readonly string[]) {
  const out: RunRow[] = [];
  const unique = [...new Set(recordIds)];
  for (let i = 0; i < unique.length; i += ROWS_PER_STATEMENT) {
    const chunk = unique.slice(i, i + ROWS_PER_STATEMENT);
    const { rows: found } = await direct<RunsTable>(
      db,
      d,
      `select * from runs where workspace_id = ? and record_id in (${rows(chunk.length, "?")})`,
      [workspaceId, ...chunk],
    );
    for (const r of found) out.push(toRun(d, r));
  }
  return out;
}

// The next four run once or more per workflow step: hand-written SQL (see direct.ts).

export async function updateRun(db: Db, d: SqlDialect, run: RunRow, expectedSeq: number) {
  const r = await direct(
    db,
    d,
    `update runs set status = ?, state = ${jsonParam(d)}, seq = ?, updated_at = ?, finished_at = ?
     where workspace_id = ? and id = ? and seq = ?`,
    [run.state.status, JSON.stringify(run.state), run.seq, run.updatedAt, run.finishedAt, run.workspaceId, run.id, expectedSeq],
  );
  return Number(r.numAffectedRows) === 1;
}

/**
 * Several guarded run updates in one statement: a list of values joined to the runs by key and
 * expected seq (UPDATE … FROM: SQLite ≥ 3.33 and PostgreSQL). PostgreSQL needs the values typed.
 */
export async function updateRuns(db: Db, d: SqlDialect, updates: ReadonlyArray<{ run: RunRow; expectedSeq: number }>) {
  const pg = d.name === "postgres";
  const row = pg
    ? "(cast(? as text), cast(? as text), cast(? as integer), cast(? as text), cast(? as jsonb), cast(? as integer), cast(? as timestamptz), cast(? as timestamptz))"
    : "(?, ?, ?, ?, ?, ?, ?, ?)";
  let written = 0;
  for (let i = 0; i < updates.length; i += ROWS_PER_STATEMENT) {
    const chunk = updates.slice(i, i + ROWS_PER_STATEMENT);
    const params: unknown[] = [];
    for (const { run, expectedSeq } of chunk)
      params.push(
        run.workspaceId,
        run.id,
        expectedSeq,
        run.state.status,
        JSON.stringify(run.state),
        run.seq,
        run.updatedAt,
        run.finishedAt,
      );
    const r = await direct(
      db,
      d,
      `with v (workspace_id, id, expected_seq, status, state, seq, updated_at, finished_at) as (values ${Array.from(chunk, () => row).join(", ")})
       update runs set status = v.status, state = v.state, seq = v.seq, updated_at = v.updated_at, finished_at = v.finished_at
       from v where runs.workspace_id = v.workspace_id and runs.id = v.id and runs.seq = v.expected_seq`,
      params,
    );
    written += Number(r.numAffectedRows);
  }
  return written;
}

export async function getRun(db: Db, d: SqlDialect, workspaceId: string, id: string) {
  const { rows } = await direct<RunsTable>(db, d, "select * from runs where workspace_id = ? and id = ?", [workspaceId, id]);
  return rows[0] ? toRun(d, rows[0]) : undefined;
}

export async function getRuns(db: Db, d: SqlDialect, workspaceId: string, ids: readonly string[]) {
  const out: RunRow[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += ROWS_PER_STATEMENT) {
    const chunk = unique.slice(i, i + ROWS_PER_STATEMENT);
    const { rows } = await direct<RunsTable>(
      db,
      d,
      `select * from runs where workspace_id = ? and id in (${chunk.map(() => "?").join(", ")})`,
      [workspaceId, ...chunk],
    );
    for (const r of rows) out.push(toRun(d, r));
  }
  return out;
}

export async function queryRuns(db: Db, d: SqlDialect, q: RunQuery) {
  let query = db.selectFrom("runs").selectAll().where("workspace_id", "=", q.workspaceId);
  if (q.workflowId) query = query.where("workflow_id", "=", q.workflowId);
  if (q.recordId) query = query.where("record_id", "=", q.recordId);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.beforeId) query = query.where("id", "<", q.beforeId);
  if (q.since) query = query.where("created_at", ">=", q.since);
  if (q.until) query = query.where("created_at", "<", q.until);
  if (q.version !== undefined) query = query.where("version", "=", q.version);
  if (q.step !== undefined) {
    const step = q.step;
    query = query.where((eb) => atStep(eb, d, step, q.stepState));
  }
  const rows = await query.orderBy("id", "desc").limit(q.limit).execute();
  return rows.map((r) => toRun(d, r));
}

/** The step a run is at now (its state's `step`; null once completed). */
const currentStep = (d: SqlDialect) => d.jsonText("runs.state", "step");

/**
 * Runs that stand at `step` as `state` says (StepState), or — without a state — that reached it
 * at all. The same definitions as stepCountsSince, so that a count opens exactly its runs.
 */
function atStep(eb: ExpressionBuilder<Database, "runs">, d: SqlDialect, step: string, state: StepState | undefined) {
  const logged = eb.exists(
    eb
      .selectFrom("run_steps")
      .select(sql.lit(1).as("one"))
      .whereRef("run_steps.workspace_id", "=", "runs.workspace_id")
      .whereRef("run_steps.run_id", "=", "runs.id")
      .where("run_steps.step", "=", step),
  );
  const here = eb(currentStep(d), "=", step);
  switch (state) {
    case "waiting":
      return eb.and([eb("runs.status", "=", "waiting"), here]);
    case "failed":
      return eb.and([eb("runs.status", "=", "failed"), here]);
    case "passed":
      return eb.and([logged, eb(eb.fn.coalesce(currentStep(d), sql.lit("")), "<>", step)]);
    case undefined:
      return eb.or([logged, here]);
  }
}

/**
 * One version's runs since an instant, per step: passed (in the log, moved on), waiting there
 * and failed there. Two grouped statements, both bounded by the runs_workflow index
 * (workspace, workflow, created_at): the runs' logs joined by their primary key for `passed`,
 * the runs' own status and current step for the other two.
 */
export async function stepCountsSince(
  db: Db,
  d: SqlDialect,
  workspaceId: string,
  workflowId: string,
  version: number,
  since: string,
): Promise<StepCount[]> {
  const statements = stepCountStatements(db, d, workspaceId, workflowId, version, since);
  const passed = await statements.passed.execute();
  const standing = await statements.standing.execute();
  const counts = new Map<string, StepCount>();
  const of = (step: string) => {
    const seen = counts.get(step);
    if (seen) return seen;
    const c = { step, passed: 0, waiting: 0, failed: 0 };
    counts.set(step, c);
    return c;
  };
  // PostgreSQL answers counts as bigint strings.
  for (const r of passed) if (r.step !== null) of(r.step).passed = Number(r.n);
  for (const r of standing) {
    if (r.step === null) continue;
    if (r.status === "waiting") of(r.step).waiting = Number(r.n);
    else of(r.step).failed = Number(r.n);
  }
  return [...counts.values()].sort((a, b) => a.step.localeCompare(b.step));
}

/**
 * Runs per workflow since an instant, and their failures, in one grouped statement. Naming the
 * workflows (`workflow_id in (…)`) lets both stores seek the runs_workflow index
 * (workspace_id, workflow_id, created_at) once per workflow and read only the window's rows;
 * without it the planner would walk every run of the workspace. test/store/run-counts.test.ts
 * checks the plan.
 */
export async function runCountsSince(db: Db, workspaceId: string, workflowIds: readonly string[], since: string): Promise<RunCounts[]> {
  if (workflowIds.length === 0) return [];
  const rows = await runCountsStatement(db, workspaceId, workflowIds, since).execute();
  // PostgreSQL answers count and sum as bigint strings.
  return rows.map((r) => ({ workflowId: r.workflow_id, runs: Number(r.runs), failures: Number(r.failures ?? 0) }));
}

/** The statement of runCountsSince, apart so that its plan can be checked. */
export function runCountsStatement(db: Db, workspaceId: string, workflowIds: readonly string[], since: string) {
  return db
    .selectFrom("runs")
    .select((eb) => [
      "workflow_id",
      eb.fn.countAll<number | string>().as("runs"),
      eb.fn.sum<number | string | null>(eb.case().when("status", "=", "failed").then(1).else(0).end()).as("failures"),
    ])
    .where("workspace_id", "=", workspaceId)
    .where("workflow_id", "in", [...new Set(workflowIds)])
    .where("created_at", ">=", since)
    .groupBy("workflow_id");
}

/** The statements of stepCountsSince, apart so that their plans can be checked. */
export function stepCountStatements(db: Db, d: SqlDialect, workspaceId: string, workflowId: string, version: number, since: string) {
  const window = (eb: ExpressionBuilder<Database, "runs">) =>
    eb.and([
      eb("runs.workspace_id", "=", workspaceId),
      eb("runs.workflow_id", "=", workflowId),
      eb("runs.created_at", ">=", since),
      eb("runs.version", "=", version),
    ]);
  return {
    /** Per step: the runs with it in their log that are no longer at it. */
    passed: db
      .selectFrom("runs")
      .innerJoin("run_steps", (j) => j.onRef("run_steps.workspace_id", "=", "runs.workspace_id").onRef("run_steps.run_id", "=", "runs.id"))
      .select((eb) => ["run_steps.step", eb.fn.count<number | string>("run_steps.run_id").distinct().as("n")])
      .where(window)
      .where("run_steps.step", "is not", null)
      .where((eb) => eb(eb.fn.coalesce(currentStep(d), sql.lit("")), "<>", eb.ref("run_steps.step")))
      .groupBy("run_steps.step"),
    /** Per current step and status: the runs waiting there or failed there. */
    standing: db
      .selectFrom("runs")
      .select((eb) => [currentStep(d).as("step"), "runs.status", eb.fn.countAll<number | string>().as("n")])
      .where(window)
      .where("runs.status", "in", ["waiting", "failed"])
      .groupBy([currentStep(d), "runs.status"]),
  };
}

export async function activeRunsOf(db: Db, d: SqlDialect, workspaceId: string, recordIds: readonly string[]) {
  if (recordIds.length === 0) return [];
  const rows = await db
    .selectFrom("runs")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("record_id", "in", [...new Set(recordIds)])
    .where("status", "not in", TERMINAL)
    .execute();
  return rows.map((r) => toRun(d, r));
}

/**
 * A record has few runs, a workflow and a workspace many: read the record's runs (index
 * runs_record) and pick the workflow's newest here. Asked for `order by id desc limit 1`, SQLite
 * walks the primary key backwards through every run of the workspace instead, and with
 * `workflow_id` in the WHERE clause it prefers runs_workflow, both growing with the table.
 */
export async function latestRunOf(db: Db, d: SqlDialect, workspaceId: string, workflowId: string, recordId: string) {
  // Direct SQL: the matcher asks this for every enrollment whose conditions hold.
  const { rows } = await direct<RunsTable>(db, d, "select * from runs where workspace_id = ? and record_id = ?", [workspaceId, recordId]);
  let latest: RunsTable | undefined;
  for (const r of rows) if (r.workflow_id === workflowId && (!latest || r.id > latest.id)) latest = r;
  return latest ? toRun(d, latest) : undefined;
}

export async function insertRunSteps(db: Db, d: SqlDialect, steps: readonly RunStepRow[]) {
  for (let i = 0; i < steps.length; i += ROWS_PER_STATEMENT) {
    const chunk = steps.slice(i, i + ROWS_PER_STATEMENT);
    const row = `(?, ?, ?, ?, ?, ?, ?, ?, ${jsonParam(d)}, ?, ?, ${jsonParam(d)}, ?, ?, ${jsonParam(d)})`;
    const params: unknown[] = [];
    for (const s of chunk)
      params.push(
        s.workspaceId,
        s.runId,
        s.seq,
        s.step,
        s.type,
        s.input,
        s.outcome,
        s.why,
        JSON.stringify(s.effects),
        s.at,
        s.durationMs,
        s.runInput === null ? null : JSON.stringify(s.runInput),
        s.recordVersion,
        s.factsDigest,
        s.factsSeen === null ? null : JSON.stringify(s.factsSeen),
      );
    await direct(
      db,
      d,
      `insert into run_steps (workspace_id, run_id, seq, step, "type", input, outcome, why, effects, "at", duration_ms, run_input, record_version, facts_digest, facts_seen)
       values ${Array.from(chunk, () => row).join(", ")}`,
      params,
    );
  }
}

export async function listRunSteps(db: Db, d: SqlDialect, workspaceId: string, runId: string) {
  const rows = await db
    .selectFrom("run_steps")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("run_id", "=", runId)
    .orderBy("seq")
    .execute();
  return rows.map((r) => toStep(d, r));
}

export async function stepsOfRecord(db: Db, d: SqlDialect, workspaceId: string, recordId: string, limit: number) {
  const rows = await db
    .selectFrom("run_steps")
    .innerJoin("runs", (j) => j.onRef("runs.workspace_id", "=", "run_steps.workspace_id").onRef("runs.id", "=", "run_steps.run_id"))
    .selectAll("run_steps")
    .select("runs.workflow_id")
    .where("runs.workspace_id", "=", workspaceId)
    .where("runs.record_id", "=", recordId)
    .orderBy("run_steps.at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...toStep(d, r), workflowId: r.workflow_id }));
}

export async function insertWorkItems(db: Db, d: SqlDialect, items: readonly NewWorkItem[], now: string) {
  for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) {
    const chunk = items.slice(i, i + ROWS_PER_STATEMENT);
    const params: unknown[] = [];
    for (const w of chunk) params.push(w.workspaceId, w.runId, JSON.stringify(w.input), w.timerId, w.dueAt, now);
    await direct(
      db,
      d,
      `insert into work_items (workspace_id, run_id, input, timer_id, status, due_at, lease_owner, lease_until, last_error, created_at)
       values ${rows(chunk.length, `(?, ?, ${jsonParam(d)}, ?, 'pending', ?, null, null, null, ?)`)}`,
      params,
    );
  }
}

export async function cancelTimer(db: Db, workspaceId: string, timerId: string) {
  await db
    .updateTable("work_items")
    .set({ status: "cancelled" })
    .where("workspace_id", "=", workspaceId)
    .where("timer_id", "=", timerId)
    .where("status", "=", "pending")
    .execute();
}

export async function completeWorkItem(db: Db, d: SqlDialect, id: number, owner: string, attempt: number) {
  const r = await direct(
    db,
    d,
    `update work_items set status = 'done', lease_owner = null, lease_until = null
     where id = ? and status = 'pending' and lease_owner = ? and attempts = ?`,
    [id, owner, attempt],
  );
  return Number(r.numAffectedRows) === 1;
}

/**
 * Completes each (id, attempt) still leased to `owner` at that attempt; the id list lets the
 * primary key find the rows, the row values fence each one by its own attempt.
 */
export async function completeWorkItems(db: Db, d: SqlDialect, owner: string, items: ReadonlyArray<{ id: number; attempt: number }>) {
  let completed = 0;
  for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) {
    const chunk = items.slice(i, i + ROWS_PER_STATEMENT);
    const r = await direct(
      db,
      d,
      `update work_items set status = 'done', lease_owner = null, lease_until = null
       where id in (${chunk.map(() => "?").join(", ")}) and status = 'pending' and lease_owner = ?
         and (id, attempts) in (values ${chunk.map(() => (d.name === "postgres" ? "(cast(? as bigint), cast(? as integer))" : "(?, ?)")).join(", ")})`,
      [...chunk.map((c) => c.id), owner, ...chunk.flatMap((c) => [c.id, c.attempt])],
    );
    completed += Number(r.numAffectedRows);
  }
  return completed;
}

export async function claimWork(db: Db, d: SqlDialect, owner: string, limit: number, leaseMs: number) {
  const rows = await claimDue(db, d, "work_items", owner, limit, leaseMs);
  return rows.map((r) => toItem(d, r as never)).sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id - b.id);
}

export async function extendLeases(db: Db, d: SqlDialect, owner: string, ids: readonly number[], leaseMs: number) {
  if (ids.length === 0) return;
  await db
    .updateTable("work_items")
    .set({ lease_until: d.now(leaseMs) })
    .where("id", "in", [...ids])
    .where("lease_owner", "=", owner)
    .where("status", "=", "pending")
    .execute();
}

export async function releaseWork(db: Db, d: SqlDialect, id: number, owner: string, delayMs: number, error: string) {
  await db
    .updateTable("work_items")
    .set({ lease_owner: null, lease_until: null, due_at: d.now(delayMs), last_error: error.slice(0, 2000) })
    .where("id", "=", id)
    .where("lease_owner", "=", owner)
    .where("status", "=", "pending")
    .execute();
}

export async function pendingWorkCount(db: Db) {
  const r = await db
    .selectFrom("work_items")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", "pending")
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function dueNow(db: Db, workspaceId: string, runId: string, now: string) {
  const r = await db
    .updateTable("work_items")
    .set({ due_at: now })
    .where("workspace_id", "=", workspaceId)
    .where("run_id", "=", runId)
    .where("status", "=", "pending")
    .where("timer_id", "is not", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function takeQuota(
  db: Db,
  d: SqlDialect,
  workspaceId: string,
  workflowId: string,
  quota: string,
  windowStart: string,
  limit: number,
) {
  // One guarded upsert: two workers taking the last use at once cannot both get it.
  const { rows: taken } = await direct<{ used: number }>(
    db,
    d,
    `insert into quota_usage (workspace_id, workflow_id, quota, window_start, used) values (?, ?, ?, ?, 1)
     on conflict (workspace_id, workflow_id, quota, window_start) do update set used = quota_usage.used + 1
     where quota_usage.used < ?
     returning used`,
    [workspaceId, workflowId, quota, windowStart, limit],
  );
  const used = taken[0]?.used;
  if (used === undefined) {
    const { rows: current } = await direct<{ used: number }>(
      db,
      d,
      "select used from quota_usage where workspace_id = ? and workflow_id = ? and quota = ? and window_start = ?",
      [workspaceId, workflowId, quota, windowStart],
    );
    return { taken: false, used: Number(current[0]?.used ?? limit) };
  }
  if (Number(used) === 1)
    await direct(db, d, "delete from quota_usage where workspace_id = ? and workflow_id = ? and quota = ? and window_start < ?", [
      workspaceId,
      workflowId,
      quota,
      windowStart,
    ]);
  return { taken: true, used: Number(used) };
}

export async function versionsUnderWay(db: Db, workspaceId: string) {
  const rows = await db
    .selectFrom("runs")
    .select(["workflow_id", "version"])
    .distinct()
    .where("workspace_id", "=", workspaceId)
    .where("status", "not in", TERMINAL)
    .execute();
  return rows.map((r) => ({ workflowId: r.workflow_id, version: Number(r.version) }));
}
