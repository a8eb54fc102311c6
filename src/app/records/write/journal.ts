/**
 * A write's journal: for each record it writes, one audit entry (who changed which fields from
 * what to what) and one domain event (what the matcher and the webhooks read), made together so
 * that the two always agree.
 *
 * The journal keeps no copy: it hands both to the transaction as they are made. The
 * transaction is the one buffer — the store queues them and inserts them together just before
 * the commit (the event log is locked from its insert until the commit, so the later the
 * better), and a savepoint's undo drops the entries of the write it refuses.
 */
import type { ActorRef, AuditEntry, EventType, StoredRecord, StoreTx, RecordAction as WriteAction } from "../../../store/ports.js";
import type { CallContext } from "../../context.js";
import type { IdGenerator } from "../../ports.js";

const EVENT_OF: { readonly [A in WriteAction]: EventType } = {
  create: "record.created",
  update: "record.updated",
  delete: "record.deleted",
};

/** Whom a journaled write is attributed to, when not the caller (the system's own follow-up writes). */
export interface Attribution {
  actor: ActorRef;
  causeId: string | null;
}

export class Journal {
  constructor(
    private readonly tx: StoreTx,
    private readonly ctx: CallContext,
    private readonly ids: IdGenerator,
    /** The instant of the whole write: records, audit entries and events carry the same one. */
    readonly now: string,
  ) {}

  /**
   * Journals one write of `rec` (as it is after the write); returns its event's id, the cause of
   * what follows from it. `event`: a merge journals the survivor's update as `record.merged`,
   * with the merge in its `detail` (app/merges).
   */
  async record(
    rec: StoredRecord,
    action: WriteAction,
    changes: AuditEntry["changes"],
    by?: Attribution,
    event?: { type: EventType; detail: Record<string, unknown> },
  ): Promise<string> {
    const ctx = this.ctx;
    const actor = by ? by.actor : ctx.actor;
    const id = this.ids.next();
    await this.tx.audit.appendAudit([
      {
        workspaceId: rec.workspaceId,
        recordId: rec.id,
        object: rec.object,
        action,
        actor,
        changes,
        at: this.now,
        requestId: ctx.requestId,
      },
    ]);
    await this.tx.events.appendEvents([
      {
        id,
        workspaceId: rec.workspaceId,
        type: event ? event.type : EVENT_OF[action],
        object: rec.object,
        recordId: rec.id,
        recordVersion: rec.version,
        actor,
        causeId: by ? by.causeId : ctx.causeId,
        changes,
        occurredAt: this.now,
        depth: ctx.depth ?? 0,
        ...(event ? { detail: event.detail } : {}),
      },
    ]);
    return id;
  }
}
