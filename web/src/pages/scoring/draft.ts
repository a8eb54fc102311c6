/**
 * A scoring model's definition as its editor holds it, and back to the definition the API takes
 * (docs/scoring.md). Numbers are kept as typed (text) and sent as numbers when they read as one,
 * as typed otherwise — what is valid is the server's call, and a refusal names the path
 * ("fit.groups.0.rules.1.points") so the editor shows it by the box that was typed into. A new
 * group's or rule's key is made from its label when the model is sent (keys of published ones
 * are kept: the ledger names rules by key across versions). A fit rule is a condition or an AI
 * prediction (a conversion model's chance × its points); only the chosen one is sent.
 */
import type { Condition } from "../../components/graph/definition";
import type { ScoreDefinition } from "./data";

export type Decay = "none" | "half_life" | "expires";
/** What a fit rule gives points for: a condition that holds, or an AI model's predicted chance to convert. */
export type FitKind = "condition" | "prediction";
export type Scope = "fit" | "engagement";

export interface RuleDraft {
  /** "" until the model is sent (then made from the label). */
  key: string;
  label: string;
  points: string;
  when: Condition | undefined;
  /** Fit only. */
  fitKind: FitKind;
  /** Fit only, with `fitKind` "prediction": the conversion model's name ("" until chosen). */
  prediction: string;
  /** Engagement only: what counts — activities of some types, or deliveries from inbound hooks / forms. */
  on: "activity" | "external";
  activities: string[];
  /** Keys of inbound hooks or forms. */
  external: string[];
}

export interface GroupDraft {
  key: string;
  label: string;
  /** "" = no cap. */
  cap: string;
  rules: RuleDraft[];
}

export interface ModelDraft {
  key: string;
  name: string;
  object: string;
  total: string;
  fit: string;
  engagement: string;
  fitGroups: GroupDraft[];
  engagementGroups: GroupDraft[];
  decay: Decay;
  decayDays: string;
  weightFit: string;
  weightEngagement: string;
  /** "" = no cap on the total. */
  totalCap: string;
}

export const emptyRule = (scope: Scope): RuleDraft => ({
  key: "",
  label: "",
  points: "10",
  when: undefined,
  fitKind: "condition",
  prediction: "",
  on: "activity",
  activities: scope === "engagement" ? [] : [],
  external: [],
});

export const emptyGroup = (scope: Scope): GroupDraft => ({ key: "", label: "", cap: "", rules: [emptyRule(scope)] });

export const emptyModel = (): ModelDraft => ({
  key: "",
  name: "",
  object: "lead",
  total: "score",
  fit: "",
  engagement: "",
  fitGroups: [],
  engagementGroups: [],
  decay: "half_life",
  decayDays: "14",
  weightFit: "1",
  weightEngagement: "1",
  totalCap: "100",
});

const text = (n: number | undefined | null): string => (n === undefined || n === null ? "" : String(n));

export function draftOf(d: ScoreDefinition): ModelDraft {
  const decay = d.engagement?.decay;
  return {
    key: d.key,
    name: d.name,
    object: d.object,
    total: d.fields.total,
    fit: d.fields.fit ?? "",
    engagement: d.fields.engagement ?? "",
    fitGroups: (d.fit?.groups ?? []).map((g) => ({
      key: g.key,
      label: g.label,
      cap: text(g.cap),
      rules: g.rules.map((r) => ({
        ...emptyRule("fit"),
        key: r.key,
        label: r.label,
        points: text(r.points),
        when: r.when as Condition | undefined,
        fitKind: r.prediction === undefined ? "condition" : "prediction",
        prediction: r.prediction ?? "",
      })),
    })),
    engagementGroups: (d.engagement?.groups ?? []).map((g) => ({
      key: g.key,
      label: g.label,
      cap: text(g.cap),
      rules: g.rules.map((r) => ({
        ...emptyRule("engagement"),
        key: r.key,
        label: r.label,
        points: text(r.points),
        when: r.when as Condition | undefined,
        on: "external" in r.on ? "external" : "activity",
        activities: "activity" in r.on ? [...r.on.activity] : [],
        external: "external" in r.on ? [...r.on.external] : [],
      })),
    })),
    decay: decay === undefined ? "none" : "half_life_days" in decay ? "half_life" : "expires",
    decayDays: decay === undefined ? "14" : "half_life_days" in decay ? text(decay.half_life_days) : text(decay.expires_after_days),
    weightFit: text(d.weights?.fit ?? 1),
    weightEngagement: text(d.weights?.engagement ?? 1),
    totalCap: text(d.total_cap),
  };
}

