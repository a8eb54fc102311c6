/**
 * What a conversion model reads of a record (issue 24; docs/ai.md "Conversion models"), as the
 * named numbers logistic regression weighs:
 * - the words of its text fields, each `field:word` → 1;
 * - a value field's text, choice or yes/no value, `field=value` → 1 (cut like a classifier's);
 * - a number field's value as `field` → log10(1 + value): a company of 5,000 people is not a
 *   thousand times the evidence of one of 5 — ten times the size adds one;
 * - the record's activities of each type read, `activities:type` → log2(1 + count): the first
 *   meeting says more than the tenth.
 */
import { textFeatures } from "./text-features.js";
import { MAX_VALUE_CHARS } from "./ticket-features.js";

export const ACTIVITY_PREFIX = "activities:";

export interface ConversionReads {
  text_fields: readonly string[];
  value_fields: readonly string[];
  activity_types: readonly string[];
}

/** How many activities of each type are about the record (types not read may be absent). */
export type ActivityCounts = Readonly<Record<string, number>>;

export function conversionFeatures(
  data: Readonly<Record<string, unknown>>,
  reads: ConversionReads,
  activities: ActivityCounts,
): Record<string, number> {
  const texts: Record<string, string> = {};
  for (const f of reads.text_fields) {
    const v = data[f];
    if (typeof v === "string") texts[f] = v;
  }
  const out: Record<string, number> = {};
  for (const word of textFeatures(texts)) out[word] = 1;
  for (const f of reads.value_fields) {
    const v = data[f];
    if (typeof v === "number" && Number.isFinite(v)) out[f] = Math.log10(1 + Math.max(0, v));
    else if (typeof v === "string" && v !== "") out[`${f}=${v.toLowerCase().slice(0, MAX_VALUE_CHARS)}`] = 1;
    else if (typeof v === "boolean") out[`${f}=${v}`] = 1;
  }
  for (const t of reads.activity_types) {
    const n = activities[t] ?? 0;
    if (n > 0) out[`${ACTIVITY_PREFIX}${t}`] = Math.log2(1 + n);
  }
  return out;
}

const ACTIVITY_WORDS: Readonly<Record<string, [string, string]>> = {
  call: ["call", "calls"],
  email: ["email", "emails"],
  meeting: ["meeting", "meetings"],
  note: ["note", "notes"],
  email_opened: ["tracked email open", "tracked email opens"],
  email_clicked: ["tracked email click", "tracked email clicks"],
};

/** A conversion feature in words, with the record's value: "3 meetings logged", "employee_count = 250", "source = webinar". */
export function conversionFeatureInWords(feature: string, data: Readonly<Record<string, unknown>>, activities: ActivityCounts): string {
  if (feature.startsWith(ACTIVITY_PREFIX)) {
    const type = feature.slice(ACTIVITY_PREFIX.length);
    const n = activities[type] ?? 0;
    const [one, many] = ACTIVITY_WORDS[type] ?? [type, type];
    return `${n} ${n === 1 ? one : many} logged`;
  }
  const eq = feature.indexOf("=");
  if (eq > 0) return `${feature.slice(0, eq)} = ${feature.slice(eq + 1)}`;
  const colon = feature.indexOf(":");
  if (colon > 0) {
    const token = feature.slice(colon + 1);
    return `"${token.startsWith("not_") ? `not ${token.slice(4)}` : token}" in the ${feature.slice(0, colon)}`;
  }
  return `${feature} = ${String(data[feature])}`;
}
