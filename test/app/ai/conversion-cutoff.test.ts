/**
 * A conversion model learns from what a record had when it reached its outcome, not what followed
 * (docs/ai.md "Conversion models"), on both stores: leads disqualified and then given three
 * meetings each (a "we'll keep in touch" drip) and converted leads that took a meeting before
 * converting must teach that meetings mean converting — counted over every activity, the drip
 * taught the opposite. When an outcome was reached is read from the audit trail: the last change
 * of the target to the value it has now, a creation with it set, and a record with no trail at its
 * last change; an activity logged later that took place before still counts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activityCountsUntil } from "../../../src/app/ai/activity-counts.js";
import { outcomeInstants } from "../../../src/app/ai/outcome-instants.js";
import { predictRecord } from "../../../src/app/ai/prediction.js";
import { type CallContext, systemContext } from "../../../src/app/context.js";
import { seededIdGenerator } from "../../../src/app/ports.js";
import { SimulatedClock } from "../../../src/app/sandbox/simulated-clock.js";
import { buildServices, type Services } from "../../../src/composition/root.js";
import type { LogisticModel } from "../../../src/engine/ai/logistic.js";
import type { StoredRecord } from "../../../src/store/ports.js";
import { STORES, type TestStore } from "../../helpers/stores.js";

const HOUR = 3_600_000;
const START = Date.parse("2026-03-02T09:00:00.000Z");

const MODEL = {
  kind: "conversion",
  name: "Lead conversion",
  object: "lead",
  target: "status",
  converted: ["converted"],
  lost: ["unqualified"],
  value_fields: ["source"],
  activity_types: ["meeting", "call"],
  threshold: 0.5,
} as const;

const iso = (ms: number) => new Date(ms).toISOString();

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`conversion training's activity cutoff, on ${kind.name}`, () => {
    let t: TestStore;
    let s: Services;
    let ctx: CallContext;
    const clock = new SimulatedClock(new Date(START));
    const meeting = (lead: StoredRecord, extra: Record<string, unknown> = {}) => ({
      type: "meeting",
      subject: "Meeting",
      related_id: lead.id,
      ...extra,
    });
    let converted: StoredRecord[] = [];
    let lost: StoredRecord[] = [];
    let reopened: StoredRecord;
    let bornConverted: StoredRecord;
    let closedAt: number;

    beforeAll(async () => {
      t = await kind.open();
      s = buildServices(
        t.store,
        clock,
        seededIdGenerator(7, () => clock.now().getTime()),
      );
      ctx = systemContext((await s.workspaces.create("cutoff", "Cutoff")).id, "test");
      // Day one: 160 leads arrive, all worked the same way (a call each).
      const leads = await s.writer.createMany(
        ctx,
        "lead",
        Array.from({ length: 160 }, (_, i) => ({ last_name: `Lead ${i}`, source: "web_form", status: "working" })),
      );
      converted = leads.slice(0, 80);
      lost = leads.slice(80);
      clock.advance(HOUR);
      await s.writer.createMany(
        ctx,
        "activity",
        leads.map((l) => ({ type: "call", subject: "Call", related_id: l.id })),
      );
      // Half the leads that will convert take a meeting before they do; none of the others.
      clock.advance(HOUR);
      await s.writer.createMany(
        ctx,
        "activity",
        converted.filter((_, i) => i % 2 === 0).map((l) => meeting(l)),
      );
      // The outcomes.
      clock.advance(24 * HOUR);
      closedAt = clock.now().getTime();
      await s.writer.updateMany(ctx, "lead", [
        ...converted.map((l) => ({ id: l.id, fields: { status: "converted" } })),
        ...lost.map((l) => ({ id: l.id, fields: { status: "unqualified" } })),
      ]);
      // After: each disqualified lead gets three meetings (a drip), the converted ones none.
      clock.advance(24 * HOUR);
      await s.writer.createMany(
        ctx,
        "activity",
        lost.flatMap((l) => [meeting(l), meeting(l), meeting(l)]),
      );
      // A lead converted, reopened and converted again: its outcome is the second conversion.
      reopened = (
        await s.writer.createMany(ctx, "lead", [{ last_name: "Reopened", source: "web_form", status: "converted" }])
      )[0] as StoredRecord;
      clock.advance(HOUR);
      await s.writer.updateMany(ctx, "lead", [{ id: reopened.id, fields: { status: "working" } }]);
      clock.advance(HOUR);
      await s.writer.createMany(ctx, "activity", [meeting(reopened)]);
      clock.advance(HOUR);
      await s.writer.updateMany(ctx, "lead", [{ id: reopened.id, fields: { status: "converted" } }]);
      clock.advance(HOUR);
      // Logged now, but it took place before the second conversion: it counts. The next one does not.
      await s.writer.createMany(ctx, "activity", [
        meeting(reopened, { occurred_at: iso(clock.now().getTime() - 90 * 60_000) }),
        meeting(reopened),
      ]);
      // A lead written converted: its creation is its outcome; a meeting the same instant counts, a later one not.
      bornConverted = (
        await s.writer.createMany(ctx, "lead", [{ last_name: "Born", source: "web_form", status: "converted" }])
      )[0] as StoredRecord;
      await s.writer.createMany(ctx, "activity", [meeting(bornConverted)]);
      clock.advance(HOUR);
      await s.writer.createMany(ctx, "activity", [meeting(bornConverted)]);
      await s.aiModels.create(ctx, MODEL);
    }, 60_000);
    afterAll(async () => {
      await s?.aiTraining.stop();
      await t?.dispose();
    });

    it("finds when each record reached its outcome in the audit trail, and counts what it had by then", async () => {
      const ids = [reopened.id, bornConverted.id, lost[0]?.id, converted[0]?.id, converted[1]?.id] as string[];
      const page = (await Promise.all(ids.map((id) => t.store.records.getRecord(ctx.workspaceId, id)))) as StoredRecord[];
      const until = await outcomeInstants(t.store, ctx.workspaceId, page, "status");
      expect(iso(until.get(reopened.id) as number)).toBe(iso(Date.parse(reopened.createdAt) + 3 * HOUR));
      expect(iso(until.get(bornConverted.id) as number)).toBe(bornConverted.createdAt);
      expect(iso(until.get(lost[0]?.id as string) as number)).toBe(iso(closedAt));

      const counts = await activityCountsUntil(t.store, ctx.workspaceId, until, MODEL.activity_types);
      expect(counts.get(reopened.id)).toEqual({ meeting: 2 });
      expect(counts.get(bornConverted.id)).toEqual({ meeting: 1 });
      expect(counts.get(lost[0]?.id as string)).toEqual({ call: 1 });
      expect(counts.get(converted[0]?.id as string)).toEqual({ call: 1, meeting: 1 });
      expect(counts.get(converted[1]?.id as string)).toEqual({ call: 1 });
    });

    it("a record with no trail (copied into a sandbox) is taken at its last change", async () => {
      const at = iso(START + 1000 * HOUR);
      const copied: StoredRecord = {
        workspaceId: ctx.workspaceId,
        id: "copied-lead",
        object: "lead",
        version: 3,
        data: { last_name: "Copied", status: "converted" },
        createdAt: iso(START),
        updatedAt: at,
      };
      const until = await outcomeInstants(t.store, ctx.workspaceId, [copied], "status");
      expect(iso(until.get("copied-lead") as number)).toBe(at);
    });

    it("learns that meetings before the outcome mean converting, not the drip that followed disqualification", async () => {
      const job = await s.aiTraining.wait(ctx, (await s.aiTraining.start(ctx, MODEL.name)).id);
      expect(job).toMatchObject({ state: "succeeded" });
      const model = await s.aiModels.get(ctx, MODEL.name);
      expect(model.training?.label_counts).toEqual({ converted: 82, lost: 80 });
      const row = await t.store.aiModels.getAiModel(ctx.workspaceId, MODEL.name);
      const params = (row?.trained as { params: LogisticModel } | undefined)?.params ?? { kind: "logistic", bias: 0, weights: {} };
      expect(params.weights["activities:meeting"]).toBeGreaterThan(0.5);
      const spec = { value_fields: ["source"], text_fields: [], activity_types: [...MODEL.activity_types], threshold: 0.5 };
      const met = predictRecord(params, spec, { source: "web_form" }, { call: 1, meeting: 1 });
      const not = predictRecord(params, spec, { source: "web_form" }, { call: 1 });
      expect(met.probabilities.converted ?? 0).toBeGreaterThan((not.probabilities.converted ?? 1) + 0.2);
    });
  });
}
