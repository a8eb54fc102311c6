/**
 * The objects a wait can wait on, each with its reference fields that may point at the workflow's
 * record (an activity's related_id, a task's related_id, a deal's company_id …). Pure.
 */
import type { FieldInfo, ObjectInfo } from "../../../../records/model";

export function linkableObjects(objects: readonly ObjectInfo[], object: string): { object: ObjectInfo; fields: FieldInfo[] }[] {
  return objects
    .map((o) => ({ object: o, fields: o.fields.filter((f) => f.type === "reference" && f.references?.includes(object)) }))
    .filter((l) => l.fields.length > 0);
}
