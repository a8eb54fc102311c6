/** Record reads and writes, written once for both dialects. */
import { type Kysely, sql } from "kysely";
import type { ObjectName } from "../../crm/fields.js";
import type { RecordQuery, ReferenceProbe, StoredRecord } from "../ports.js";
import type { SqlDialect } from "./dialect.js";
import { direct, jsonParam, rows } from "./direct.js";
import { compileFilter } from "./filters.js";
import type { Database, RecordsTable } from "./schema.js";

type Db = Kysely<Database>;

/** SQLite allows 32,766 parameters per statement; 7 columns × 500 rows stays far below. */
const INSERT_CHUNK = 500;

export function toRecord(d: SqlDialect, row: RecordsTable): StoredRecord {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    object: row.object as ObjectName,
    version: Number(row.version),
    data: d.parseJson(row.data) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Read for every workflow step and most writes: hand-written SQL (see direct.ts). */
export async function getRecord(db: Db, d: SqlDialect, workspaceId: string, id: string) {
  const { rows } = await direct<RecordsTable>(db, d, "select * from records where workspace_id = ? and id = ?", [workspaceId, id]);
  return rows[0] ? toRecord(d, rows[0]) : undefined;
}

export async function getRecords(db: Db, d: SqlDialect, workspaceId: string, ids: readonly string[], lock = false) {
  if (ids.length === 0) return [];
  const unique = [...new Set(ids)];
  const { rows: found } = await direct<RecordsTable>(
    db,
    d,
    `select * from records where workspace_id = ? and id in (${rows(unique.length, "?")}) order by id${lock && d.rowLocks ? " for update" : ""}`,
    [workspaceId, ...unique],
  );
  return found.map((r) => toRecord(d, r));
}

export async function countRecords(db: Db, workspaceId: string, object: ObjectName) {
  const row = await db
    .selectFrom("records")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("object", "=", object)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function queryRecords(db: Db, d: SqlDialect, q: RecordQuery) {
  const { field, direction } = q.sort;
  const expr = d.fieldExpr(field);
  let query = db.selectFrom("records").selectAll().where("workspace_id", "=", q.workspaceId).where("object", "=", q.object);
  if (q.filter) query = query.where(compileFilter(d, q.filter));
  if (q.after) {
    const { value, id } = q.after;
    // Keyset pagination with empty values last in both directions and id as the tie-breaker.
    if (field.name === "id") {
      query = query.where("id", direction === "asc" ? ">" : "<", id);
    } else if (value === null || value === undefined) {
      query = query.where(sql<boolean>`(${expr} is null and id > ${id})`);
    } else {
      const v = d.param(field, value);
      const beyond = direction === "asc" ? sql`${expr} > ${v}` : sql`${expr} < ${v}`;
      query = query.where(sql<boolean>`(${beyond} or (${expr} = ${v} and id > ${id}) or ${expr} is null)`);
    }
  }
  if (field.name === "id") {
    query = query.orderBy("id", direction);
  } else {
    query = query
      .orderBy(sql`case when ${expr} is null then 1 else 0 end`)
      .orderBy(direction === "asc" ? sql`${expr} asc` : sql`${expr} desc`)
      .orderBy("id", "asc");
  }
  const rows = await query.limit(q.limit).execute();
  return rows.map((r) => toRecord(d, r));
}

export async function findReferrer(db: Db, d: SqlDialect, workspaceId: string, id: string, probes: readonly ReferenceProbe[]) {
  for (const probe of probes) {
    const ref = d.fieldExpr({ name: probe.field, type: "reference", label: probe.field });
    const row = await db
      .selectFrom("records")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("object", "=", probe.object)
      .where(sql<boolean>`${ref} = ${id}`)
      .limit(1)
      .executeTakeFirst();
    if (row) return toRecord(d, row);
  }
  return undefined;
}

export async function findReferrers(db: Db, d: SqlDialect, workspaceId: string, id: string, probes: readonly ReferenceProbe[]) {
  const found: Array<{ record: StoredRecord; field: string }> = [];
  for (const probe of probes) {
    const ref = d.fieldExpr({ name: probe.field, type: "reference", label: probe.field });
    const rows = await db
      .selectFrom("records")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("object", "=", probe.object)
      .where(sql<boolean>`${ref} = ${id}`)
      .orderBy("id")
      .execute();
    for (const row of rows) found.push({ record: toRecord(d, row), field: probe.field });
  }
  return found;
}

export async function insertRecords(db: Db, d: SqlDialect, records: readonly StoredRecord[]) {
  for (let i = 0; i < records.length; i += INSERT_CHUNK) {
    const chunk = records.slice(i, i + INSERT_CHUNK);
    const params: unknown[] = [];
    for (const r of chunk) params.push(r.workspaceId, r.id, r.object, r.version, JSON.stringify(r.data), r.createdAt, r.updatedAt);
    await direct(
      db,
      d,
      `insert into records (workspace_id, id, object, version, data, created_at, updated_at)
       values ${rows(chunk.length, `(?, ?, ?, ?, ${jsonParam(d)}, ?, ?)`)}`,
      params,
    );
  }
}

export async function updateRecord(db: Db, d: SqlDialect, r: StoredRecord, expectedVersion: number) {
  const result = await direct(
    db,
    d,
    `update records set version = ?, data = ${jsonParam(d)}, updated_at = ? where workspace_id = ? and id = ? and version = ?`,
    [r.version, JSON.stringify(r.data), r.updatedAt, r.workspaceId, r.id, expectedVersion],
  );
  return Number(result.numAffectedRows) === 1;
}

/**
 * Guarded updates of several rows; returns how many were written. PostgreSQL: one statement per
 * 500 rows (a round trip each); SQLite: one statement per row (calls into the same process).
 */
export async function updateRecords(db: Db, d: SqlDialect, list: ReadonlyArray<{ record: StoredRecord; expectedVersion: number }>) {
  let written = 0;
  if (d.name !== "postgres") {
    for (const { record, expectedVersion } of list) if (await updateRecord(db, d, record, expectedVersion)) written++;
    return written;
  }
  for (let i = 0; i < list.length; i += INSERT_CHUNK) {
    const chunk = list.slice(i, i + INSERT_CHUNK);
    const params: unknown[] = [];
    for (const { record: r, expectedVersion } of chunk)
      params.push(r.workspaceId, r.id, r.version, JSON.stringify(r.data), r.updatedAt, expectedVersion);
    const row = "(cast(? as text), cast(? as text), cast(? as integer), cast(? as jsonb), cast(? as timestamptz), cast(? as integer))";
    const result = await direct(
      db,
      d,
      `update records as r set version = v.version, data = v.data, updated_at = v.updated_at
       from (values ${rows(chunk.length, row)}) as v (workspace_id, id, version, data, updated_at, expected)
       where r.workspace_id = v.workspace_id and r.id = v.id and r.version = v.expected`,
      params,
    );
    written += Number(result.numAffectedRows);
  }
  return written;
}

export async function deleteRecord(db: Db, workspaceId: string, id: string, expectedVersion: number) {
  const result = await db
    .deleteFrom("records")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
