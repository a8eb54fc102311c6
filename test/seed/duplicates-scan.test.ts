/**
 * The scan finds seeded duplicates (issue 20, "Done when"): 2,000 people and 5 % variants of them
 * (exact, case, punctuation, typos, phone formats), written through the RecordWriter, scanned
 * with the default contact rule on both stores: recall ≥ 95 %, false pairs ≤ 2 % (precision ≥
 * 98 %). The figures are printed for the closing note; every variant kind is found.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import { DEFAULT_MATCH_RULES, duplicateVariants, pairQuality, syntheticPeople } from "../../src/seed/duplicates.js";
import { Random } from "../../src/seed/random.js";
import { subjectKeyOf } from "../../src/store/review-queue-ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`the scan finds seeded duplicates on ${kind.name}`, () => {
    let t: TestStore;
    let s: Services;
    beforeAll(async () => {
      t = await kind.open();
      s = buildServices(t.store);
    });
    afterAll(async () => {
      await s.worker.stop();
      await t.dispose();
    });

    it("finds ≥ 95 % of the pairs with ≤ 2 % false pairs", async () => {
      const ws = await s.workspaces.create("dupes", "Dupes");
      const ctx = systemContext(ws.id);
      const rnd = new Random(20);
      const people = syntheticPeople(2_000, rnd);
      const seeded = duplicateVariants(people, 0.05, rnd);
      const originals = await s.writer.createMany(ctx, "contact", people, { max: 10_000 });
      const variants = await s.writer.createMany(ctx, "contact", seeded.rows, { max: 10_000 });
      await s.matchRules.create(ctx, DEFAULT_MATCH_RULES[0]);
      const progress: number[] = [];
      const { scan, pairs } = await s.dedupeScans.scan(ctx, "contact", (p) => progress.push(p.done));
      const truth = variants.map((v, k) => subjectKeyOf("duplicate", v.id, (originals[seeded.of[k] as number] as { id: string }).id));
      const q = pairQuality(pairs, truth);
      console.log(
        `dedupe scan on ${kind.name}: ${truth.length} seeded pairs, ${pairs.length} found, precision ${q.precision.toFixed(4)}, recall ${q.recall.toFixed(4)}`,
      );
      expect(q.recall).toBeGreaterThanOrEqual(0.95);
      expect(q.precision).toBeGreaterThanOrEqual(0.98);
      const missedKinds = new Set(truth.flatMap((p, k) => (pairs.includes(p) ? [] : [seeded.kinds[k]])));
      expect(missedKinds.size, [...missedKinds].join()).toBeLessThan(5);
      expect(scan).toMatchObject({ status: "done", done: scan.total, pairs_found: pairs.length });
      expect(progress.length).toBeGreaterThan(2);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      // Queued once each: a second scan finds the same pairs and queues none of them again.
      const again = await s.dedupeScans.scan(ctx, "contact");
      expect(again.scan).toMatchObject({ pairs_found: pairs.length, pairs_queued: 0 });
      const queued = await s.store.reviewQueue.countOpenReviewItems(ws.id);
      expect(queued.duplicate).toBe(scan.pairs_queued);
    }, 120_000);
  });
}
