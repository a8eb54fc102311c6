/**
 * Publish-time checks of a whole workflow: the format (Zod), the graph (dangling and unreachable
 * steps, missing branches, cycles that never wait) and every field name, operator and value
 * against the object's fields, custom fields included. Every problem is reported with its path.
 */
import type { z } from "zod";
import type { ObjectName } from "../crm/fields.js";
import { type Issue, type IssuePath, prefixIssues } from "../crm/issues.js";
import { Checker, type FieldsOf } from "./checker.js";
import { type StepSpec, type WorkflowDefinition, workflowSchema } from "./definition.js";
import { deletionIssues } from "./deletion.js";
import { definitionLimitIssues } from "./limits.js";
import { stepHandler } from "./steps/registry.js";
import { triggerKind } from "./triggers/index.js";

export type { FieldsOf } from "./checker.js";

/** A step's successors in the graph, with the path of the field that names each. */
export function successors(step: StepSpec): Array<{ target: string; path: IssuePath }> {
  return stepHandler(step).successors(step);
}

/** Whether the step waits (a cycle through steps none of which waits would spin forever). */
const waits = (s: StepSpec) => stepHandler(s).waits;

function checkStep(ck: Checker, id: string, step: StepSpec, object: ObjectName, hasWorkflow: (key: string) => boolean) {
  stepHandler(step).check(step, { ck, at: ["steps", id], object, hasWorkflow });
}

function checkGraph(ck: Checker, def: WorkflowDefinition) {
  const ids = Object.keys(def.steps);
  if (!def.steps[def.start]) ck.push(["start"], "invalid_reference", `no step "${def.start}"`, ids);
  for (const [id, step] of Object.entries(def.steps)) {
    for (const s of successors(step)) {
      if (!def.steps[s.target]) ck.push(["steps", id, ...s.path], "invalid_reference", `no step "${s.target}"`, ids);
    }
  }
  const reachable = new Set<string>();
  const stack = def.steps[def.start] ? [def.start] : [];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (reachable.has(id)) continue;
    reachable.add(id);
    const step = def.steps[id];
    if (step) for (const s of successors(step)) if (def.steps[s.target]) stack.push(s.target);
  }
  for (const id of ids)
    if (!reachable.has(id)) ck.push(["steps", id], "invalid_value", `step "${id}" cannot be reached from "${def.start}"`);

  // A cycle through steps none of which waits would spin forever in one instant.
  const colour = new Map<string, 1 | 2>();
  const visit = (id: string, trail: string[]) => {
    const step = def.steps[id];
    if (!step || waits(step)) return;
    colour.set(id, 1);
    for (const s of successors(step)) {
      const c = colour.get(s.target);
      if (c === 1) {
        const cycle = [...trail.slice(trail.indexOf(s.target)), id, s.target];
        ck.push(["steps", id, ...s.path], "invalid_value", `cycle without a delay or wait: ${cycle.join(" → ")}`);
      } else if (c === undefined) visit(s.target, [...trail, id]);
    }
    colour.set(id, 2);
  };
  for (const id of ids) if (!colour.has(id)) visit(id, []);
}

/** The trigger's checks, as its kind in the trigger registry defines them. */
function checkTrigger(ck: Checker, def: WorkflowDefinition) {
  triggerKind(def.trigger).check(def.trigger, ck, def.object, ["trigger"]);
}

export type ValidationOutcome = { ok: true; definition: WorkflowDefinition } | { ok: false; issues: Issue[] };

/**
 * The format alone — what a draft must pass: the limits on the raw JSON first (an iterative walk,
 * before Zod's recursive parse could overflow the stack), then the schema.
 */
export function parseWorkflow(input: unknown): ValidationOutcome {
  const limits = definitionLimitIssues(input);
  if (limits.length > 0) return { ok: false, issues: limits };
  const parsed = workflowSchema.safeParse(input);
  return parsed.success ? { ok: true, definition: parsed.data } : { ok: false, issues: zodIssues(parsed.error.issues) };
}

export function validateWorkflow(
  input: unknown,
  fieldsOf: FieldsOf,
  hasWorkflow: (key: string) => boolean = () => true,
): ValidationOutcome {
  const parsed = parseWorkflow(input);
  if (!parsed.ok) return parsed;
  const def = parsed.definition;
  const ck = new Checker(fieldsOf, def.object);
  checkTrigger(ck, def);
  if (def.conditions) ck.condition(def.conditions, ["conditions"]);
  if (def.goal) ck.condition(def.goal, ["goal"]);
  for (const [id, step] of Object.entries(def.steps)) checkStep(ck, id, step, def.object, hasWorkflow);
  ck.issues.push(...deletionIssues(def));
  checkGraph(ck, def);
  return ck.issues.length > 0 ? { ok: false, issues: ck.issues } : { ok: true, definition: def };
}

/** Zod's issues as ours; an unknown key is reported at its own path, one issue per key. */
export function zodIssues(issues: readonly z.core.$ZodIssue[]): Issue[] {
  return issues.flatMap((i): Issue[] => {
    const path = i.path.filter((x): x is string | number => typeof x !== "symbol");
    if (i.code === "unrecognized_keys") {
      return i.keys.map((key) => ({ path: [...path, key], code: "unknown_field" as const, message: `unknown key "${key}"` }));
    }
    if (i.code === "invalid_union") return unionIssues(i, path);
    return [{ path, code: i.code === "invalid_type" ? "invalid_type" : "invalid_value", message: i.message }];
  });
}

/**
 * A union none of whose members took the value. The format's unions are strict objects told apart
 * by their keys (a person, an approver, a calendar, a condition): when exactly one member knows
 * every key the value has, the author meant that one, and its problems are shown where they are
 * (`approvers.0.role`: the roles there are) instead of "Invalid input" on the whole value.
 */
function unionIssues(issue: z.core.$ZodIssueInvalidUnion, path: IssuePath): Issue[] {
  const fitting = issue.errors.filter((member) => !member.some((i) => i.code === "unrecognized_keys"));
  const [meant] = fitting;
  if (fitting.length !== 1 || !meant) return [{ path, code: "invalid_value", message: issue.message }];
  return prefixIssues(path, zodIssues(meant));
}
