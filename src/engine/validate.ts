/**
 * Publish-time checks of a whole workflow: the format (Zod), the graph (dangling and unreachable
 * steps, missing branches, cycles that never wait) and every field name, operator and value
 * against the object's fields, custom fields included. Every problem is reported with its path.
 */
import type { z } from "zod";
import { type FieldDef, type ObjectName, SYSTEM_FIELDS } from "../crm/fields.js";
import { operatorsFor } from "../crm/filter.js";
import type { Issue, IssuePath } from "../crm/issues.js";
import { checkValue, isValidTimeZone } from "../crm/values.js";
import { type ActionSpec, type Condition, type StepSpec, type WorkflowDefinition, workflowSchema } from "./definition.js";
import { deletionIssues } from "./deletion.js";
import { definitionLimitIssues } from "./limits.js";
import { isTemplate, templateProblem, templateVariables } from "./templates.js";
import { triggerKind } from "./triggers/index.js";

/** The fields of any object in the workspace (built-in + custom). */
export type FieldsOf = (object: ObjectName) => readonly FieldDef[];

const CHANGE_OPS = new Set(["changed", "changed_from", "changed_to"]);
const DATE_OPS = new Set(["within_last_days", "within_next_days"]);

export function successors(step: StepSpec): Array<{ target: string; path: IssuePath }> {
  switch (step.type) {
    case "action":
      return [
        ...(step.next ? [{ target: step.next, path: ["next"] }] : []),
        ...(step.on_failure ? [{ target: step.on_failure, path: ["on_failure"] }] : []),
      ];
    case "branch":
      return [
        ...step.rules.map((r, i) => ({ target: r.next, path: ["rules", i, "next"] })),
        ...(step.else ? [{ target: step.else, path: ["else"] }] : []),
      ];
    case "switch":
      return [
        ...Object.entries(step.cases).map(([k, v]) => ({ target: v, path: ["cases", k] })),
        ...(step.default ? [{ target: step.default, path: ["default"] }] : []),
      ];
    case "delay":
      return step.next ? [{ target: step.next, path: ["next"] }] : [];
    case "wait_for":
      return [
        ...(step.next ? [{ target: step.next, path: ["next"] }] : []),
        ...(step.on_timeout ? [{ target: step.on_timeout, path: ["on_timeout"] }] : []),
      ];
    case "end":
      return [];
  }
}

const waits = (s: StepSpec) => s.type === "delay" || s.type === "wait_for";

class Checker {
  readonly issues: Issue[] = [];
  constructor(
    private readonly fieldsOf: FieldsOf,
    private readonly object: ObjectName,
  ) {}

  push(path: IssuePath, code: Issue["code"], message: string, expected?: Issue["expected"]) {
    this.issues.push(expected === undefined ? { path, code, message } : { path, code, message, expected });
  }

  /** Resolves `field` or `ref_field.field` on `object`; reports and returns undefined when unknown. */
  field(name: string, path: IssuePath, object = this.object, allowPath = true): FieldDef | undefined {
    const all = [...SYSTEM_FIELDS, ...this.fieldsOf(object)];
    const dot = name.indexOf(".");
    if (dot > 0 && allowPath) {
      const ref = all.find((f) => f.name === name.slice(0, dot));
      if (ref?.type !== "reference" || (ref.references ?? []).length !== 1) {
        this.push(path, "unknown_field", `"${name.slice(0, dot)}" is not a reference field of ${object} with one target`);
        return undefined;
      }
      return this.field(name.slice(dot + 1), path, (ref.references ?? [])[0] as ObjectName, false);
    }
    const f = all.find((x) => x.name === name);
    if (!f)
      this.push(
        path,
        "unknown_field",
        `${object} has no field "${name}"`,
        all.map((x) => x.name),
      );
    return f;
  }

