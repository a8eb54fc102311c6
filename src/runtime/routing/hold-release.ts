/**
 * Releasing held records: a queue whose fallback is "hold" keeps a record it could not give to
 * anyone; as soon as someone in the queue is eligible (their working hours begin, they come back
 * from PTO, switch themselves available, or a member is added) the held records are assigned, in
 * order of arrival. Runs every `everyMs` beside the worker (working hours start without any
 * write) and at once after a change that may free someone (routing service). Each queue is
 * drained in one transaction under its state's lock, so two processes never give one record twice.
 */
import type { Logger } from "pino";
import type { CallContext } from "../../app/context.js";
import type { Clock, IdGenerator } from "../../app/ports.js";
import type { RecordWriter } from "../../app/records/record-writer.js";
import type { Store } from "../../store/ports.js";
import { Periodic } from "../periodic.js";
import { releaseHold } from "./router.js";

export const ROUTING_ACTOR = { kind: "system", id: "routing" } as const;

/** The identity create-time rule sets and hold releases write as. */
export function routingContext(workspaceId: string): CallContext {
  return { workspaceId, role: "admin", actor: ROUTING_ACTOR, requestId: null, causeId: null };
}

export class HoldReleaser {
  private readonly loop: Periodic;

  constructor(
    private readonly store: Store,
    private readonly writer: RecordWriter,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    everyMs = 60_000,
    private readonly logger?: Logger,
  ) {
    this.loop = new Periodic(
      () => this.releaseAll(),
      everyMs,
      (error) => this.logger?.warn({ err: error }, "releasing held records failed"),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Every queue that holds records; returns how many were assigned. */
  async releaseAll(): Promise<number> {
    let released = 0;
    for (const q of await this.store.routing.heldQueues()) released += await this.release(q.workspaceId, q.queueId);
    return released;
  }

  /** One queue's held records, oldest first, until nobody is eligible; returns how many were assigned. */
  release(workspaceId: string, queueId: string): Promise<number> {
    return this.store.transaction(async (tx) => {
      await tx.routing.lockQueueState(workspaceId, queueId);
      const holds = await tx.routing.listHolds(workspaceId, queueId);
      let released = 0;
      for (const hold of holds) {
        const record = await tx.records.getRecord(workspaceId, hold.recordId);
        // Gone, or given an owner by someone else meanwhile: nothing left to hold.
        if (!record || (record.data[hold.field] ?? null) !== null) {
          await tx.routing.removeHold(workspaceId, queueId, hold.recordId, hold.field);
          continue;
        }
        const ctx = routingContext(workspaceId);
        const assigned = await releaseHold({
          tx,
          record,
          field: hold.field,
          queueId,
          exclude: new Set(),
          source: { kind: "hold_released" },
          now: this.clock.now(),
          newId: () => this.ids.next(),
          write: async (userId) => {
            await this.writer.update(ctx, record.object, { id: record.id, fields: { [hold.field]: userId } }, tx);
          },
        });
        // Nobody eligible for this one: nobody is for those behind it either (same queue, same instant).
        if (!assigned) break;
        await tx.routing.removeHold(workspaceId, queueId, hold.recordId, hold.field);
        released++;
      }
      return released;
    });
  }
}
