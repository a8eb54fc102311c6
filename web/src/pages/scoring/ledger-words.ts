/**
 * Why a score changed, in words, from a ledger row: the rule by its label (from the model's
 * current version; a rule since removed is named by its key), and its cause — a field change
 * ("Industry: Retail → Software"), an activity ("Email opened “Your demo”"), a form or hook
 * delivery, points fading or expiring, a rescore under a new version.
 */
import { humanize } from "../../records/model";
import { percent } from "../record/prediction-words";
import type { LedgerRow, RecordScore } from "./data";
import { signed } from "./words";

/** Group labels by key; rule labels and nominal points by "group/rule" (rule keys are unique within their group). */
export interface Labels {
  groups: ReadonlyMap<string, string>;
  rules: ReadonlyMap<string, { label: string; points: number }>;
}

const ruleId = (group: string | null, rule: string) => `${group ?? ""}/${rule}`;

export function labelsOf(s: RecordScore): Labels {
  return {
    groups: new Map(s.groups.map((g) => [g.key, g.label])),
    rules: new Map(s.groups.flatMap((g) => g.rules.map((r) => [ruleId(g.key, r.key), { label: r.label, points: r.points }] as const))),
  };
}

const value = (v: unknown): string => (v === null || v === undefined || v === "" ? "empty" : typeof v === "string" ? v : JSON.stringify(v));

const ruleLabel = (r: LedgerRow, labels: Labels) => (r.rule ? (labels.rules.get(ruleId(r.group, r.rule))?.label ?? r.rule) : undefined);

const str = (c: Record<string, unknown>, k: string) => (typeof c[k] === "string" && c[k] !== "" ? (c[k] as string) : undefined);
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** " — Lead conversion gave a 41 % chance, raised most by 2 meetings logged; source = referral": what an AI prediction rule's model said. */
function predictionWords(p: Record<string, unknown>): string {
  const model = str(p, "model");
  if (!model || typeof p.chance !== "number") return "";
  const reasons = Array.isArray(p.reasons) ? p.reasons.filter((r): r is string => typeof r === "string" && r !== "") : [];
  return ` — ${model} gave a ${percent(p.chance)} chance${reasons.length > 0 ? `, raised most by ${reasons.join("; ")}` : ""}`;
}

/**
 * The causes the server writes (src/runtime/scoring): fit `{event, fields: [{field, old, new}]}`
 * (a referenced record's change adds `via: {field, object, id}`, its fields named `company_id.industry`;
 * an activity that moved an AI prediction rule's chance is `{event, activity: {id, type, subject}}`;
 * a prediction rule that gives points adds `prediction: {model, version, chance, reasons}`);
 * engagement `{activity: {id, type, subject}}` or `{external: "<hook or form key>"}`; decay and
 * expiry `{decay, since}`; rescore `{version, from_version}`.
 */
export function causeWords(r: LedgerRow, labels: Labels, fieldLabel: (name: string) => string = humanize): string {
  const label = ruleLabel(r, labels);
  const rule = label ? `“${label}”` : undefined;
  const c = r.cause;
  switch (r.kind) {
    case "fit": {
      const fields = Array.isArray(c.fields) ? (c.fields as { field: string; old: unknown; new: unknown }[]) : [];
      // A referenced record's field (a change of the lead's company) reads "Company › Industry".
      const named = (field: string) => {
        const dot = field.indexOf(".");
        return dot > 0 ? `${fieldLabel(field.slice(0, dot))} › ${humanize(field.slice(dot + 1))}` : fieldLabel(field);
      };
      const activity = obj(c.activity);
      const type = str(activity, "type");
      const what = type
        ? `${humanize(type)}${str(activity, "subject") ? ` “${str(activity, "subject")}”` : ""}`
        : fields.map((x) => `${named(x.field)}: ${value(x.old)} → ${value(x.new)}`).join("; ");
      // The row's points are the rule's when it starts to apply and their opposite when it stops.
      const nominal = r.rule ? labels.rules.get(ruleId(r.group, r.rule))?.points : undefined;
      const holds = nominal === undefined || nominal === 0 ? (r.points ?? 0) >= 0 : Math.sign(r.points ?? 0) === Math.sign(nominal);
      // An AI prediction rule gives part of its points (the model's chance × points): the row says how much.
      const worth = Math.abs(r.points ?? 0);
      const partial = holds && nominal !== undefined && Math.abs(worth - Math.abs(nominal)) > 1e-9;
      const verb = partial ? `now gives ${worth} of ${nominal} points` : holds ? "now applies" : "no longer applies";
      return `${rule ? `${rule} ${verb}` : "Fit changed"}${what ? ` (${what})` : ""}${predictionWords(obj(c.prediction))}`;
    }
    case "engagement": {
      const activity = obj(c.activity);
      const type = str(activity, "type");
      const source = type
        ? `${humanize(type)}${str(activity, "subject") ? ` “${str(activity, "subject")}”` : ""}`
        : str(c, "external")
          ? `a delivery from ${str(c, "external")}`
          : "an event";
      return `${rule ?? "Engagement"}: ${source}, ${signed(r.points ?? 0)} points`;
    }
    case "decay":
      return "Engagement points faded with time";
    case "expiry":
      return "Engagement points expired";
    case "rescore": {
      const from = typeof c.from_version === "number" ? ` (was version ${c.from_version})` : "";
      return `Rescored under version ${r.version}${from}`;
    }
  }
}
