/**
 * What changed between two versions of a workflow, in words a RevOps admin reads (issue 15,
 * item 5): the steps added, removed and changed — each changed step with its changed settings
 * ("duration: 15 min → 30 min", "action.subject: “Call now” → “Call within 5 min”") and its
 * changed paths to other steps apart — and the changes to the trigger, the enrollment conditions,
 * the goal and the workflow's own settings. Pure (no React), so that the unit and property tests
 * check it and both the compare view and the builder can use it. Relative imports carry `.js`
 * so that the root TypeScript project (which checks the tests) resolves them too.
 */
import type { Condition, Duration, WorkflowDefinition } from "../../../components/graph/definition.js";
import { conditionWords, durationWords } from "../../../components/graph/describe.js";
import { type NodeHighlight, TRIGGER_ID } from "../../../components/graph/graph-model.js";

/** One changed setting: where (a dotted path inside its part) and its value before and after, in words. */
export interface SettingChange {
  path: string;
  before: string;
  after: string;
}

export interface StepDiff {
  id: string;
  /** Its own settings that changed (type, action, duration, conditions of its rules …). */
  settings: SettingChange[];
  /** Where its paths lead that changed (next, else, a rule's or a case's next, on_failure, on_timeout, on_approved, on_rejected). */
  successors: SettingChange[];
}

export interface DefinitionDiff {
  added: string[];
  removed: string[];
  changed: StepDiff[];
  trigger: SettingChange[];
  conditions: SettingChange[];
  goal: SettingChange[];
  /** The workflow's own settings: name, description, object, start, re-enrollment, limits … */
  settings: SettingChange[];
}

export type Highlight = NodeHighlight;

/** Fields of a step that name the step a path leads to. */
const SUCCESSOR_PATH = /^(next|on_failure|else|default|on_timeout|on_approved|on_rejected|rules\.\d+\.next|cases\..+)$/;
/** The parts of a definition that have their own list; everything else is a workflow setting. */
const OWN_PARTS = new Set(["trigger", "conditions", "goal", "steps"]);
const DURATION_KEYS = new Set(["seconds", "minutes", "hours", "days", "before"]);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A duration ({minutes: 15}) or an offset ({days: 90, before: true}): compared and told as one value. */
function isDuration(v: unknown): v is Duration & { before?: boolean } {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => DURATION_KEYS.has(k)) && keys.some((k) => k !== "before");
}

/** A condition (a leaf with an operator, or an and / or / not group): compared and told as one sentence. */
function isCondition(v: unknown): v is Condition {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  if (keys.length === 1 && (keys[0] === "and" || keys[0] === "or" || keys[0] === "not")) return true;
  return typeof v.op === "string" && ("field" in v || "count" in v);
}

/** Values a change lists whole rather than field by field. */
function isLeaf(v: unknown): boolean {
  if (Array.isArray(v)) return v.every((x) => !isPlainObject(x) && !Array.isArray(x));
  return !isPlainObject(v) || isDuration(v) || isCondition(v);
}

/** Equal as JSON, whatever the order of object keys. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameValue(a[k], b[k]));
  }
  return false;
}

/** A setting's value in words: “quoted text”, numbers, yes / no, durations, conditions; absent → "not set". */
export function settingWords(v: unknown): string {
  if (v === undefined) return "not set";
  if (v === null) return "empty";
  if (typeof v === "string") return `“${v}”`;
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "number") return String(v);
  if (isDuration(v)) return `${durationWords(v)}${v.before === true ? " before" : v.before === false ? " after" : ""}`;
  if (isCondition(v)) return conditionWords(v);
  if (Array.isArray(v)) return v.length === 0 ? "none" : v.map(settingWords).join(", ");
  return JSON.stringify(v);
}

/** Where a path leads: a step's id, or the end of the run when it names none. */
const targetWords = (v: unknown) => (typeof v === "string" ? `step ${v}` : v === undefined ? "the end" : settingWords(v));

