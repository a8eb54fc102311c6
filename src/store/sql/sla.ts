/** SLA policies, their clocks and the clocks' history (sla-ports.ts). */
import { type Kysely, sql } from "kysely";
import type { ClockPhase, ClockPlan } from "../../crm/sla/clock.js";
import type { VersionedUpdate } from "../routing-ports.js";
import type {
  ClaimedSlaClock,
  SlaClockCalendar,
  SlaClockEvent,
  SlaClockEventKind,
  SlaClockQuery,
  SlaClockRow,
  SlaPolicyDefinition,
  SlaPolicyRow,
} from "../sla-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { Database, SlaClocksTable, SlaPoliciesTable } from "./schema.js";

type Db = Kysely<Database>;

const toPolicy = (d: SqlDialect, r: SlaPoliciesTable): SlaPolicyRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  definition: d.parseJson(r.definition) as SlaPolicyDefinition,
  version: Number(r.version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

/** The columns are copies of the definition's parts that are looked up: written from it, together. */
const policyColumns = (d: SqlDialect, p: SlaPolicyRow) => ({
  name: p.definition.name,
  description: p.definition.description,
  object: p.definition.object,
  enabled: p.definition.enabled ? 1 : 0,
  definition: d.json(p.definition),
  version: p.version,
  updated_at: p.updatedAt,
  updated_by: p.updatedBy,
});

/** The plan as stored: snake_case, like every JSON column a person may read in the database. */
interface StoredPlan {
  target_ms: number;
  warning: { fraction: number } | { before_ms: number } | null;
  escalations_after_ms: number[];
}

const planToJson = (p: ClockPlan): StoredPlan => ({
  target_ms: p.targetMs,
  warning: p.warning === undefined ? null : "fraction" in p.warning ? { fraction: p.warning.fraction } : { before_ms: p.warning.beforeMs },
  escalations_after_ms: [...p.escalationsAfterMs],
});

const planFromJson = (s: StoredPlan): ClockPlan => ({
  targetMs: s.target_ms,
  ...(s.warning === null
    ? {}
    : { warning: "fraction" in s.warning ? { fraction: s.warning.fraction } : { beforeMs: s.warning.before_ms } }),
  escalationsAfterMs: s.escalations_after_ms,
});

export const toClock = (d: SqlDialect, r: SlaClocksTable): SlaClockRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  policyId: r.policy_id,
  policyVersion: Number(r.policy_version),
  recordId: r.record_id,
  phase: r.phase as ClockPhase,
  plan: planFromJson(d.parseJson(r.plan) as StoredPlan),
  calendar: d.parseJson(r.calendar) as SlaClockCalendar,
  consumedMs: Number(r.consumed_ms),
  since: r.since,
  startedAt: r.started_at,
  stoppedAt: r.stopped_at,
  fired: d.parseJson(r.fired) as string[],
  nextDueAt: r.next_due_at,
  version: Number(r.version),
});

export async function listSlaPolicies(db: Db, d: SqlDialect, workspaceId: string): Promise<SlaPolicyRow[]> {
  const rows = await db.selectFrom("sla_policies").selectAll().where("workspace_id", "=", workspaceId).orderBy("name").execute();
  return rows.map((r) => toPolicy(d, r));
}

export async function getSlaPolicy(db: Db, d: SqlDialect, workspaceId: string, idOrName: string): Promise<SlaPolicyRow | undefined> {
  const rows = await db
    .selectFrom("sla_policies")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb.or([eb("id", "=", idOrName), eb("name", "=", idOrName)]))
    .execute();
  // By id first: a policy named like another's id is still found by its own name.
  const row = rows.find((r) => r.id === idOrName) ?? rows.find((r) => r.name === idOrName);
  return row ? toPolicy(d, row) : undefined;
}

/** The name's other holder, if any. The unique constraint is the race's last word. */
async function nameTaken(db: Db, workspaceId: string, name: string, id: string): Promise<boolean> {
  const other = await db
    .selectFrom("sla_policies")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("name", "=", name)
    .where("id", "!=", id)
    .executeTakeFirst();
  return other !== undefined;
}

export async function insertSlaPolicy(db: Db, d: SqlDialect, p: SlaPolicyRow): Promise<boolean> {
  if (await nameTaken(db, p.workspaceId, p.definition.name, p.id)) return false;
  await db
    .insertInto("sla_policies")
    .values({ workspace_id: p.workspaceId, id: p.id, created_at: p.createdAt, ...policyColumns(d, p) })
    .execute();
  return true;
}

