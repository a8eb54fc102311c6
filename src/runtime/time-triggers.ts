/**
 * Time-based triggers: "90 days before contract end", "no activity for 30 days", "every Monday
 * at 09:00". A due row per (workflow, record) — per workflow for schedules — is kept up to date
 * as records change (matcher), filled in when a version is published, and claimed by workers
 * when due; firing goes through the same enrollment checks as an event (Matcher.admit).
 */
import type { Clock } from "../app/ports.js";
import type { CompiledWorkflow } from "../engine/compile.js";
import { factNeeds } from "../engine/compile.js";
import { isTimeTrigger, nextScheduleInstant, recordFireInstant } from "../engine/date-triggers.js";
import { TERMINAL } from "../engine/run-state.js";
import { TIME_INDEX_KEY, triggerKind } from "../engine/triggers/index.js";
import { isSlaEvent } from "../store/event-ports.js";
import type { DomainEvent, StoredRecord, StoreTx } from "../store/ports.js";
import type { NewWorkItem, RunRow, ScheduledTrigger, WorkflowLogRow } from "../store/workflow-ports.js";
import type { CompiledCache } from "./compiled-cache.js";
import { loadFacts, recordView } from "./facts.js";
import type { Matcher } from "./matcher.js";

/** The trigger index kind of record-based time triggers (schedules are not indexed by record events). */
export const TIME_KIND = TIME_INDEX_KEY;
const PAGE = 1_000;
/** A schedule enrolls at most this many records per occurrence. */
export const SCHEDULE_MAX_RECORDS = 10_000;

/** The record-based time trigger's facts (relative_date, inactivity …), or undefined for any other trigger. */
function recordTime(w: CompiledWorkflow) {
  const time = triggerKind(w.trigger).time;
  return time?.kind === "record" ? time : undefined;
}

/** The date field whose change moves the workflow's instant for a record. */
function watchedField(w: CompiledWorkflow): string | undefined {
  return recordTime(w)?.field(w.trigger);
}

async function zoneOf(tx: StoreTx, workspaceId: string): Promise<string> {
  return (await tx.workspaces.getWorkspace(workspaceId))?.timeZone ?? "UTC";
}

/**
 * (Re)schedules one record for one workflow: future instants only; a cleared date unschedules.
 * Returns whether the record's instant is already past (it is then not scheduled).
 */
export async function scheduleRecord(
  tx: StoreTx,
  w: CompiledWorkflow,
  workflowId: string,
  version: number,
  record: StoredRecord,
  zone: string,
  nowMs: number,
): Promise<"scheduled" | "past" | "never"> {
  const instant = recordFireInstant(w.trigger, recordView(record), zone);
  if (instant === undefined || instant <= nowMs) {
    await tx.schedules.unscheduleTrigger(record.workspaceId, workflowId, record.id);
    return instant === undefined ? "never" : "past";
  }
  await tx.schedules.scheduleTrigger({
    workspaceId: record.workspaceId,
    workflowId,
    version,
    recordId: record.id,
    dueAt: new Date(instant).toISOString(),
  });
  return "scheduled";
}

/** How fast a backfill may enroll: the workflow's rate cap (runs per window). */
export interface BackfillPace {
  perWindow: number;
  windowMs: number;
}

/**
 * Whether a record past its instant would enroll now: the trigger filter and conditions hold
 * over its facts, and re-enrollment allows it (no run under way; none before unless allowed).
 */
async function wouldEnroll(tx: StoreTx, w: CompiledWorkflow, workflowId: string, record: StoredRecord, nowMs: number): Promise<boolean> {
  const facts = await loadFacts(tx, record, factNeeds(w), nowMs);
  if (!w.triggerFilter.test(facts) || !w.enrollment.test(facts)) return false;
  const latest = await tx.runs.latestRunOf(record.workspaceId, workflowId, record.id);
  return !latest || (TERMINAL.has(latest.state.status) && w.definition.reenrollment === true);
}

