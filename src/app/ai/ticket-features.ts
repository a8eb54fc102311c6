/**
 * What the ticket classifier reads of a ticket (issue 24; docs/ai.md): the words of its subject
 * and description, and the values of a few fields as `field=value` (the plan, the channel). A
 * field's value is cut to a short token so that a free-text field cannot flood the model.
 */
import { textFeatures } from "./text-features.js";

export const MAX_VALUE_CHARS = 40;

export function recordFeatures(
  data: Readonly<Record<string, unknown>>,
  textFields: readonly string[],
  valueFields: readonly string[],
): string[] {
  const texts: Record<string, string> = {};
  for (const f of textFields) {
    const v = data[f];
    if (typeof v === "string") texts[f] = v;
  }
  const out = textFeatures(texts);
  for (const f of valueFields) {
    const v = data[f];
    if (v === null || v === undefined || v === "") continue;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean")
      out.push(`${f}=${String(v).toLowerCase().slice(0, MAX_VALUE_CHARS)}`);
  }
  return out;
}
