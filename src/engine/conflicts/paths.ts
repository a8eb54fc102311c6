/**
 * Where a workflow writes, and under which conditions: each write of each step (as its step type
 * declares it) with the branch and switch choices on the ways from the start to that step.
 */
import type { Condition, StepSpec, WorkflowDefinition } from "../definition.js";
import { stepHandler } from "../steps/registry.js";
import type { Successor } from "../steps/step.js";
import type { WrittenValue } from "../steps/writes.js";

/** Steps walked over all ways before the check gives up telling ways apart. */
const MAX_WALK = 2_000;

export interface PlacedWrite {
  step: string;
  field: string;
  value: WrittenValue;
  /** One conjunction of conditions per way to the step (an empty one: no condition on the way). */
  ways: Condition[][];
}

/** The condition of taking a successor: a branch rule's `when`, a switch case's value. */
function choice(spec: StepSpec, s: Successor): Condition | undefined {
  if (spec.type === "branch" && s.path[0] === "rules" && typeof s.path[1] === "number") return spec.rules[s.path[1]]?.when;
  if (spec.type === "switch" && s.path[0] === "cases" && typeof s.path[1] === "string") {
    // The switch compares the value as text: "5" picks the case for the number 5 too.
    const key = s.path[1];
    const asNumber = Number(key);
    return { field: spec.field, op: "in", value: key !== "" && Number.isFinite(asNumber) ? [key, asNumber] : [key] };
  }
  return undefined;
}

/**
 * Every way from the start to every step, as the conditions chosen on it (each step at most once
 * per way). A graph with more ways than the check walks is read as "every step it reaches, with
 * no condition": a warning too many rather than one missed.
 */
function waysToSteps(def: WorkflowDefinition): Map<string, Condition[][]> {
  const ways = new Map<string, Condition[][]>();
  let walked = 0;
  const visit = (id: string, conds: Condition[], onWay: ReadonlySet<string>): boolean => {
    const spec = def.steps[id];
    if (!spec || onWay.has(id)) return true;
    if (++walked > MAX_WALK) return false;
    ways.set(id, [...(ways.get(id) ?? []), conds]);
    const next = new Set([...onWay, id]);
    return stepHandler(spec)
      .successors(spec)
      .every((s) => {
        const c = choice(spec, s);
        return visit(s.target, c ? [...conds, c] : conds, next);
      });
  };
  if (visit(def.start, [], new Set())) return ways;
  const reached = new Map<string, Condition[][]>();
  const queue = [def.start];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const spec = def.steps[id];
    if (!spec || reached.has(id)) continue;
    reached.set(id, [[]]);
    for (const s of stepHandler(spec).successors(spec)) queue.push(s.target);
  }
  return reached;
}

/** The workflow's writes to its own record, each with the ways to its step. */
export function placedWrites(def: WorkflowDefinition): PlacedWrite[] {
  const out: PlacedWrite[] = [];
  for (const [step, ways] of waysToSteps(def)) {
    const spec = def.steps[step];
    if (!spec) continue;
    for (const w of stepHandler(spec).writes(spec)) out.push({ step, field: w.field, value: w.value, ways });
  }
  return out;
}

/** What must hold for a record to enroll: the trigger's filter, its `to` value, the enrollment conditions. */
export function enrollment(def: WorkflowDefinition): Condition[] {
  const t = def.trigger;
  const out: Condition[] = [];
  if ("filter" in t && t.filter) out.push(t.filter);
  if (t.type === "field_changed" && t.to !== undefined) out.push({ field: t.field, op: "eq", value: t.to });
  if (def.conditions) out.push(def.conditions);
  return out;
}
