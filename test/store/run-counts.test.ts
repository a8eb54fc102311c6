/**
 * The workflows list's 7-day counts (issue 14, item 6): `runCountsSince` answers, per workflow,
 * the runs created since an instant and how many of them failed — on both stores, within its
 * workspace and the workflows asked for — with one grouped statement that seeks the runs_workflow
 * index once per workflow instead of reading the workspace's runs (the plan is checked).
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
import { runCountsStatement } from "../../src/store/sql/runs.js";
import type { Database } from "../../src/store/sql/schema.js";
import type { RunRow } from "../../src/store/workflow-ports.js";
import { createPgDatabase, SKIP_PG, STORES, sqliteTestStore, type TestStore } from "../helpers/stores.js";

const DAY = 86_400_000;
const NOW = Date.parse("2026-12-03T12:00:00.000Z");
const SINCE = new Date(NOW - 7 * DAY).toISOString();

let n = 0;
function run(workspaceId: string, workflowId: string, ageMs: number, status: RunStatus): RunRow {
  n += 1;
  const at = new Date(NOW - ageMs).toISOString();
  return {
    workspaceId,
    id: `run${String(n).padStart(6, "0")}`,
    workflowId,
    version: 1,
    recordId: `rec${n}`,
    triggerKey: `t${n}`,
    state: { status, step: null, stepsTaken: 1 } as unknown as RunRow["state"],
    seq: 1,
    depth: 1,
    createdAt: at,
    updatedAt: at,
    finishedAt: null,
  };
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`run counts per workflow since an instant: ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
      await t.store.transaction(async (tx) => {
        await tx.runs.insertRuns([
          run("ws-a", "wf-1", 1 * DAY, "completed"),
          run("ws-a", "wf-1", 2 * DAY, "failed"),
          run("ws-a", "wf-1", 3 * DAY, "waiting"),
          run("ws-a", "wf-1", 6 * DAY, "failed"),
          // Older than the window: not counted, failed or not.
          run("ws-a", "wf-1", 8 * DAY, "failed"),
          run("ws-a", "wf-1", 30 * DAY, "completed"),
          run("ws-a", "wf-2", 1 * DAY, "completed"),
          run("ws-a", "wf-3", 1 * DAY, "failed"),
          // Another workspace's runs of a workflow with the same id.
          run("ws-b", "wf-1", 1 * DAY, "failed"),
          run("ws-b", "wf-1", 1 * DAY, "failed"),
        ]);
      });
    });
    afterAll(() => t.dispose());

    it("counts each workflow's runs in the window and their failures, in the workspace and for the workflows asked", async () => {
      const counts = await t.store.runs.runCountsSince("ws-a", ["wf-1", "wf-2", "wf-4"], SINCE);
      expect(counts.sort((a, b) => a.workflowId.localeCompare(b.workflowId))).toEqual([
        { workflowId: "wf-1", runs: 4, failures: 2 },
        { workflowId: "wf-2", runs: 1, failures: 0 },
      ]);
      expect(await t.store.runs.runCountsSince("ws-b", ["wf-1"], SINCE)).toEqual([{ workflowId: "wf-1", runs: 2, failures: 2 }]);
      expect(await t.store.runs.runCountsSince("ws-a", [], SINCE)).toEqual([]);
    });

    it("sees the runs a transaction has just created and still keeps in memory", async () => {
      await t.store.transaction(async (tx) => {
        await tx.runs.insertNewRuns([run("ws-c", "wf-9", DAY, "running")]);
        expect(await tx.runs.runCountsSince("ws-c", ["wf-9"], SINCE)).toEqual([{ workflowId: "wf-9", runs: 1, failures: 0 }]);
      });
    });
  });
}

/** Compiles the statement without a connection: the text and parameters the store sends. */
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

/** 40,000 runs: 40 workflows in 2 workspaces over 200 days; the window holds a small part of them. */
const ROWS = 40_000;
const FILL = `insert into runs (workspace_id, id, workflow_id, version, record_id, trigger_key, status, state, seq, depth, created_at, updated_at)
  select 'ws-' || (n % 2), 'r' || n, 'wf-' || (n % 40), 1, 'rec' || n, 't' || n,
         case when n % 10 = 0 then 'failed' else 'completed' end, '{}', 1, 1, $AT, $AT from series`;
const WORKFLOWS = ["wf-0", "wf-2", "wf-4", "wf-6"];

describe("the run counts' plan seeks runs_workflow per workflow", () => {
  describe("SQLite", () => {
    let t: TestStore;
    let raw: BetterSqlite3.Database;
    beforeAll(async () => {
      t = await sqliteTestStore();
      raw = new BetterSqlite3(join(t.location.dataDir as string, "handoff.db"));
      const at = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (n % 200) || ' days')";
      raw.exec(`with recursive series(n) as (select 1 union all select n + 1 from series where n < ${ROWS}) ${FILL.replaceAll("$AT", at)}`);
      raw.exec("analyze");
    });
    afterAll(async () => {
      raw.close();
      await t.dispose();
    });

    it("searches runs_workflow by (workspace, workflow, created_at) and scans nothing", () => {
      const q = runCountsStatement(compiler("sqlite"), "ws-0", WORKFLOWS, new Date(Date.now() - 7 * DAY).toISOString()).compile();
      const plan = raw
        .prepare(`explain query plan ${q.sql}`)
        .all(...(q.parameters as unknown[]))
        .map((r) => (r as { detail: string }).detail)
        .join("\n");
      // Covering since migration 038 put the status in the index: the table is not read at all.
      expect(plan).toMatch(/SEARCH runs USING COVERING INDEX runs_workflow \(workspace_id=\? AND workflow_id=\? AND created_at>\?\)/);
      expect(plan).not.toMatch(/SCAN runs\b/);
      const rows = raw.prepare(q.sql).all(...(q.parameters as unknown[])) as Array<{ runs: number }>;
      expect(rows.length).toBe(WORKFLOWS.length);
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
      await client.query(`with series(n) as (select generate_series(1, ${ROWS})) ${FILL.replaceAll("$AT", at)}`);
      await client.query("analyze runs");
    });
    afterAll(async () => {
      await client?.end();
      await database?.drop();
    });

    it("reads runs through runs_workflow, never a sequential scan of runs", async () => {
      const q = runCountsStatement(compiler("postgres"), "ws-0", WORKFLOWS, new Date(Date.now() - 7 * DAY).toISOString()).compile();
      const { rows } = await client.query(`explain (format json) ${q.sql}`, q.parameters as unknown[]);
      const plan = JSON.stringify(rows[0]["QUERY PLAN"]);
      expect(plan).toContain(`"Index Name":"runs_workflow"`);
      expect(plan).toMatch(/"Index Cond":"\(\(workspace_id = '?ws-0'?.*workflow_id = ANY .*created_at >= /);
      expect(plan).not.toContain(`"Node Type":"Seq Scan"`);
    });
  });
});