export async function updateSlaPolicy(db: Db, d: SqlDialect, p: SlaPolicyRow): Promise<VersionedUpdate> {
  if (await nameTaken(db, p.workspaceId, p.definition.name, p.id)) return "name_taken";
  const result = await db
    .updateTable("sla_policies")
    .set(policyColumns(d, p))
    .where("workspace_id", "=", p.workspaceId)
    .where("id", "=", p.id)
    .where("version", "=", p.version - 1)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? "saved" : "stale";
}

export async function deleteSlaPolicy(db: Db, workspaceId: string, id: string): Promise<number | undefined> {
  const stopped = db
    .selectFrom("sla_clocks")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("policy_id", "=", id)
    .where("phase", "=", "stopped");
  await db.deleteFrom("sla_clock_history").where("workspace_id", "=", workspaceId).where("clock_id", "in", stopped).execute();
  // Their endings leave SLA attainment with them. The caller checked no clock of the policy is
  // open, so every ending of the policy was a stopped clock's: its hourly rows go whole.
  await db.deleteFrom("kpi_sla_hourly").where("workspace_id", "=", workspaceId).where("policy_id", "=", id).execute();
  const clocks = await db
    .deleteFrom("sla_clocks")
    .where("workspace_id", "=", workspaceId)
    .where("policy_id", "=", id)
    .where("phase", "=", "stopped")
    .executeTakeFirst();
  // An open clock left behind makes this fail on the foreign key: the caller checked there is none.
  const result = await db.deleteFrom("sla_policies").where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0 ? Number(clocks.numDeletedRows) : undefined;
}

export async function openSlaClockCounts(db: Db, workspaceId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("sla_clocks")
    .select(["policy_id"])
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("phase", "<>", "stopped")
    .groupBy("policy_id")
    .execute();
  return new Map(rows.map((r) => [r.policy_id, Number(r.n)]));
}

export async function getSlaClock(db: Db, d: SqlDialect, workspaceId: string, clockId: string): Promise<SlaClockRow | undefined> {
  const r = await db
    .selectFrom("sla_clocks")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", clockId)
    .executeTakeFirst();
  return r ? toClock(d, r) : undefined;
}

export async function slaClocksOfRecord(db: Db, d: SqlDialect, workspaceId: string, recordId: string): Promise<SlaClockRow[]> {
  const rows = await db
    .selectFrom("sla_clocks")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("record_id", "=", recordId)
    .orderBy("started_at", "desc")
    .orderBy("id", "desc")
    .execute();
  return rows.map((r) => toClock(d, r));
}

export async function insertSlaClock(db: Db, d: SqlDialect, c: SlaClockRow): Promise<boolean> {
  if (c.phase !== "stopped") {
    const open = await db
      .selectFrom("sla_clocks")
      .select("id")
      .where("workspace_id", "=", c.workspaceId)
      .where("policy_id", "=", c.policyId)
      .where("record_id", "=", c.recordId)
      .where("phase", "<>", "stopped")
      .executeTakeFirst();
    if (open) return false;
  }
  await db
    .insertInto("sla_clocks")
    .values({
      workspace_id: c.workspaceId,
      id: c.id,
      policy_id: c.policyId,
      policy_version: c.policyVersion,
      record_id: c.recordId,
      phase: c.phase,
      plan: d.json(planToJson(c.plan)),
      calendar: d.json(c.calendar),
      consumed_ms: c.consumedMs,
      since: c.since,
      started_at: c.startedAt,
      stopped_at: c.stoppedAt,
      fired: d.json(c.fired),
      next_due_at: c.nextDueAt,
      version: c.version,
      lease_owner: null,
      lease_until: null,
    })
    .execute();
  return true;
}

export async function appendSlaClockHistory(db: Db, d: SqlDialect, events: readonly SlaClockEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto("sla_clock_history")
    .values(
      events.map((e) => ({
        workspace_id: e.workspaceId,
        clock_id: e.clockId,
        seq: e.seq,
        at: e.at,
        kind: e.kind,
        detail: d.json(e.detail),
      })),
    )
    .execute();
  await addSlaEndings(db, events);
}

/**
 * How a history row may end a target (kpi-sla.ts's rule): a met stop is met, a breach is missed,
 * and a missed stop is missed only when its clock has no `breached` row — which the database says.
 */
function endingOf(e: SlaClockEvent): "met" | "breached" | "missed_stop" | undefined {
  if (e.kind === "breached") return "breached";
  if (e.kind !== "stopped") return undefined;
  if (e.detail.outcome === "met") return "met";
  return e.detail.outcome === "missed" ? "missed_stop" : undefined;
}

/** Ended-target rows per statement (4 parameters each: 8,000, under SQLite's 32,766). */
const ENDINGS_CHUNK = 2000;

