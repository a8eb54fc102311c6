/**
 * Admin-defined fields. They are stored, validated, filtered and exported exactly like
 * built-in fields: once converted to a FieldDef nothing downstream can tell them apart.
 */
import { z } from "zod";
import { CUSTOM_FIELD_TYPES, type CustomFieldType, type FieldDef, type ObjectName, SYSTEM_FIELDS } from "./fields.js";
import { OBJECTS } from "./objects.js";

export interface CustomFieldDef {
  object: ObjectName;
  name: string;
  type: CustomFieldType;
  label: string;
  required: boolean;
  options: string[] | null;
}

export const customFieldInputSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]{1,62}$/, "lower-case letters, digits and _, starting with a letter, 2–63 characters"),
    type: z.enum(CUSTOM_FIELD_TYPES),
    label: z.string().min(1).max(200).optional(),
    required: z.boolean().default(false),
    options: z.array(z.string().min(1).max(200)).min(1).max(500).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.type === "enum" && !v.options) ctx.addIssue({ code: "custom", path: ["options"], message: "an enum field needs options" });
    if (v.type !== "enum" && v.options) ctx.addIssue({ code: "custom", path: ["options"], message: "only enum fields take options" });
  });
export type CustomFieldInput = z.infer<typeof customFieldInputSchema>;

/** Returns a message when the name is taken by a built-in or system field of the object. */
export function builtInNameClash(object: ObjectName, name: string): string | undefined {
  const taken = [...SYSTEM_FIELDS, ...OBJECTS[object].fields].some((f) => f.name === name);
  return taken ? `"${name}" is already a built-in field of ${object}` : undefined;
}

export function toFieldDef(c: CustomFieldDef): FieldDef {
  const def: FieldDef = { name: c.name, type: c.type, label: c.label, required: c.required, custom: true };
  return c.options ? { ...def, options: c.options } : def;
}

/** All writable and readable fields of an object in a workspace: built-ins, then custom ones. */
export function fieldsOf(object: ObjectName, custom: readonly CustomFieldDef[]): FieldDef[] {
  return [...OBJECTS[object].fields, ...custom.filter((c) => c.object === object).map(toFieldDef)];
}
