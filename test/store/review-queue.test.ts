/**
 * The data review queue on SQLite and a real PostgreSQL (issue 20): one open item per subject
 * key (a second add returns the open one, even inside a transaction on PostgreSQL, which a unique
 * violation would abort), a closed problem can be queued again, a dismissed duplicate pair never
 * is, items stay in their workspace, lists filter and page newest first, closing is once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/ports.js";
import { type ReviewItemRow, subjectKeyOf } from "../../src/store/review-queue-ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T0 = "2026-01-01T00:00:00.000Z";

let seq = 0;
const item = (workspaceId: string, extra: Partial<ReviewItemRow> = {}): ReviewItemRow => {
  seq += 1;
  const recordId = extra.recordId ?? "r1";
  return {
    workspaceId,
    id: `i${seq}`,
    kind: "rule",
    subjectKey: subjectKeyOf("rule", recordId, "rule-1"),
    object: "lead",
    recordId,
    otherRecordId: null,
    reason: "Budget should be confirmed",
    detail: { ruleId: "rule-1", field: "budget_confirmed" },
    status: "open",
    resolution: null,
    assigneeId: null,
    createdBy: "person:u1",
    createdAt: new Date(Date.parse(T0) + seq * 1000).toISOString(),
    resolvedAt: null,
    resolvedBy: null,
    note: null,
    ...extra,
  };
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`the data review queue: ${kind.name}`, () => {
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

    it("queues a problem once while it is open, and the transaction goes on after the second add", async () => {
      const first = item("ws-a");
      expect(await store.transaction((tx) => tx.reviewQueue.addReviewItem(first))).toEqual({ added: true, id: first.id });
      const again = await store.transaction(async (tx) => {
        const r = await tx.reviewQueue.addReviewItem(item("ws-a"));
        // Still usable: a unique violation would have aborted a PostgreSQL transaction here.
        await tx.reviewQueue.addReviewItem(item("ws-a", { recordId: "r2", subjectKey: subjectKeyOf("rule", "r2", "rule-1") }));
        return r;
      });
      expect(again).toEqual({ added: false, id: first.id });
      const got = await store.reviewQueue.getReviewItem("ws-a", first.id);
      expect(got).toEqual(first);
      expect(await store.reviewQueue.getReviewItem("ws-b", first.id)).toBeUndefined();
      // The same subject in another workspace is another problem.
      expect((await store.transaction((tx) => tx.reviewQueue.addReviewItem(item("ws-b")))).added).toBe(true);
    });

    it("closes once, then queues the problem again", async () => {
      const [open] = await store.reviewQueue.listReviewItems({ workspaceId: "ws-a", status: "open", recordId: "r1", limit: 10 });
      if (!open) throw new Error("no open item");
      const close = { status: "resolved", resolution: "fixed", by: "person:u1", at: T0, note: "filled in" } as const;
      expect(await store.transaction((tx) => tx.reviewQueue.closeReviewItem("ws-a", open.id, close))).toBe(true);
      expect(await store.transaction((tx) => tx.reviewQueue.closeReviewItem("ws-a", open.id, close))).toBe(false);
      const closed = await store.reviewQueue.getReviewItem("ws-a", open.id);
      expect(closed).toMatchObject({ status: "resolved", resolution: "fixed", resolvedBy: "person:u1", note: "filled in" });
      expect((await store.transaction((tx) => tx.reviewQueue.addReviewItem(item("ws-a")))).added).toBe(true);
    });

    it("never queues a dismissed duplicate pair again, whichever side reports it", async () => {
      const pair = item("ws-a", {
        kind: "duplicate",
        recordId: "p1",
        otherRecordId: "p2",
        subjectKey: subjectKeyOf("duplicate", "p1", "p2"),
        detail: { score: 0.93, keys: ["email"], fields: [{ name: "email", similarity: 1 }] },
      });
      expect(subjectKeyOf("duplicate", "p2", "p1")).toBe(pair.subjectKey);
      await store.transaction((tx) => tx.reviewQueue.addReviewItem(pair));
      expect(await store.reviewQueue.wasDismissed("ws-a", pair.subjectKey)).toBe(false);
      const n = await store.transaction((tx) =>
        tx.reviewQueue.closeReviewItemsByKey("ws-a", [pair.subjectKey], { resolution: "dismissed", by: "person:u1", at: T0 }),
      );
      expect(n).toBe(1);
      expect(await store.reviewQueue.wasDismissed("ws-a", pair.subjectKey)).toBe(true);
      const reported = item("ws-a", {
        kind: "duplicate",
        recordId: "p2",
        otherRecordId: "p1",
        subjectKey: subjectKeyOf("duplicate", "p2", "p1"),
      });
      expect(await store.transaction((tx) => tx.reviewQueue.addReviewItem(reported))).toEqual({ added: false, id: null });
    });

    it("assigns open items only, filters, counts and pages newest first", async () => {
      const open = await store.reviewQueue.listReviewItems({ workspaceId: "ws-a", status: "open", limit: 10 });
      expect(open.length).toBeGreaterThanOrEqual(2);
      const [a] = open;
      if (!a) throw new Error("no item");
      expect(await store.transaction((tx) => tx.reviewQueue.assignReviewItem("ws-a", a.id, "u7"))).toBe(true);
      const mine = await store.reviewQueue.listReviewItems({ workspaceId: "ws-a", assigneeId: "u7", limit: 10 });
      expect(mine.map((i) => i.id)).toEqual([a.id]);
      const unassigned = await store.reviewQueue.listReviewItems({ workspaceId: "ws-a", status: "open", assigneeId: null, limit: 10 });
      expect(unassigned.some((i) => i.id === a.id)).toBe(false);
      const dismissed = await store.reviewQueue.listReviewItems({ workspaceId: "ws-a", status: "dismissed", limit: 10 });
      if (!dismissed[0]) throw new Error("no dismissed item");
      expect(await store.transaction((tx) => tx.reviewQueue.assignReviewItem("ws-a", dismissed[0]?.id ?? "", "u7"))).toBe(false);

      const all = await store.reviewQueue.listReviewItems({ workspaceId: "ws-a", limit: 100 });
      const times = all.map((i) => i.createdAt);
      expect([...times].sort().reverse()).toEqual(times);
      const page1 = await store.reviewQueue.listReviewItems({ workspaceId: "ws-a", limit: 2 });
      const last = page1[1];
      if (!last) throw new Error("short page");
      const page2 = await store.reviewQueue.listReviewItems({
        workspaceId: "ws-a",
        limit: 100,
        after: { createdAt: last.createdAt, id: last.id },
      });
      expect([...page1, ...page2].map((i) => i.id)).toEqual(all.map((i) => i.id));
      expect(await store.reviewQueue.countOpenReviewItems("ws-a")).toEqual({ rule: open.length });
      expect(await store.reviewQueue.countOpenReviewItems("ws-b")).toEqual({ rule: 1 });
    });
  });
}
