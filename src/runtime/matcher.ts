/**
 * The trigger matcher: reads the domain event log in commit order and turns events into runs
 * (enrollment) and into inputs for runs that are waiting on the record or on records linked to
 * it. Loop protection lives here, and every suppression is written to the workflow's log.
 */
import type { Clock, IdGenerator } from "../app/ports.js";
import { OBJECTS } from "../crm/objects.js";
import type { CompiledWorkflow } from "../engine/compile.js";
import { factNeeds } from "../engine/compile.js";
import type { Facts, FieldChangeFact } from "../engine/conditions.js";
import { initialState } from "../engine/run-state.js";
import type { DomainEvent, StoredRecord, StoreTx } from "../store/ports.js";
import type { NewWorkItem, TriggerRow, WorkflowLogRow } from "../store/workflow-ports.js";
import type { CompiledCache } from "./compiled-cache.js";
import { loadFacts, recordView } from "./facts.js";

export const MATCHER = "trigger-matcher";

export interface LoopLimits {
  /** Longest chain of workflow-caused changes. Default 16. */
  maxDepth: number;
  /** Runs one workflow may start per window. Default 500 per 60 s. */
  maxRunsPerWindow: number;
  windowMs: number;
}

export const DEFAULT_LIMITS: LoopLimits = { maxDepth: 16, maxRunsPerWindow: 500, windowMs: 60_000 };

/** Trigger kinds an event can fire, for the trigger index lookup. */
export function triggerKinds(event: DomainEvent): string[] {
  switch (event.type) {
    case "record.created":
      return ["record_created", "score_threshold"];
    case "record.updated":
      return ["record_updated", "field_changed", "score_threshold"];
    case "record.deleted":
      return ["record_deleted"];
  }
}

function changed(event: DomainEvent, field: string): FieldChangeFact | undefined {
  return event.changes.find((c) => c.field === field);
}

/** Does the event fire this workflow's trigger (before enrollment conditions)? */
export function triggerFires(w: CompiledWorkflow, event: DomainEvent): boolean {
  const t = w.trigger;
  switch (t.type) {
    case "record_created":
      return event.type === "record.created";
    case "record_updated":
      return event.type === "record.updated" && (!t.fields || t.fields.some((f) => changed(event, f)));
    case "record_deleted":
      return event.type === "record.deleted";
    case "field_changed": {
      const c = changed(event, t.field);
      if (!c || event.type === "record.deleted") return false;
      const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
      return (t.from === undefined || same(c.old, t.from)) && (t.to === undefined || same(c.new, t.to));
    }
    case "score_threshold": {
      const c = changed(event, t.field);
      if (!c || typeof c.new !== "number") return false;
      const old = typeof c.old === "number" ? c.old : Number.NEGATIVE_INFINITY;
      return t.direction === "up" ? old < t.threshold && c.new >= t.threshold : old >= t.threshold && c.new < t.threshold;
    }
    default:
      return false;
  }
}

export interface MatcherDeps {
  cache: CompiledCache;
  clock: Clock;
  ids: IdGenerator;
  limits: LoopLimits;
}

/** Something else that must see every event in the matcher's transaction (time triggers). */
export type EventHook = (tx: StoreTx, event: DomainEvent, record: StoredRecord | undefined) => Promise<void>;

export class Matcher {
  readonly eventHooks: EventHook[] = [];

  constructor(private readonly deps: MatcherDeps) {}

  /** Processes up to `batch` events after the cursor in one transaction; returns how many. */
  async tick(tx: StoreTx, batch: number): Promise<number> {
    const position = await tx.lockCursor(MATCHER);
    const events = await tx.readEvents(position, batch);
    if (events.length === 0) return 0;
    const work: NewWorkItem[] = [];
    const log: WorkflowLogRow[] = [];
    for (const event of events) await this.handle(tx, event, work, log);
    await tx.insertWorkItems(work);
    await tx.appendWorkflowLog(log);
    await tx.setCursor(MATCHER, events[events.length - 1]?.position ?? position);
    return events.length;
  }

  private async handle(tx: StoreTx, event: DomainEvent, work: NewWorkItem[], log: WorkflowLogRow[]) {
    const now = this.deps.clock.now();
    const at = now.toISOString();
    const record = event.type === "record.deleted" ? undefined : await tx.getRecord(event.workspaceId, event.recordId);
    await this.route(tx, event, record, work, at);
    for (const hook of this.eventHooks) await hook(tx, event, record);

    const triggers = await tx.findTriggers(event.workspaceId, event.object, triggerKinds(event));
    for (const t of triggers) {
      if (event.position <= t.sincePosition) continue;
      const w = await this.deps.cache.get(tx, t.workspaceId, t.workflowId, t.version);
      if (!w || !triggerFires(w, event)) continue;
      await this.enroll(tx, event, t, w, record, work, log, now);
    }
  }

