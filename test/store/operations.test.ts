/**
 * The operational figures port (GET /metrics reads it) on both stores, over hand-built rows whose
 * answers are worked out here: runs grouped by workspace slug, workflow key and status (two
 * workspaces with a workflow of the same id; a run whose workflow row is gone keeps its id);
 * outbox items pending and dead by workspace and kind, and the oldest due one's wait; the
 * matcher's lag behind the newest event; and of each leased queue the rows a worker could claim
 * now — a row leased by a live worker and a row due later are not among them. On SQLite, where a
 * scrape's reads hold the server's thread, the two counts over large tables read indexes only.
 */
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunStatus } from "../../src/engine/run-state.js";
import type { NewDomainEvent } from "../../src/store/event-ports.js";
import type { OperationalFigures } from "../../src/store/operations-ports.js";
import type { NewOutboxItem } from "../../src/store/outbox-ports.js";
import { outboxCountsStatement, runCountsStatement } from "../../src/store/sql/operations.js";
import type { Database } from "../../src/store/sql/schema.js";
import { runRow } from "../helpers/runs.js";
import { STORES, sqliteTestStore, type TestStore } from "../helpers/stores.js";

const CURSOR = "trigger-matcher";
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

let n = 0;
const run = (workspaceId: string, workflowId: string, status: RunStatus) => {
  n += 1;
  return runRow({ workspaceId, id: `run${n}`, workflowId, recordId: `rec${n}`, status });
};

const item = (workspaceId: string, id: string, kind: string, dueAt: string): NewOutboxItem => ({
  workspaceId,
  id,
  key: `key-${id}`,
  kind,
  connector: kind === "webhook" ? null : kind,
  subscriptionId: null,
  runId: null,
  recordId: null,
  payload: {},
  nextAttemptAt: dueAt,
});

const event = (id: string, occurredAt: string): NewDomainEvent => ({
  id,
  workspaceId: "ws-a",
  type: "record.created",
  object: "lead",
  recordId: `rec-${id}`,
  recordVersion: 1,
  actor: { kind: "person", id: "u1" },
  causeId: null,
  changes: [],
  occurredAt,
  depth: 0,
});

