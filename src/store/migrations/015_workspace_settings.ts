/**
 * 015 — workspace settings: a JSON object of the admin's choices (today: which activities count
 * as a record's last activity). Null = every default. Text on both stores: read whole, never
 * queried into.
 */
import type { Kysely, Migration } from "kysely";

export function workspaceSettings(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("workspaces").addColumn("settings", "text").execute();
    },
  };
}