/** Every record of the workflow's object, in id order, a page at a time. */
async function eachRecord(tx: StoreTx, workspaceId: string, w: CompiledWorkflow, fn: (record: StoredRecord) => Promise<void>) {
  let after: { value: unknown; id: string } | undefined;
  for (;;) {
    const page = await tx.records.queryRecords({
      workspaceId,
      object: w.object,
      sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
      limit: PAGE,
      ...(after ? { after } : {}),
    });
    for (const record of page) await fn(record);
    const last = page.at(-1);
    if (page.length < PAGE || !last) break;
    after = { value: last.id, id: last.id };
  }
}

/**
 * How many records publishing with `backfill` would enroll: those already past their instant
 * (relative_date, inactivity) that would enroll now. Zero for other triggers. Reads only.
 */
export async function backfillCount(tx: StoreTx, w: CompiledWorkflow, workspaceId: string, workflowId: string, nowMs: number) {
  const time = recordTime(w);
  if (!time) return 0;
  const zone = await zoneOf(tx, workspaceId);
  let n = 0;
  await eachRecord(tx, workspaceId, w, async (record) => {
    const instant = time.instant(w.trigger, recordView(record), zone);
    if (instant !== undefined && instant <= nowMs && (await wouldEnroll(tx, w, workflowId, record, nowMs))) n++;
  });
  return n;
}

/**
 * Called when a version is published: replaces the previous version's due rows with this one's,
 * for every existing record of the object (relative dates, inactivity) or the next occurrence
 * (schedules). With `backfill`, records already past their instant that would enroll now are
 * due too: half the workflow's rate cap per rate window, the first window now, so that a backfill
 * never meets the cap by itself. Returns how many records were backfilled.
 */
export async function scheduleOnPublish(
  tx: StoreTx,
  w: CompiledWorkflow,
  workspaceId: string,
  workflowId: string,
  version: number,
  nowMs: number,
  backfill?: BackfillPace,
): Promise<number> {
  await tx.schedules.cancelScheduledTriggers(workspaceId, workflowId);
  const t = w.trigger;
  const time = triggerKind(t).time;
  if (!time) return 0;
  if (time.kind === "schedule") {
    const next = time.next(t, nowMs);
    if (next !== undefined)
      await tx.schedules.scheduleTrigger({ workspaceId, workflowId, version, recordId: null, dueAt: new Date(next).toISOString() });
    return 0;
  }
  const zone = await zoneOf(tx, workspaceId);
  let backfilled = 0;
  await eachRecord(tx, workspaceId, w, async (record) => {
    const outcome = await scheduleRecord(tx, w, workflowId, version, record, zone, nowMs);
    if (outcome !== "past" || !backfill || !(await wouldEnroll(tx, w, workflowId, record, nowMs))) return;
    // Half the cap per window: a window's runs may start late (a busy worker), so two windows'
    // runs can fall into one rate window — together they stay under the cap.
    const window = Math.floor(backfilled / Math.max(1, Math.floor(backfill.perWindow / 2)));
    const dueAt = new Date(nowMs + window * backfill.windowMs).toISOString();
    await tx.schedules.scheduleTrigger({ workspaceId, workflowId, version, recordId: record.id, dueAt });
    backfilled++;
  });
  return backfilled;
}

export interface TimeTriggerDeps {
  cache: CompiledCache;
  clock: Clock;
  matcher: Matcher;
}

export class TimeTriggers {
  constructor(private readonly deps: TimeTriggerDeps) {}

  /** Keeps due rows in step with record changes (matcher, per event). */
  async onEvent(tx: StoreTx, event: DomainEvent, record: StoredRecord | undefined) {
    // An inbound delivery's event comes with the record event of its write, which already moved
    // the instant; an SLA milestone changes nothing on the record.
    if (event.type === "external.received" || isSlaEvent(event.type)) return;
    const triggers = await tx.triggers.findTriggers(event.workspaceId, event.object, [TIME_KIND]);
    if (triggers.length === 0) return;
    const zone = await zoneOf(tx, event.workspaceId);
    const nowMs = this.deps.clock.now().getTime();
    for (const t of triggers) {
      if (!record) {
        await tx.schedules.unscheduleTrigger(t.workspaceId, t.workflowId, event.recordId);
        continue;
      }
      const w = await this.deps.cache.get(tx, t.workspaceId, t.workflowId, t.version);
      const field = w ? watchedField(w) : undefined;
      if (!w || !field) continue;
      // Only a change of the watched date moves the instant (inactivity: last_activity_at).
      if (event.type === "record.updated" && !event.changes.some((c) => c.field === field)) continue;
      await scheduleRecord(tx, w, t.workflowId, t.version, record, zone, nowMs);
    }
  }

