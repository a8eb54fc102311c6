/**
 * SLA policies and clocks on SQLite and a real PostgreSQL (issue 17): a policy's whole definition
 * round-trips as JSON and its name is unique per workspace (not across); lookups by id or name
 * stay in their workspace; updates are written only over the version read; a (policy, record)
 * has at most one open clock, and a new one once it stopped; clocks keep their plan and calendar
 * as started; open clocks are counted per policy; deleting a policy forgets its stopped clocks
 * and their history, and the database refuses it while a clock is open. The claim of due clocks
 * the runtime will run range-scans the migration's index on both databases.
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
import type { Store } from "../../src/store/ports.js";
import { postgresDialect } from "../../src/store/postgres/postgres-store.js";
import type { SlaClockRow, SlaPolicyDefinition, SlaPolicyRow } from "../../src/store/sla-ports.js";
import type { Database } from "../../src/store/sql/schema.js";
import { claimDueSlaStatement, dueSlaClocks } from "../../src/store/sql/sla.js";
import { sqliteDialect } from "../../src/store/sqlite/sqlite-store.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-01-02T00:00:00.000Z";

const definition = (name: string, extra: Partial<SlaPolicyDefinition> = {}): SlaPolicyDefinition => ({
  name,
  description: `Policy ${name}`,
  object: "ticket",
  enabled: true,
  applies_when: { field: "category", op: "neq", value: "spam" },
  starts: { on: "created" },
  stops: { on: "activity", types: ["email", "call"], by: "owner" },
  target: { hours: 4 },
  targets_by: { field: "priority", values: { P1: { hours: 1 }, P2: { hours: 2 } } },
  calendar: { of: "team" },
  pause_when: { field: "status", op: "eq", value: "pending" },
  warning: { fraction: 0.75 },
  escalations: [{ after: { hours: 1 } }, { after: { days: 1 } }],
  ...extra,
});

const policy = (workspaceId: string, id: string, name: string, extra: Partial<SlaPolicyRow> = {}): SlaPolicyRow => ({
  workspaceId,
  id,
  definition: definition(name),
  version: 1,
  createdAt: T0,
  updatedAt: T0,
  updatedBy: "u1",
  ...extra,
});

const clock = (workspaceId: string, id: string, policyId: string, recordId: string, extra: Partial<SlaClockRow> = {}): SlaClockRow => ({
  workspaceId,
  id,
  policyId,
  policyVersion: 1,
  recordId,
  phase: "running",
  plan: { targetMs: 3_600_000, warning: { fraction: 0.75 }, escalationsAfterMs: [3_600_000] },
  calendar: { ref: { of: "team" }, id: "cal1", name: "Support EU" },
  consumedMs: 0,
  since: T0,
  startedAt: T0,
  stoppedAt: null,
  fired: [],
  nextDueAt: "2026-01-01T00:45:00.000Z",
  version: 1,
  ...extra,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`SLA store: ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;

    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
      await store.transaction(async (tx) => {
        await tx.workspaces.insertWorkspace({ id: "ws-a", slug: "a", name: "A", timeZone: "UTC", createdAt: T0 });
        await tx.workspaces.insertWorkspace({ id: "ws-b", slug: "b", name: "B", timeZone: "UTC", createdAt: T0 });
      });
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("stores a policy whole and reads it back by id and by name, only in its workspace", async () => {
      expect(await store.transaction((tx) => tx.sla.insertSlaPolicy(policy("ws-a", "p1", "First response")))).toBe(true);
      expect(await store.sla.getSlaPolicy("ws-a", "p1")).toEqual(policy("ws-a", "p1", "First response"));
      expect(await store.sla.getSlaPolicy("ws-a", "First response")).toEqual(policy("ws-a", "p1", "First response"));
      expect(await store.sla.getSlaPolicy("ws-b", "p1")).toBeUndefined();
      expect(await store.sla.getSlaPolicy("ws-b", "First response")).toBeUndefined();
      // The smallest policy: no optional parts.
      const bare = policy("ws-a", "p2", "Resolution", {
        definition: {
          name: "Resolution",
          description: "",
          object: "deal",
          enabled: false,
          starts: { on: "field_changed", field: "stage", to: ["proposal"] },
          stops: { on: "field_changed", field: "stage" },
          target: { days: 5 },
          calendar: { name: "Support EU" },
          escalations: [],
        },
      });
      await store.transaction((tx) => tx.sla.insertSlaPolicy(bare));
      expect(await store.sla.getSlaPolicy("ws-a", "Resolution")).toEqual(bare);
      expect((await store.sla.listSlaPolicies("ws-a")).map((p) => p.definition.name)).toEqual(["First response", "Resolution"]);
      expect(await store.sla.listSlaPolicies("ws-b")).toEqual([]);
    });

    it("refuses a second policy of the same name in a workspace, allows it in another", async () => {
      expect(await store.transaction((tx) => tx.sla.insertSlaPolicy(policy("ws-a", "p3", "First response")))).toBe(false);
      expect(await store.transaction((tx) => tx.sla.insertSlaPolicy(policy("ws-b", "p3", "First response")))).toBe(true);
      expect((await store.sla.listSlaPolicies("ws-a")).map((p) => p.id)).toEqual(["p1", "p2"]);
    });

    it("writes an update only over the version it was read at, and never onto a taken name", async () => {
      const v2 = policy("ws-a", "p1", "First response", {
        definition: definition("First response", { enabled: false, target: { hours: 8 } }),
        version: 2,
        updatedAt: T1,
      });
      expect(await store.transaction((tx) => tx.sla.updateSlaPolicy(v2))).toBe("saved");
      expect(await store.transaction((tx) => tx.sla.updateSlaPolicy({ ...v2, definition: definition("Late") }))).toBe("stale");
      expect(await store.transaction((tx) => tx.sla.updateSlaPolicy({ ...v2, version: 3, definition: definition("Resolution") }))).toBe(
        "name_taken",
      );
      expect(await store.sla.getSlaPolicy("ws-a", "p1")).toEqual(v2);
      // Another workspace's policy of the same id is not touched.
      expect((await store.sla.getSlaPolicy("ws-b", "p3"))?.version).toBe(1);
    });

    it("keeps one open clock per policy and record; a stopped clock is history and a new one may start", async () => {
      const c1 = clock("ws-a", "c1", "p1", "t1");
      expect(await store.transaction((tx) => tx.sla.insertSlaClock(c1))).toBe(true);
      expect(await store.transaction((tx) => tx.sla.insertSlaClock(clock("ws-a", "c2", "p1", "t1", { phase: "paused" })))).toBe(false);
      // A clock of the same record that stopped before (the ticket was reopened since): history beside the open one.
      const c0 = clock("ws-a", "c0", "p1", "t1", {
        phase: "stopped",
        plan: { targetMs: 7_200_000, escalationsAfterMs: [] },
        calendar: { ref: { of: "workspace" }, id: null, name: null },
        consumedMs: 5_400_000_123,
        since: "2025-12-30T12:00:00.000Z",
        startedAt: "2025-12-30T10:00:00.000Z",
        stoppedAt: "2025-12-30T12:00:00.000Z",
        fired: ["warning", "breach"],
        nextDueAt: null,
        version: 7,
      });
      expect(await store.transaction((tx) => tx.sla.insertSlaClock(c0))).toBe(true);
      // Another policy may run its own clock on the same record.
      expect(
        await store.transaction((tx) =>
          tx.sla.insertSlaClock(
            clock("ws-a", "c4", "p2", "t1", { plan: { targetMs: 1, warning: { beforeMs: 0 }, escalationsAfterMs: [] } }),
          ),
        ),
      ).toBe(true);
      expect(await store.sla.getSlaClock("ws-a", "c1")).toEqual(c1);
      expect(await store.sla.getSlaClock("ws-a", "c0")).toEqual(c0);
      expect((await store.sla.getSlaClock("ws-a", "c4"))?.plan.warning).toEqual({ beforeMs: 0 });
      expect(await store.sla.getSlaClock("ws-b", "c1")).toBeUndefined();
      expect((await store.sla.slaClocksOfRecord("ws-a", "t1")).map((c) => c.id)).toEqual(["c4", "c1", "c0"]);
      expect(await store.sla.slaClocksOfRecord("ws-b", "t1")).toEqual([]);
      expect(Object.fromEntries(await store.sla.openSlaClockCounts("ws-a"))).toEqual({ p1: 1, p2: 1 });
      expect((await store.sla.openSlaClockCounts("ws-b")).size).toBe(0);
    });

    it("keeps a clock's history in order, each number once", async () => {
      await store.transaction((tx) =>
        tx.sla.appendSlaClockHistory([
          { workspaceId: "ws-a", clockId: "c1", seq: 1, at: T0, kind: "started", detail: { due_at: "2026-01-01T01:00:00.000Z" } },
          { workspaceId: "ws-a", clockId: "c1", seq: 2, at: T1, kind: "paused", detail: { because: "status = pending" } },
        ]),
      );
      expect((await store.sla.slaClockHistory("ws-a", "c1")).map((e) => [e.seq, e.kind, e.detail])).toEqual([
        [1, "started", { due_at: "2026-01-01T01:00:00.000Z" }],
        [2, "paused", { because: "status = pending" }],
      ]);
      await expect(
        store.transaction((tx) =>
          tx.sla.appendSlaClockHistory([{ workspaceId: "ws-a", clockId: "c1", seq: 2, at: T1, kind: "resumed", detail: {} }]),
        ),
      ).rejects.toThrow();
      expect(await store.sla.slaClockHistory("ws-b", "c1")).toEqual([]);
    });

    it("deletes a policy with its stopped clocks and their history; the database refuses while a clock is open", async () => {
      await store.transaction(async (tx) => {
        await tx.sla.insertSlaPolicy(policy("ws-a", "p9", "Old"));
        await tx.sla.insertSlaClock(clock("ws-a", "c9", "p9", "t9", { phase: "stopped", stoppedAt: T1, nextDueAt: null }));
        await tx.sla.appendSlaClockHistory([{ workspaceId: "ws-a", clockId: "c9", seq: 1, at: T0, kind: "started", detail: {} }]);
      });
      expect(await store.transaction((tx) => tx.sla.deleteSlaPolicy("ws-a", "p9"))).toBe(1);
      expect(await store.sla.getSlaPolicy("ws-a", "p9")).toBeUndefined();
      expect(await store.sla.getSlaClock("ws-a", "c9")).toBeUndefined();
      expect(await store.sla.slaClockHistory("ws-a", "c9")).toEqual([]);
      expect(await store.transaction((tx) => tx.sla.deleteSlaPolicy("ws-a", "p9"))).toBeUndefined();
      // p1 has an open clock (c1): the foreign key refuses, and the whole transaction is undone.
      await expect(store.transaction((tx) => tx.sla.deleteSlaPolicy("ws-a", "p1"))).rejects.toThrow();
      expect(await store.sla.getSlaPolicy("ws-a", "p1")).toBeDefined();
      expect(await store.sla.getSlaClock("ws-a", "c0")).toBeDefined();
      // A clock cannot name a policy that does not exist.
      await expect(store.transaction((tx) => tx.sla.insertSlaClock(clock("ws-a", "c10", "nope", "t1")))).rejects.toThrow();
    });
  });
}

/** Compiles statements without a connection: the text and parameters the store would send. */
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

