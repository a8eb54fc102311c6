/**
 * The fan-out hooks inside a real matcher and executor (a worker of their own, on a real store):
 * committed record events and logged workflow steps become items for the subscriptions that
 * name them, in the transaction that handled them. `enqueue` collects what the outbox's
 * `tx.insertOutboxItems` will receive once the outbox is merged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { systemClock, ulidGenerator } from "../../src/app/ports.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import type { OutboxItem } from "../../src/connectors/contract.js";
import { CompiledCache } from "../../src/runtime/compiled-cache.js";
import { Executor } from "../../src/runtime/executor.js";
import { DEFAULT_LIMITS, Matcher } from "../../src/runtime/matcher.js";
import { webhookEventHook, webhookStepHook } from "../../src/runtime/webhook-fan-out.js";
import { DEFAULT_WORKER, Worker } from "../../src/runtime/worker.js";
import { STORES, type TestStore } from "../helpers/stores.js";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`webhook fan-out in the runtime on ${kind.name}`, () => {
    let t: TestStore;
    let services: Services;
    let worker: Worker;
    const enqueued: OutboxItem[] = [];
    let ws: string;

    beforeAll(async () => {
      t = await kind.open();
      services = buildServices(t.store);
      const ids = ulidGenerator();
      const cache = new CompiledCache();
      const matcher = new Matcher({ cache, clock: systemClock, ids, limits: DEFAULT_LIMITS });
      const executor = new Executor({ store: t.store, writer: services.writer, cache, clock: systemClock, ids, owner: "fan-out-test" });
      const enqueue = async (_tx: unknown, items: OutboxItem[]) => {
        enqueued.push(...items);
      };
      matcher.eventHooks.push(webhookEventHook(ids, enqueue));
      executor.stepHooks.push(webhookStepHook(ids, enqueue));
      worker = new Worker({ store: t.store, matcher, executor, owner: "fan-out-test" }, DEFAULT_WORKER);
      ws = (await services.workspaces.create("acme", "Acme")).id;
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("record events reach matching subscriptions once each; steps reach those naming them", async () => {
      const ctx = systemContext(ws);
      // Fan-out never opens the secret (the deliverer does): any sealed text will do here.
      const sealed = "sealed-elsewhere";
      const now = new Date().toISOString();
      const row = (id: string, events: string[]) => ({
        workspaceId: ws,
        id,
        url: "https://example.com",
        description: "",
        events,
        secretSealed: sealed,
        active: true,
        createdAt: now,
        updatedAt: now,
      });
      await t.store.transaction(async (tx) => {
        await tx.subscriptions.insertWebhookSubscription(row("leads", ["lead.created", "lead.updated"]));
        await tx.subscriptions.insertWebhookSubscription(row("steps", ["workflow.step:qualify/mark"]));
      });
      const saved = await services.workflows.saveDraft(ctx, {
        key: "qualify",
        name: "Qualify",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "lead",
        trigger: { type: "record_created" },
        start: "mark",
        steps: {
          mark: { type: "action", action: { type: "update_fields", fields: { status: "working" } }, next: "done" },
          done: { type: "end" },
        },
      });
      await services.workflows.publish(ctx, saved.workflow.id);

      const lead = await services.writer.create(ctx, "lead", { last_name: "Lovelace" });
      await worker.drain();

      const keys = enqueued.map((i) => i.key);
      const events = (await t.store.events.readEvents(0, 100, ws)).filter((e) => e.recordId === lead.id);
      expect(events.map((e) => e.type)).toEqual(["record.created", "record.updated"]);
      expect(keys.filter((k) => k.startsWith("leads:")).sort()).toEqual(events.map((e) => `leads:${e.id}`).sort());
      const [run] = await t.store.runs.queryRuns({ workspaceId: ws, recordId: lead.id, limit: 5 });
      const steps = await t.store.runs.listRunSteps(ws, run?.id ?? "");
      const mark = steps.find((s) => s.step === "mark");
      expect(keys.filter((k) => k.startsWith("steps:"))).toEqual([`steps:${run?.id}:${mark?.seq}`]);
      const updated = enqueued.find((i) => i.key === `leads:${events[1]?.id}`);
      expect(updated?.payload).toMatchObject({
        type: "lead.updated",
        data: { changes: [{ field: "status", old: "new", new: "working" }] },
      });
    });
  });
}
