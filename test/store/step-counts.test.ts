/**
 * Runs on the canvas (issue 15, item 6): `stepCountsSince` answers, for one version of a
 * workflow, per step, the runs started since an instant that passed it (in the log, moved on),
 * wait there now and failed there — on both stores, within the workspace, the workflow, the
 * version and the window — and the runs list's step filter (`queryRuns` with step and
 * stepState) finds exactly the runs each count counts. Both statements read the version's runs
 * through the runs_workflow index (and their logs by key), never a scan of the runs (plans checked).
 */
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunStatus } from "../../src/engine/run-state.js";
import { postgresDialect } from "../../src/store/postgres/postgres-store.js";
import { stepCountStatements } from "../../src/store/sql/runs.js";
import type { Database } from "../../src/store/sql/schema.js";
import { sqliteDialect } from "../../src/store/sqlite/sqlite-store.js";
import type { RunRow, RunStepRow, StepState } from "../../src/store/workflow-ports.js";
import { createPgDatabase, SKIP_PG, STORES, sqliteTestStore, type TestStore } from "../helpers/stores.js";

const DAY = 86_400_000;
const NOW = Date.parse("2026-12-03T12:00:00.000Z");
const SINCE = new Date(NOW - 7 * DAY).toISOString();

interface Spec {
  id: string;
  workspace?: string;
  workflow?: string;
  version?: number;
  ageDays?: number;
  status: RunStatus;
  /** Where the run is now (null once completed). */
  at: string | null;
  /** The steps in its log, in order. */
  log: string[];
}

function runOf(s: Spec): RunRow {
  const created = new Date(NOW - (s.ageDays ?? 1) * DAY).toISOString();
  return {
    workspaceId: s.workspace ?? "ws-a",
    id: s.id,
    workflowId: s.workflow ?? "wf-1",
    version: s.version ?? 2,
    recordId: `rec-${s.id}`,
    triggerKey: `t-${s.id}`,
    state: { status: s.status, step: s.at, wait: null, reason: null, stepsTaken: s.log.length } as unknown as RunRow["state"],
    seq: s.log.length,
    depth: 1,
    createdAt: created,
    updatedAt: created,
    finishedAt: null,
  };
}

function stepsOf(s: Spec): RunStepRow[] {
  return s.log.map((step, i) => ({
    workspaceId: s.workspace ?? "ws-a",
    runId: s.id,
    seq: i + 1,
    step,
    type: "action",
    input: "continue",
    outcome: "succeeded",
    why: "test",
    effects: [],
    at: new Date(NOW - DAY).toISOString(),
    durationMs: 1,
    runInput: null,
    recordVersion: null,
    factsDigest: null,
    factsSeen: null,
  }));
}

