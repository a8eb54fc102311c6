/**
 * What a trained model says of a record's fields (docs/ai.md "Why"): the value, its confidence,
 * every class's probability and the reasons in words. One computation for the API's "try it",
 * the `classify` step and scoring's conversion input, so that what an admin tries is what a
 * workflow or a score gets.
 */
import { predictLogistic } from "../../engine/ai/logistic.js";
import { predictNaiveBayes } from "../../engine/ai/naive-bayes.js";
import type { AiModelSpec } from "./ai-model-schemas.js";
import type { Trained } from "./ai-training.js";
import { type ActivityCounts, conversionFeatureInWords, conversionFeatures } from "./conversion-features.js";
import { featureInWords } from "./feature-words.js";
import { recordFeatures } from "./ticket-features.js";

export interface Predicted {
  value: string;
  confidence: number;
  probabilities: Record<string, number>;
  reasons: Array<{ feature: string; weight: number; text: string }>;
}

/**
 * A classifier's answer is its most likely class; a conversion model's is "converted" when the
 * chance is at or above the model's threshold, "lost" otherwise, its confidence the chance of
 * that answer, its reasons what raised the chance to convert.
 */
export function predictRecord(
  params: Trained["params"],
  spec: Pick<AiModelSpec, "text_fields" | "value_fields" | "activity_types" | "threshold">,
  data: Readonly<Record<string, unknown>>,
  activities: ActivityCounts = {},
): Predicted {
  if (params.kind === "logistic") {
    const p = predictLogistic(params, conversionFeatures(data, spec, activities));
    const converts = p.probability >= spec.threshold;
    return {
      value: converts ? "converted" : "lost",
      confidence: round4(converts ? p.probability : 1 - p.probability),
      probabilities: { converted: round4(p.probability), lost: round4(1 - p.probability) },
      reasons: p.reasons.map((r) => ({ ...r, text: conversionFeatureInWords(r.feature, data, activities) })),
    };
  }
  const p = predictNaiveBayes(params, recordFeatures(data, spec.text_fields, spec.value_fields));
  return {
    value: p.label,
    confidence: round4(p.confidence),
    probabilities: Object.fromEntries(Object.entries(p.probabilities).map(([k, v]) => [k, round4(v)])),
    reasons: p.reasons.map((r) => ({ ...r, text: featureInWords(r.feature) })),
  };
}

export const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