/** A number when the text reads as one; the text itself otherwise (the server names what is wrong). */
function numberOf(s: string): number {
  const t = s.trim();
  const n = t === "" ? Number.NaN : Number(t);
  return (Number.isFinite(n) ? n : t) as number;
}

/** "300+ employees" → "300-employees"; unique among `taken`. */
export function keyFrom(label: string, taken: ReadonlySet<string>, fallback: string): string {
  const slug =
    label
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 48) || fallback;
  const base = /^[a-z]/.test(slug) ? slug : `${fallback}_${slug}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
}

/** Keys for groups (unique in the model) and rules (unique in the model too: the ledger names a rule by its key). */
function withKeys(groups: readonly GroupDraft[], taken: { groups: Set<string>; rules: Set<string> }, fallback: string): GroupDraft[] {
  for (const g of groups) {
    if (g.key) taken.groups.add(g.key);
    for (const r of g.rules) if (r.key) taken.rules.add(r.key);
  }
  return groups.map((g) => {
    const key = g.key || keyFrom(g.label, taken.groups, fallback);
    taken.groups.add(key);
    return {
      ...g,
      key,
      rules: g.rules.map((r) => {
        const rk = r.key || keyFrom(r.label, taken.rules, "rule");
        taken.rules.add(rk);
        return { ...r, key: rk };
      }),
    };
  });
}

export function definitionOf(m: ModelDraft): ScoreDefinition {
  const taken = { groups: new Set<string>(), rules: new Set<string>() };
  const fit = withKeys(m.fitGroups, taken, "fit");
  const engagement = withKeys(m.engagementGroups, taken, "engagement");
  const cap = (g: GroupDraft) => (g.cap.trim() === "" ? {} : { cap: numberOf(g.cap) });
  const decay =
    m.decay === "none"
      ? {}
      : { decay: m.decay === "half_life" ? { half_life_days: numberOf(m.decayDays) } : { expires_after_days: numberOf(m.decayDays) } };
  return {
    key: m.key.trim(),
    name: m.name.trim(),
    object: m.object,
    fields: {
      total: m.total,
      ...(m.fit ? { fit: m.fit } : {}),
      ...(m.engagement ? { engagement: m.engagement } : {}),
    },
    fit: {
      groups: fit.map((g) => ({
        key: g.key,
        label: g.label.trim(),
        ...cap(g),
        rules: g.rules.map((r) => ({
          key: r.key,
          label: r.label.trim(),
          // A prediction rule is sent with its model even when none is chosen yet: the server names the box.
          ...(r.fitKind === "prediction" ? { prediction: r.prediction } : r.when ? { when: r.when } : {}),
          points: numberOf(r.points),
        })),
      })),
    },
    engagement: {
      groups: engagement.map((g) => ({
        key: g.key,
        label: g.label.trim(),
        ...cap(g),
        rules: g.rules.map((r) => ({
          key: r.key,
          label: r.label.trim(),
          on: r.on === "activity" ? { activity: r.activities } : { external: r.external },
          ...(r.when ? { when: r.when } : {}),
          points: numberOf(r.points),
        })),
      })),
      ...decay,
    },
    weights: { fit: numberOf(m.weightFit), engagement: numberOf(m.weightEngagement) },
    ...(m.totalCap.trim() === "" ? {} : { total_cap: numberOf(m.totalCap) }),
  };
}

/** A model key from its name, for a new model ("Lead score" → "lead_score"). */
export const modelKeyFrom = (name: string) => keyFrom(name, new Set(), "model");
