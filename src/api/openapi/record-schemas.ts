/**
 * OpenAPI schemas of the records, derived from the same FieldDefs the validator uses, so the
 * document cannot drift from what the API accepts. Custom fields appear as additional properties.
 */
import { z } from "@hono/zod-openapi";
import type { FieldDef } from "../../crm/fields.js";
import { assertNever } from "../../crm/never.js";
import type { ObjectDef } from "../../crm/objects.js";

function fieldSchema(f: FieldDef): z.ZodType {
  let s: z.ZodType;
  switch (f.type) {
    case "integer":
      s = z.number().int();
      break;
    case "number":
      s = z.number();
      break;
    case "boolean":
      s = z.boolean();
      break;
    case "enum":
      s = z.enum(f.options as [string, ...string[]]);
      break;
    case "email":
      s = z.string().openapi({ format: "email" });
      break;
    case "url":
      s = z.string().openapi({ format: "uri" });
      break;
    case "date":
      s = z.string().openapi({ format: "date" });
      break;
    case "datetime":
      s = z.string().openapi({ format: "date-time" });
      break;
    case "phone":
      s = z.string().openapi({ description: "E.164, e.g. +14155550123" });
      break;
    case "reference":
      s = z.string().openapi({ description: `id of a ${(f.references ?? []).join(" or ")}` });
      break;
    case "json":
      s = z.unknown();
      break;
    case "string":
    case "text":
      s = z.string();
      break;
    default:
      return assertNever(f.type);
  }
  return s.openapi({ description: f.label });
}

export interface ObjectSchemas {
  record: z.ZodType;
  create: z.ZodType;
  update: z.ZodType;
}

export function schemasFor(def: ObjectDef): ObjectSchemas {
  const writable = def.fields.filter((f) => !f.managed);
  const record = z
    .looseObject({
      id: z.string(),
      object: z.literal(def.name),
      version: z.number().int(),
      created_at: z.string().openapi({ format: "date-time" }),
      updated_at: z.string().openapi({ format: "date-time" }),
      ...Object.fromEntries(def.fields.map((f) => [f.name, fieldSchema(f).optional()])),
    })
    .openapi(`${def.label}`);
  const create = z
    .looseObject(
      Object.fromEntries(writable.map((f) => [f.name, f.required && f.default === undefined ? fieldSchema(f) : fieldSchema(f).optional()])),
    )
    .openapi(`${def.label}Create`);
  const update = z
    .looseObject(Object.fromEntries(writable.map((f) => [f.name, fieldSchema(f).nullable().optional()])))
    .openapi(`${def.label}Update`);
  return { record, create, update };
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z
      .array(
        z.object({
          path: z.string(),
          code: z.string(),
          message: z.string(),
          expected: z.unknown().optional(),
          rule: z.object({ id: z.string(), name: z.string() }).optional().describe("the validation rule or stage gate the write broke"),
        }),
      )
      .optional(),
    request_id: z.string().optional(),
  })
  .openapi("Problem");

/** A record of any object (a route that serves every object, such as the timeline): its own columns, then its fields. */
export const anyRecordSchema = z
  .looseObject({
    id: z.string(),
    object: z.string(),
    version: z.number().int(),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("AnyRecord");
