/** The audit trail and the domain event log: append-only, written in the change's transaction. */
import type { Kysely, Selectable } from "kysely";
import type { ObjectName } from "../../crm/fields.js";
import type { FieldSetting } from "../audit-ports.js";
import type { ObjectEventQuery } from "../event-ports.js";
import type { ActorKind, AuditEntry, DomainEvent, EventType, FieldChange, NewDomainEvent, RecordAction } from "../ports.js";
import type { SqlDialect } from "./dialect.js";
import { direct, jsonParam, rows } from "./direct.js";
import type { Database, EventsTable } from "./schema.js";

type EventsRow = Selectable<EventsTable>;

type Db = Kysely<Database>;
const CHUNK = 500;

export async function appendAudit(db: Db, d: SqlDialect, entries: readonly AuditEntry[]) {
  for (let i = 0; i < entries.length; i += CHUNK) {
    const chunk = entries.slice(i, i + CHUNK);
    const params: unknown[] = [];
    for (const e of chunk)
      params.push(e.workspaceId, e.recordId, e.object, e.action, e.actor.kind, e.actor.id, JSON.stringify(e.changes), e.at, e.requestId);
    await direct(
      db,
      d,
      `insert into audit_log (workspace_id, record_id, object, action, actor_kind, actor_id, changes, "at", request_id)
       values ${rows(chunk.length, `(?, ?, ?, ?, ?, ?, ${jsonParam(d)}, ?, ?)`)}`,
      params,
    );
  }
}

export async function readAudit(
  db: Db,
  d: SqlDialect,
  workspaceId: string,
  recordId: string,
  limit: number,
  byRequest = false,
): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom("audit_log")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where(byRequest ? "request_id" : "record_id", "=", recordId)
    .orderBy("seq", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    workspaceId: r.workspace_id,
    recordId: r.record_id,
    object: r.object as ObjectName,
    action: r.action as RecordAction,
    actor: { kind: r.actor_kind as ActorKind, id: r.actor_id },
    changes: d.parseJson(r.changes) as FieldChange[],
    at: r.at,
    requestId: r.request_id,
  }));
}

/** Records per statement of fieldSettings: well under either database's bound parameters. */
const RECORDS_PER_STATEMENT = 500;

/** The audit rows of the records, in (record, seq) order as audit_log_record holds them. */
export function recordsAuditStatement(db: Db, workspaceId: string, recordIds: readonly string[]) {
  return db
    .selectFrom("audit_log")
    .select(["record_id", "seq", "changes", "at"])
    .where("workspace_id", "=", workspaceId)
    .where("record_id", "in", [...recordIds])
    .orderBy("record_id")
    .orderBy("seq");
}

/**
 * The entries of the records that set `field`. The changes are picked out here rather than in SQL:
 * a record has a handful of entries, and a JSON test would be spelled twice (jsonb, json_each).
 */
export async function fieldSettings(
  db: Db,
  d: SqlDialect,
  workspaceId: string,
  recordIds: readonly string[],
  field: string,
): Promise<FieldSetting[]> {
  const out: FieldSetting[] = [];
  for (let i = 0; i < recordIds.length; i += RECORDS_PER_STATEMENT) {
    const rows = await recordsAuditStatement(db, workspaceId, recordIds.slice(i, i + RECORDS_PER_STATEMENT)).execute();
    for (const r of rows) {
      const change = (d.parseJson(r.changes) as FieldChange[]).find((c) => c.field === field);
      if (change) out.push({ recordId: r.record_id, value: change.new ?? null, at: r.at });
    }
  }
  return out;
}

export async function appendEvents(db: Db, d: SqlDialect, events: readonly NewDomainEvent[]) {
  if (events.length === 0) return;
  await d.lockEventLog(db);
  for (let i = 0; i < events.length; i += CHUNK) {
    const chunk = events.slice(i, i + CHUNK);
    const params: unknown[] = [];
    for (const e of chunk)
      params.push(
        e.id,
        e.workspaceId,
        e.type,
        e.object,
        e.recordId,
        e.recordVersion,
        e.actor.kind,
        e.actor.id,
        e.causeId,
        JSON.stringify(e.changes),
        e.occurredAt,
        e.depth,
        e.source ?? null,
        e.detail === undefined ? null : JSON.stringify(e.detail),
      );
    await direct(
      db,
      d,
      `insert into events (id, workspace_id, "type", object, record_id, record_version, actor_kind, actor_id, cause_id, changes, occurred_at, depth, source, detail)
       values ${rows(chunk.length, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ${jsonParam(d)}, ?, ?, ?, ${jsonParam(d)})`)}`,
      params,
    );
  }
}

/** Read by every matcher pass: hand-written SQL (see direct.ts). */
export async function readEvents(db: Db, d: SqlDialect, after: number, limit: number, workspaceId?: string): Promise<DomainEvent[]> {
  const { rows } =
    workspaceId === undefined
      ? await direct<EventsRow>(db, d, `select * from events where position > ? order by position asc limit ?`, [after, limit])
      : await direct<EventsRow>(db, d, `select * from events where position > ? and workspace_id = ? order by position asc limit ?`, [
          after,
          workspaceId,
          limit,
        ]);
  return rows.map((r) => toEvent(d, r));
}

/**
 * Walks the workspace's events back from the newest over its (workspace, position) index, keeping
 * the object's events of the types asked for: a period is passed over, not searched, so a replay
 * of last week reads the events since then once.
 */
export async function eventsOfObject(db: Db, d: SqlDialect, q: ObjectEventQuery): Promise<DomainEvent[]> {
  if (q.types.length === 0 || q.limit <= 0) return [];
  let query = db
    .selectFrom("events")
    .selectAll()
    .where("workspace_id", "=", q.workspaceId)
    .where("object", "=", q.object)
    .where("type", "in", [...q.types]);
  if (q.since !== undefined) query = query.where("occurred_at", ">=", q.since);
  if (q.until !== undefined) query = query.where("occurred_at", "<", q.until);
  if (q.afterPosition !== undefined) query = query.where("position", ">", q.afterPosition);
  const rows = await query.orderBy("position", "desc").limit(q.limit).execute();
  return rows.map((r) => toEvent(d, r as EventsRow));
}

export async function getEvent(db: Db, d: SqlDialect, workspaceId: string, id: string): Promise<DomainEvent | undefined> {
  const { rows } = await direct<EventsRow>(db, d, "select * from events where id = ? and workspace_id = ?", [id, workspaceId]);
  return rows[0] ? toEvent(d, rows[0]) : undefined;
}

function toEvent(d: SqlDialect, r: EventsRow): DomainEvent {
  return {
    position: Number(r.position),
    id: r.id,
    workspaceId: r.workspace_id,
    type: r.type as EventType,
    object: r.object as ObjectName,
    recordId: r.record_id,
    recordVersion: Number(r.record_version),
    actor: { kind: r.actor_kind as ActorKind, id: r.actor_id },
    causeId: r.cause_id,
    changes: d.parseJson(r.changes) as FieldChange[],
    occurredAt: r.occurred_at,
    depth: Number(r.depth),
    ...(r.source !== null ? { source: r.source } : {}),
    ...(r.detail !== null && r.detail !== undefined ? { detail: d.parseJson(r.detail) as Record<string, unknown> } : {}),
  };
}
