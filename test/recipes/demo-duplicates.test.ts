/**
 * The demo shows duplicates on first start (issue 20, "Done when"): 5 % of its contacts were
 * seeded with a duplicate (exact, case, punctuation, typo, phone format), the default match rules
 * exist, and the scan queued what it found — at least 95 % of the seeded pairs, with no more than
 * 2 % false pairs among what it found. The figures are printed for the closing note.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServices, type Services } from "../../src/composition/root.js";
import { type SeedResult, seedDemo } from "../../src/seed/demo.js";
import { pairQuality } from "../../src/seed/duplicates.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

describe("the seeded demo's duplicates", () => {
  let t: TestStore;
  let s: Services;
  let seeded: SeedResult;
  beforeAll(async () => {
    t = await sqliteTestStore();
    s = buildServices(t.store);
    seeded = await seedDemo(s);
  }, 240_000);
  afterAll(async () => {
    await s.worker.stop();
    await t?.dispose();
  });

  it("finds ≥ 95 % of the seeded pairs with ≤ 2 % false pairs, and the review queue shows them", async () => {
    const { truth, found } = seeded.duplicates;
    expect(truth).toHaveLength(250);
    const q = pairQuality(found, truth);
    console.log(
      `demo dedupe scan: ${truth.length} seeded pairs, ${found.length} found, precision ${q.precision.toFixed(4)}, recall ${q.recall.toFixed(4)}`,
    );
    expect(q.recall).toBeGreaterThanOrEqual(0.95);
    expect(q.precision).toBeGreaterThanOrEqual(0.98);
    const ws = seeded.workspace.id;
    const open = await t.store.reviewQueue.countOpenReviewItems(ws);
    expect(open.duplicate).toBe(found.length);
    const rules = await t.store.duplicates.listMatchRules(ws);
    expect(rules.map((r) => [r.object, r.enabled])).toEqual(
      expect.arrayContaining([
        ["contact", true],
        ["lead", true],
      ]),
    );
  });
});
