/**
 * The operational figures (operations-ports.ts): grouped counts and ages, one statement each,
 * read outside any transaction. Ages are judged by the database clock, as leases and due-ness
 * are, so that every process reads the same lag.
 */
import type { Kysely } from "kysely";
import type { LeasedQueue, MatcherLag, OperationalFigures, OutboxCount, QueueLag, RunCount } from "../operations-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database>;

interface Names {
  workspace: Map<string, string>;
  workflow: Map<string, string>;
}

const LEASED_QUEUES: readonly LeasedQueue[] = ["work_items", "scheduled_triggers"];

/** Seconds from `from` to `to` (ISO instants; PostgreSQL's are parsed to ISO by the adapter), never negative. */
function secondsBetween(from: unknown, to: unknown): number {
  if (from === null || from === undefined) return 0;
  const ms = Date.parse(String(to)) - Date.parse(String(from));
  return Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0;
}

/** Workspace slugs and workflow keys by id: labels name them, never the ids people do not see. */
async function names(db: Db): Promise<Names> {
  const [workspaces, workflows] = await Promise.all([
    db.selectFrom("workspaces").select(["id", "slug"]).execute(),
    db.selectFrom("workflows").select(["workspace_id", "id", "key"]).execute(),
  ]);
  return {
    workspace: new Map(workspaces.map((w) => [w.id, w.slug])),
    workflow: new Map(workflows.map((w) => [`${w.workspace_id}\u0000${w.id}`, w.key])),
  };
}

export async function runCounts(db: Db, named: Names): Promise<RunCount[]> {
  // Grouped by ids (the runs table is the large one), named afterwards from the small tables.
  const rows = await runCountsStatement(db).execute();
  return rows.map((r) => ({
    workspace: named.workspace.get(r.workspace_id) ?? r.workspace_id,
    workflow: named.workflow.get(`${r.workspace_id}\u0000${r.workflow_id}`) ?? r.workflow_id,
    status: r.status,
    count: Number(r.n),
  }));
}

export async function outboxCounts(db: Db, status: "pending" | "dead", named: Names): Promise<OutboxCount[]> {
  // By workspace and status, so that each workspace's rows are a range of `outbox_list`
  // (workspace_id, status, id) instead of a scan of every delivered item ever sent.
  const workspaces = [...named.workspace.keys()];
  if (workspaces.length === 0) return [];
  const rows = await outboxCountsStatement(db, status, workspaces).execute();
  return rows.map((r) => ({ workspace: named.workspace.get(r.workspace_id) ?? r.workspace_id, kind: r.kind, count: Number(r.n) }));
}

/**
 * The statement of runCounts, apart so that its plan can be checked: the `runs_workflow` index
 * (workspace_id, workflow_id, created_at, status; migration 038) answers it without the table.
 */
export function runCountsStatement(db: Db) {
  return db
    .selectFrom("runs")
    .select((eb) => ["workspace_id", "workflow_id", "status", eb.fn.countAll<number | string>().as("n")])
    .groupBy(["workspace_id", "workflow_id", "status"]);
}

/** The statement of outboxCounts, apart so that its plan can be checked. */
export function outboxCountsStatement(db: Db, status: "pending" | "dead", workspaces: readonly string[]) {
  return db
    .selectFrom("outbox")
    .select((eb) => ["workspace_id", "kind", eb.fn.countAll<number | string>().as("n")])
    .where("workspace_id", "in", [...workspaces])
    .where("status", "=", status)
    .groupBy(["workspace_id", "kind"]);
}

/** The oldest pending outbox item that the dispatcher could claim now: how long it has been due. */
export async function outboxOldestDueSeconds(db: Db, d: SqlDialect): Promise<number> {
  const r = await db
    .selectFrom("outbox")
    .select((eb) => [eb.fn.min("next_attempt_at").as("oldest"), d.statementNow().as("now")])
    .where("status", "=", "pending")
    .where("next_attempt_at", "<=", d.statementNow())
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", d.now())]))
    .executeTakeFirst();
  return secondsBetween(r?.oldest, r?.now);
}

export async function matcherLag(db: Db, d: SqlDialect, cursor: string): Promise<MatcherLag> {
  const c = await db.selectFrom("event_cursors").select("position").where("consumer", "=", cursor).executeTakeFirst();
  const position = Number(c?.position ?? 0);
  const r = await db
    .selectFrom("events")
    .select((eb) => [eb.fn.countAll<number | string>().as("n"), eb.fn.min("occurred_at").as("oldest"), d.statementNow().as("now")])
    .where("position", ">", position)
    .executeTakeFirst();
  return { events: Number(r?.n ?? 0), seconds: secondsBetween(r?.oldest, r?.now) };
}

/** The rows of a leased queue a worker could claim now (claim-due.ts's conditions) and the oldest one's wait. */
export async function queueLag(db: Db, d: SqlDialect, queue: LeasedQueue): Promise<QueueLag> {
  // Both tables have these columns; naming one of them keeps Kysely's column types.
  const r = await db
    .selectFrom(queue as "work_items")
    .select((eb) => [eb.fn.countAll<number | string>().as("n"), eb.fn.min("due_at").as("oldest"), d.statementNow().as("now")])
    .where("status", "=", "pending")
    .where("due_at", "<=", d.statementNow())
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", d.now())]))
    .executeTakeFirst();
  return { queue, due: Number(r?.n ?? 0), oldestDueSeconds: secondsBetween(r?.oldest, r?.now) };
}

export async function operationalFigures(db: Db, d: SqlDialect, matcherCursor: string): Promise<OperationalFigures> {
  const named = await names(db);
  const [runs, outboxPending, outboxDead, outboxOldestDue, matcher, ...queues] = await Promise.all([
    runCounts(db, named),
    outboxCounts(db, "pending", named),
    outboxCounts(db, "dead", named),
    outboxOldestDueSeconds(db, d),
    matcherLag(db, d, matcherCursor),
    ...LEASED_QUEUES.map((q) => queueLag(db, d, q)),
  ]);
  return { runs, outboxPending, outboxDead, outboxOldestDueSeconds: outboxOldestDue, matcher, queues };
}