const RUNS: Spec[] = [
  // Passed assign and task, completed.
  { id: "r01", status: "completed", at: null, log: ["assign", "task", "task"] },
  // Passed assign, waiting at the timer (its log has the timer's first step).
  { id: "r02", status: "waiting", at: "timer", log: ["assign", "timer"] },
  { id: "r03", status: "waiting", at: "timer", log: ["assign", "timer"] },
  // Failed at task (logged there), after passing assign.
  { id: "r04", status: "failed", at: "task", log: ["assign", "task"] },
  // Failed at task once, retried, and now waiting at the timer: task passed.
  { id: "r05", status: "waiting", at: "timer", log: ["assign", "task", "task", "timer"] },
  // Outside the window, another version, another workflow, another workspace: never counted.
  { id: "r06", ageDays: 9, status: "failed", at: "task", log: ["assign", "task"] },
  { id: "r07", version: 1, status: "failed", at: "assign", log: ["assign"] },
  { id: "r08", workflow: "wf-2", status: "waiting", at: "timer", log: ["assign", "timer"] },
  { id: "r09", workspace: "ws-b", status: "failed", at: "task", log: ["assign", "task"] },
];

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`runs per step of a version since an instant: ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
      await t.store.transaction(async (tx) => {
        await tx.runs.insertRuns(RUNS.map(runOf));
        await tx.runs.insertRunSteps(RUNS.flatMap(stepsOf));
      });
    });
    afterAll(() => t.dispose());

    it("counts, per step, the runs that passed it, wait there and failed there — each run once", async () => {
      expect(await t.store.runs.stepCountsSince("ws-a", "wf-1", 2, SINCE)).toEqual([
        { step: "assign", passed: 5, waiting: 0, failed: 0 },
        { step: "task", passed: 2, waiting: 0, failed: 1 },
        { step: "timer", passed: 0, waiting: 3, failed: 0 },
      ]);
    });

    it("keeps to the version, the window, the workflow and the workspace", async () => {
      expect(await t.store.runs.stepCountsSince("ws-a", "wf-1", 1, SINCE)).toEqual([{ step: "assign", passed: 0, waiting: 0, failed: 1 }]);
      const wider = new Date(NOW - 10 * DAY).toISOString();
      expect((await t.store.runs.stepCountsSince("ws-a", "wf-1", 2, wider)).find((c) => c.step === "task")).toEqual({
        step: "task",
        passed: 2,
        waiting: 0,
        failed: 2,
      });
      expect(await t.store.runs.stepCountsSince("ws-b", "wf-1", 2, SINCE)).toEqual([
        { step: "assign", passed: 1, waiting: 0, failed: 0 },
        { step: "task", passed: 0, waiting: 0, failed: 1 },
      ]);
      expect(await t.store.runs.stepCountsSince("ws-a", "wf-9", 2, SINCE)).toEqual([]);
    });

    it("lists exactly the runs each count counts (the runs list's step filter)", async () => {
      const ids = async (step: string, stepState?: StepState) =>
        (
          await t.store.runs.queryRuns({
            workspaceId: "ws-a",
            workflowId: "wf-1",
            version: 2,
            since: SINCE,
            step,
            ...(stepState ? { stepState } : {}),
            limit: 50,
          })
        )
          .map((r) => r.id)
          .sort();
      expect(await ids("assign", "passed")).toEqual(["r01", "r02", "r03", "r04", "r05"]);
      expect(await ids("task", "passed")).toEqual(["r01", "r05"]);
      expect(await ids("task", "failed")).toEqual(["r04"]);
      expect(await ids("timer", "waiting")).toEqual(["r02", "r03", "r05"]);
      expect(await ids("timer", "passed")).toEqual([]);
      // Without a state: every run that reached the step.
      expect(await ids("task")).toEqual(["r01", "r04", "r05"]);
    });

    it("sees the runs a transaction has just created and still keeps in memory", async () => {
      await t.store.transaction(async (tx) => {
        await tx.runs.insertNewRuns([runOf({ id: "r10", workspace: "ws-c", status: "waiting", at: "timer", log: [] })]);
        expect(await tx.runs.stepCountsSince("ws-c", "wf-1", 2, SINCE)).toEqual([{ step: "timer", passed: 0, waiting: 1, failed: 0 }]);
      });
    });
  });
}

/** Compiles a statement without a connection: the text and parameters the store sends. */
function compiler(kind: "sqlite" | "postgres") {
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => (kind === "sqlite" ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => (kind === "sqlite" ? new SqliteIntrospector(db) : new PostgresIntrospector(db)),
      createQueryCompiler: () => (kind === "sqlite" ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    },
  });
}

/** 20,000 runs of 40 workflows in 2 workspaces over 200 days, each with two logged steps. */
const ROWS = 20_000;
const FILL_RUNS = `insert into runs (workspace_id, id, workflow_id, version, record_id, trigger_key, status, state, seq, depth, created_at, updated_at)
  select 'ws-' || (n % 2), 'r' || n, 'wf-' || (n % 40), 1, 'rec' || n, 't' || n,
         case when n % 10 = 0 then 'waiting' else 'completed' end,
         $STATE, 2, 1, $AT, $AT from series`;
/** The run's state: waiting at step b for one run in ten, else completed (PostgreSQL types it jsonb). */
const STATE = `case when n % 10 = 0 then '{"status":"waiting","step":"b"}' else '{"status":"completed","step":null}' end`;
const FILL_STEPS = `insert into run_steps (workspace_id, run_id, seq, step, "type", input, outcome, why, effects, "at", duration_ms)
  select 'ws-' || (n % 2), 'r' || n, s, case when s = 1 then 'a' else 'b' end, 'action', 'continue', 'succeeded', 'test', '[]', $AT, 1
  from series, (select 1 as s union all select 2) steps`;

describe("the step counts' plans read the window's runs through runs_workflow", () => {
  const since = () => new Date(Date.now() - 7 * DAY).toISOString();

  describe("SQLite", () => {
    let t: TestStore;
    let raw: BetterSqlite3.Database;
    beforeAll(async () => {
      t = await sqliteTestStore();
      raw = new BetterSqlite3(join(t.location.dataDir as string, "handoff.db"));
      const at = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (n % 200) || ' days')";
      const series = `with recursive series(n) as (select 1 union all select n + 1 from series where n < ${ROWS})`;
      raw.exec(`${series} ${FILL_RUNS.replaceAll("$AT", at).replace("$STATE", STATE)}`);
      raw.exec(`${series} ${FILL_STEPS.replaceAll("$AT", at)}`);
      raw.exec("analyze");
    });
    afterAll(async () => {
      raw.close();
      await t.dispose();
    });

    it("searches runs_workflow, joins the logs by key, and scans no table", () => {
      const statements = stepCountStatements(compiler("sqlite"), sqliteDialect, "ws-0", "wf-0", 1, since());
      for (const statement of [statements.passed, statements.standing]) {
        const q = statement.compile();
        const plan = raw
          .prepare(`explain query plan ${q.sql}`)
          .all(...(q.parameters as unknown[]))
          .map((r) => (r as { detail: string }).detail)
          .join("\n");
        expect(plan).toMatch(/SEARCH runs USING INDEX runs_workflow \(workspace_id=\? AND workflow_id=\? AND created_at>\?\)/);
        expect(plan).not.toMatch(/SCAN (runs|run_steps)\b/);
      }
    });
  });

  describe.skipIf(SKIP_PG)("PostgreSQL", () => {
    let database: Awaited<ReturnType<typeof createPgDatabase>>;
    let client: pg.Client;
    beforeAll(async () => {
      database = await createPgDatabase();
      const { openPostgresStore } = await import("../../src/store/postgres/postgres-store.js");
      const store = openPostgresStore({ connectionString: database.url, now: () => new Date().toISOString() });
      await store.migrate();
      await store.close();
      client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const at = "now() - make_interval(days => n % 200)";
      const series = `with series(n) as (select generate_series(1, ${ROWS}))`;
      await client.query(`${series} ${FILL_RUNS.replaceAll("$AT", at).replace("$STATE", `cast(${STATE} as jsonb)`)}`);
      await client.query(`${series} ${FILL_STEPS.replaceAll("$AT", at)}`);
      await client.query("analyze runs");
      await client.query("analyze run_steps");
    });
    afterAll(async () => {
      await client?.end();
      await database?.drop();
    });

    it("reads runs through runs_workflow and the logs by key, never a sequential scan", async () => {
      const statements = stepCountStatements(compiler("postgres"), postgresDialect, "ws-0", "wf-0", 1, since());
      for (const statement of [statements.passed, statements.standing]) {
        const q = statement.compile();
        const { rows } = await client.query(`explain (format json) ${q.sql}`, q.parameters as unknown[]);
        const plan = JSON.stringify(rows[0]["QUERY PLAN"]);
        expect(plan).toContain(`"Index Name":"runs_workflow"`);
        expect(plan).not.toContain(`"Node Type":"Seq Scan"`);
      }
    });
  });
});
