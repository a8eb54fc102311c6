/**
 * Claimed work executed side by side (lanes, as on PostgreSQL) is grouped by record: the runs of
 * one record share a transaction, so that two lanes never write the same record (one would wait
 * for the other's commit), and every step still does what it would have done alone.
 */
import { describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { systemClock, ulidGenerator } from "../../src/app/ports.js";
import { RecordWriter } from "../../src/app/records/record-writer.js";
import { CompiledCache } from "../../src/runtime/compiled-cache.js";
import { Executor } from "../../src/runtime/executor.js";
import type { Store, StoreTx } from "../../src/store/ports.js";
import type { RunRow } from "../../src/store/workflow-ports.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

/** The store, noting for each transaction the records of the runs it moved. */
function recording(store: Store) {
  const transactions: Array<Set<string>> = [];
  const wrapped = new Proxy(store, {
    get(target, prop) {
      if (prop === "transaction")
        return <T>(fn: (tx: StoreTx) => Promise<T>) =>
          target.transaction(async (tx) => {
            const written = new Set<string>();
            const runs = new Proxy(tx.runs, {
              get(t, p) {
                if (p === "updateRuns")
                  return (updates: ReadonlyArray<{ run: RunRow; expectedSeq: number }>) => {
                    for (const { run } of updates) written.add(run.recordId);
                    return t.updateRuns(updates);
                  };
                if (p === "updateRun")
                  return (run: RunRow, expectedSeq: number) => {
                    written.add(run.recordId);
                    return t.updateRun(run, expectedSeq);
                  };
                const v = Reflect.get(t, p, t);
                return typeof v === "function" ? v.bind(t) : v;
              },
            });
            const result = await fn(
              new Proxy(tx, {
                get(t, p) {
                  if (p === "runs") return runs;
                  const v = Reflect.get(t, p, t);
                  return typeof v === "function" ? v.bind(t) : v;
                },
              }),
            );
            transactions.push(written);
            return result;
          });
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  return { store: wrapped, transactions };
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`claimed work in lanes on ${kind.name}`, () => {
    const env = useTestServer(kind);

    it("puts the runs of one record in one transaction, and each run does its step", async () => {
      const ws = env.s.workspace.id;
      const manual = (key: string, action: Record<string, unknown>) =>
        env.s.publish({
          key,
          name: key,
          description: "Why it exists: a test fixture (publishing needs a description).",
          object: "contact",
          trigger: { type: "manual" },
          start: "act",
          steps: { act: { type: "action", action } },
        });
      const score = await manual("lanes-score", { type: "change_score", by: 5 });
      const status = await manual("lanes-status", { type: "update_fields", fields: { status: "active" } });
      const contacts: string[] = [];
      for (let i = 0; i < 4; i++) contacts.push((await env.s.post("/api/v1/contacts", { last_name: `Lane ${i}`, score: 1 })).id);
      const ctx = systemContext(ws, "lanes-test");
      // Enrolled one workflow after the other: a record's two items are far apart in the claim.
      await env.s.services.workflows.enroll(ctx, score.id, contacts);
      await env.s.services.workflows.enroll(ctx, status.id, contacts);

      const { store, transactions } = recording(env.t.store);
      const ids = ulidGenerator();
      const executor = new Executor({
        store,
        writer: new RecordWriter(store, systemClock, ids),
        cache: new CompiledCache(),
        clock: systemClock,
        ids,
        owner: "lanes-test-worker",
      });
      const items = await env.t.store.work.claimWork("lanes-test-worker", 100, 15_000);
      expect(items).toHaveLength(8);
      expect(await executor.processAll(items, { perCommit: 100, chain: 1, lanes: 4 })).toBe(8);

      const groups = transactions.filter((t) => t.size > 0);
      for (const id of contacts) expect(groups.filter((t) => t.has(id))).toHaveLength(1);
      expect(groups.length).toBeGreaterThan(1); // still spread over the lanes
      for (const id of contacts) expect(await env.s.get(`/api/v1/contacts/${id}`)).toMatchObject({ score: 6, status: "active" });
      expect(await env.t.store.work.pendingWorkCount()).toBe(0);
    });
  });
}