/** The changed leaves between two values, each with its dotted path under `prefix`. */
function changesOf(before: unknown, after: unknown, prefix: string, out: Array<{ path: string; before: unknown; after: unknown }>) {
  if (sameValue(before, after)) return;
  const recurse = (isPlainObject(before) || before === undefined) && (isPlainObject(after) || after === undefined);
  const arrays = Array.isArray(before) && Array.isArray(after);
  if ((recurse && !isLeaf(before ?? {}) && !isLeaf(after ?? {})) || (arrays && !isLeaf(before) && !isLeaf(after))) {
    const a = (before ?? {}) as Record<string, unknown>;
    const b = (after ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) changesOf(a[k], b[k], prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.push({ path: prefix, before, after });
}

function settingChanges(before: unknown, after: unknown, prefix = ""): SettingChange[] {
  const raw: Array<{ path: string; before: unknown; after: unknown }> = [];
  changesOf(before, after, prefix, raw);
  return raw.map((c) => ({ path: c.path, before: settingWords(c.before), after: settingWords(c.after) }));
}

function stepDiff(id: string, before: unknown, after: unknown): StepDiff | undefined {
  const raw: Array<{ path: string; before: unknown; after: unknown }> = [];
  changesOf(before, after, "", raw);
  if (raw.length === 0) return undefined;
  const settings: SettingChange[] = [];
  const successors: SettingChange[] = [];
  for (const c of raw) {
    if (SUCCESSOR_PATH.test(c.path)) successors.push({ path: c.path, before: targetWords(c.before), after: targetWords(c.after) });
    else settings.push({ path: c.path, before: settingWords(c.before), after: settingWords(c.after) });
  }
  return { id, settings, successors };
}

/** Every difference from `before` (the older version) to `after`. */
export function diff(before: WorkflowDefinition, after: WorkflowDefinition): DefinitionDiff {
  const oldSteps = before.steps ?? {};
  const newSteps = after.steps ?? {};
  const added = Object.keys(newSteps).filter((id) => !(id in oldSteps));
  const removed = Object.keys(oldSteps).filter((id) => !(id in newSteps));
  const changed = Object.keys(newSteps)
    .filter((id) => id in oldSteps)
    .flatMap((id) => stepDiff(id, oldSteps[id], newSteps[id]) ?? []);
  const top = (d: WorkflowDefinition) => Object.fromEntries(Object.entries(d).filter(([k]) => !OWN_PARTS.has(k)));
  const settings = settingChanges(top(before), top(after));
  for (const s of settings)
    if (s.path === "start") Object.assign(s, { before: targetWords(before.start), after: targetWords(after.start) });
  return {
    added,
    removed,
    changed,
    trigger: settingChanges(before.trigger, after.trigger),
    conditions: sameValue(before.conditions, after.conditions)
      ? []
      : [{ path: "conditions", ...leafWords(before.conditions, after.conditions) }],
    goal: sameValue(before.goal, after.goal) ? [] : [{ path: "goal", ...leafWords(before.goal, after.goal) }],
    settings,
  };
}

/** Conditions and goals are told whole: "score > 40 → score > 50"; absent → "none". */
function leafWords(before: Condition | undefined, after: Condition | undefined) {
  return { before: before ? conditionWords(before) : "none", after: after ? conditionWords(after) : "none" };
}

/** Nothing changed at all. */
export function isEmptyDiff(d: DefinitionDiff): boolean {
  return [d.added, d.removed, d.changed, d.trigger, d.conditions, d.goal, d.settings].every((list) => list.length === 0);
}

/** A change as one line: "duration: 15 min → 30 min". */
export function changeLine(c: SettingChange): string {
  return `${c.path}: ${c.before} → ${c.after}`;
}

/**
 * The nodes to highlight on the graphs: steps added and changed (drawn on the newer version's
 * graph), removed (on the older one's), and the trigger node when the trigger or the enrollment
 * conditions changed (the node shows both).
 */
export function highlightsOf(d: DefinitionDiff): Record<string, Highlight> {
  const out: Record<string, Highlight> = {};
  for (const id of d.added) out[id] = "added";
  for (const id of d.removed) out[id] = "removed";
  for (const s of d.changed) out[s.id] = "changed";
  if (d.trigger.length > 0 || d.conditions.length > 0) out[TRIGGER_ID] = "changed";
  return out;
}
