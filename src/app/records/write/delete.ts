/** Deleting a record: refused while another record still refers to it. */
import type { ObjectName } from "../../../crm/fields.js";
import type { StoreTx } from "../../../store/ports.js";
import type { CallContext } from "../../context.js";
import { AppError, notFound } from "../../errors.js";
import { diff } from "../changes.js";
import { authorize } from "./access.js";
import { cancelApprovalsOfDeleted } from "./approval-locks.js";
import type { WriteDeps } from "./deps.js";
import { Journal } from "./journal.js";
import { LostRace } from "./lost-race.js";
import { referenceProbesFor } from "./references.js";

export async function deleteRecord(
  deps: WriteDeps,
  ctx: CallContext,
  object: ObjectName,
  id: string,
  expectedVersion: number | undefined,
  tx: StoreTx | undefined,
): Promise<void> {
  authorize(ctx, "delete", object);
  await deps.within(tx, expectedVersion === undefined, async (tx) => {
    const [before] = await tx.records.getRecordsForUpdate(ctx.workspaceId, [id]);
    if (!before || before.object !== object) throw notFound(`${object} ${id}`);
    if (expectedVersion !== undefined && expectedVersion !== before.version) {
      throw new AppError("precondition_failed", `${object} ${id} is at version ${before.version}, not ${expectedVersion}`);
    }
    const referrer = await tx.records.findReferrer(ctx.workspaceId, id, referenceProbesFor(object));
    if (referrer) {
      throw new AppError(
        "conflict",
        `${object} ${id} is still referenced by ${referrer.object} ${referrer.id}; remove that reference first`,
      );
    }
    if (!(await tx.records.deleteRecord(ctx.workspaceId, id, before.version))) {
      throw new LostRace(`${object} ${id} was changed by someone else; read it again and retry`);
    }
    const now = deps.clock.now().toISOString();
    await cancelApprovalsOfDeleted(tx, ctx, before, deps.ids, now);
    const journal = new Journal(tx, ctx, deps.ids, now);
    await journal.record({ ...before, version: before.version + 1 }, "delete", diff(before.data, {}));
  });
}
