/**
 * 021 — the change note of a published version (issue 15, item 5: "publish asks for a change
 * note"): `workflow_versions.note` says what changed and why, in the publisher's words. Nullable:
 * drafts have none, and neither do versions published before this migration or without a note
 * (the API and the CLI make it optional; the web app asks for one).
 */
import type { Kysely, Migration } from "kysely";

export function versionNotes(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("workflow_versions").addColumn("note", "text").execute();
    },
  };
}
