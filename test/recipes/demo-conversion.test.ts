/**
 * The demo's lead conversion model and the lead score that reads it (issue 24; docs/ai.md
 * "Conversion models", docs/scoring.md "AI prediction rules"): on first start the model
 * "Lead conversion" is trained on the history's converted and disqualified leads, past its gate
 * and on, beats always answering the commoner outcome, and every lead's score breakdown carries
 * the AI rule's points — the model's chance × 15, more for a lead like those that converted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import { seedDemo } from "../../src/seed/demo.js";
import { CONVERSION_HISTORY, DEMO_CONVERSION_MODEL } from "../../src/seed/demo-conversion.js";
import { DEMO_SCORE_MODEL } from "../../src/seed/demo-scoring.js";
import type { StoredRecord } from "../../src/store/ports.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

describe("the seeded demo's conversion model", () => {
  let t: TestStore;
  let s: Services;
  let ws: string;
  beforeAll(async () => {
    t = await sqliteTestStore();
    s = buildServices(t.store);
    ws = (await seedDemo(s)).workspace.id;
  }, 300_000);
  afterAll(async () => t?.dispose());

  it("is trained on the converted and disqualified leads, past the gate, on, and better than the commoner outcome", async () => {
    const model = await s.aiModels.get(systemContext(ws), DEMO_CONVERSION_MODEL);
    expect(model).toMatchObject({ kind: "conversion", enabled: true, target: "status", converted: ["converted"], lost: ["unqualified"] });
    const t = model.training;
    expect(t?.ready).toBe(true);
    expect(t?.label_counts.converted).toBeGreaterThanOrEqual(120);
    expect(t?.label_counts.lost).toBeGreaterThanOrEqual(50);
    expect(t?.records).toBeGreaterThanOrEqual(CONVERSION_HISTORY);
    console.log(
      JSON.stringify({
        records: t?.records,
        held_out: t?.held_out,
        counts: t?.label_counts,
        accuracy: t?.quality.accuracy,
        baseline: t?.quality.baseline,
        classes: t?.quality.classes,
      }),
    );
    expect((t?.quality.accuracy ?? 0) - (t?.quality.baseline ?? 1)).toBeGreaterThanOrEqual(0.05);
  });

  it("gives every open lead the AI rule's points in its score, more to a lead like those that converted", async () => {
    const ctx = systemContext(ws);
    const leads: StoredRecord[] = [];
    for (let cursor: string | null | undefined; cursor !== null; ) {
      const page = await s.records.list(ctx, "lead", { limit: 500, ...(cursor ? { cursor } : {}) });
      leads.push(...page.items.map((i) => i.record));
      cursor = page.nextCursor;
    }
    const open = leads.filter((l) => l.data.status === "new" || l.data.status === "working" || l.data.status === "qualified");
    const points = new Map<string, number>();
    for (const l of open) {
      const [score] = await s.scoring.recordScore(ctx, "leads", l.id);
      expect(score?.model.key).toBe(DEMO_SCORE_MODEL);
      const rule = score?.groups.find((g) => g.key === "ai")?.rules.find((r) => r.key === "predicted");
      expect(rule, l.id).toBeDefined();
      points.set(l.id, rule?.current ?? -1);
    }
    const all = [...points.values()];
    expect(all.every((p) => p > 0 && p <= 15)).toBe(true);
    // Leads someone met are likelier to convert than leads nobody has talked to yet.
    const meetings = await s.store.records.queryRecords({
      workspaceId: ws,
      object: "activity",
      filter: { field: { name: "type", type: "enum", label: "Type" }, op: "eq", value: "meeting" },
      sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
      limit: 10_000,
    });
    const met = new Set(meetings.map((a) => a.data.related_id));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const withMeeting = [...points].filter(([id]) => met.has(id)).map(([, p]) => p);
    const without = [...points].filter(([id]) => !met.has(id)).map(([, p]) => p);
    console.log(
      JSON.stringify({
        open: all.length,
        max: Math.max(...all),
        with_meeting: withMeeting.length,
        mean_with: mean(withMeeting),
        mean_without: mean(without),
      }),
    );
    expect(withMeeting.length).toBeGreaterThan(0);
    expect(mean(withMeeting)).toBeGreaterThan(mean(without));
  });
});
