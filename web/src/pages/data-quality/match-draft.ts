/**
 * The match rule form's state (pure): a draft from a rule or from nothing, the API body from a
 * draft (what the person typed, unchecked: the server checks and names the path of what is
 * wrong), and the server's problems by the form's field ("fields[0].weight" → that row's weight).
 */
import type { MatchObject, MatchRule, MatchRuleBody } from "./matching-data";

export interface FieldRow {
  field: string;
  weight: string;
  similarity: MatchRule["fields"][number]["similarity"];
}

export interface MatchDraft {
  name: string;
  description: string;
  object: MatchObject;
  compareWith: MatchObject[];
  keys: MatchRule["keys"];
  fields: FieldRow[];
  /** Percent, as typed. */
  threshold: string;
  action: MatchRule["action"];
  /** Percent, as typed; only with action merge. */
  mergeAbove: string;
  enabled: boolean;
}

const pct = (n: number) => String(Math.round(n * 1000) / 10);

export function draftOf(rule: MatchRule | undefined): MatchDraft {
  if (!rule)
    return {
      name: "",
      description: "",
      object: "contact",
      compareWith: ["contact"],
      keys: ["email", "phone"],
      fields: [
        { field: "email", weight: "3", similarity: "levenshtein" },
        { field: "phone", weight: "2", similarity: "exact" },
      ],
      threshold: "80",
      action: "alert",
      mergeAbove: "",
      enabled: true,
    };
  return {
    name: rule.name,
    description: rule.description,
    object: rule.object,
    compareWith: [...rule.compare_with],
    keys: [...rule.keys],
    fields: rule.fields.map((f) => ({ field: f.field, weight: String(f.weight), similarity: f.similarity })),
    threshold: pct(rule.threshold),
    action: rule.action,
    mergeAbove: rule.merge_above === null ? "" : pct(rule.merge_above),
    enabled: rule.enabled,
  };
}

/** A typed number, or NaN (the server refuses it, naming the field). */
const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));
const fraction = (s: string) => Math.round(num(s) * 10) / 1000;

export function bodyOf(d: MatchDraft): MatchRuleBody {
  return {
    name: d.name.trim(),
    description: d.description.trim(),
    object: d.object,
    compare_with: d.compareWith,
    keys: d.keys,
    fields: d.fields.map((f) => ({ field: f.field, weight: num(f.weight), similarity: f.similarity })),
    threshold: fraction(d.threshold),
    action: d.action,
    merge_above: d.action === "merge" ? fraction(d.mergeAbove) : null,
    enabled: d.enabled,
  };
}

/** The server's `errors[]` by path ("threshold", "fields[0].weight", "keys[1]" → "keys"); the rest apart. */
export function problemsOf(errors: readonly { path: string; message: string }[]): { byPath: Map<string, string>; other: string[] } {
  const byPath = new Map<string, string>();
  const other: string[] = [];
  for (const e of errors) {
    const path = e.path.replace(/^(keys|compare_with)\[\d+\]$/, "$1");
    if (path === "") other.push(e.message);
    else if (!byPath.has(path)) byPath.set(path, e.message);
  }
  return { byPath, other };
}
