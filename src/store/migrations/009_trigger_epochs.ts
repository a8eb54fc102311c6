/**
 * 009 — trigger epochs: a counter per workspace, moved in the transaction that replaces a
 * workflow's trigger rows (publish, archive). A process that has read the trigger index keeps
 * its copy while the counter stays the same, instead of reading the rows again for every batch
 * of events: one primary-key read instead of hundreds of rows.
 */
import type { Kysely, Migration } from "kysely";

export function triggerEpochs(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("trigger_epochs")
        .addColumn("workspace_id", "text", (c) => c.primaryKey())
        .addColumn("epoch", "integer", (c) => c.notNull())
        .execute();
    },
  };
}