  condition(c: Condition, path: IssuePath, object = this.object): void {
    if ("and" in c) {
      for (const [i, x] of c.and.entries()) this.condition(x, [...path, "and", i], object);
      return;
    }
    if ("or" in c) {
      for (const [i, x] of c.or.entries()) this.condition(x, [...path, "or", i], object);
      return;
    }
    if ("not" in c) {
      this.condition(c.not, [...path, "not"], object);
      return;
    }
    if (c.count) {
      if (c.field) this.push([...path, "field"], "invalid_value", "a condition has either field or count, not both");
      const via = this.field(c.count.via, [...path, "count", "via"], c.count.object, false);
      if (via && via.type !== "reference")
        this.push([...path, "count", "via"], "invalid_value", `"${c.count.via}" is not a reference field`);
      if (c.count.of) this.field(c.count.of, [...path, "count", "of"], object, false);
      if (c.count.where) this.condition(c.count.where, [...path, "count", "where"], c.count.object);
      if (!["eq", "neq", "gt", "gte", "lt", "lte", "between"].includes(c.op)) {
        this.push([...path, "op"], "not_in_options", `a count compares with eq, neq, gt, gte, lt, lte or between, not ${c.op}`);
      }
      return;
    }
    if (!c.field) {
      this.push(path, "required", "a condition needs a field (or a count)");
      return;
    }
    const f = this.field(c.field, [...path, "field"], object);
    if (!f) return;
    if (CHANGE_OPS.has(c.op)) {
      if (c.op !== "changed") this.value(f, c.value, [...path, "value"]);
      return;
    }
    if (DATE_OPS.has(c.op)) {
      if (f.type !== "date" && f.type !== "datetime")
        this.push([...path, "op"], "not_in_options", `${c.op} applies to date fields, not ${f.type} field "${f.name}"`);
      if (typeof c.value !== "number" || c.value < 0) this.push([...path, "value"], "invalid_type", "expected a number of days", "number");
      return;
    }
    const allowed = operatorsFor(f);
    if (!allowed.includes(c.op as never)) {
      this.push([...path, "op"], "not_in_options", `operator "${c.op}" does not apply to ${f.type} field "${f.name}"`, allowed);
      return;
    }
    if (c.op === "is_set" || c.op === "is_not_set") return;
    if (c.op === "in" || c.op === "nin" || c.op === "between") {
      if (!Array.isArray(c.value) || (c.op === "between" && c.value.length !== 2)) {
        this.push([...path, "value"], "invalid_type", c.op === "between" ? "expected [low, high]" : "expected a list", "array");
        return;
      }
      for (const [i, v] of c.value.entries()) this.value(f, v, [...path, "value", i]);
      return;
    }
    if (c.op === "contains" || c.op === "starts_with") {
      if (typeof c.value !== "string") this.push([...path, "value"], "invalid_type", "expected text", "string");
      return;
    }
    this.value(f, c.value, [...path, "value"]);
  }

  value(f: FieldDef, v: unknown, path: IssuePath): void {
    if (v === null || v === undefined) {
      this.push(path, "required", `a value for ${f.type} field "${f.name}" is needed`);
      return;
    }
    const r = checkValue(f, v);
    if (!r.ok) this.push(path, r.issue.code, `${f.name}: ${r.issue.message}`, r.issue.expected);
  }

  /** Field values an action writes: known, writable, typed; templates must parse and read known fields. */
  writes(object: ObjectName, values: Record<string, unknown>, path: IssuePath) {
    for (const [name, v] of Object.entries(values)) {
      const f = this.field(name, [...path, name], object, false);
      if (!f) continue;
      if (f.managed) this.push([...path, name], "managed_field", `"${name}" is maintained by Handoff`);
      else if (isTemplate(v)) this.template(v, [...path, name]);
      else if (v !== null) this.value(f, v, [...path, name]);
    }
  }

  /**
   * A Liquid template over the workflow's record: within its size, using only allowed tags and
   * filters, parsing, and reading only `record.<field>`, or `<root>.<field>` of the extra roots an
   * action offers (an email's owner and company). Every template of the format comes through here.
   */
  template(source: string | undefined, path: IssuePath, extra: Record<string, readonly string[]> = {}) {
    if (source === undefined || !isTemplate(source)) return;
    const problem = templateProblem(source);
    if (problem) {
      this.push(path, problem.code, problem.message, problem.expected);
      return;
    }
    const roots: Record<string, readonly string[]> = {
      record: [...SYSTEM_FIELDS, ...this.fieldsOf(this.object)].map((f) => f.name),
      ...extra,
    };
    const readable = Object.keys(roots)
      .map((r) => `{{ ${r}.<field> }}`)
      .join(", ");
    for (const segments of templateVariables(source)) {
      const [root, field] = segments;
      const known = typeof root === "string" && Object.hasOwn(roots, root) ? roots[root] : undefined;
      if (!known || typeof field !== "string") {
        this.push(path, "invalid_value", `templates read ${readable}; "${segments.join(".")}" is not available`);
      } else if (!known.includes(field)) {
        const what = root === "record" ? this.object : root;
        this.push(path, "unknown_field", `template reads ${root}.${field}, but ${what} has no field "${field}"`, [...known]);
      }
    }
  }

