/**
 * Why a score changed, in words, from a ledger row: the rule by its label (from the model's
 * current version; a rule since removed is named by its key), and its cause — a field change
 * ("Industry: Retail → Software"), an activity ("Email opened “Your demo”"), a form or hook
 * delivery, points fading or expiring, a rescore under a new version.
 */
import { humanize } from "../../records/model";
import type { LedgerRow, RecordScore } from "./data";
import { signed } from "./words";

/** Group and rule labels by key. */
export interface Labels {
  groups: ReadonlyMap<string, string>;
  rules: ReadonlyMap<string, string>;
}

export function labelsOf(s: RecordScore): Labels {
  return {
    groups: new Map(s.groups.map((g) => [g.key, g.label])),
    rules: new Map(s.groups.flatMap((g) => g.rules.map((r) => [r.key, r.label] as const))),
  };
}

const value = (v: unknown): string => (v === null || v === undefined || v === "" ? "empty" : typeof v === "string" ? v : JSON.stringify(v));

export function ruleName(r: LedgerRow, labels: Labels): string {
  if (r.rule_key) return labels.rules.get(r.rule_key) ?? r.rule_key;
  if (r.group_key) return labels.groups.get(r.group_key) ?? r.group_key;
  return r.kind === "decay" || r.kind === "expiry" ? "Engagement points fading" : r.kind === "rescore" ? "New version" : "—";
}

const str = (c: Record<string, unknown>, k: string) => (typeof c[k] === "string" && c[k] !== "" ? (c[k] as string) : undefined);

export function causeWords(r: LedgerRow, labels: Labels): string {
  const rule = r.rule_key ? `“${labels.rules.get(r.rule_key) ?? r.rule_key}”` : undefined;
  const c = r.cause ?? {};
  switch (r.kind) {
    case "fit": {
      const changes = Array.isArray(c.changes) ? (c.changes as { field: string; old: unknown; new: unknown }[]) : [];
      const what = changes.map((x) => `${humanize(x.field)}: ${value(x.old)} → ${value(x.new)}`).join("; ");
      const verb = (r.points ?? 0) >= 0 ? "now applies" : "no longer applies";
      return `${rule ? `${rule} ${verb}` : "Fit changed"}${what ? ` (${what})` : ""}`;
    }
    case "engagement": {
      const type = str(c, "activity_type") ?? str(c, "type");
      const source = type
        ? `${humanize(type)}${str(c, "subject") ? ` “${str(c, "subject")}”` : ""}`
        : str(c, "source")
          ? `a delivery from ${str(c, "source")}`
          : "an event";
      return `${rule ?? "Engagement"}: ${source}, ${signed(r.points ?? 0)} points`;
    }
    case "decay":
      return "Engagement points faded with time";
    case "expiry":
      return "Engagement points expired";
    case "rescore":
      return `Rescored under version ${r.version}`;
  }
}
