/**
 * Records under approval (docs/approvals.md, "Locks"): while a request is pending, the fields at
 * stake — or the whole record — may not change; anyone else's write is refused with a 423 that
 * says what awaits whose decision, and nothing is written. An admin may override: the write goes
 * through and the request's history keeps who changed what, beside the record's own audit entry.
 */
import { OBJECTS } from "../../../crm/objects.js";
import type { FieldChange, StoredRecord, StoreTx } from "../../../store/ports.js";
import { applyEvent, history } from "../../approvals/approval-desk.js";
import type { CallContext } from "../../context.js";
import { AppError } from "../../errors.js";
import type { IdGenerator } from "../../ports.js";

export async function checkApprovalLocks(
  tx: StoreTx,
  ctx: CallContext,
  record: StoredRecord,
  changes: readonly FieldChange[],
  override: boolean,
  now: string,
  /** Where the record's fields sit in the request: `[i, "fields"]` in a bulk update, so each problem names its item. */
  at: ReadonlyArray<string | number> = [],
): Promise<void> {
  const locks = await tx.approvals.pendingApprovalLocks(ctx.workspaceId, record.id);
  if (locks.length === 0) return;
  const changed = changes.map((c) => c.field);
  const hits = locks
    .map((l) => ({ lock: l, fields: l.lock === "record" ? changed : changed.filter((f) => l.fields.includes(f)) }))
    .filter((h) => h.fields.length > 0);
  if (hits.length === 0) return;
  if (override) {
    if (ctx.role !== "admin") throw new AppError("forbidden", "only an admin may override an approval lock");
    await tx.approvals.appendApprovalHistory(
      hits.map((h) =>
        history(
          { workspaceId: ctx.workspaceId, id: h.lock.requestId },
          now,
          "lock_overridden",
          ctx.actor.kind === "person" ? ctx.actor.id : null,
          {
            fields: h.fields,
            actor: ctx.actor,
          },
        ),
      ),
    );
    return;
  }
  const first = hits[0] as (typeof hits)[number];
  const waiting = first.lock.waitingOn.length > 0 ? `, waiting on ${first.lock.waitingOn.join(", ")}` : "";
  // Said as a person reads the record: its object's label and title, the fields' labels.
  const def = OBJECTS[record.object];
  const labels = first.fields.map((f) => def.fields.find((d) => d.name === f)?.label ?? f);
  const what = first.lock.lock === "record" ? "the record is locked" : `${labels.join(", ")} ${labels.length === 1 ? "is" : "are"} locked`;
  const title = record.data[def.titleField];
  const named = typeof title === "string" && title !== "" ? `${def.label} "${title}"` : `${def.label} ${record.id}`;
  throw new AppError(
    "locked",
    `${named} awaits approval ("${first.lock.summary}", request ${first.lock.requestId}${waiting}): ${what} until it is decided`,
    hits.flatMap((h) =>
      h.fields.map((f) => ({ path: [...at, f], code: "locked", message: `awaits approval (request ${h.lock.requestId}${waiting})` })),
    ),
  );
}

/** More than any record has; a request per approval step and round, and only one round is pending. */
const MAX_PENDING = 200;

/**
 * A deleted record's pending requests are cancelled in the deletion's transaction: nobody can
 * decide about a record that is gone, and they must leave the approvers' inboxes and badges now.
 * (Its run is cancelled too, when the worker takes the deletion; closing a request already
 * closed is a no-op there.) A decision written at the same moment wins: the request is read
 * again and left as it is once it is no longer pending.
 */
export async function cancelApprovalsOfDeleted(
  tx: StoreTx,
  ctx: CallContext,
  record: StoredRecord,
  ids: IdGenerator,
  now: string,
): Promise<void> {
  const pending = await tx.approvals.listApprovalRequests({
    workspaceId: ctx.workspaceId,
    view: "all",
    userId: "",
    status: "pending",
    recordId: record.id,
    limit: MAX_PENDING,
  });
  const actor = ctx.actor.kind === "person" ? ctx.actor.id : null;
  const event = {
    kind: "close" as const,
    status: "cancelled" as const,
    outcome: `cancelled: ${record.object} ${record.id} was deleted`,
    at: now,
  };
  for (let row of pending) {
    for (let attempt = 1; ; attempt++) {
      const applied = await applyEvent(tx, { ids }, row, event, actor, now);
      if (applied.ok || applied.code !== "moved" || attempt === 3) break;
      const fresh = await tx.approvals.getApprovalRequest(ctx.workspaceId, row.id);
      if (fresh?.status !== "pending") break;
      row = fresh;
    }
  }
}
