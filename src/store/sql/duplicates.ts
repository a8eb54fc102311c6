/** Duplicate detection's tables (duplicate-ports.ts): match keys, match rules, scans. */
import { type Kysely, type QueryCreator, type Selectable, sql } from "kysely";
import type { MatchKey, MatchKeyKind } from "../../crm/dedupe/keys.js";
import type { DedupeScanRow, KeyHolders, MatchRuleRow, RecordKeys, ScanStatus } from "../duplicate-ports.js";
import type { VersionedUpdate } from "../routing-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { Database, DedupeScansTable, MatchRulesTable } from "./schema.js";

type Db = Kysely<Database>;

/** Rows per insert statement (5 parameters each; SQLite allows 32,766). */
const CHUNK = 1000;
/** Keys per lookup statement (a few parameters each). */
const LOOKUP_CHUNK = 1000;

function keyRows(workspaceId: string, records: readonly RecordKeys[]) {
  const seen = new Set<string>();
  const rows: Array<{ workspace_id: string; kind: string; value: string; object: string; record_id: string }> = [];
  for (const r of records)
    for (const k of r.keys) {
      const id = `${r.recordId}\u0000${k.kind}\u0000${k.value}`;
      if (seen.has(id)) continue;
      seen.add(id);
      rows.push({ workspace_id: workspaceId, kind: k.kind, value: k.value, object: r.object, record_id: r.recordId });
    }
  return rows;
}

export async function insertMatchKeys(db: Db, workspaceId: string, records: readonly RecordKeys[]): Promise<void> {
  const rows = keyRows(workspaceId, records);
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .insertInto("match_keys")
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) => oc.doNothing())
      .execute();
}

export async function insertMatchKeysFinding(
  db: Db,
  d: SqlDialect,
  workspaceId: string,
  records: readonly RecordKeys[],
  objects: readonly string[],
  keys: readonly MatchKey[],
  perKey: number,
): Promise<KeyHolders> {
  const rows = keyRows(workspaceId, records);
  const oneStatement = d.name === "postgres" && rows.length > 0 && rows.length <= CHUNK && keys.length > 0 && keys.length <= LOOKUP_CHUNK;
  if (!oneStatement || objects.length === 0) {
    const found = await findRecordsByKeys(db, workspaceId, objects, keys, perKey);
    await insertMatchKeys(db, workspaceId, records);
    return found;
  }
  // A data-modifying CTE runs to completion whether or not the query reads it, and the query's
  // snapshot is the table before it: the lookup sees what was there, the insert happens too.
  const withInsert = db.with("inserted", (w) =>
    w
      .insertInto("match_keys")
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .returning("record_id"),
  );
  return holdersOf(await keyLookupStatement(db, workspaceId, keys, objects, perKey, withInsert).execute(), perKey);
}

function holdersOf(
  rows: ReadonlyArray<{ kind: string; value: string; object: string; record_id: string; holders: number | string }>,
  perKey: number,
): KeyHolders {
  const out: KeyHolders = { holders: [], tooCommon: [] };
  for (const r of rows) {
    if (Number(r.holders) > perKey) out.tooCommon.push({ kind: r.kind as MatchKeyKind, value: r.value });
    else out.holders.push({ object: r.object, kind: r.kind as MatchKeyKind, value: r.value, recordId: r.record_id });
  }
  return out;
}

export async function replaceMatchKeys(db: Db, workspaceId: string, records: readonly RecordKeys[]): Promise<void> {
  const ids = records.map((r) => r.recordId);
  for (let i = 0; i < ids.length; i += CHUNK)
    await db
      .deleteFrom("match_keys")
      .where("workspace_id", "=", workspaceId)
      .where("record_id", "in", ids.slice(i, i + CHUNK))
      .execute();
  await insertMatchKeys(db, workspaceId, records);
}

export async function findRecordsByKeys(
  db: Db,
  workspaceId: string,
  objects: readonly string[],
  keys: readonly MatchKey[],
  perKey: number,
): Promise<KeyHolders> {
  const out: KeyHolders = { holders: [], tooCommon: [] };
  if (keys.length === 0 || objects.length === 0) return out;
  for (let i = 0; i < keys.length; i += LOOKUP_CHUNK) {
    const found = holdersOf(await keyLookupStatement(db, workspaceId, keys.slice(i, i + LOOKUP_CHUNK), objects, perKey).execute(), perKey);
    out.holders.push(...found.holders);
    out.tooCommon.push(...found.tooCommon);
  }
  return out;
}

/**
 * The records holding some keys, in one statement whatever their kinds: one branch per kind, each
 * a range of the primary key per value (a test checks the plan). A key more than `perKey` records
 * share blocks nothing useful (a switchboard number, a generic address, a common surname): the
 * database counts its holders and returns one row of it only (`holders` above `perKey`), rather
 * than shipping them all to be dropped — on a large workspace the common phonetic keys hold
 * hundreds of records each — so that the caller can remember it is too common.
 */
