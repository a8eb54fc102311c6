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
import type { DomainEvent, StoredRecord, StoreTx } from "../store/ports.js";
import type { NewWorkItem, ScheduledTrigger, WorkflowLogRow } from "../store/workflow-ports.js";
import type { CompiledCache } from "./compiled-cache.js";
import { loadFacts, recordView } from "./facts.js";
import type { Matcher } from "./matcher.js";

/** The trigger index kind of record-based time triggers (schedules are not indexed by record events). */
export const TIME_KIND = "time";
const PAGE = 1_000;
/** A schedule enrolls at most this many records per occurrence. */
export const SCHEDULE_MAX_RECORDS = 10_000;

function watchedField(w: CompiledWorkflow): string | undefined {
  const t = w.trigger;
  return t.type === "relative_date" || t.type === "inactivity" ? t.field : undefined;
}

async function zoneOf(tx: StoreTx, workspaceId: string): Promise<string> {
  return (await tx.getWorkspace(workspaceId))?.timeZone ?? "UTC";
}

/** (Re)schedules one record for one workflow: future instants only; a cleared date unschedules. */
export async function scheduleRecord(
  tx: StoreTx,
  w: CompiledWorkflow,
  workflowId: string,
  version: number,
  record: StoredRecord,
  zone: string,
  nowMs: number,
) {
  const instant = recordFireInstant(w.trigger, recordView(record), zone);
  if (instant === undefined || instant <= nowMs) {
    await tx.unscheduleTrigger(record.workspaceId, workflowId, record.id);
    return;
  }
  await tx.scheduleTrigger({
    workspaceId: record.workspaceId,
    workflowId,
    version,
    recordId: record.id,
    dueAt: new Date(instant).toISOString(),
  });
}

/**
 * Called when a version is published: replaces the previous version's due rows with this one's,
 * for every existing record of the object (relative dates, inactivity) or the next occurrence
 * (schedules).
 */
export async function scheduleOnPublish(
  tx: StoreTx,
  w: CompiledWorkflow,
  workspaceId: string,
  workflowId: string,
  version: number,
  nowMs: number,
) {
  await tx.cancelScheduledTriggers(workspaceId, workflowId);
  const t = w.trigger;
  if (!isTimeTrigger(t)) return;
  if (t.type === "schedule") {
    const next = nextScheduleInstant(t, nowMs);
    if (next !== undefined)
      await tx.scheduleTrigger({ workspaceId, workflowId, version, recordId: null, dueAt: new Date(next).toISOString() });
    return;
  }
  const zone = await zoneOf(tx, workspaceId);
  let after: { value: unknown; id: string } | undefined;
  for (;;) {
    const page = await tx.queryRecords({
      workspaceId,
      object: w.object,
      sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
      limit: PAGE,
      ...(after ? { after } : {}),
    });
    for (const record of page) await scheduleRecord(tx, w, workflowId, version, record, zone, nowMs);
    const last = page.at(-1);
    if (page.length < PAGE || !last) break;
    after = { value: last.id, id: last.id };
  }
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
    // An inbound delivery's event comes with the record event of its write, which already moved the instant.
    if (event.type === "external.received") return;
    const triggers = await tx.findTriggers(event.workspaceId, event.object, [TIME_KIND]);
    if (triggers.length === 0) return;
    const zone = await zoneOf(tx, event.workspaceId);
    const nowMs = this.deps.clock.now().getTime();
    for (const t of triggers) {
      if (!record) {
        await tx.unscheduleTrigger(t.workspaceId, t.workflowId, event.recordId);
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

  /** Fires one claimed due row; returns false when the claim was lost (another worker has it). */
  async fire(tx: StoreTx, item: ScheduledTrigger, owner: string): Promise<boolean> {
    if (!(await tx.completeScheduledTrigger(item.id, owner, item.attempts))) return false;
    const workflow = await tx.getWorkflow(item.workspaceId, item.workflowId);
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
      const record = await tx.getRecord(item.workspaceId, item.recordId);
      if (record) await admit(record);
    } else if (w.trigger.type === "schedule") {
      const records = await tx.queryRecords({
        workspaceId: item.workspaceId,
        object: w.object,
        sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
        limit: SCHEDULE_MAX_RECORDS,
      });
      for (const record of records) await admit(record);
      const next = nextScheduleInstant(w.trigger, Math.max(now.getTime(), Date.parse(item.dueAt)));
      if (next !== undefined) await tx.scheduleTrigger({ ...t, recordId: null, dueAt: new Date(next).toISOString() });
    }
    await tx.insertWorkItems(work);
    await tx.appendWorkflowLog(log);
    await rates.finish(tx);
    return true;
  }
}