  /**
   * A run ended: an inactivity workflow that allows re-enrollment is armed again for its record,
   * at the record's next instant — N days after its last activity, or N days after now when that
   * is past (the run itself was the last thing that happened to it): "30 more days of silence
   * start another round". Only the live version re-arms.
   */
  async onRunEnded(tx: StoreTx, run: RunRow) {
    const workflow = await tx.workflows.getWorkflow(run.workspaceId, run.workflowId);
    if (!workflow?.liveVersion) return;
    const w = await this.deps.cache.get(tx, run.workspaceId, run.workflowId, workflow.liveVersion);
    const rearm = w ? recordTime(w)?.rearm : undefined;
    if (!w || !rearm || !w.definition.reenrollment) return;
    const record = await tx.records.getRecord(run.workspaceId, run.recordId);
    if (!record) return;
    const zone = await zoneOf(tx, run.workspaceId);
    const nowMs = this.deps.clock.now().getTime();
    const instant = recordFireInstant(w.trigger, recordView(record), zone);
    const due = instant !== undefined && instant > nowMs ? instant : rearm(w.trigger, nowMs, zone);
    await tx.schedules.scheduleTrigger({
      workspaceId: run.workspaceId,
      workflowId: run.workflowId,
      version: workflow.liveVersion,
      recordId: record.id,
      dueAt: new Date(due).toISOString(),
    });
  }

  /** Fires one claimed due row; returns false when the claim was lost (another worker has it). */
  async fire(tx: StoreTx, item: ScheduledTrigger, owner: string): Promise<boolean> {
    if (!(await tx.schedules.completeScheduledTrigger(item.id, owner, item.attempts))) return false;
    const workflow = await tx.workflows.getWorkflow(item.workspaceId, item.workflowId);
    // Only the live version fires: an archived or replaced one has had its rows cancelled anyway.
    if (!workflow || workflow.liveVersion !== item.version) return true;
    const w = await this.deps.cache.get(tx, item.workspaceId, item.workflowId, item.version);
    if (!w || !isTimeTrigger(w.trigger)) return true;
    const now = this.deps.clock.now();
    const work: NewWorkItem[] = [];
    const log: WorkflowLogRow[] = [];
    const t = { workspaceId: item.workspaceId, workflowId: item.workflowId, version: item.version };
    const rates = this.deps.matcher.rateBook(now);
    const admit = async (record: StoredRecord) => {
      const facts = await loadFacts(tx, record, factNeeds(w), now.getTime());
      const triggerKey = `time:${item.id}:${record.id}`;
      await this.deps.matcher.admit(tx, { t, w, recordId: record.id, triggerKey, depth: 1, eventId: null, work, log, now, rates }, facts);
    };
    if (item.recordId) {
      const record = await tx.records.getRecord(item.workspaceId, item.recordId);
      if (record) await admit(record);
    } else if (triggerKind(w.trigger).time?.kind === "schedule") {
      const records = await tx.records.queryRecords({
        workspaceId: item.workspaceId,
        object: w.object,
        sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
        limit: SCHEDULE_MAX_RECORDS,
      });
      for (const record of records) await admit(record);
      const next = nextScheduleInstant(w.trigger, Math.max(now.getTime(), Date.parse(item.dueAt)));
      if (next !== undefined) await tx.schedules.scheduleTrigger({ ...t, recordId: null, dueAt: new Date(next).toISOString() });
    }
    await tx.work.insertWorkItems(work);
    await tx.workflows.appendWorkflowLog(log);
    await rates.finish(tx);
    return true;
  }
}