export function keyLookupStatement(
  db: Db,
  workspaceId: string,
  keys: readonly MatchKey[],
  objects: readonly string[],
  perKey: number,
  /** What the outermost select is made from: `db`, or `db.with(…)` (a WITH must be at the top). */
  top: QueryCreator<Database> = db,
) {
  const byKind = new Map<string, string[]>();
  for (const k of keys) {
    const list = byKind.get(k.kind) ?? [];
    list.push(k.value);
    byKind.set(k.kind, list);
  }
  const branch = (kind: string, values: readonly string[]) =>
    db
      .selectFrom("match_keys")
      .select(["kind", "value", "object", "record_id"])
      .where("workspace_id", "=", workspaceId)
      .where("kind", "=", kind)
      .where("value", "in", values)
      .where("object", "in", objects);
  const [first, ...rest] = [...byKind].map(([kind, values]) => branch(kind, values));
  if (!first) throw new Error("keyLookupStatement needs at least one key");
  const holders = rest.reduce((q, b) => q.unionAll(b), first);
  return top
    .selectFrom(
      db
        .selectFrom(holders.as("h"))
        .select([
          "h.kind",
          "h.value",
          "h.object",
          "h.record_id",
          sql<number>`count(*) over (partition by h.kind, h.value)`.as("holders"),
          sql<number>`row_number() over (partition by h.kind, h.value order by h.record_id)`.as("nth"),
        ])
        .as("k"),
    )
    .select(["k.kind", "k.value", "k.object", "k.record_id", "k.holders"])
    .where((eb) => eb.or([eb("k.holders", "<=", perKey), eb("k.nth", "=", 1)]));
}

const toRule = (d: SqlDialect, r: Selectable<MatchRulesTable>): MatchRuleRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  name: r.name,
  object: r.object,
  enabled: Number(r.enabled) === 1,
  definition: d.parseJson(r.definition),
  version: Number(r.version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

export async function listMatchRules(db: Db, d: SqlDialect, workspaceId: string, object?: string): Promise<MatchRuleRow[]> {
  let q = db.selectFrom("match_rules").selectAll().where("workspace_id", "=", workspaceId);
  if (object !== undefined) q = q.where("object", "=", object);
  return (await q.orderBy("name").execute()).map((r) => toRule(d, r));
}

export async function getMatchRule(db: Db, d: SqlDialect, workspaceId: string, idOrName: string): Promise<MatchRuleRow | undefined> {
  const r = await db
    .selectFrom("match_rules")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb.or([eb("id", "=", idOrName), eb("name", "=", idOrName)]))
    .orderBy("id")
    .executeTakeFirst();
  return r ? toRule(d, r) : undefined;
}

async function nameTaken(db: Db, workspaceId: string, name: string, id: string): Promise<boolean> {
  const r = await db
    .selectFrom("match_rules")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("name", "=", name)
    .where("id", "!=", id)
    .executeTakeFirst();
  return r !== undefined;
}

const ruleColumns = (d: SqlDialect, r: MatchRuleRow) => ({
  name: r.name,
  object: r.object,
  enabled: r.enabled ? 1 : 0,
  definition: d.json(r.definition),
  version: r.version,
  updated_at: r.updatedAt,
  updated_by: r.updatedBy,
});

export async function insertMatchRule(db: Db, d: SqlDialect, r: MatchRuleRow): Promise<boolean> {
  if (await nameTaken(db, r.workspaceId, r.name, r.id)) return false;
  await db
    .insertInto("match_rules")
    .values({ workspace_id: r.workspaceId, id: r.id, created_at: r.createdAt, ...ruleColumns(d, r) })
    .execute();
  return true;
}

export async function updateMatchRule(db: Db, d: SqlDialect, r: MatchRuleRow): Promise<VersionedUpdate> {
  if (await nameTaken(db, r.workspaceId, r.name, r.id)) return "name_taken";
  const result = await db
    .updateTable("match_rules")
    .set(ruleColumns(d, r))
    .where("workspace_id", "=", r.workspaceId)
    .where("id", "=", r.id)
    .where("version", "=", r.version - 1)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? "saved" : "stale";
}

export async function deleteMatchRule(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom("match_rules").where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

const toScan = (r: Selectable<DedupeScansTable>): DedupeScanRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  object: r.object,
  status: r.status as ScanStatus,
  total: Number(r.total),
  done: Number(r.done),
  pairsFound: Number(r.pairs_found),
  pairsQueued: Number(r.pairs_queued),
  startedAt: r.started_at,
  startedBy: r.started_by,
  finishedAt: r.finished_at,
  error: r.error,
});

const scanColumns = (s: DedupeScanRow) => ({
  object: s.object,
  status: s.status,
  total: s.total,
  done: s.done,
  pairs_found: s.pairsFound,
  pairs_queued: s.pairsQueued,
  started_at: s.startedAt,
  started_by: s.startedBy,
  finished_at: s.finishedAt,
  error: s.error,
});

export async function getDedupeScan(db: Db, workspaceId: string, id: string): Promise<DedupeScanRow | undefined> {
  const r = await db.selectFrom("dedupe_scans").selectAll().where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return r ? toScan(r) : undefined;
}

export async function listDedupeScans(db: Db, workspaceId: string, limit: number): Promise<DedupeScanRow[]> {
  const rows = await db
    .selectFrom("dedupe_scans")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .orderBy("started_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map(toScan);
}

export async function insertDedupeScan(db: Db, s: DedupeScanRow): Promise<void> {
  await db
    .insertInto("dedupe_scans")
    .values({ workspace_id: s.workspaceId, id: s.id, ...scanColumns(s) })
    .execute();
}

export async function updateDedupeScan(db: Db, s: DedupeScanRow): Promise<void> {
  await db.updateTable("dedupe_scans").set(scanColumns(s)).where("workspace_id", "=", s.workspaceId).where("id", "=", s.id).execute();
}
