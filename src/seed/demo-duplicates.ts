/**
 * The demo's duplicates (issue 20; docs/data-quality.md, "Scan"), seeded after everything else
 * so that every other id stays what it was: 5 % of the demo's contacts get a duplicate (exact,
 * case, punctuation, typo, phone format; src/seed/duplicates.ts), the default match rules are
 * added, and a scan of contacts queues the pairs — the review queue shows them on first start.
 * Returns the truth and what the scan found, for the test that measures precision and recall.
 */
import type { CallContext } from "../app/context.js";
import type { Services } from "../composition/root.js";
import type { StoredRecord } from "../store/ports.js";
import { subjectKeyOf } from "../store/review-queue-ports.js";
import { DEFAULT_MATCH_RULES, duplicateVariants, type VariantKind } from "./duplicates.js";
import { Random } from "./random.js";

export const DEMO_DUPLICATE_RATE = 0.05;

export interface DemoDuplicates {
  /** The seeded pairs, as review subject keys. */
  truth: string[];
  kinds: VariantKind[];
  /** The pairs the scan found. */
  found: string[];
}

export async function seedDuplicates(s: Services, ctx: CallContext, contacts: readonly StoredRecord[]): Promise<DemoDuplicates> {
  // Its own PRNG: the demo's other records come out the same with or without this step.
  const seeded = duplicateVariants(
    contacts.map((c) => c.data),
    DEMO_DUPLICATE_RATE,
    new Random(2020),
  );
  const variants = await s.writer.createMany(ctx, "contact", seeded.rows, { max: 10_000 });
  for (const rule of DEFAULT_MATCH_RULES) await s.matchRules.create(ctx, rule);
  const { pairs } = await s.dedupeScans.scan(ctx, "contact");
  const truth = variants.map((v, k) => subjectKeyOf("duplicate", v.id, (contacts[seeded.of[k] as number] as StoredRecord).id));
  return { truth, kinds: seeded.kinds, found: pairs };
}
