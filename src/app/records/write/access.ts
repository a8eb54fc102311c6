/** The checks a write makes before it opens a transaction: the role's access and the batch size. */
import type { ObjectName } from "../../../crm/fields.js";
import { OBJECTS } from "../../../crm/objects.js";
import { canOnRecords, type RecordAction } from "../../../crm/permissions.js";
import type { CallContext } from "../../context.js";
import { AppError, invalid } from "../../errors.js";

/** Records one request may write, unless the caller raises it (imports). */
export const MAX_BULK = 1_000;

/** A role without access sees "not found", as if the object had no records for it. */
export function authorize(ctx: CallContext, action: RecordAction, object: ObjectName): void {
  if (!canOnRecords(ctx.role, action, object)) {
    throw new AppError("not_found", `no ${action} access to ${OBJECTS[object].plural} for role ${ctx.role}`);
  }
}

export function checkBatchSize(count: number, max: number): void {
  if (count > max) throw invalid([{ path: [], code: "too_big", message: `at most ${max} records per request` }]);
}