const byKey = <T extends object>(rows: readonly T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`operational figures: ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
    });
    afterAll(() => t.dispose());
    const figures = (): Promise<OperationalFigures> => t.store.operations.operationalFigures(CURSOR);

    it("reads nothing behind and nothing waiting on an empty store", async () => {
      expect(await figures()).toEqual({
        runs: [],
        outboxPending: [],
        outboxDead: [],
        outboxOldestDueSeconds: 0,
        matcher: { events: 0, seconds: 0 },
        queues: [
          { queue: "work_items", due: 0, oldestDueSeconds: 0 },
          { queue: "scheduled_triggers", due: 0, oldestDueSeconds: 0 },
        ],
      });
    });

    it("counts runs by workspace slug, workflow key and status", async () => {
      const at = ago(0);
      await t.store.transaction(async (tx) => {
        await tx.workspaces.insertWorkspace({ id: "ws-a", slug: "alpha", name: "Alpha", timeZone: "UTC", createdAt: at });
        await tx.workspaces.insertWorkspace({ id: "ws-b", slug: "beta", name: "Beta", timeZone: "UTC", createdAt: at });
        const wf = { id: "wf-1", name: "W", object: "lead", liveVersion: 1, latestVersion: 1, createdAt: at, updatedAt: at } as const;
        await tx.workflows.insertWorkflow({ ...wf, workspaceId: "ws-a", key: "welcome" });
        await tx.workflows.insertWorkflow({ ...wf, workspaceId: "ws-b", key: "nurture" });
        await tx.runs.insertRuns([
          run("ws-a", "wf-1", "completed"),
          run("ws-a", "wf-1", "completed"),
          run("ws-a", "wf-1", "failed"),
          run("ws-a", "wf-1", "waiting"),
          run("ws-b", "wf-1", "failed"),
          run("ws-b", "wf-1", "failed"),
          // Its workflow row is gone: the id stands in for the key.
          run("ws-a", "wf-gone", "running"),
        ]);
      });
      expect(byKey((await figures()).runs)).toEqual(
        byKey([
          { workspace: "alpha", workflow: "welcome", status: "completed", count: 2 },
          { workspace: "alpha", workflow: "welcome", status: "failed", count: 1 },
          { workspace: "alpha", workflow: "welcome", status: "waiting", count: 1 },
          { workspace: "beta", workflow: "nurture", status: "failed", count: 2 },
          { workspace: "alpha", workflow: "wf-gone", status: "running", count: 1 },
        ]),
      );
    });

    it("counts pending and dead outbox items by workspace and kind; the oldest due pending item's wait", async () => {
      // One item claimed and given up on: a dead letter (the dispatcher's own path).
      await t.store.transaction((tx) => tx.outbox.insertOutboxItems([item("ws-a", "o-dead", "http", ago(300_000))]));
      const [claimed] = await t.store.outbox.claimOutbox("test", 1, 30_000);
      expect(claimed?.id).toBe("o-dead");
      const settled = await t.store.transaction((tx) =>
        tx.outbox.settleOutbox(
          "ws-a",
          "o-dead",
          "test",
          claimed?.attempts ?? 0,
          { status: "dead", error: "410 gone", lastStatus: 410 },
          ago(0),
        ),
      );
      expect(settled).toBe(true);
      await t.store.transaction((tx) =>
        tx.outbox.insertOutboxItems([
          item("ws-a", "o-email", "email", ago(60_000)),
          item("ws-a", "o-later", "http", ago(-3_600_000)),
          item("ws-b", "o-chat", "chat", ago(5_000)),
        ]),
      );
      const f = await figures();
      expect(byKey(f.outboxPending)).toEqual(
        byKey([
          { workspace: "alpha", kind: "email", count: 1 },
          { workspace: "alpha", kind: "http", count: 1 },
          { workspace: "beta", kind: "chat", count: 1 },
        ]),
      );
      expect(f.outboxDead).toEqual([{ workspace: "alpha", kind: "http", count: 1 }]);
      // The email item, due a minute ago (the one due in an hour is not due).
      expect(f.outboxOldestDueSeconds).toBeGreaterThanOrEqual(59);
      expect(f.outboxOldestDueSeconds).toBeLessThan(90);
    });

    it("reads the matcher's lag: the events after its cursor and the oldest one's age", async () => {
      await t.store.transaction((tx) =>
        tx.events.appendEvents([event("e1", ago(600_000)), event("e2", ago(120_000)), event("e3", ago(30_000))]),
      );
      // A cursor never set reads as 0: every event is behind.
      let f = await figures();
      expect(f.matcher.events).toBe(3);
      expect(f.matcher.seconds).toBeGreaterThanOrEqual(599);
      expect(f.matcher.seconds).toBeLessThan(660);

      const [first] = await t.store.events.readEvents(0, 1);
      await t.store.transaction(async (tx) => {
        await tx.events.lockCursor(CURSOR);
        await tx.events.setCursor(CURSOR, first?.position ?? 0);
        // Another consumer's cursor does not count.
        await tx.events.lockCursor("someone-else");
      });
      f = await figures();
      expect(f.matcher.events).toBe(2);
      expect(f.matcher.seconds).toBeGreaterThanOrEqual(119);
      expect(f.matcher.seconds).toBeLessThan(180);

      const last = await t.store.events.lastEventPosition();
      await t.store.transaction(async (tx) => {
        await tx.events.lockCursor(CURSOR);
        await tx.events.setCursor(CURSOR, last);
      });
      expect((await figures()).matcher).toEqual({ events: 0, seconds: 0 });
    });

    it("reads each leased queue's claimable rows: not one leased by a live worker, not one due later", async () => {
      const waiting = { workspaceId: "ws-a", runId: "run4", input: { kind: "continue" as const }, timerId: null };
      await t.store.transaction((tx) => tx.work.insertWorkItems([{ ...waiting, dueAt: ago(300_000) }]));
      const [leased] = await t.store.work.claimWork("live-worker", 1, 60_000);
      expect(leased).toBeDefined();
      await t.store.transaction(async (tx) => {
        await tx.work.insertWorkItems([
          { ...waiting, dueAt: ago(100_000) },
          { ...waiting, dueAt: ago(10_000) },
          { ...waiting, dueAt: ago(-3_600_000) },
        ]);
        await tx.schedules.scheduleTrigger({ workspaceId: "ws-a", workflowId: "wf-1", version: 1, recordId: "rec1", dueAt: ago(30_000) });
        await tx.schedules.scheduleTrigger({ workspaceId: "ws-a", workflowId: "wf-1", version: 1, recordId: "rec2", dueAt: ago(-60_000) });
      });
      const [work, scheduled] = (await figures()).queues;
      expect(work).toMatchObject({ queue: "work_items", due: 2 });
      expect(work?.oldestDueSeconds).toBeGreaterThanOrEqual(99);
      expect(work?.oldestDueSeconds).toBeLessThan(150);
      expect(scheduled).toMatchObject({ queue: "scheduled_triggers", due: 1 });
      expect(scheduled?.oldestDueSeconds).toBeGreaterThanOrEqual(29);
      expect(scheduled?.oldestDueSeconds).toBeLessThan(80);
    });
  });
}

describe("the scrape's counts read indexes on SQLite, not the runs and outbox tables", () => {
  let t: TestStore;
  let raw: BetterSqlite3.Database;
  const sqlite = new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
  beforeAll(async () => {
    t = await sqliteTestStore();
    raw = new BetterSqlite3(join(t.location.dataDir as string, "handoff.db"));
    raw.exec(`with recursive series(n) as (select 1 union all select n + 1 from series where n < 20000)
      insert into runs (workspace_id, id, workflow_id, version, record_id, trigger_key, status, state, seq, depth, created_at, updated_at)
      select 'ws-' || (n % 2), 'r' || n, 'wf-' || (n % 40), 1, 'rec' || n, 't' || n,
             case when n % 10 = 0 then 'failed' else 'completed' end, '{"status":"completed"}', 1, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' from series`);
    raw.exec(`with recursive series(n) as (select 1 union all select n + 1 from series where n < 20000)
      insert into outbox (workspace_id, id, key, kind, payload, status, next_attempt_at, created_at, updated_at)
      select 'ws-' || (n % 2), 'o' || n, 'k' || n, 'email', '{}', case when n % 1000 = 0 then 'dead' else 'delivered' end,
             '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' from series`);
    raw.exec("analyze");
  });
  afterAll(async () => {
    raw.close();
    await t.dispose();
  });
  const plan = (q: { sql: string; parameters: readonly unknown[] }) =>
    raw
      .prepare(`explain query plan ${q.sql}`)
      .all(...(q.parameters as unknown[]))
      .map((r) => (r as { detail: string }).detail)
      .join("\n");

  it("counts runs by workflow and status from the covering runs_workflow index", () => {
    const p = plan(runCountsStatement(sqlite).compile());
    expect(p).toMatch(/SCAN runs USING COVERING INDEX runs_workflow/);
  });

  it("counts a status's outbox items by a range of outbox_list per workspace", () => {
    const p = plan(outboxCountsStatement(sqlite, "dead", ["ws-0", "ws-1"]).compile());
    expect(p).toMatch(/SEARCH outbox USING INDEX outbox_list \(workspace_id=\? AND status=\?\)/);
    expect(p).not.toMatch(/SCAN outbox\b/);
  });
});
