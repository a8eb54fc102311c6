/**
 * What a trained model says of a record's fields (docs/ai.md "Why"): the value, its confidence,
 * every class's probability and the reasons in words. One computation for the API's "try it"
 * and the `classify` step, so that what an admin tries is what a workflow gets.
 */
import { predictNaiveBayes } from "../../engine/ai/naive-bayes.js";
import type { AiModelSpec } from "./ai-model-schemas.js";
import type { Trained } from "./ai-training.js";
import { featureInWords } from "./feature-words.js";
import { recordFeatures } from "./ticket-features.js";

export interface Predicted {
  value: string;
  confidence: number;
  probabilities: Record<string, number>;
  reasons: Array<{ feature: string; weight: number; text: string }>;
}

export function predictRecord(
  params: Trained["params"],
  spec: Pick<AiModelSpec, "text_fields" | "value_fields">,
  data: Readonly<Record<string, unknown>>,
): Predicted {
  const p = predictNaiveBayes(params, recordFeatures(data, spec.text_fields, spec.value_fields));
  return {
    value: p.label,
    confidence: round4(p.confidence),
    probabilities: Object.fromEntries(Object.entries(p.probabilities).map(([k, v]) => [k, round4(v)])),
    reasons: p.reasons.map((r) => ({ ...r, text: featureInWords(r.feature) })),
  };
}

export const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
