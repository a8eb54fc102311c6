/** Admins define custom fields per object; from then on they behave like built-in fields. */
import { builtInNameClash, type CustomFieldDef, customFieldInputSchema } from "../../crm/custom-fields.js";
import type { ObjectName } from "../../crm/fields.js";
import type { Issue } from "../../crm/issues.js";
import { canAdmin } from "../../crm/permissions.js";
import type { Store } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid } from "../errors.js";

export class CustomFieldService {
  constructor(private readonly store: Store) {}

  async list(ctx: CallContext, object?: ObjectName): Promise<CustomFieldDef[]> {
    const all = await this.store.customFields.listCustomFields(ctx.workspaceId);
    return object ? all.filter((f) => f.object === object) : all;
  }

  async create(ctx: CallContext, object: ObjectName, input: unknown): Promise<CustomFieldDef> {
    if (!canAdmin(ctx.role, "manage_custom_fields")) throw new AppError("not_found", "custom fields are managed by admins");
    const parsed = customFieldInputSchema.safeParse(input);
    if (!parsed.success) {
      const issues: Issue[] = parsed.error.issues.map((i) => ({
        path: i.path.filter((p): p is string | number => typeof p !== "symbol"),
        code: i.code === "unrecognized_keys" ? "unknown_field" : i.code === "invalid_type" ? "invalid_type" : "invalid_value",
        message: i.message,
      }));
      throw invalid(issues, "the custom field definition is invalid");
    }
    const v = parsed.data;
    const clash = builtInNameClash(object, v.name);
    if (clash) throw invalid([{ path: ["name"], code: "invalid_value", message: clash }]);
    const def: CustomFieldDef = {
      object,
      name: v.name,
      type: v.type,
      label: v.label ?? v.name,
      required: v.required,
      options: v.options ?? null,
    };
    await this.store.transaction(async (tx) => {
      const existing = await tx.customFields.listCustomFields(ctx.workspaceId);
      if (existing.some((f) => f.object === object && f.name === v.name)) {
        throw new AppError("conflict", `${object} already has a custom field "${v.name}"`);
      }
      await tx.customFields.insertCustomField(ctx.workspaceId, def);
    });
    return def;
  }
}
