/** Record merges and their tombstones (see merge-ports.ts). */
import type { Kysely, Selectable } from "kysely";
import type { ObjectName } from "../../crm/fields.js";
import type { FieldChange } from "../audit-ports.js";
import type { FieldChoice, MergeRow, MovedReference } from "../merge-ports.js";
import type { StoredRecord } from "../record-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { Database, RecordMergesTable } from "./schema.js";

type Db = Kysely<Database>;

const toMerge = (d: SqlDialect, r: Selectable<RecordMergesTable>): MergeRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  object: r.object as ObjectName,
  survivorId: r.survivor_id,
  mergedId: r.merged_id,
  mergedSnapshot: d.parseJson(r.merged_snapshot) as StoredRecord,
  survivorBefore: d.parseJson(r.survivor_before) as MergeRow["survivorBefore"],
  survivorChanges: d.parseJson(r.survivor_changes) as FieldChange[],
  moved: d.parseJson(r.moved) as MovedReference[],
  fields: d.parseJson(r.fields) as Record<string, FieldChoice>,
  mergedBy: r.merged_by,
  mergedAt: r.merged_at,
  undoneAt: r.undone_at,
  undoneBy: r.undone_by,
});

export async function getMerge(db: Db, d: SqlDialect, workspaceId: string, id: string) {
  const r = await db
    .selectFrom("record_merges")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
  return r ? toMerge(d, r) : undefined;
}

export async function openMergeOf(db: Db, d: SqlDialect, workspaceId: string, recordId: string) {
  const r = await db
    .selectFrom("record_merges")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("merged_id", "=", recordId)
    .where("undone_at", "is", null)
    .executeTakeFirst();
  return r ? toMerge(d, r) : undefined;
}

export async function mergesInto(db: Db, d: SqlDialect, workspaceId: string, survivorId: string, limit: number) {
  const rows = await db
    .selectFrom("record_merges")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("survivor_id", "=", survivorId)
    .orderBy("merged_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => toMerge(d, r));
}

export async function insertMerge(db: Db, d: SqlDialect, m: MergeRow) {
  await db
    .insertInto("record_merges")
    .values({
      workspace_id: m.workspaceId,
      id: m.id,
      object: m.object,
      survivor_id: m.survivorId,
      merged_id: m.mergedId,
      merged_snapshot: d.json(m.mergedSnapshot),
      survivor_before: d.json(m.survivorBefore),
      survivor_changes: d.json(m.survivorChanges),
      moved: d.json(m.moved),
      fields: d.json(m.fields),
      merged_by: m.mergedBy,
      merged_at: m.mergedAt,
      undone_at: m.undoneAt,
      undone_by: m.undoneBy,
    })
    .execute();
}

export async function markUndone(db: Db, workspaceId: string, id: string, at: string, by: string) {
  const result = await db
    .updateTable("record_merges")
    .set({ undone_at: at, undone_by: by })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("undone_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