/**
 * SLA attainment's hourly rollup (migration 046), kept in the transaction that appends the rows:
 * the batch's endings (`endingOf`, at the UTC hour of their instant) go to the database as a
 * `values` list; it finds each one's policy, drops the missed stops of clocks that have a
 * `breached` row (a breach always comes before the stop, in this batch or an earlier one: the
 * target ended there), and adds them to their (policy, hour) cells, one upsert per cell.
 * `met = met + excluded.met` in the database, never read and written back here: workers ending
 * targets of one policy in the same hour add side by side.
 *
 * The policy and the breach are looked up per row (subqueries on the clock's primary key), so
 * that each is one index probe whatever the planner knows: PostgreSQL without statistics
 * (autovacuum off, a fresh load) planned a join of the batch to the history as a scan of the
 * workspace's ended rows, and the breach check through `sla_clock_history_ended` as a walk of every
 * breach of the workspace — 1.2 ms a clock at 100,000 clocks. The check's `seq <` makes the
 * clock's primary key range the better index for the same reason.
 */
async function addSlaEndings(db: Db, events: readonly SlaClockEvent[]): Promise<void> {
  const byWorkspace = new Map<string, Array<{ e: SlaClockEvent; ending: string }>>();
  for (const e of events) {
    const ending = endingOf(e);
    if (ending === undefined) continue;
    const list = byWorkspace.get(e.workspaceId) ?? [];
    byWorkspace.set(e.workspaceId, list);
    list.push({ e, ending });
  }
  for (const [ws, ended] of byWorkspace) {
    for (let i = 0; i < ended.length; i += ENDINGS_CHUNK) {
      // `values` names its columns column1, column2 … on both databases.
      const rows = sql.join(
        ended
          .slice(i, i + ENDINGS_CHUNK)
          .map(({ e, ending }) => sql`(${e.clockId}, ${new Date(e.at).toISOString().slice(0, 13)}, ${ending}, cast(${e.seq} as integer))`),
      );
      await sql`
        insert into kpi_sla_hourly (workspace_id, policy_id, hour, met, missed)
        select ${ws}, e.policy_id, e.hour, sum(case when e.ending = 'met' then 1 else 0 end), sum(case when e.ending = 'met' then 0 else 1 end)
        from (
          select v.column2 as hour, v.column3 as ending,
            (select c.policy_id from sla_clocks c where c.workspace_id = ${ws} and c.id = v.column1) as policy_id
          from (values ${rows}) as v
          where v.column3 <> 'missed_stop' or not exists (
            select 1 from sla_clock_history b
            where b.workspace_id = ${ws} and b.clock_id = v.column1 and b.seq < v.column4 and b.kind = 'breached')
        ) as e
        where e.policy_id is not null
        group by e.policy_id, e.hour
        on conflict (workspace_id, policy_id, hour)
        do update set met = kpi_sla_hourly.met + excluded.met, missed = kpi_sla_hourly.missed + excluded.missed
      `.execute(db);
    }
  }
}

export async function slaClockHistory(db: Db, d: SqlDialect, workspaceId: string, clockId: string): Promise<SlaClockEvent[]> {
  return (await slaClockHistories(db, d, workspaceId, [clockId])).get(clockId) ?? [];
}

export async function slaClockHistories(
  db: Db,
  d: SqlDialect,
  workspaceId: string,
  clockIds: readonly string[],
): Promise<Map<string, SlaClockEvent[]>> {
  const out = new Map<string, SlaClockEvent[]>();
  if (clockIds.length === 0) return out;
  const rows = await db
    .selectFrom("sla_clock_history")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("clock_id", "in", [...clockIds])
    .orderBy("clock_id")
    .orderBy("seq")
    .execute();
  for (const r of rows) {
    const list = out.get(r.clock_id) ?? [];
    out.set(r.clock_id, list);
    list.push({
      workspaceId: r.workspace_id,
      clockId: r.clock_id,
      seq: Number(r.seq),
      at: r.at,
      kind: r.kind as SlaClockEventKind,
      detail: d.parseJson(r.detail) as Record<string, unknown>,
    });
  }
  return out;
}

export async function slaPoliciesOf(db: Db, d: SqlDialect, workspaceId: string, object: string): Promise<SlaPolicyRow[]> {
  const rows = await db
    .selectFrom("sla_policies")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("object", "=", object)
    .orderBy("name")
    .execute();
  return rows.map((r) => toPolicy(d, r));
}

export async function lockOpenSlaClocks(db: Db, d: SqlDialect, workspaceId: string, recordId: string): Promise<SlaClockRow[]> {
  let q = db
    .selectFrom("sla_clocks")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("record_id", "=", recordId)
    .where("phase", "<>", "stopped")
    // In the order of sla_clocks_by_record: ordered by id, SQLite takes the partial unique index
    // of open clocks instead and reads every open clock of the workspace.
    .orderBy("started_at")
    .orderBy("id");
  if (d.rowLocks) q = q.forUpdate();
  return (await q.execute()).map((r) => toClock(d, r));
}

