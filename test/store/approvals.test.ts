/**
 * Approval requests on SQLite and a real PostgreSQL (issue 18; approval-ports.ts): a request
 * round-trips whole, its JSON (stake, state) as objects; a write is made only over the version it
 * read (a second writer with the old version changes nothing, and two transactions at once yield
 * one decision); tasks are inserted once and updated by level, user and status; the inbox's views
 * (mine, decided, submitted, all) with their filters, newest first, page by keyset; a record's
 * locks are its pending requests that lock something, with who they still wait on; the badge
 * counts requests, not tasks; history is numbered per request by the store; the two links of an
 * email are spent together, once. The lock check reads the partial index of pending requests.
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
import type { RequestState } from "../../src/engine/approval/request.js";
import type { ApprovalLinkRow, ApprovalQuery, ApprovalRequestRow, ApprovalTaskRow } from "../../src/store/approval-ports.js";
import type { Store } from "../../src/store/ports.js";
import { pendingLocksQuery } from "../../src/store/sql/approvals.js";
import type { Database } from "../../src/store/sql/schema.js";
import { SKIP_PG, STORES, sqliteTestStore, type TestStore } from "../helpers/stores.js";

const T0 = "2026-03-01T09:00:00.000Z";
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

const approver = (userId: string, name: string) => ({ userId, name, why: `${name}, role manager`, onBehalfOf: null, escalated: false });

/** Two levels: Managers (all of Ann and Bob), then VP (Vera). `votedBy` have approved level 0. */
function state(votedBy: string[] = [], extra: Partial<RequestState> = {}): RequestState {
  const managers = [approver("u-ann", "Ann Manager"), approver("u-bob", "Bob Manager")];
  return {
    status: "pending",
    level: 0,
    levels: [
      {
        name: "Managers",
        require: "all",
        approvers: managers,
        votes: managers
          .filter((a) => votedBy.includes(a.userId))
          .map((a) => ({ userId: a.userId, name: a.name, onBehalfOf: null, decision: "approve" as const, comment: "ok", at: at(5) })),
        status: "pending",
      },
      {
        name: "VP",
        require: "any",
        approvers: [{ ...approver("u-vera", "Vera Vp"), onBehalfOf: { userId: "u-vic", name: "Vic Away" } }],
        votes: [],
        status: "waiting",
      },
    ],
    submitterId: "u-sam",
    outcome: null,
    settledAt: null,
    escalations: 0,
    ...extra,
  };
}

function request(workspaceId: string, id: string, extra: Partial<ApprovalRequestRow> = {}): ApprovalRequestRow {
  return {
    workspaceId,
    id,
    runId: `run-${id}`,
    workflowId: "wf-1",
    step: "approve_discount",
    round: 1,
    previousId: null,
    object: "deal",
    recordId: "d1",
    summary: `Discount of 30 % on Acme (${id})`,
    stake: [
      { field: "discount", value: 30 },
      { field: "terms", value: { net: 60, notes: ["a", "b"], signed: false, by: null } },
    ],
    lock: "fields",
    route: "discount over 20 %: Managers, then VP",
    submitterId: "u-sam",
    status: "pending",
    state: state(),
    dueAt: at(60 * 24),
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    ...extra,
  };
}

const task = (
  workspaceId: string,
  requestId: string,
  level: number,
  userId: string,
  extra: Partial<ApprovalTaskRow> = {},
): ApprovalTaskRow => ({
  workspaceId,
  requestId,
  level,
  userId,
  onBehalfOf: null,
  status: "open",
  decision: null,
  createdAt: T0,
  decidedAt: null,
  ...extra,
});

