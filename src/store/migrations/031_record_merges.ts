/**
 * 031 — record merges (issue 20, item 4: "merge … the merged record is kept as a tombstone pointing
 * at the survivor … can be undone within a set window").
 *
 * The merged record leaves `records` (so no list, filter, count or trigger index ever sees it) and
 * its tombstone lives here: `merged_snapshot` is the record exactly as it was (data, version,
 * created/updated instants), which keeps its id resolving (the record routes answer with the
 * survivor) and is what an undo puts back. `survivor_before` is the survivor's data and version
 * before the merge, `survivor_changes` the fields the merge changed on it (old → new), `moved` the
 * references that pointed at the merged record and now point at the survivor ({record_id, object,
 * field}), `fields` the caller's per-field choices. `undone_at`/`undone_by` close the merge.
 *
 * At most one open (not undone) merge per merged record: a partial unique index, so two merges of
 * the same record racing each other cannot both commit.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function recordMerges(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("record_merges")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("survivor_id", "text", (c) => c.notNull())
        .addColumn("merged_id", "text", (c) => c.notNull())
        .addColumn("merged_snapshot", json, (c) => c.notNull())
        .addColumn("survivor_before", json, (c) => c.notNull())
        .addColumn("survivor_changes", json, (c) => c.notNull())
        .addColumn("moved", json, (c) => c.notNull())
        .addColumn("fields", json, (c) => c.notNull())
        .addColumn("merged_by", "text", (c) => c.notNull())
        .addColumn("merged_at", time, (c) => c.notNull())
        .addColumn("undone_at", time)
        .addColumn("undone_by", "text")
        .addPrimaryKeyConstraint("record_merges_pk", ["workspace_id", "id"])
        .execute();
      // A tombstone resolves by its id; one open merge per merged record.
      await db.schema
        .createIndex("record_merges_open_merged")
        .on("record_merges")
        .columns(["workspace_id", "merged_id"])
        .unique()
        .where(sql.ref("undone_at"), "is", null)
        .execute();
      // The merges into a record (its page lists them, with their undo).
      await db.schema
        .createIndex("record_merges_survivor")
        .on("record_merges")
        .columns(["workspace_id", "survivor_id", "merged_at"])
        .execute();
    },
  };
}