  /** Inputs for runs already under way: the record changed, or a record linked to theirs did. */
  private async route(tx: StoreTx, event: DomainEvent, record: StoredRecord | undefined, work: NewWorkItem[], at: string) {
    const own = await tx.activeRunsOf(event.workspaceId, [event.recordId]);
    for (const run of own) {
      if (event.type === "record.deleted") {
        work.push({
          workspaceId: run.workspaceId,
          runId: run.id,
          input: { kind: "cancel", reason: "the record was deleted" },
          timerId: null,
          dueAt: at,
        });
      } else {
        work.push({
          workspaceId: run.workspaceId,
          runId: run.id,
          input: { kind: "record_changed", changes: event.changes },
          timerId: null,
          dueAt: at,
        });
      }
    }
    if (!record) return;
    const links = OBJECTS[event.object].fields.filter((f) => f.type === "reference" && typeof record.data[f.name] === "string");
    for (const link of links) {
      const runs = await tx.activeRunsOf(event.workspaceId, [record.data[link.name] as string]);
      for (const run of runs) {
        if (run.state.status !== "waiting") continue;
        work.push({
          workspaceId: run.workspaceId,
          runId: run.id,
          input: {
            kind: "related_event",
            object: event.object,
            type: event.type === "record.created" ? "created" : "updated",
            link: link.name,
            record: recordView(record),
          },
          timerId: null,
          dueAt: at,
        });
      }
    }
  }

  private async enroll(
    tx: StoreTx,
    event: DomainEvent,
    t: TriggerRow,
    w: CompiledWorkflow,
    record: StoredRecord | undefined,
    work: NewWorkItem[],
    log: WorkflowLogRow[],
    now: Date,
  ) {
    const { limits } = this.deps;
    const suppress = (message: string) => log.push(suppression(t, event.recordId, event.id, message, now));
    if (event.actor.kind === "workflow" && event.actor.id === t.workflowId && !w.definition.allow_self_trigger) {
      return suppress(
        `${event.type} of ${event.object} ${event.recordId} was written by this workflow itself; it does not re-trigger it (allow_self_trigger is off)`,
      );
    }
    const depth = event.depth + 1;
    if (depth > limits.maxDepth) {
      return suppress(
        `causal depth ${depth} exceeds the cap of ${limits.maxDepth}: workflows are triggering each other in a chain (event ${event.id})`,
      );
    }
    const facts = record
      ? await loadFacts(tx, record, factNeeds(w), now.getTime(), event.changes)
      : {
          record: Object.fromEntries(event.changes.map((c) => [c.field, c.old])),
          refs: {},
          counts: {},
          nowMs: now.getTime(),
          changes: event.changes,
        };
    await this.admit(tx, t, w, event.recordId, facts, event.id, depth, event.id, work, log, now);
  }

  /**
   * The checks every enrollment passes, whatever started it (an event, a time trigger):
   * trigger filter and conditions, re-enrollment, the rate cap; then the run under its unique key.
   */
  async admit(
    tx: StoreTx,
    t: Pick<TriggerRow, "workspaceId" | "workflowId" | "version">,
    w: CompiledWorkflow,
    recordId: string,
    facts: Facts,
    triggerKey: string,
    depth: number,
    eventId: string | null,
    work: NewWorkItem[],
    log: WorkflowLogRow[],
    now: Date,
  ): Promise<void> {
    const { limits } = this.deps;
    const at = now.toISOString();
    if (!w.triggerFilter.test(facts) || !w.enrollment.test(facts)) return;

    const latest = await tx.latestRunOf(t.workspaceId, t.workflowId, recordId);
    if (latest && (["running", "waiting"].includes(latest.state.status) || !w.definition.reenrollment)) return;

    const recent = await tx.countRunsSince(t.workspaceId, t.workflowId, new Date(now.getTime() - limits.windowMs).toISOString());
    if (recent >= limits.maxRunsPerWindow) {
      log.push(
        suppression(
          t,
          recordId,
          eventId,
          `rate cap: ${recent} runs started in the last ${limits.windowMs / 1000} s (cap ${limits.maxRunsPerWindow}); ${w.object} ${recordId} not enrolled`,
          now,
        ),
      );
      return;
    }
    const id = this.deps.ids.next();
    const inserted = await tx.insertRun({
      workspaceId: t.workspaceId,
      id,
      workflowId: t.workflowId,
      version: t.version,
      recordId,
      triggerKey,
      state: initialState(w.definition.start),
      seq: 0,
      depth,
      createdAt: at,
      updatedAt: at,
      finishedAt: null,
    });
    if (inserted) work.push({ workspaceId: t.workspaceId, runId: id, input: { kind: "continue" }, timerId: null, dueAt: at });
  }
}

function suppression(
  t: Pick<TriggerRow, "workspaceId" | "workflowId">,
  recordId: string | null,
  eventId: string | null,
  message: string,
  now: Date,
): WorkflowLogRow {
  return { workspaceId: t.workspaceId, workflowId: t.workflowId, recordId, eventId, kind: "suppressed", message, at: now.toISOString() };
}