const link = (tokenHash: string, grant: string, decision: "approve" | "reject", extra: Partial<ApprovalLinkRow> = {}): ApprovalLinkRow => ({
  workspaceId: "ws-a",
  tokenHash,
  grant,
  requestId: "r-link",
  userId: "u-ann",
  decision,
  expiresAt: at(60 * 72),
  usedAt: null,
  ...extra,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`approval store: ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;
    const insert = (...rows: ApprovalRequestRow[]) =>
      store.transaction(async (tx) => {
        for (const r of rows) await tx.approvals.insertApprovalRequest(r);
      });

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

    it("stores a request whole and reads it back, its stake and state as objects, only in its workspace", async () => {
      const r1 = request("ws-a", "r1");
      await insert(r1);
      expect(await store.approvals.getApprovalRequest("ws-a", "r1")).toEqual(r1);
      expect(await store.approvals.getApprovalRequest("ws-b", "r1")).toBeUndefined();
      expect(await store.approvals.getApprovalRequest("ws-a", "nope")).toBeUndefined();
      // The nullable columns, and a later round naming its predecessor.
      const r2 = request("ws-a", "r2", { round: 2, previousId: "r1", submitterId: null, dueAt: null, lock: "none", stake: [] });
      await insert(r2);
      const read = await store.approvals.getApprovalRequest("ws-a", "r2");
      expect(read).toEqual(r2);
      expect(typeof read?.state).toBe("object");
      expect(await store.approvals.approvalRounds("ws-a", "run-r2", "approve_discount")).toEqual([r2]);
    });

    it("lists a step's rounds oldest first", async () => {
      const round = (id: string, n: number) =>
        request("ws-a", id, { runId: "run-rounds", round: n, previousId: n > 1 ? `rr${n - 1}` : null });
      await insert(round("rr2", 2), round("rr1", 1), round("rr3", 3), request("ws-a", "rr-other", { runId: "run-rounds", step: "other" }));
      expect((await store.approvals.approvalRounds("ws-a", "run-rounds", "approve_discount")).map((r) => r.id)).toEqual([
        "rr1",
        "rr2",
        "rr3",
      ]);
      expect(await store.approvals.approvalRounds("ws-b", "run-rounds", "approve_discount")).toEqual([]);
    });

    it("writes a request only over the version it read: the second writer with the old version changes nothing", async () => {
      await insert(request("ws-a", "fence"));
      const first = state(["u-ann"]);
      const wrote = await store.transaction((tx) =>
        tx.approvals.updateApprovalRequest("ws-a", "fence", 1, { status: "pending", state: first, updatedAt: at(5) }),
      );
      expect(wrote).toBe(true);
      const late = await store.transaction((tx) =>
        tx.approvals.updateApprovalRequest("ws-a", "fence", 1, {
          status: "rejected",
          state: state([], { status: "rejected", outcome: "rejected by Bob" }),
          updatedAt: at(6),
        }),
      );
      expect(late).toBe(false);
      const read = await store.approvals.getApprovalRequest("ws-a", "fence");
      expect(read).toEqual(request("ws-a", "fence", { state: first, updatedAt: at(5), version: 2 }));
      // Another workspace's request of the same id is not another's version to move.
      expect(
        await store.transaction((tx) =>
          tx.approvals.updateApprovalRequest("ws-b", "fence", 2, { status: "approved", state: first, updatedAt: at(7) }),
        ),
      ).toBe(false);
    });

    it("two transactions deciding at once: exactly one writes", async () => {
      await insert(request("ws-a", "race"));
      // Both deciders saw version 1. On PostgreSQL both transactions also read the row before
      // either writes; SQLite runs one transaction after the other.
      const seen = await store.approvals.getApprovalRequest("ws-a", "race");
      let arrived = 0;
      let release: () => void = () => {};
      const bothRead = new Promise<void>((resolve) => {
        release = resolve;
      });
      const decide = (who: string, decision: "approved" | "rejected") =>
        store.transaction(async (tx) => {
          if (store.concurrentWriters) {
            await tx.approvals.getApprovalRequest("ws-a", "race");
            arrived += 1;
            if (arrived === 2) release();
            await bothRead;
          }
          const next = state([who], { status: decision, outcome: `${decision} by ${who}` });
          return tx.approvals.updateApprovalRequest("ws-a", "race", seen?.version ?? 0, {
            status: decision,
            state: next,
            updatedAt: at(9),
          });
        });
      const results = await Promise.all([decide("u-ann", "approved"), decide("u-bob", "rejected")]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const read = await store.approvals.getApprovalRequest("ws-a", "race");
      expect(read?.version).toBe(2);
      const winner = results[0] ? "approved" : "rejected";
      expect(read?.status).toBe(winner);
      expect(read?.state.status).toBe(winner);
    });

    it("inserts a task once and updates tasks by level, user and status", async () => {
      await insert(request("ws-a", "tasks"));
      await store.transaction((tx) =>
        tx.approvals.insertApprovalTasks([
          task("ws-a", "tasks", 1, "u-vera", { status: "waiting", onBehalfOf: "u-vic" }),
          task("ws-a", "tasks", 0, "u-bob"),
          task("ws-a", "tasks", 0, "u-ann"),
        ]),
      );
      // Asked again (a retry, an escalation naming the same person): the existing rows stay as they are.
      await store.transaction(async (tx) => {
        await tx.approvals.updateApprovalTasks(
          "ws-a",
          "tasks",
          { level: 0, userId: "u-ann" },
          { status: "done", decision: "approve", decidedAt: at(5) },
        );
        await tx.approvals.insertApprovalTasks([task("ws-a", "tasks", 0, "u-ann"), task("ws-a", "tasks", 0, "u-cy", { createdAt: at(6) })]);
      });
      expect(await store.approvals.approvalTasks("ws-a", "tasks")).toEqual([
        task("ws-a", "tasks", 0, "u-ann", { status: "done", decision: "approve", decidedAt: at(5) }),
        task("ws-a", "tasks", 0, "u-bob"),
        task("ws-a", "tasks", 0, "u-cy", { createdAt: at(6) }),
        task("ws-a", "tasks", 1, "u-vera", { status: "waiting", onBehalfOf: "u-vic" }),
      ]);
      // The level settles: its open tasks close (the done one keeps its decision), the next level opens.
      await store.transaction(async (tx) => {
        await tx.approvals.updateApprovalTasks("ws-a", "tasks", { level: 0, status: "open" }, { status: "closed" });
        await tx.approvals.updateApprovalTasks("ws-a", "tasks", { level: 1 }, { status: "open" });
      });
      expect(
        (await store.approvals.approvalTasks("ws-a", "tasks")).map((x) => [x.level, x.userId, x.status, x.decision, x.decidedAt]),
      ).toEqual([
        [0, "u-ann", "done", "approve", at(5)],
        [0, "u-bob", "closed", null, null],
        [0, "u-cy", "closed", null, null],
        [1, "u-vera", "open", null, null],
      ]);
      // Clearing a decision writes null; all of a request's tasks at once.
      await store.transaction((tx) =>
        tx.approvals.updateApprovalTasks("ws-a", "tasks", {}, { status: "closed", decision: null, decidedAt: null }),
      );
      expect((await store.approvals.approvalTasks("ws-a", "tasks")).map((x) => [x.status, x.decision, x.decidedAt])).toEqual(
        Array.from({ length: 4 }, () => ["closed", null, null]),
      );
      expect(await store.approvals.approvalTasks("ws-b", "tasks")).toEqual([]);
    });

    describe("the inbox", () => {
      // In workspace ws-c, created a minute apart (i1 oldest); i4 and i5 share their instant.
      const ws = "ws-c";
      const q = (extra: Partial<ApprovalQuery>): ApprovalQuery => ({ workspaceId: ws, view: "all", userId: "u-ann", limit: 50, ...extra });
      const ids = async (extra: Partial<ApprovalQuery>) => (await store.approvals.listApprovalRequests(q(extra))).map((r) => r.id);

      beforeAll(async () => {
        await store.transaction((tx) => tx.workspaces.insertWorkspace({ id: ws, slug: "c", name: "C", timeZone: "UTC", createdAt: T0 }));
        await insert(
          request(ws, "i1", { createdAt: at(1), submitterId: "u-sam", status: "approved", object: "deal", recordId: "d1" }),
          request(ws, "i2", { createdAt: at(2), submitterId: "u-ann", object: "deal", recordId: "d2" }),
          request(ws, "i3", { createdAt: at(3), submitterId: "u-sam", object: "ticket", recordId: "t1" }),
          request(ws, "i4", { createdAt: at(4), submitterId: "u-sam", status: "rejected", object: "deal", recordId: "d1" }),
          request(ws, "i5", { createdAt: at(4), submitterId: "u-sam", object: "deal", recordId: "d1" }),
          // Another workspace's request, newest of all.
          request("ws-a", "i6", { createdAt: at(9) }),
        );
        await store.transaction((tx) =>
          tx.approvals.insertApprovalTasks([
            task(ws, "i1", 0, "u-ann", { status: "done", decision: "approve", decidedAt: at(2) }),
            task(ws, "i1", 1, "u-ann", { status: "done", decision: "approve", decidedAt: at(3) }),
            task(ws, "i3", 0, "u-ann"),
            task(ws, "i3", 1, "u-ann", { status: "waiting" }),
            task(ws, "i4", 0, "u-ann", { status: "done", decision: "reject", decidedAt: at(5) }),
            task(ws, "i5", 0, "u-ann"),
            task(ws, "i5", 0, "u-bob"),
            task(ws, "i2", 0, "u-bob", { status: "closed" }),
            task("ws-a", "i6", 0, "u-ann"),
          ]),
        );
      });

      it("mine: the requests with an open task of the user, newest first", async () => {
        expect(await ids({ view: "mine" })).toEqual(["i5", "i3"]);
        expect(await ids({ view: "mine", userId: "u-bob" })).toEqual(["i5"]);
        expect(await ids({ view: "mine", userId: "u-nobody" })).toEqual([]);
      });

      it("decided: the requests the user voted on, once each", async () => {
        expect(await ids({ view: "decided" })).toEqual(["i4", "i1"]);
        expect(await ids({ view: "decided", userId: "u-bob" })).toEqual([]);
      });

      it("submitted: the requests the user asked for", async () => {
        expect(await ids({ view: "submitted" })).toEqual(["i2"]);
        expect(await ids({ view: "submitted", userId: "u-sam" })).toEqual(["i5", "i4", "i3", "i1"]);
      });

      it("all: every request of the workspace, the same instant ordered by id", async () => {
        expect(await ids({})).toEqual(["i5", "i4", "i3", "i2", "i1"]);
      });

      it("filters by status, object and record, with any view", async () => {
        expect(await ids({ status: "pending" })).toEqual(["i5", "i3", "i2"]);
        expect(await ids({ status: "approved" })).toEqual(["i1"]);
        expect(await ids({ object: "ticket" })).toEqual(["i3"]);
        expect(await ids({ recordId: "d1" })).toEqual(["i5", "i4", "i1"]);
        expect(await ids({ recordId: "d1", status: "pending", object: "deal" })).toEqual(["i5"]);
        expect(await ids({ view: "mine", object: "deal" })).toEqual(["i5"]);
        expect(await ids({ view: "decided", status: "rejected" })).toEqual(["i4"]);
        expect(await ids({ view: "submitted", userId: "u-sam", recordId: "d1" })).toEqual(["i5", "i4", "i1"]);
      });

      it("pages newest first by keyset: each page starts before the previous page's last request", async () => {
        const pages: string[][] = [];
        let beforeId: string | undefined;
        for (;;) {
          const page = await ids({ limit: 2, beforeId });
          if (page.length === 0) break;
          pages.push(page);
          beforeId = page.at(-1);
        }
        expect(pages).toEqual([["i5", "i4"], ["i3", "i2"], ["i1"]]);
        expect(await ids({ view: "submitted", userId: "u-sam", limit: 2, beforeId: "i4" })).toEqual(["i3", "i1"]);
        expect(await ids({ view: "mine", beforeId: "i5" })).toEqual(["i3"]);
        // A cursor from another workspace (or none at all) has nothing before it here.
        expect(await ids({ beforeId: "i6" })).toEqual([]);
        expect(await ids({ beforeId: "missing" })).toEqual([]);
      });

      it("counts the requests waiting for a user (not their tasks), in the workspace", async () => {
        await store.transaction((tx) =>
          tx.approvals.insertApprovalTasks([task(ws, "i3", 1, "u-ann", { status: "open" }), task(ws, "i3", 2, "u-ann")]),
        );
        // i3 has open tasks at levels 0 and 2 of u-ann (level 1 existed already and stays waiting); i5 one.
        expect(await store.approvals.openApprovalCount(ws, "u-ann")).toBe(2);
        expect(await store.approvals.openApprovalCount(ws, "u-bob")).toBe(1);
        expect(await store.approvals.openApprovalCount(ws, "u-nobody")).toBe(0);
        expect(await store.approvals.openApprovalCount("ws-a", "u-ann")).toBe(1);
        await store.transaction((tx) =>
          tx.approvals.updateApprovalTasks(ws, "i5", { userId: "u-ann" }, { status: "done", decision: "approve", decidedAt: at(8) }),
        );
        expect(await store.approvals.openApprovalCount(ws, "u-ann")).toBe(1);
      });
    });

    it("a record's locks: its pending requests that lock something, with who the current level waits on", async () => {
      const record = "d-locked";
      await insert(
        // Ann approved level 0 (all of Ann and Bob): it waits on Bob.
        request("ws-a", "l-fields", { recordId: record, createdAt: at(1), state: state(["u-ann"]) }),
        // Level 1 (Vera, deciding for Vic): it waits on Vera.
        request("ws-a", "l-record", {
          recordId: record,
          createdAt: at(2),
          lock: "record",
          stake: [{ field: "amount", value: 12_000 }],
          state: { ...state(["u-ann", "u-bob"]), level: 1 },
        }),
        request("ws-a", "l-none", { recordId: record, createdAt: at(3), lock: "none" }),
        request("ws-a", "l-done", { recordId: record, createdAt: at(4), status: "approved", state: state([], { status: "approved" }) }),
        request("ws-b", "l-other", { recordId: record }),
      );
      expect(await store.approvals.pendingApprovalLocks("ws-a", record)).toEqual([
        {
          requestId: "l-fields",
          lock: "fields",
          fields: ["discount", "terms"],
          summary: "Discount of 30 % on Acme (l-fields)",
          waitingOn: ["Bob Manager"],
        },
        {
          requestId: "l-record",
          lock: "record",
          fields: ["amount"],
          summary: "Discount of 30 % on Acme (l-record)",
          waitingOn: ["Vera Vp"],
        },
      ]);
      // Once settled, a request locks nothing.
      await store.transaction((tx) =>
        tx.approvals.updateApprovalRequest("ws-a", "l-fields", 1, {
          status: "rejected",
          state: state([], { status: "rejected" }),
          updatedAt: at(5),
        }),
      );
      expect((await store.approvals.pendingApprovalLocks("ws-a", record)).map((l) => l.requestId)).toEqual(["l-record"]);
      expect(await store.approvals.pendingApprovalLocks("ws-a", "d-free")).toEqual([]);
      // Read inside the writing transaction, the lock is seen at once.
      const inside = await store.transaction(async (tx) => {
        await tx.approvals.insertApprovalRequest(request("ws-a", "l-new", { recordId: "d-free", createdAt: at(6) }));
        return tx.approvals.pendingApprovalLocks("ws-a", "d-free");
      });
      expect(inside.map((l) => [l.requestId, l.waitingOn])).toEqual([["l-new", ["Ann Manager", "Bob Manager"]]]);
    });

    it("numbers history per request, across appends and for several requests in one call", async () => {
      await insert(request("ws-a", "h1"), request("ws-a", "h2"));
      const row = (requestId: string, kind: "opened" | "asked" | "voted", minute: number, actorId: string | null = null) => ({
        workspaceId: "ws-a",
        requestId,
        at: at(minute),
        kind,
        actorId,
        detail: { level: 0, who: ["u-ann", "u-bob"], note: { nested: true } },
      });
      await store.transaction((tx) => tx.approvals.appendApprovalHistory([row("h1", "opened", 0, "u-sam"), row("h1", "asked", 0)]));
      await store.transaction((tx) =>
        tx.approvals.appendApprovalHistory([row("h2", "opened", 1), row("h1", "voted", 2, "u-ann"), row("h2", "asked", 1)]),
      );
      await store.transaction((tx) => tx.approvals.appendApprovalHistory([]));
      const h1 = await store.approvals.approvalHistory("ws-a", "h1");
      expect(h1.map((h) => [h.seq, h.kind, h.actorId])).toEqual([
        [1, "opened", "u-sam"],
        [2, "asked", null],
        [3, "voted", "u-ann"],
      ]);
      expect(h1[2]).toEqual({ ...row("h1", "voted", 2, "u-ann"), seq: 3 });
      expect((await store.approvals.approvalHistory("ws-a", "h2")).map((h) => [h.seq, h.kind])).toEqual([
        [1, "opened"],
        [2, "asked"],
      ]);
      expect(await store.approvals.approvalHistory("ws-b", "h1")).toEqual([]);
    });

    it("reads a link by its token's hash; spending a grant marks both links once, and a second spend is refused", async () => {
      await insert(request("ws-a", "r-link"));
      await store.transaction((tx) =>
        tx.approvals.insertApprovalLinks([
          link("hash-yes", "g1", "approve"),
          link("hash-no", "g1", "reject"),
          link("hash-other", "g2", "approve"),
        ]),
      );
      expect(await store.approvals.getApprovalLink("hash-yes")).toEqual(link("hash-yes", "g1", "approve"));
      expect(await store.approvals.getApprovalLink("hash-missing")).toBeUndefined();
      // Another workspace cannot spend it.
      expect(await store.transaction((tx) => tx.approvals.spendApprovalGrant("ws-b", "g1", at(10)))).toBe(false);
      expect(await store.transaction((tx) => tx.approvals.spendApprovalGrant("ws-a", "g1", at(10)))).toBe(true);
      expect(await store.transaction((tx) => tx.approvals.spendApprovalGrant("ws-a", "g1", at(11)))).toBe(false);
      expect(await store.approvals.getApprovalLink("hash-yes")).toEqual(link("hash-yes", "g1", "approve", { usedAt: at(10) }));
      expect(await store.approvals.getApprovalLink("hash-no")).toEqual(link("hash-no", "g1", "reject", { usedAt: at(10) }));
      expect((await store.approvals.getApprovalLink("hash-other"))?.usedAt).toBeNull();
    });

    it("two spends of one grant at once: exactly one succeeds", async () => {
      await store.transaction((tx) =>
        tx.approvals.insertApprovalLinks([link("race-yes", "g-race", "approve"), link("race-no", "g-race", "reject")]),
      );
      const results = await Promise.all([
        store.transaction((tx) => tx.approvals.spendApprovalGrant("ws-a", "g-race", at(20))),
        store.transaction((tx) => tx.approvals.spendApprovalGrant("ws-a", "g-race", at(21))),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const used = [
        (await store.approvals.getApprovalLink("race-yes"))?.usedAt,
        (await store.approvals.getApprovalLink("race-no"))?.usedAt,
      ];
      expect(used[0]).not.toBeNull();
      expect(used[1]).toBe(used[0]);
    });

    it("appends to one request's history from two transactions at once without colliding", async () => {
      await insert(request("ws-a", "h-race"));
      const append = (kind: "voted" | "link_sent") =>
        store.transaction((tx) =>
          tx.approvals.appendApprovalHistory([{ workspaceId: "ws-a", requestId: "h-race", at: at(3), kind, actorId: null, detail: {} }]),
        );
      await Promise.all([append("voted"), append("link_sent"), append("voted")]);
      expect((await store.approvals.approvalHistory("ws-a", "h-race")).map((h) => h.seq)).toEqual([1, 2, 3]);
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

const ROWS = 5_000;
/** Many settled requests on many records, a few pending: what the lock check reads through. */
const FILL = `insert into approval_requests (workspace_id, id, run_id, workflow_id, step, round, previous_id, object, record_id, summary,
  stake, lock, route, submitter_id, status, state, due_at, created_at, updated_at, version)
  select 'w', 'r' || n, 'run' || n, 'wf', 's', 1, null, 'deal', 'd' || (n % 500), 'x', '[]', 'fields', 'r', null,
  case when n % 50 = 0 then 'pending' else 'approved' end, '{}', null, $NOW, $NOW, 1 from series`;

describe("the lock check reads the partial index of pending requests", () => {
  it("SQLite", async () => {
    const t = await sqliteTestStore();
    const raw = new BetterSqlite3(join(t.location.dataDir as string, "handoff.db"));
    try {
      raw.exec("insert into workspaces (id, slug, name, time_zone, created_at) values ('w', 'w', 'W', 'UTC', '2026-01-01T00:00:00.000Z')");
      raw.exec(
        `with recursive series(n) as (select 1 union all select n + 1 from series where n < ${ROWS}) ${FILL.replaceAll("$NOW", "'2026-01-01T00:00:00.000Z'")}`,
      );
      raw.exec("analyze");
      const q = pendingLocksQuery(compiler("sqlite"), "w", "d7").compile();
      const plan = raw
        .prepare(`explain query plan ${q.sql}`)
        .all(...(q.parameters as unknown[]))
        .map((r) => (r as { detail: string }).detail)
        .join("\n");
      expect(plan).toMatch(/SEARCH approval_requests USING INDEX approval_requests_pending \(workspace_id=\? AND record_id=\?\)/);
    } finally {
      raw.close();
      await t.dispose();
    }
  });

  it.skipIf(SKIP_PG)("PostgreSQL, with a generic plan (the parameters unknown)", async () => {
    const t = await (STORES[1] as (typeof STORES)[number]).open();
    const client = new pg.Client({ connectionString: t.location.databaseUrl as string });
    await client.connect();
    try {
      await client.query("insert into workspaces (id, slug, name, time_zone, created_at) values ('w', 'w', 'W', 'UTC', now())");
      await client.query(`with series(n) as (select generate_series(1, ${ROWS})) ${FILL.replaceAll("$NOW", "now()")}`);
      await client.query("analyze approval_requests");
      await client.query("set plan_cache_mode = force_generic_plan");
      const q = pendingLocksQuery(compiler("postgres"), "w", "d7").compile();
      await client.query(`prepare locks as ${q.sql}`);
      const { rows } = await client.query(`explain (format json) execute locks(${q.parameters.map((p) => `'${String(p)}'`).join(", ")})`);
      const plan = JSON.stringify(rows[0]["QUERY PLAN"]);
      expect(plan).toContain('"Index Name":"approval_requests_pending"');
      expect(plan).not.toContain('"Node Type":"Seq Scan"');
    } finally {
      await client.end();
      await t.dispose();
    }
  });
});
