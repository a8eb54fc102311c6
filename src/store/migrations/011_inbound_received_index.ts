/**
 * 011 — inbound deliveries by receipt time alone: housekeeping forgets the oldest across all
 * workspaces, which the (workspace_id, received_at) index of 008 cannot range-scan.
 */
import type { Kysely, Migration } from "kysely";

export function inboundReceivedIndex(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex("inbound_deliveries_received").on("inbound_deliveries").column("received_at").execute();
    },
  };
}