  /** Every string inside a JSON value (an http_request body) as a template. */
  templatesIn(value: unknown, path: IssuePath, extra: Record<string, readonly string[]>) {
    if (typeof value === "string") this.template(value, path, extra);
    else if (Array.isArray(value)) for (const [i, v] of value.entries()) this.templatesIn(v, [...path, i], extra);
    else if (typeof value === "object" && value !== null)
      for (const [k, v] of Object.entries(value)) this.templatesIn(v, [...path, k], extra);
  }

  hasField(object: ObjectName, name: string): boolean {
    return this.fieldsOf(object).some((f) => f.name === name);
  }

  fieldNames(object: ObjectName): string[] {
    return [...SYSTEM_FIELDS, ...this.fieldsOf(object)].map((f) => f.name);
  }

  userField(name: string, path: IssuePath) {
    const f = this.field(name, path, this.object, false);
    if (f && !(f.type === "reference" && f.references?.includes("user")))
      this.push(path, "invalid_value", `"${name}" does not point at a user`);
  }

  person(p: Record<string, unknown>, path: IssuePath) {
    for (const key of ["field", "manager_of", "team_lead_of"] as const) {
      const v = p[key];
      if (typeof v === "string") this.userField(v, [...path, key]);
    }
  }
}

/** What an email template may read besides the record: its owner and its company. */
export const EMAIL_OWNER_FIELDS = ["name", "email", "calendar_link"] as const;

/**
 * What templates of external actions (rendered at enqueue over the outbox view) may read beyond
 * the record: the owner's name, email and calendar link, and the record's company.
 */
function externalRoots(ck: Checker, object: ObjectName): Record<string, readonly string[]> {
  const extra: Record<string, readonly string[]> = {};
  if (ck.hasField(object, "owner_id")) extra.owner = EMAIL_OWNER_FIELDS;
  // A company's own templates read it as `company` too (the outbox view does the same).
  if (object === "company" || ck.hasField(object, "company_id")) extra.company = ck.fieldNames("company");
  return extra;
}

function checkEmail(ck: Checker, a: Extract<ActionSpec, { type: "send_email" }>, p: IssuePath, object: ObjectName) {
  if ("record_email" in a.to) ck.field("email", [...p, "to"], object, false);
  else ck.person(a.to, [...p, "to"]);
  if (a.html === undefined && a.text === undefined) ck.push(p, "required", "an email needs a body: html, text or both");
  const hasOwner = ck.hasField(object, "owner_id");
  if (a.reply_to_owner && !hasOwner) ck.push([...p, "reply_to_owner"], "invalid_value", `${object} has no owner to reply to`);
  const extra = externalRoots(ck, object);
  ck.template(a.subject, [...p, "subject"], extra);
  ck.template(a.text, [...p, "text"], extra);
  ck.template(a.html, [...p, "html"], extra);
  // `raw` would undo the escaping that keeps record values from adding markup.
  if (a.html && /\|\s*raw\b/.test(a.html)) ck.push([...p, "html"], "invalid_value", "the raw filter is not allowed in an email's html");
}

