/**
 * What a scoring model's fit rules see of a record: the facts its conditions need (facts.ts) and,
 * for its AI prediction rules, each conversion model's chance that the record converts
 * (docs/scoring.md "AI prediction rules") — asked here, before the pure fitHits(), as the
 * executor asks a classify step's model before decide().
 */
import type { ConversionFact, Facts } from "../../engine/conditions.js";
import type { CompiledScoreModel } from "../../engine/scoring/model.js";
import type { StoredRecord, StoreReads } from "../../store/ports.js";
import { loadFacts } from "../facts.js";

/** A conversion AI model's chance that a record converts, with what raised it; null when the model gives none (off, untrained, gone). */
export interface ConversionChances {
  chance(reads: StoreReads, workspaceId: string, model: string, record: StoredRecord): Promise<ConversionFact | null>;
}

/** What evaluates fit rules needs besides the store: the chances AI prediction rules give (the composition root's one ModelPredictor). */
export interface FitDeps {
  conversions: ConversionChances;
}

export async function fitFacts(
  reads: StoreReads,
  conversions: ConversionChances,
  model: CompiledScoreModel,
  record: StoredRecord,
  atMs: number,
): Promise<Facts> {
  const facts = await loadFacts(reads, record, model.fitNeeds, atMs);
  if (model.predictions.length === 0) return facts;
  const chances: Array<[string, ConversionFact | null]> = [];
  for (const name of model.predictions) chances.push([name, await conversions.chance(reads, record.workspaceId, name, record)]);
  // Own properties whatever the names (an AI model may be called "__proto__"): fromEntries defines, it does not assign.
  return { ...facts, conversions: Object.fromEntries(chances) };
}
