/**
 * Hosted web forms as an admin manages them. A form's fields are fields of its object (lead or
 * ticket) with a label and an HTML control; its hidden defaults are written on every
 * submission (e.g. source "web_form" and the form's fit points as the initial score).
 */
import { z } from "zod";
import type { FieldDef, ObjectName } from "../../crm/fields.js";
import type { Issue } from "../../crm/issues.js";
import { validateWrite } from "../../crm/validation.js";
import { zodIssues } from "../../engine/validate.js";
import type { FormControl, FormField, FormRow } from "../../store/inbound-ports.js";
import type { Store } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { invalid, notFound } from "../errors.js";
import type { Clock, IdGenerator } from "../ports.js";
import { loadFields } from "../records/schema-cache.js";
import { requireAdmin, requireFreeKey, SOURCE_KEY, SOURCE_KEY_MESSAGE } from "./source-keys.js";

export const FORM_OBJECTS = ["lead", "ticket"] as const;
export const FORM_CONTROLS = ["text", "email", "tel", "number", "textarea", "select", "checkbox", "url", "date"] as const;
/** Submissions per minute a form accepts by default. */
export const DEFAULT_FORM_RATE = 30;

const fieldSchema = z
  .object({
    name: z.string().min(1),
    label: z.string().min(1).max(200),
    type: z.enum(FORM_CONTROLS).optional().describe("default: from the field's type"),
    required: z.boolean().default(false),
    options: z.array(z.string().min(1).max(200)).min(1).max(200).optional(),
  })
  .strict();
const editable = {
  title: z.string().min(1).max(200),
  intro: z.string().max(2000),
  fields: z.array(fieldSchema).min(1).max(50),
  hidden: z.record(z.string(), z.unknown()),
  success_message: z.string().min(1).max(2000),
  rate_per_min: z.number().int().min(1).max(100_000),
};
const createSchema = z
  .object({
    key: z.string().regex(SOURCE_KEY, SOURCE_KEY_MESSAGE),
    object: z.enum(FORM_OBJECTS),
    ...editable,
    intro: editable.intro.default(""),
    hidden: editable.hidden.default({}),
    success_message: editable.success_message.default("Thank you. We will be in touch shortly."),
    rate_per_min: editable.rate_per_min.default(DEFAULT_FORM_RATE),
  })
  .strict();
const patchSchema = z.object(editable).partial().strict();

/** The HTML control a field gets unless the form names one. */
export function defaultControl(field: FieldDef): FormControl {
  switch (field.type) {
    case "email":
      return "email";
    case "phone":
      return "tel";
    case "integer":
    case "number":
      return "number";
    case "text":
      return "textarea";
    case "enum":
      return "select";
    case "boolean":
      return "checkbox";
    case "url":
      return "url";
    case "date":
      return "date";
    default:
      return "text";
  }
}

type FieldInput = z.infer<typeof fieldSchema>;

/** Form fields against the object's writable fields; hidden defaults against their types. */
export function checkForm(
  all: readonly FieldDef[],
  fields: readonly FieldInput[],
  hidden: Record<string, unknown>,
): { ok: true; fields: FormField[] } | { ok: false; issues: Issue[] } {
  const byName = new Map(all.filter((f) => !f.managed).map((f) => [f.name, f]));
  const issues: Issue[] = [];
  const out: FormField[] = [];
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    const def = byName.get(f.name);
    if (!def) {
      issues.push({
        path: ["fields", i, "name"],
        code: "unknown_field",
        message: `"${f.name}" is not a writable field`,
        expected: [...byName.keys()],
      });
      return;
    }
    if (seen.has(f.name)) issues.push({ path: ["fields", i, "name"], code: "invalid_value", message: `"${f.name}" is on the form twice` });
    seen.add(f.name);
    const type = f.type ?? defaultControl(def);
    const options = f.options ?? (type === "select" ? def.options?.slice() : undefined);
    if (type === "select" && !options) issues.push({ path: ["fields", i, "options"], code: "required", message: "a select needs options" });
    out.push({ name: f.name, label: f.label, type, required: f.required || def.required === true, ...(options ? { options } : {}) });
  });
  const checked = validateWrite(all, hidden, "update");
  if (!checked.ok) issues.push(...checked.issues.map((i) => ({ ...i, path: ["hidden", ...i.path] })));
  // A required field of the object must come from the form or its hidden defaults.
  for (const def of all) {
    if (def.required && def.default === undefined && !seen.has(def.name) && !(def.name in hidden)) {
      issues.push({ path: ["fields"], code: "required", message: `the object requires "${def.name}": put it on the form or in hidden` });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, fields: out };
}

export class FormService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async list(ctx: CallContext): Promise<FormRow[]> {
    requireAdmin(ctx.role, "forms");
    return this.store.forms.listForms(ctx.workspaceId);
  }

  async get(ctx: CallContext, key: string): Promise<FormRow> {
    requireAdmin(ctx.role, "forms");
    const form = await this.store.forms.getFormByKey(key);
    if (!form || form.workspaceId !== ctx.workspaceId) throw notFound(`form ${key}`);
    return form;
  }

  async create(ctx: CallContext, input: unknown): Promise<FormRow> {
    requireAdmin(ctx.role, "forms");
    const parsed = createSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const v = parsed.data;
    const fields = await this.checked(ctx.workspaceId, v.object, v.fields, v.hidden);
    const now = this.clock.now().toISOString();
    const form: FormRow = {
      workspaceId: ctx.workspaceId,
      id: this.ids.next(),
      key: v.key,
      title: v.title,
      intro: v.intro,
      object: v.object,
      fields,
      hidden: v.hidden,
      successMessage: v.success_message,
      ratePerMin: v.rate_per_min,
      createdAt: now,
      updatedAt: now,
    };
    await requireFreeKey(this.store, v.key);
    if (!(await this.store.transaction((tx) => tx.forms.insertForm(form)))) await requireFreeKey(this.store, v.key);
    return form;
  }

  async update(ctx: CallContext, key: string, input: unknown): Promise<FormRow> {
    const form = await this.get(ctx, key);
    const parsed = patchSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const v = parsed.data;
    const hidden = v.hidden ?? form.hidden;
    const fields = await this.checked(ctx.workspaceId, form.object, v.fields ?? form.fields, hidden);
    const next: FormRow = {
      ...form,
      ...(v.title !== undefined ? { title: v.title } : {}),
      ...(v.intro !== undefined ? { intro: v.intro } : {}),
      ...(v.success_message !== undefined ? { successMessage: v.success_message } : {}),
      ...(v.rate_per_min !== undefined ? { ratePerMin: v.rate_per_min } : {}),
      fields,
      hidden,
      updatedAt: this.clock.now().toISOString(),
    };
    await this.store.transaction((tx) => tx.forms.updateForm(next));
    return next;
  }

  async delete(ctx: CallContext, key: string): Promise<void> {
    const form = await this.get(ctx, key);
    if (!(await this.store.transaction((tx) => tx.forms.deleteForm(ctx.workspaceId, form.id)))) throw notFound(`form ${key}`);
  }

  private async checked(workspaceId: string, object: ObjectName, fields: readonly FieldInput[], hidden: Record<string, unknown>) {
    const result = checkForm(await loadFields(this.store, workspaceId, object), fields, hidden);
    if (!result.ok) throw invalid(result.issues);
    return result.fields;
  }
}