function checkStep(ck: Checker, id: string, step: StepSpec, object: ObjectName, hasWorkflow: (key: string) => boolean) {
  const at = ["steps", id];
  switch (step.type) {
    case "action": {
      const a = step.action;
      const p = [...at, "action"];
      switch (a.type) {
        case "update_fields":
          ck.writes(object, a.fields, [...p, "fields"]);
          break;
        case "create_task":
          ck.template(a.subject, [...p, "subject"]);
          ck.template(a.description, [...p, "description"]);
          if (a.owner) ck.person(a.owner, [...p, "owner"]);
          break;
        case "add_activity":
          ck.template(a.subject, [...p, "subject"]);
          ck.template(a.body, [...p, "body"]);
          break;
        case "create_record": {
          ck.writes(a.object, a.fields, [...p, "fields"]);
          for (const [target, source] of Object.entries(a.copy)) {
            ck.field(target, [...p, "copy", target], a.object, false);
            ck.field(source, [...p, "copy", target], object);
          }
          if (a.link_field) {
            const f = ck.field(a.link_field, [...p, "link_field"], a.object, false);
            if (f && !(f.type === "reference" && f.references?.includes(object)))
              ck.push([...p, "link_field"], "invalid_value", `"${a.link_field}" of ${a.object} cannot point at a ${object}`);
          }
          break;
        }
        case "assign_owner":
          ck.userField(a.field, [...p, "field"]);
          if ("field" in a.to || "manager_of" in a.to || "team_lead_of" in a.to) ck.person(a.to, [...p, "to"]);
          if ("company_owner" in a.to) {
            const f = ck.field("company_id", [...p, "to"], object, false);
            if (!f) ck.push([...p, "to"], "invalid_value", `${object} has no company to take the owner from`);
          }
          break;
        case "change_score": {
          const f = ck.field(a.field, [...p, "field"], object, false);
          if (f && f.type !== "integer" && f.type !== "number")
            ck.push([...p, "field"], "invalid_value", `"${a.field}" is not a number field`);
          break;
        }
        case "notify":
          ck.person(a.to, [...p, "to"]);
          ck.template(a.message, [...p, "message"]);
          break;
        case "enroll":
        case "unenroll":
          if (!hasWorkflow(a.workflow)) ck.push([...p, "workflow"], "invalid_reference", `no workflow with key "${a.workflow}"`);
          break;
        case "send_chat":
          ck.template(a.text, [...p, "text"], externalRoots(ck, object));
          break;
        case "send_email":
          checkEmail(ck, a, p, object);
          break;
        case "http_request": {
          const roots = externalRoots(ck, object);
          ck.template(a.path, [...p, "path"], roots);
          for (const [name, v] of Object.entries(a.headers ?? {})) ck.template(v, [...p, "headers", name], roots);
          ck.templatesIn(a.body, [...p, "body"], roots);
          for (const field of Object.keys(a.map_response ?? {})) {
            const f = ck.field(field, [...p, "map_response", field], object, false);
            if (f?.managed) ck.push([...p, "map_response", field], "managed_field", `"${field}" is maintained by Handoff`);
          }
          break;
        }
        default:
          break;
      }
      break;
    }
    case "branch":
      for (const [i, r] of step.rules.entries()) ck.condition(r.when, [...at, "rules", i, "when"]);
      if (!step.else)
        ck.push([...at, "else"], "required", "a branch needs an else path (point it at an end step if nothing should happen)");
      break;
    case "switch": {
      const f = ck.field(step.field, [...at, "field"]);
      if (f)
        for (const value of Object.keys(step.cases))
          ck.value(f, f.type === "integer" || f.type === "number" ? Number(value) : value, [...at, "cases", value]);
      if (!step.default) ck.push([...at, "default"], "required", "a switch needs a default path");
      break;
    }
    case "delay": {
      const kinds = [step.duration, step.until_field, step.until_time].filter((x) => x !== undefined).length;
      if (kinds !== 1) ck.push(at, "invalid_value", "a delay has exactly one of duration, until_field, until_time");
      if (step.until_field) {
        const f = ck.field(step.until_field.field, [...at, "until_field", "field"]);
        if (f && f.type !== "date" && f.type !== "datetime")
          ck.push([...at, "until_field", "field"], "invalid_value", `"${f.name}" is not a date field`);
      }
      if (step.until_time?.time_zone && !isValidTimeZone(step.until_time.time_zone)) {
        ck.push([...at, "until_time", "time_zone"], "invalid_value", `"${step.until_time.time_zone}" is not an IANA time zone`);
      }
      break;
    }
    case "wait_for":
      if (!step.event && !step.condition) ck.push(at, "required", "wait_for needs an event or a condition");
      if (step.condition) ck.condition(step.condition, [...at, "condition"]);
      if (step.event) {
        const f = ck.field(step.event.link, [...at, "event", "link"], step.event.object, false);
        if (f && !(f.type === "reference" && f.references?.includes(object)))
          ck.push([...at, "event", "link"], "invalid_value", `"${step.event.link}" of ${step.event.object} cannot point at a ${object}`);
        if (step.event.where) ck.condition(step.event.where, [...at, "event", "where"], step.event.object);
      }
      if (!step.on_timeout) ck.push([...at, "on_timeout"], "required", "wait_for needs an on_timeout path");
      break;
    case "end":
      break;
  }
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
    return [{ path, code: i.code === "invalid_type" ? "invalid_type" : "invalid_value", message: i.message }];
  });
}
