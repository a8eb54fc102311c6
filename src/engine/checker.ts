/**
 * The publish-time checker: collects problems with their paths while a workflow's trigger,
 * conditions and steps are checked against the object's fields (custom fields included). Step
 * types check their own specs with it (`steps/*.ts`); `validate.ts` runs the whole.
 */
import { type FieldDef, type ObjectName, SYSTEM_FIELDS } from "../crm/fields.js";
import { operatorsFor } from "../crm/filter.js";
import type { Issue, IssuePath } from "../crm/issues.js";
import { checkValue } from "../crm/values.js";
import { PREVIOUS_PREFIX } from "./conditions.js";
import type { Condition, LeafCondition } from "./definition.js";
import { isTemplate, templateProblem, templateVariables } from "./templates.js";

/** The fields of any object in the workspace (built-in + custom). */
export type FieldsOf = (object: ObjectName) => readonly FieldDef[];

const CHANGE_OPS = new Set(["changed", "changed_from", "changed_to"]);
const DATE_OPS = new Set(["within_last_days", "within_next_days"]);

/**
 * `writeFacts`: the conditions are a validation rule's (docs/data-quality.md), evaluated on a
 * write — `is_new` and `$previous.<field>` are allowed, counts of related records are not (the
 * write path stays a few reads); elsewhere it is the other way round for the first two.
 */
export interface CheckerOptions {
  writeFacts?: boolean;
}

export class Checker {
  readonly issues: Issue[] = [];
  constructor(
    private readonly fieldsOf: FieldsOf,
    private readonly object: ObjectName,
    private readonly options: CheckerOptions = {},
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
    const writeFacts = this.options.writeFacts === true;
    if (c.review_items) {
      if (writeFacts)
        this.push(path, "invalid_value", "validation rules compare the record's own and referenced fields, not its review items");
      if (c.field || c.count) this.push(path, "invalid_value", "a condition is about one thing: a field, a count or review_items");
      if (!["eq", "neq", "gt", "gte", "lt", "lte", "between"].includes(c.op))
        this.push([...path, "op"], "not_in_options", `review_items compares with eq, neq, gt, gte, lt, lte or between, not ${c.op}`);
      else if (c.op !== "between" && typeof c.value !== "number")
        this.push([...path, "value"], "invalid_type", "expected a number of open items", "number");
      return;
    }
    if (c.op === "is_new") {
      if (!writeFacts) this.push([...path, "op"], "not_in_options", "is_new applies only in validation rules");
      else if (c.field !== undefined || c.count !== undefined)
        this.push(path, "invalid_value", "is_new is about the write, not a field: give no field or count");
      return;
    }
    if (c.count && writeFacts) {
      this.push([...path, "count"], "invalid_value", "validation rules compare the record's own and referenced fields, not counts");
      return;
    }
    if (c.field?.startsWith(PREVIOUS_PREFIX)) {
      const name = c.field.slice(PREVIOUS_PREFIX.length);
      if (!writeFacts) {
        this.push([...path, "field"], "invalid_value", `${PREVIOUS_PREFIX}<field> applies only in validation rules`);
        return;
      }
      if (CHANGE_OPS.has(c.op)) {
        this.push([...path, "op"], "not_in_options", `${c.op} applies to the record's field, not to its previous value`);
        return;
      }
      this.leaf({ ...c, field: name }, path, object, false);
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
      this.push(path, "required", "a condition needs a field (or a count, or review_items)");
      return;
    }
    this.leaf(c, path, object, true);
  }

  /** A leaf on a field (`allowPath`: `ref_field.field` too). */
  private leaf(c: LeafCondition, path: IssuePath, object: ObjectName, allowPath: boolean): void {
    const f = this.field(c.field ?? "", [...path, "field"], object, allowPath);
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
    for (const key of ["field", "manager_of", "team_lead_of", "on_call_of"] as const) {
      const v = p[key];
      if (typeof v === "string") this.userField(v, [...path, key]);
    }
  }
}