/** Running clocks as a workspace has them after a while: most due in the future, a few due, many stopped or paused. */
const ROWS = 20_000;
const FILL = `insert into sla_clocks (workspace_id, id, policy_id, policy_version, record_id, phase, plan, calendar, consumed_ms, since, started_at, fired, next_due_at, version)
  select 'w', 'c' || n, 'p', 1, 'r' || n, case when n % 4 = 0 then 'running' when n % 4 = 1 then 'paused' else 'stopped' end, '{}', '{}', 0, $NOW, $NOW, '[]', $DUE, 1 from series`;

describe("the claim of due SLA clocks uses the due-time index", () => {
  describe("SQLite", () => {
    let t: TestStore;
    let raw: BetterSqlite3.Database;
    beforeAll(async () => {
      t = await (STORES[0] as (typeof STORES)[number]).open();
      raw = new BetterSqlite3(join(t.location.dataDir as string, "handoff.db"));
      raw.exec("insert into workspaces (id, slug, name, time_zone, created_at) values ('w', 'w', 'W', 'UTC', '2026-01-01T00:00:00.000Z')");
      raw.exec(
        `insert into sla_policies (workspace_id, id, name, description, object, enabled, definition, version, created_at, updated_at) values ('w', 'p', 'P', '', 'ticket', 1, '{}', 1, 'x', 'x')`,
      );
      const text = FILL.replace("$DUE", "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || (n % 1000) || ' minutes')").replaceAll(
        "$NOW",
        "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
      );
      raw.exec(`with recursive series(n) as (select 1 union all select n + 1 from series where n < ${ROWS}) ${text}`);
      raw.exec("analyze");
    });
    afterAll(async () => {
      raw?.close();
      await t?.dispose();
    });

    it("searches sla_clocks_due", () => {
      const q = dueSlaClocks(compiler("sqlite"), sqliteDialect, 100).compile();
      const plan = raw
        .prepare(`explain query plan ${q.sql}`)
        .all(...(q.parameters as unknown[]))
        .map((r) => (r as { detail: string }).detail)
        .join("\n");
      expect(plan).toMatch(/SEARCH sla_clocks USING INDEX sla_clocks_due \(next_due_at<\?\)/);
      expect(plan).not.toMatch(/SCAN sla_clocks\b(?! USING)/);
    });

    it("claims them by primary key: the claim's UPDATE reads no other clock", () => {
      const q = claimDueSlaStatement(compiler("sqlite"), sqliteDialect, "w1", 100, 15_000).compile();
      const plan = raw
        .prepare(`explain query plan ${q.sql}`)
        .all(...(q.parameters as unknown[]))
        .map((r) => (r as { detail: string }).detail)
        .join("\n");
      expect(plan).toMatch(/SEARCH sla_clocks USING INDEX sla_clocks_due/);
      expect(plan).not.toMatch(/SCAN sla_clocks\b/);
    });

    it("refuses a second open clock of a policy on a record, whoever writes it", () => {
      expect(() =>
        raw.exec(
          `insert into sla_clocks (workspace_id, id, policy_id, policy_version, record_id, phase, plan, calendar, consumed_ms, since, started_at, fired, version) values ('w', 'dup', 'p', 1, 'r4', 'paused', '{}', '{}', 0, 'x', 'x', '[]', 1)`,
        ),
      ).toThrow(/UNIQUE/);
    });
  });

  describe.skipIf((STORES[1] as (typeof STORES)[number]).skip)("PostgreSQL", () => {
    let t: TestStore;
    let client: pg.Client;
    beforeAll(async () => {
      t = await (STORES[1] as (typeof STORES)[number]).open();
      client = new pg.Client({ connectionString: t.location.databaseUrl as string });
      await client.connect();
      await client.query("insert into workspaces (id, slug, name, time_zone, created_at) values ('w', 'w', 'W', 'UTC', now())");
      await client.query(
        `insert into sla_policies (workspace_id, id, name, description, object, enabled, definition, version, created_at, updated_at) values ('w', 'p', 'P', '', 'ticket', 1, '{}', 1, now(), now())`,
      );
      const text = FILL.replace("$DUE", "now() + make_interval(mins => n % 1000)").replaceAll("$NOW", "now()");
      await client.query(`with series(n) as (select generate_series(1, ${ROWS})) ${text}`);
      await client.query("analyze sla_clocks");
    });
    afterAll(async () => {
      await client?.end();
      await t?.dispose();
    });

    it("scans sla_clocks_due by due time, skipping locked rows", async () => {
      const q = dueSlaClocks(compiler("postgres"), postgresDialect, 100).compile();
      const { rows } = await client.query(`explain (format json) ${q.sql}`, q.parameters as unknown[]);
      const plan = JSON.stringify(rows[0]["QUERY PLAN"]);
      expect(plan).toContain('"Index Name":"sla_clocks_due"');
      expect(plan).toMatch(/"Index Cond":"\(next_due_at <= now\(\)\)"/);
      expect(q.sql).toMatch(/for update skip locked/);
      expect(plan).not.toContain('"Node Type":"Seq Scan"');
    });

    it("claims them by primary key: the claim's UPDATE reads no other clock", async () => {
      const q = claimDueSlaStatement(compiler("postgres"), postgresDialect, "w1", 100, 15_000).compile();
      const { rows } = await client.query(`explain (format json) ${q.sql}`, q.parameters as unknown[]);
      const plan = JSON.stringify(rows[0]["QUERY PLAN"]);
      expect(plan).toContain('"Index Name":"sla_clocks_due"');
      expect(plan).toContain('"Index Name":"sla_clocks_pk"');
      expect(plan).not.toContain('"Node Type":"Seq Scan"');
    });

    it("refuses a second open clock of a policy on a record, whoever writes it", async () => {
      await expect(
        client.query(
          `insert into sla_clocks (workspace_id, id, policy_id, policy_version, record_id, phase, plan, calendar, consumed_ms, since, started_at, fired, version) values ('w', 'dup', 'p', 1, 'r4', 'paused', '{}', '{}', 0, now(), now(), '[]', 1)`,
        ),
      ).rejects.toThrow(/sla_clocks_open/);
    });
  });
});
