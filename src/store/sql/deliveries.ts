/**
 * Accepted inbound deliveries. The insert is the idempotency guard: on a conflict nothing is
 * written (PostgreSQL waits for a concurrent insert of the same key to commit or roll back).
 */
import type { Kysely } from "kysely";
import type { InboundDeliveryRow, SourceKind } from "../inbound-ports.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database>;

export async function insertInboundDelivery(db: Db, x: InboundDeliveryRow): Promise<boolean> {
  const result = await db
    .insertInto("inbound_deliveries")
    .values({
      workspace_id: x.workspaceId,
      source_kind: x.sourceKind,
      source_id: x.sourceId,
      delivery_id: x.deliveryId,
      received_at: x.receivedAt,
      record_id: x.recordId,
      action: x.action,
      event_id: x.eventId,
    })
    .onConflict((oc) => oc.columns(["source_id", "delivery_id"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function getInboundDelivery(db: Db, sourceId: string, deliveryId: string): Promise<InboundDeliveryRow | undefined> {
  const r = await db
    .selectFrom("inbound_deliveries")
    .selectAll()
    .where("source_id", "=", sourceId)
    .where("delivery_id", "=", deliveryId)
    .executeTakeFirst();
  return r
    ? {
        workspaceId: r.workspace_id,
        sourceKind: r.source_kind as SourceKind,
        sourceId: r.source_id,
        deliveryId: r.delivery_id,
        receivedAt: r.received_at,
        recordId: r.record_id,
        action: r.action as InboundDeliveryRow["action"],
        eventId: r.event_id,
      }
    : undefined;
}

/** Oldest first, `limit` at a time, so that one sweep never holds a long lock. */
export async function pruneInboundDeliveries(db: Db, before: string, limit: number): Promise<number> {
  const result = await db
    .deleteFrom("inbound_deliveries")
    .where((eb) =>
      eb(
        eb.refTuple("source_id", "delivery_id"),
        "in",
        eb
          .selectFrom("inbound_deliveries")
          .select(["source_id", "delivery_id"])
          .where("received_at", "<", before)
          .limit(limit)
          .$asTuple("source_id", "delivery_id"),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}
