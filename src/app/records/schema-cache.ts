/**
 * The fields of an object in a workspace (built-in + custom). Custom fields are read from the
 * store on every call: they change rarely, but a stale copy in one process would accept or
 * refuse writes differently from another process.
 */
import { fieldsOf } from "../../crm/custom-fields.js";
import type { FieldDef, ObjectName } from "../../crm/fields.js";
import type { StoreReads } from "../../store/ports.js";

export async function loadFields(reads: StoreReads, workspaceId: string, object: ObjectName): Promise<FieldDef[]> {
  return fieldsOf(object, await reads.customFields.listCustomFields(workspaceId));
}
