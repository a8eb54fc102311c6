/**
 * What a model learns and reads, in words, for its card on the AI models page and for scoring
 * rules that read it: "Predicts the chance a lead converts: converted = converted; lost =
 * unqualified; reads 3 activity types (call, email, meeting) and the values of source, country."
 */

/** What the sentences read of a model (its API answer has these; pure, so tests import it). */
interface ModelReads {
  target: string;
  converted: readonly string[];
  lost: readonly string[];
  text_fields: readonly string[];
  value_fields: readonly string[];
  activity_types: readonly string[];
}

const list = (xs: readonly string[]) => xs.join(", ");
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What it reads: the words of some fields, the values of others, and (conversion) activity counts. */
export function readsWords(m: Pick<ModelReads, "text_fields" | "value_fields" | "activity_types">): string {
  const parts = [
    m.activity_types.length > 0 ? `${plural(m.activity_types.length, "activity type")} (${list(m.activity_types)})` : "",
    m.text_fields.length > 0 ? `the words of ${list(m.text_fields)}` : "",
    m.value_fields.length > 0 ? `the values of ${list(m.value_fields)}` : "",
  ].filter(Boolean);
  if (parts.length === 0) return "nothing";
  return parts.length === 1 ? (parts[0] as string) : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/** A conversion model's outcomes: "converted = converted; lost = unqualified (status)". */
export function outcomesWords(m: Pick<ModelReads, "target" | "converted" | "lost">): string {
  return `converted = ${list(m.converted)}; lost = ${list(m.lost)} (its ${m.target})`;
}

/** "50 %" for 0.5; whole percents unless the threshold has a finer one. */
export const thresholdPct = (t: number) => `${Math.round(t * 1000) / 10} %`;