/** The columns a change of a clock writes (its state; the lease is cleared). */
const stateColumns = (d: SqlDialect, c: SlaClockRow) => ({
  phase: c.phase,
  plan: d.json(planToJson(c.plan)),
  calendar: d.json(c.calendar),
  consumed_ms: c.consumedMs,
  since: c.since,
  stopped_at: c.stoppedAt,
  fired: d.json(c.fired),
  next_due_at: c.nextDueAt,
  version: c.version,
  lease_owner: null,
  lease_until: null,
});

export async function updateSlaClock(
  db: Db,
  d: SqlDialect,
  c: SlaClockRow,
  expectedVersion: number,
  leaseOwner?: string,
): Promise<boolean> {
  let q = db
    .updateTable("sla_clocks")
    .set(stateColumns(d, c))
    .where("workspace_id", "=", c.workspaceId)
    .where("id", "=", c.id)
    .where("version", "=", expectedVersion);
  if (leaseOwner !== undefined) q = q.where("lease_owner", "=", leaseOwner);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listOpenSlaClocks(db: Db, d: SqlDialect, q: SlaClockQuery): Promise<SlaClockRow[]> {
  let query = db.selectFrom("sla_clocks").selectAll().where("workspace_id", "=", q.workspaceId).where("phase", "<>", "stopped");
  if (q.policyId !== undefined) query = query.where("policy_id", "=", q.policyId);
  if (q.afterId !== undefined) query = query.where("id", ">", q.afterId);
  // `fired` is a JSON array of milestone keys: its text names "breach" exactly when it was fired.
  const fired = (key: string) => sql<boolean>`cast(fired as text) like ${`%"${key}"%`}`;
  if (q.status === "breached") query = query.where(fired("breach"));
  if (q.status === "warning")
    query = query
      .where("phase", "=", "running")
      .where(fired("warning"))
      .where(sql<boolean>`not ${fired("breach")}`);
  const rows = await query.orderBy("id").limit(q.limit).execute();
  return rows.map((r) => toClock(d, r));
}

/**
 * The claim: leases the due clocks to `owner` for `leaseMs`. Its outer UPDATE finds the claimed
 * rows by primary key (a test checks both plans: a scan here would read every clock each pass).
 */
export function claimDueSlaStatement(db: Db, d: SqlDialect, owner: string, limit: number, leaseMs: number, dueBy?: string) {
  return db
    .updateTable("sla_clocks")
    .set({ lease_owner: owner, lease_until: d.now(leaseMs) })
    .where((eb) => eb(eb.refTuple("workspace_id", "id"), "in", dueSlaClocks(db, d, limit, dueBy).$asTuple("workspace_id", "id")))
    .returningAll();
}

export async function claimDueSlaClocks(
  db: Db,
  d: SqlDialect,
  owner: string,
  limit: number,
  leaseMs: number,
  dueBy?: string,
): Promise<ClaimedSlaClock[]> {
  const rows = await claimDueSlaStatement(db, d, owner, limit, leaseMs, dueBy).execute();
  return rows.map((r) => ({ ...toClock(d, r), leaseOwner: owner })).sort((a, b) => (a.nextDueAt ?? "").localeCompare(b.nextDueAt ?? ""));
}

export async function nextSlaDueInMs(db: Db, d: SqlDialect): Promise<number | undefined> {
  const row = await db
    .selectFrom("sla_clocks")
    .select(["next_due_at"])
    .select(d.statementNow().as("now"))
    .where("phase", "=", "running")
    .where("next_due_at", "is not", null)
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", d.now())]))
    .orderBy("next_due_at")
    .limit(1)
    .executeTakeFirst();
  if (!row?.next_due_at) return undefined;
  const inMs = Date.parse(String(row.next_due_at)) - Date.parse(String(row.now));
  return Number.isFinite(inMs) ? inMs : undefined;
}

/**
 * The due running clocks, oldest due first, free of a live lease: what the clock runtime's claim
 * leases (the shape of claim-due.ts's `dueRows`); a test checks that the migration's
 * `sla_clocks_due` index serves it on both databases. `dueBy` replaces the database clock as the
 * due bound (tests on a simulated clock); a parameter bounds the range scan as well.
 */
export function dueSlaClocks(db: Db, d: SqlDialect, limit: number, dueBy?: string) {
  let due = db
    .selectFrom("sla_clocks")
    .select(["workspace_id", "id"])
    .where("phase", "=", "running")
    .where("next_due_at", "<=", dueBy === undefined ? d.statementNow() : sql<string>`${dueBy}`)
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", d.now())]))
    .orderBy("next_due_at")
    .limit(limit);
  if (d.rowLocks) due = due.forUpdate().skipLocked();
  return due;
}
