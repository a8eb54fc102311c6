/**
 * The storage conformance suite: the same expectations, run against SQLite and a real
 * PostgreSQL. An adapter that passes here can back every service.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import type { FieldDef } from "../../src/crm/fields.js";
import { type CheckedFilter, checkFilter, type FilterNode } from "../../src/crm/filter.js";
import type { NewDomainEvent, Store, StoredRecord } from "../../src/store/ports.js";
import type { RunRow, RunStepRow, WorkItem } from "../../src/store/workflow-ports.js";
import { runRow } from "../helpers/runs.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T0 = "2026-01-01T00:00:00.000Z";
const fields: FieldDef[] = [
  ...fieldsOf("contact", [{ object: "contact", name: "vip", type: "boolean", label: "VIP", required: false, options: null }]),
];
const field = (name: string) => {
  const f = [...fields, { name: "id", type: "string", label: "ID" } as FieldDef].find((x) => x.name === name);
  if (!f) throw new Error(name);
  return f;
};
const filter = (node: FilterNode): CheckedFilter => {
  const r = checkFilter(node, fields);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.filter;
};

let seq = 0;
function contact(workspaceId: string, data: Record<string, unknown>): StoredRecord {
  seq += 1;
  return { workspaceId, id: `c${String(seq).padStart(6, "0")}`, object: "contact", version: 1, data, createdAt: T0, updatedAt: T0 };
}

function event(workspaceId: string, recordId: string, id: string): NewDomainEvent {
  return {
    id,
    workspaceId,
    type: "record.created",
    object: "contact",
    recordId,
    recordVersion: 1,
    actor: { kind: "system", id: "test" },
    causeId: null,
    changes: [{ field: "last_name", old: null, new: "X" }],
    occurredAt: T0,
    depth: 0,
  };
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`store conformance: ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;
    const ws = "ws-a";
    const other = "ws-b";

    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
      await store.transaction(async (tx) => {
        await tx.workspaces.insertWorkspace({ id: ws, slug: "a", name: "A", timeZone: "UTC", createdAt: T0 });
        await tx.workspaces.insertWorkspace({ id: other, slug: "b", name: "B", timeZone: "UTC", createdAt: T0 });
      });
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("migrates idempotently", async () => {
      await store.migrate();
      await store.migrate();
      expect(await store.workspaces.getWorkspaceBySlug("a")).toMatchObject({ id: ws, timeZone: "UTC" });
    });

    it("keeps a version's change note and publisher; an upsert that leaves them unset keeps them, null clears the note", async () => {
      const version = {
        workspaceId: ws,
        workflowId: "wf-noted",
        version: 1,
        state: "draft" as const,
        definition: { key: "noted", z: 1, a: [2, { y: true }] },
        createdAt: T0,
        publishedAt: null,
        sincePosition: null,
      };
      await store.transaction((tx) => tx.workflows.upsertVersion(version));
      expect(await store.workflows.getVersion(ws, "wf-noted", 1)).toMatchObject({ note: null, publishedBy: null });
      const note = "Why: reps asked for it — ünïcödé 🚀";
      await store.transaction((tx) =>
        tx.workflows.upsertVersion({ ...version, state: "published", publishedAt: T0, publishedBy: { kind: "person", id: "u1" }, note }),
      );
      expect(await store.workflows.getVersion(ws, "wf-noted", 1)).toMatchObject({ state: "published", note });
      // Archiving writes the row back without naming the note or the publisher (unset): both stay.
      await store.transaction((tx) => tx.workflows.upsertVersion({ ...version, state: "archived", publishedAt: T0 }));
      const archived = await store.workflows.getVersion(ws, "wf-noted", 1);
      expect(archived).toMatchObject({ state: "archived", note, publishedBy: { kind: "person", id: "u1" } });
      expect(archived?.definition).toEqual(version.definition);
      await store.transaction((tx) => tx.workflows.upsertVersion({ ...version, note: null }));
      expect((await store.workflows.getVersion(ws, "wf-noted", 1))?.note).toBeNull();
      expect(await store.workflows.getVersion(other, "wf-noted", 1)).toBeUndefined();
    });

    it("writes and reads records, scoped to their workspace", async () => {
      const r = contact(ws, { last_name: "Lovelace", score: 10, tags: ["a"] });
      await store.transaction((tx) => tx.records.insertRecords([r]));
      expect(await store.records.getRecord(ws, r.id)).toEqual(r);
      expect(await store.records.getRecord(other, r.id)).toBeUndefined();
      expect(await store.records.getRecords(other, [r.id])).toEqual([]);
      expect((await store.records.getRecords(ws, [r.id, r.id, "missing"])).map((x) => x.id)).toEqual([r.id]);
    });

    it("updates only at the expected version, and deletes likewise", async () => {
      const r = contact(ws, { last_name: "Hopper" });
      await store.transaction((tx) => tx.records.insertRecords([r]));
      const next = { ...r, version: 2, data: { last_name: "Hopper", score: 5 }, updatedAt: "2026-01-02T00:00:00.000Z" };
      expect(await store.transaction((tx) => tx.records.updateRecord(next, 1))).toBe(true);
      expect(await store.transaction((tx) => tx.records.updateRecord({ ...next, version: 3 }, 1))).toBe(false);
      expect(await store.records.getRecord(ws, r.id)).toEqual(next);
      expect(await store.transaction((tx) => tx.records.deleteRecord(ws, r.id, 1))).toBe(false);
      expect(await store.transaction((tx) => tx.records.deleteRecord(other, r.id, 2))).toBe(false);
      expect(await store.transaction((tx) => tx.records.deleteRecord(ws, r.id, 2))).toBe(true);
      expect(await store.records.getRecord(ws, r.id)).toBeUndefined();
    });

    it("reads runs, logs steps and completes work items in bulk, each completion fenced by owner and attempt", async () => {
      const run = (id: string): RunRow => runRow({ workspaceId: ws, id, workflowId: "wf-bulk", recordId: `rec-${id}`, createdAt: T0 });
      const step = (runId: string, seq: number): RunStepRow => ({
        workspaceId: ws,
        runId,
        seq,
        step: "a",
        type: "action",
        input: "continue",
        outcome: "done",
        why: "test",
        effects: [{ command: "update_fields", n: seq }],
        at: T0,
        durationMs: 1,
        // What the step decided on reads back as written (and as null on a step that kept none).
        runInput: seq === 1 ? { kind: "record_changed", changes: [{ field: "score", old: 1, new: 2 }] } : null,
        recordVersion: seq === 1 ? 3 : null,
        factsDigest: seq === 1 ? "digest" : null,
        factsSeen:
          seq === 1
            ? { counts: { "count1:activity.related_id": 2 }, refs: { company_id: { id: "c-1", version: 4 }, owner_id: null } }
            : null,
      });
      await store.transaction(async (tx) => {
        for (const id of ["bulk-1", "bulk-2", "bulk-3"]) expect(await tx.runs.insertRun(run(id))).toBe(true);
        await tx.work.insertWorkItems(
          ["bulk-1", "bulk-2", "bulk-3"].map((runId) => ({
            workspaceId: ws,
            runId,
            input: { kind: "continue" },
            timerId: null,
            dueAt: T0,
          })),
        );
      });
      const moved = (id: string, seq: number): RunRow => ({
        ...run(id),
        state:
          seq === 2
            ? { status: "completed", step: null, wait: null, stepsTaken: seq, reason: "reached the end" }
            : {
                status: "waiting",
                step: "b",
                wait: { kind: "timer", timerId: `t-${id}`, dueAt: T0, next: "c" },
                stepsTaken: seq,
                reason: null,
              },
        seq,
        updatedAt: "2026-01-01T00:00:01.000Z",
        finishedAt: seq === 2 ? "2026-01-01T00:00:01.000Z" : null,
      });
      // Guarded by the expected seq, row by row: bulk-2 is not at seq 5.
      expect(
        await store.transaction((tx) =>
          tx.runs.updateRuns([
            { run: moved("bulk-1", 1), expectedSeq: 0 },
            { run: moved("bulk-2", 6), expectedSeq: 5 },
          ]),
        ),
      ).toBe(1);
      expect(await store.runs.getRun(ws, "bulk-1")).toEqual(moved("bulk-1", 1));
      expect(await store.runs.getRun(ws, "bulk-2")).toEqual(run("bulk-2"));
      expect(await store.transaction((tx) => tx.runs.updateRuns([{ run: moved("bulk-1", 2), expectedSeq: 1 }]))).toBe(1);
      expect(await store.runs.getRun(ws, "bulk-1")).toEqual(moved("bulk-1", 2));
      await store.transaction((tx) => tx.runs.updateRun(run("bulk-1"), 2));
      const found = await store.runs.getRuns(ws, ["bulk-1", "bulk-3", "bulk-none", "bulk-1"]);
      expect(found.map((r) => r.id).sort()).toEqual(["bulk-1", "bulk-3"]);
      expect(found.find((r) => r.id === "bulk-3")).toEqual(run("bulk-3"));
      expect(await store.runs.getRuns(other, ["bulk-1"])).toEqual([]);

      await store.transaction((tx) => tx.runs.insertRunSteps([step("bulk-1", 1), step("bulk-1", 2), step("bulk-2", 1)]));
      expect((await store.runs.listRunSteps(ws, "bulk-1")).map((s) => s.seq)).toEqual([1, 2]);
      expect(await store.runs.listRunSteps(ws, "bulk-2")).toEqual([step("bulk-2", 1)]);
      // The (run, seq) key guards the whole statement: nothing of it is written.
      await expect(store.transaction((tx) => tx.runs.insertRunSteps([step("bulk-3", 1), step("bulk-1", 2)]))).rejects.toThrow();
      expect(await store.runs.listRunSteps(ws, "bulk-3")).toEqual([]);

      const claimed = (await store.work.claimWork("owner-a", 1000, 60_000)).filter((i) => i.runId.startsWith("bulk-"));
      expect(claimed).toHaveLength(3);
      const [a, b, c] = claimed as [WorkItem, WorkItem, WorkItem];
      await store.transaction(async (tx) => {
        // Another owner, or a stale attempt, completes nothing.
        expect(await tx.work.completeWorkItems("owner-b", [{ id: a.id, attempt: a.attempts }])).toBe(0);
        expect(await tx.work.completeWorkItems("owner-a", [{ id: a.id, attempt: a.attempts + 1 }])).toBe(0);
        expect(
          await tx.work.completeWorkItems("owner-a", [
            { id: a.id, attempt: a.attempts },
            { id: b.id, attempt: b.attempts - 1 },
            { id: c.id, attempt: c.attempts },
          ]),
        ).toBe(2);
        // Done items are not completed twice.
        expect(await tx.work.completeWorkItems("owner-a", [{ id: a.id, attempt: a.attempts }])).toBe(0);
        expect(await tx.work.completeWorkItem(b.id, "owner-a", b.attempts)).toBe(true);
      });
    });

    it("finds a record's newest run of a workflow", async () => {
      const run = (id: string, workflowId: string, recordId: string, createdAt: string, status: "running" | "completed"): RunRow =>
        runRow({ workspaceId: ws, id, workflowId, recordId, createdAt, status });
      const T1 = "2026-01-01T00:01:00.000Z";
      await store.transaction(async (tx) => {
        await tx.runs.insertRun(run("lr-1", "wf-latest", "rec-latest", T0, "completed"));
        await tx.runs.insertRun(run("lr-3", "wf-latest", "rec-latest", T1, "running"));
        await tx.runs.insertRun(run("lr-2", "wf-latest", "rec-latest", T1, "completed"));
        await tx.runs.insertRun(run("lr-4", "wf-other", "rec-latest", T1, "completed"));
        await tx.runs.insertRun(run("lr-5", "wf-latest", "rec-else", T1, "completed"));
      });
      await store.transaction(async (tx) => {
        const latest = await tx.runs.latestRunOf(ws, "wf-latest", "rec-latest");
        expect(latest).toMatchObject({ id: "lr-3", workflowId: "wf-latest", recordId: "rec-latest", version: 1, depth: 1 });
        expect(latest?.state.status).toBe("running");
        expect(await tx.runs.latestRunOf(ws, "wf-none", "rec-latest")).toBeUndefined();
        expect(await tx.runs.latestRunOf(other, "wf-latest", "rec-latest")).toBeUndefined();
      });
      // A matcher pass reads every run of its records at once, and writes its new runs together.
      await store.transaction(async (tx) => {
        const all = await tx.runs.runsOfRecords(ws, ["rec-latest", "rec-else", "rec-none", "rec-latest"]);
        expect(all.map((r) => r.id).sort()).toEqual(["lr-1", "lr-2", "lr-3", "lr-4", "lr-5"]);
        expect(all.find((r) => r.id === "lr-3")?.state.status).toBe("running");
        expect(await tx.runs.runsOfRecords(other, ["rec-latest"])).toEqual([]);
        const fresh = [run("lr-6", "wf-latest", "rec-new", T1, "running"), run("lr-7", "wf-other", "rec-new", T1, "running")];
        // lr-1's (workflow, trigger key) exists: that one is not written.
        const again = { ...run("lr-8", "wf-latest", "rec-new", T1, "running"), triggerKey: "key-lr-1" };
        expect([...(await tx.runs.insertRuns([...fresh, again]))].sort()).toEqual(["lr-6", "lr-7"]);
        expect((await tx.runs.runsOfRecords(ws, ["rec-new"])).map((r) => r.id).sort()).toEqual(["lr-6", "lr-7"]);
        expect(await tx.runs.insertRuns([])).toEqual(new Set());
      });
    });

    it("counts a workflow's quota per window up to its limit, and drops older windows when a new one starts", async () => {
      const H1 = "2026-01-01T10:00:00.000Z";
      const H2 = "2026-01-01T11:00:00.000Z";
      await store.transaction(async (tx) => {
        expect(await tx.quotas.takeQuota(ws, "wf-q", "email", H1, 2)).toEqual({ taken: true, used: 1 });
        expect(await tx.quotas.takeQuota(ws, "wf-q", "email", H1, 2)).toEqual({ taken: true, used: 2 });
        expect(await tx.quotas.takeQuota(ws, "wf-q", "email", H1, 2)).toEqual({ taken: false, used: 2 });
        // Another quota, workflow or workspace counts apart.
        expect(await tx.quotas.takeQuota(ws, "wf-q", "calls", H1, 2)).toEqual({ taken: true, used: 1 });
        expect(await tx.quotas.takeQuota(ws, "wf-other", "email", H1, 2)).toEqual({ taken: true, used: 1 });
        expect(await tx.quotas.takeQuota(other, "wf-q", "email", H1, 2)).toEqual({ taken: true, used: 1 });
        // The next hour starts from zero and forgets the last one.
        expect(await tx.quotas.takeQuota(ws, "wf-q", "email", H2, 2)).toEqual({ taken: true, used: 1 });
        expect(await tx.quotas.takeQuota(ws, "wf-q", "email", H1, 5)).toEqual({ taken: true, used: 1 });
      });
    });

    it("tells how long until the next unleased pending work is due, by the database clock", async () => {
      expect(await store.work.nextDueInMs()).toBeUndefined();
      const at = (ms: number) => new Date(Date.now() + ms).toISOString();
      await store.transaction((tx) =>
        tx.work.insertWorkItems([
          { workspaceId: ws, runId: "next-due", input: { kind: "continue" }, timerId: "t-next", dueAt: at(60_000) },
        ]),
      );
      const later = await store.work.nextDueInMs();
      expect(later).toBeGreaterThan(50_000);
      expect(later).toBeLessThanOrEqual(61_000);
      await store.transaction((tx) =>
        tx.work.insertWorkItems([{ workspaceId: ws, runId: "next-due", input: { kind: "continue" }, timerId: null, dueAt: at(-1_000) }]),
      );
      expect(await store.work.nextDueInMs()).toBeLessThanOrEqual(0);
      // Claimed (leased) items are not waited for; the timer is again the next.
      const claimed = await store.work.claimWork("owner-next", 10, 60_000);
      expect(claimed.map((i) => i.runId)).toEqual(["next-due"]);
      expect(await store.work.nextDueInMs()).toBeGreaterThan(50_000);
      await store.transaction(async (tx) => {
        expect(await tx.work.completeWorkItem(claimed[0]?.id ?? 0, "owner-next", claimed[0]?.attempts ?? 0)).toBe(true);
        await tx.work.cancelTimer(ws, "t-next");
      });
      expect(await store.work.nextDueInMs()).toBeUndefined();
    });

    it("rolls back every write of a failed transaction", async () => {
      const r = contact(ws, { last_name: "Rollback" });
      const before = await store.events.readEvents(0, 10_000);
      await expect(
        store.transaction(async (tx) => {
          await tx.records.insertRecords([r]);
          await tx.audit.appendAudit([
            {
              workspaceId: ws,
              recordId: r.id,
              object: "contact",
              action: "create",
              actor: { kind: "system", id: "t" },
              changes: [],
              at: T0,
              requestId: null,
            },
          ]);
          await tx.events.appendEvents([event(ws, r.id, `ev-rollback-${r.id}`)]);
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await store.records.getRecord(ws, r.id)).toBeUndefined();
      expect(await store.audit.readAudit(ws, r.id, 10)).toEqual([]);
      expect(await store.events.readEvents(0, 10_000)).toEqual(before);
    });

    it("appends events with increasing positions and pages through them per workspace", async () => {
      const ids = Array.from({ length: 5 }, (_, i) => `ev-${kind.name}-${i}`);
      for (const id of ids) await store.transaction((tx) => tx.events.appendEvents([event(id.endsWith("4") ? other : ws, "r1", id)]));
      const all = await store.events.readEvents(0, 10_000);
      const positions = all.map((e) => e.position);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(new Set(positions).size).toBe(positions.length);
      const mine = all.filter((e) => ids.includes(e.id));
      expect(mine.map((e) => e.id)).toEqual(ids);
      expect(mine[0]).toMatchObject({
        type: "record.created",
        actor: { kind: "system", id: "test" },
        changes: [{ field: "last_name", old: null, new: "X" }],
      });
      const first = mine[0]?.position ?? 0;
      const page = await store.events.readEvents(first, 2, ws);
      expect(page.map((e) => e.id)).toEqual(ids.slice(1, 3));
      expect((await store.events.readEvents(first, 100, other)).map((e) => e.id)).toEqual([ids[4]]);
    });

    it("reads an object's events of some types in a period, newest first, within the workspace", async () => {
      const w = `ws-events-${kind.name}`;
      const at = (minute: number) => `2026-02-01T10:${String(minute).padStart(2, "0")}:00.000Z`;
      const made: Array<[string, NewDomainEvent["type"], NewDomainEvent["object"], string]> = [
        ["e1", "record.created", "contact", at(1)],
        ["e2", "record.updated", "contact", at(2)],
        ["e3", "record.created", "lead", at(3)],
        ["e4", "record.created", "contact", at(4)],
        ["e5", "record.deleted", "contact", at(5)],
        ["e6", "record.created", "contact", at(6)],
      ];
      for (const [id, type, object, occurredAt] of made)
        await store.transaction((tx) => tx.events.appendEvents([{ ...event(w, "r1", `${w}-${id}`), type, object, occurredAt }]));
      await store.transaction((tx) => tx.events.appendEvents([{ ...event(other, "r1", `${w}-elsewhere`), occurredAt: at(4) }]));
      const ids = async (q: Partial<Parameters<Store["events"]["eventsOfObject"]>[0]>) =>
        (
          await store.events.eventsOfObject({
            workspaceId: w,
            object: "contact",
            types: ["record.created", "record.updated"],
            limit: 10,
            ...q,
          })
        ).map((e) => e.id.slice(w.length + 1));
      expect(await ids({})).toEqual(["e6", "e4", "e2", "e1"]);
      expect(await ids({ limit: 2 })).toEqual(["e6", "e4"]);
      expect(await ids({ since: at(2), until: at(6) })).toEqual(["e4", "e2"]);
      expect(await ids({ types: ["record.deleted"] })).toEqual(["e5"]);
      const [e4] = await store.events.eventsOfObject({
        workspaceId: w,
        object: "contact",
        types: ["record.created"],
        limit: 1,
        until: at(5),
      });
      expect(await ids({ afterPosition: e4?.position })).toEqual(["e6"]);
      expect(await ids({ types: [] })).toEqual([]);
    });

    it("keeps the audit trail per record, newest first", async () => {
      const actor = { kind: "person" as const, id: "u1" };
      await store.transaction((tx) =>
        tx.audit.appendAudit([
          {
            workspaceId: ws,
            recordId: "aud1",
            object: "contact",
            action: "create",
            actor,
            changes: [{ field: "score", old: null, new: 1 }],
            at: T0,
            requestId: "r1",
          },
          {
            workspaceId: ws,
            recordId: "aud1",
            object: "contact",
            action: "update",
            actor,
            changes: [{ field: "score", old: 1, new: 2 }],
            at: T0,
            requestId: "r2",
          },
        ]),
      );
      const entries = await store.audit.readAudit(ws, "aud1", 10);
      expect(entries.map((e) => e.action)).toEqual(["update", "create"]);
      expect(entries[0]).toMatchObject({ actor, changes: [{ field: "score", old: 1, new: 2 }], requestId: "r2" });
      expect(await store.audit.readAudit(other, "aud1", 10)).toEqual([]);
    });

    describe("queries", () => {
      const qws = "ws-q";
      const people: Array<Record<string, unknown>> = [
        { last_name: "Ng", score: 50, email: "ng@x.com", lifecycle_stage: "lead", vip: true },
        { last_name: "Nguyen", score: 20, email: "nguyen@x.com", lifecycle_stage: "customer", vip: false },
        { last_name: "Okafor", score: 50, lifecycle_stage: "lead" },
        { last_name: "Patel", score: 90, email: "p_100%@x.com", lifecycle_stage: "opportunity", vip: true },
        { last_name: "Quist" },
        { last_name: "Rossi", score: 5, email: "rossi@y.org", lifecycle_stage: "customer", last_activity_at: "2026-03-01T10:00:00.000Z" },
        { last_name: "Schmidt", score: 20, last_activity_at: "2026-02-01T10:00:00.000Z" },
      ];
      const byName = new Map<string, string>();

      beforeAll(async () => {
        await store.transaction(async (tx) => {
          await tx.workspaces.insertWorkspace({ id: qws, slug: "q", name: "Q", timeZone: "UTC", createdAt: T0 });
          const rows = people.map((p) => contact(qws, p));
          rows.forEach((r) => {
            byName.set(r.data.last_name as string, r.id);
          });
          await tx.records.insertRecords(rows);
          await tx.records.insertRecords([contact(other, { last_name: "Ng", score: 50 })]);
        });
      });

      const names = async (node: FilterNode | undefined, sort = "id", direction: "asc" | "desc" = "asc") => {
        const rows = await store.records.queryRecords({
          workspaceId: qws,
          object: "contact",
          ...(node ? { filter: filter(node) } : {}),
          sort: { field: field(sort), direction },
          limit: 100,
        });
        return rows.map((r) => r.data.last_name);
      };

      it.each([
        [{ field: "score", op: "eq", value: 50 }, ["Ng", "Okafor"]],
        [{ field: "score", op: "neq", value: 50 }, ["Nguyen", "Patel", "Quist", "Rossi", "Schmidt"]],
        [{ field: "score", op: "gt", value: 20 }, ["Ng", "Okafor", "Patel"]],
        [{ field: "score", op: "gte", value: 20 }, ["Ng", "Nguyen", "Okafor", "Patel", "Schmidt"]],
        [{ field: "score", op: "lt", value: 20 }, ["Rossi"]],
        [{ field: "score", op: "lte", value: 20 }, ["Nguyen", "Rossi", "Schmidt"]],
        [{ field: "score", op: "between", value: [20, 50] }, ["Ng", "Nguyen", "Okafor", "Schmidt"]],
        [{ field: "lifecycle_stage", op: "in", value: ["lead", "opportunity"] }, ["Ng", "Okafor", "Patel"]],
        [{ field: "lifecycle_stage", op: "nin", value: ["lead", "customer"] }, ["Patel", "Quist", "Schmidt"]],
        [{ field: "last_name", op: "contains", value: "GUY" }, ["Nguyen"]],
        [{ field: "last_name", op: "starts_with", value: "ng" }, ["Ng", "Nguyen"]],
        [{ field: "email", op: "contains", value: "_100%" }, ["Patel"]],
        [{ field: "email", op: "is_set" }, ["Ng", "Nguyen", "Patel", "Rossi"]],
        [{ field: "email", op: "is_not_set" }, ["Okafor", "Quist", "Schmidt"]],
        [{ field: "vip", op: "eq", value: true }, ["Ng", "Patel"]],
        [{ field: "vip", op: "eq", value: false }, ["Nguyen"]],
        [{ field: "last_activity_at", op: "gt", value: "2026-02-15T00:00:00+01:00" }, ["Rossi"]],
        [
          {
            or: [
              { field: "score", op: "gt", value: 80 },
              {
                and: [
                  { field: "score", op: "eq", value: 20 },
                  { field: "email", op: "is_set" },
                ],
              },
            ],
          },
          ["Nguyen", "Patel"],
        ],
      ] as Array<[FilterNode, string[]]>)("filter %j", async (node, expected) => {
        expect(await names(node)).toEqual(expected);
      });

      it("sorts ascending and descending with empty values last, ties by id", async () => {
        expect(await names(undefined, "score", "asc")).toEqual(["Rossi", "Nguyen", "Schmidt", "Ng", "Okafor", "Patel", "Quist"]);
        expect(await names(undefined, "score", "desc")).toEqual(["Patel", "Ng", "Okafor", "Nguyen", "Schmidt", "Rossi", "Quist"]);
        expect(await names(undefined, "last_name", "desc")).toEqual(["Schmidt", "Rossi", "Quist", "Patel", "Okafor", "Nguyen", "Ng"]);
      });

      it.each([
        ["score", "asc"],
        ["score", "desc"],
        ["email", "asc"],
        ["id", "desc"],
      ] as const)("pages by keyset on %s %s: every row once, in order", async (sortName, direction) => {
        const full = await store.records.queryRecords({
          workspaceId: qws,
          object: "contact",
          sort: { field: field(sortName), direction },
          limit: 100,
        });
        const seen: string[] = [];
        let after: { value: unknown; id: string } | undefined;
        for (let guard = 0; guard < 20; guard++) {
          const page = await store.records.queryRecords({
            workspaceId: qws,
            object: "contact",
            sort: { field: field(sortName), direction },
            limit: 2,
            ...(after ? { after } : {}),
          });
          if (page.length === 0) break;
          seen.push(...page.map((r) => r.id));
          const last = page[page.length - 1] as StoredRecord;
          after = { value: sortName === "id" ? last.id : (last.data[sortName] ?? null), id: last.id };
        }
        expect(seen).toEqual(full.map((r) => r.id));
        expect(seen).toHaveLength(people.length);
      });

      it("counts per object and finds referrers", async () => {
        expect(await store.records.countRecords(qws, "contact")).toBe(people.length);
        const deal = { ...contact(qws, { name: "D", stage: "proposal", contact_id: byName.get("Patel") }), object: "deal" as const };
        await store.transaction((tx) => tx.records.insertRecords([deal]));
        const probes = [{ object: "deal" as const, field: "contact_id" }];
        expect((await store.records.findReferrer(qws, byName.get("Patel") ?? "", probes))?.id).toBe(deal.id);
        expect(await store.records.findReferrer(qws, byName.get("Ng") ?? "", probes)).toBeUndefined();
      });
    });

    it("stores custom fields and tokens per workspace", async () => {
      await store.transaction((tx) =>
        tx.customFields.insertCustomField(ws, {
          object: "deal",
          name: "region_code",
          type: "enum",
          label: "Region",
          required: true,
          options: ["N", "S"],
        }),
      );
      expect(await store.customFields.listCustomFields(ws)).toEqual([
        { object: "deal", name: "region_code", type: "enum", label: "Region", required: true, options: ["N", "S"] },
      ]);
      expect(await store.customFields.listCustomFields(other)).toEqual([]);
      const token = {
        id: "tok1",
        workspaceId: ws,
        name: "ci",
        role: "rep" as const,
        secretHash: "h1",
        userId: null,
        createdAt: T0,
        revokedAt: null,
      };
      await store.transaction((tx) => tx.tokens.insertToken(token));
      expect(await store.tokens.findTokenBySecretHash("h1")).toEqual(token);
      expect(await store.transaction((tx) => tx.tokens.revokeToken(other, "tok1", T0))).toBe(false);
      expect(await store.transaction((tx) => tx.tokens.revokeToken(ws, "tok1", T0))).toBe(true);
      expect((await store.tokens.findTokenBySecretHash("h1"))?.revokedAt).toBe(T0);
      expect(await store.tokens.listTokens(ws)).toHaveLength(1);
    });

    it("claims idempotency keys once, replays completed ones, takes over abandoned claims", async () => {
      const entry = {
        workspaceId: ws,
        caller: "token:a",
        key: "k1",
        callerRole: "admin",
        fingerprint: "f1",
        state: "running" as const,
        status: null,
        response: null,
        createdAt: "2026-01-01T00:00:10.000Z",
        requestId: "req-1",
      };
      const scope = { workspaceId: ws, caller: "token:a", key: "k1" };
      expect(await store.idempotency.claimIdempotencyKey(entry, "2026-01-01T00:00:00.000Z")).toEqual({ claimed: true, abandoned: null });
      const again = await store.idempotency.claimIdempotencyKey({ ...entry, fingerprint: "f2" }, "2026-01-01T00:00:00.000Z");
      expect(again).toMatchObject({
        claimed: false,
        existing: { state: "running", fingerprint: "f1", requestId: "req-1", callerRole: "admin" },
      });
      // Same key in another workspace is another key.
      expect(await store.idempotency.claimIdempotencyKey({ ...entry, workspaceId: other }, "2026-01-01T00:00:00.000Z")).toEqual({
        claimed: true,
        abandoned: null,
      });
      // Abandoned (older than staleBefore): another request body may not take it over…
      expect(
        await store.idempotency.claimIdempotencyKey(
          { ...entry, fingerprint: "f2", createdAt: "2026-01-01T00:05:00.000Z" },
          "2026-01-01T00:04:00.000Z",
        ),
      ).toMatchObject({ claimed: false });
      // …nor the same caller in another role…
      expect(
        await store.idempotency.claimIdempotencyKey(
          { ...entry, callerRole: "rep", createdAt: "2026-01-01T00:05:00.000Z" },
          "2026-01-01T00:04:00.000Z",
        ),
      ).toMatchObject({ claimed: false });
      // …the same request may, and learns which request it abandoned.
      expect(
        await store.idempotency.claimIdempotencyKey(
          { ...entry, requestId: "req-2", createdAt: "2026-01-01T00:05:00.000Z" },
          "2026-01-01T00:04:00.000Z",
        ),
      ).toEqual({
        claimed: true,
        abandoned: "req-1",
      });
      await store.idempotency.completeIdempotencyKey(scope, 201, "{}");
      expect(await store.idempotency.claimIdempotencyKey(entry, "2030-01-01T00:00:00.000Z")).toMatchObject({
        claimed: false,
        existing: { caller: "token:a", state: "done", status: 201, response: "{}", requestId: "req-2" },
      });
      await store.idempotency.claimIdempotencyKey({ ...entry, key: "k2" }, T0);
      await store.idempotency.releaseIdempotencyKey({ ...scope, key: "k2" });
      expect(await store.idempotency.claimIdempotencyKey({ ...entry, key: "k2" }, T0)).toEqual({ claimed: true, abandoned: null });
    });

    it("keeps idempotency keys per caller: another caller's same key is another key", async () => {
      const entry = {
        workspaceId: ws,
        caller: "token:owner",
        key: "shared",
        callerRole: "admin",
        fingerprint: "f1",
        state: "running" as const,
        status: null,
        response: null,
        createdAt: T0,
        requestId: "req-owner",
      };
      expect(await store.idempotency.claimIdempotencyKey(entry, T0)).toEqual({ claimed: true, abandoned: null });
      await store.idempotency.completeIdempotencyKey({ workspaceId: ws, caller: "token:owner", key: "shared" }, 201, '{"secret":"x"}');
      // Another caller, same key and fingerprint: a claim of its own, not the owner's response.
      const intruder = { ...entry, caller: "token:intruder", callerRole: "rep", requestId: "req-intruder" };
      expect(await store.idempotency.claimIdempotencyKey(intruder, T0)).toEqual({ claimed: true, abandoned: null });
      // Completing or releasing the intruder's claim leaves the owner's alone.
      await store.idempotency.releaseIdempotencyKey({ workspaceId: ws, caller: "token:intruder", key: "shared" });
      expect(await store.idempotency.claimIdempotencyKey(entry, T0)).toMatchObject({
        claimed: false,
        existing: { caller: "token:owner", callerRole: "admin", state: "done", status: 201, response: '{"secret":"x"}' },
      });
      expect(await store.idempotency.claimIdempotencyKey(intruder, T0)).toEqual({ claimed: true, abandoned: null });
      await store.idempotency.completeIdempotencyKey({ workspaceId: ws, caller: "token:intruder", key: "shared" }, 404, "{}");
      expect(await store.idempotency.claimIdempotencyKey(entry, T0)).toMatchObject({ claimed: false, existing: { status: 201 } });
      expect(await store.idempotency.claimIdempotencyKey(intruder, T0)).toMatchObject({ claimed: false, existing: { status: 404 } });
    });

    it("finds the audit entries of one request", async () => {
      const actor = { kind: "person" as const, id: "u1" };
      await store.transaction((tx) =>
        tx.audit.appendAudit([
          { workspaceId: ws, recordId: "byreq", object: "contact", action: "create", actor, changes: [], at: T0, requestId: "req-audit" },
        ]),
      );
      expect((await store.audit.auditOfRequest(ws, "req-audit", 10)).map((e) => e.recordId)).toEqual(["byreq"]);
      expect(await store.audit.auditOfRequest(other, "req-audit", 10)).toEqual([]);
    });

    it("keeps event positions in commit order under concurrent writers", async () => {
      const writers = Array.from({ length: 20 }, (_, i) =>
        store.transaction(async (tx) => {
          const r = contact(ws, { last_name: `Concurrent ${i}` });
          await tx.records.insertRecords([r]);
          await tx.events.appendEvents([event(ws, r.id, `ev-conc-${kind.name}-${i}`)]);
        }),
      );
      await Promise.all(writers);
      const events = (await store.events.readEvents(0, 10_000, ws)).filter((e) => e.id.startsWith("ev-conc-"));
      expect(events).toHaveLength(20);
      const positions = events.map((e) => e.position);
      expect(new Set(positions).size).toBe(20);
    });
  });
}
