/**
 * The trigger matcher: reads the domain event log in commit order and turns events into runs
 * (enrollment) and into inputs for runs that are waiting on the record or on records linked to
 * it. Loop protection lives here: chains a workflow causes itself are stopped (its own writes,
 * causal depth) and every stop is written to the logs of the workflows concerned; enrolments over
 * a workflow's rate are deferred, never dropped (rate-cap.ts).
 */
import type { Clock, IdGenerator } from "../app/ports.js";
import { OBJECTS } from "../crm/objects.js";
import type { CompiledWorkflow } from "../engine/compile.js";
import type { Facts } from "../engine/conditions.js";
import { initialState, TERMINAL } from "../engine/run-state.js";
import { lookupKeys, triggerKind } from "../engine/triggers/index.js";
import { isSlaEvent } from "../store/event-ports.js";
import type { DomainEvent, StoredRecord, StoreTx } from "../store/ports.js";
import type { NewWorkItem, RunRow, TriggerRow, WorkflowLogRow } from "../store/workflow-ports.js";
import type { CompiledCache } from "./compiled-cache.js";
import { loadFacts, needsOf, recordView } from "./facts.js";
import { RateBook, type RateLimits } from "./rate-cap.js";
import { type TriggerSet, TriggerSets } from "./trigger-index.js";

export const MATCHER = "trigger-matcher";

const LISTENS = new WeakMap<CompiledWorkflow, { own: boolean; related: boolean }>();

export interface LoopLimits extends RateLimits {
  /** Longest chain of workflow-caused changes. Default 16. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: LoopLimits = { maxDepth: 16, maxRunsPerWindow: 500, windowMs: 60_000, backlogAlertWindows: 5 };

/** Trigger kinds an event can fire, for the trigger index lookup (the trigger registry's lookups). */
export function triggerKinds(event: DomainEvent): readonly string[] {
  return lookupKeys(event);
}

/** Does the event fire this workflow's trigger (before enrollment conditions)? */
export function triggerFires(w: CompiledWorkflow, event: DomainEvent): boolean {
  return triggerKind(w.trigger).fires(w.trigger, event);
}

export interface MatcherDeps {
  cache: CompiledCache;
  clock: Clock;
  ids: IdGenerator;
  limits: LoopLimits;
}

/** Something else that must see every event in the matcher's transaction (time triggers). */
export type EventHook = (tx: StoreTx, event: DomainEvent, record: StoredRecord | undefined) => Promise<void>;

/**
 * Takes the first steps of runs a tick has just started, in the tick's transaction (the
 * executor's `startInline`). A run it was handed needs no `continue` work item.
 */
export type InlineStart = (tx: StoreTx, runs: readonly RunRow[]) => Promise<void>;

export interface InlineOptions {
  execute: InlineStart;
  /** Runs started by one tick that are executed inline at most; the rest get work items. */
  max: number;
}

export class Matcher {
  readonly eventHooks: EventHook[] = [];
  private readonly triggerSets: TriggerSets;

  constructor(private readonly deps: MatcherDeps) {
    this.triggerSets = new TriggerSets(deps.cache);
  }

  /**
   * Processes up to `batch` events after the cursor in one transaction; returns how many.
   * With `inline`, once every event has been matched, runs the tick started take their first
   * steps in the same transaction (up to `inline.max` of them) instead of each waiting for a
   * `continue` item to be claimed and committed on its own. Whatever fails there fails the
   * transaction: the caller then ticks again without `inline`.
   */
  async tick(tx: StoreTx, batch: number, inline?: InlineOptions): Promise<number> {
    const position = await tx.events.lockCursor(MATCHER);
    const events = await tx.events.readEvents(position, batch);
    if (events.length === 0) return 0;
    let work: NewWorkItem[] = [];
    const log: WorkflowLogRow[] = [];
    const now = this.deps.clock.now();
    const tick = await Tick.read(tx, events, this.rateBook(now));
    // What each event would enroll in first: triggers and conditions read only the pass's
    // snapshot of the records (nothing is written while matching), so this is what handle()
    // would find, and the rate cap's rows are then read (and locked) once for every workflow involved.
    const plans: Candidate[][] = [];
    for (const event of events) plans.push(await this.candidates(tx, event, tick, now));
    await tick.loadRates(tx, plans);
    for (const [i, event] of events.entries()) await this.handle(tx, event, plans[i] ?? [], work, log, tick, now);
    const inlined = inline && inline.max > 0 && tick.fresh.length > 0 ? inline : undefined;
    if (inlined) {
      // The runs are kept by the transaction and written once, in the state their first steps
      // leave them in (an insert and an update each otherwise). One that exists already (see
      // below) fails the transaction: the caller then matches again without inline steps.
      // Deferred runs keep their `continue` item, due at their slot.
      await tx.runs.insertNewRuns(tick.fresh.map((f) => f.run));
      const now = tick.fresh.filter((f) => !f.deferred).slice(0, inlined.max);
      if (now.length > 0)
        await inlined.execute(
          tx,
          now.map((f) => f.run),
        );
      const taken = new Set(now.map((f) => f.item));
      work = work.filter((item) => !taken.has(item));
    } else if (tick.fresh.length > 0) {
      // One statement for the pass's runs. A run whose (workflow, trigger key) exists already is
      // not written, and neither are its items (under the cursor lock that means the event was
      // matched before, and that run was read as the record's latest: nothing here counted on it).
      const inserted = await tx.runs.insertRuns(tick.fresh.map((f) => f.run));
      if (inserted.size < tick.fresh.length) {
        const lost = new Set(tick.fresh.filter((f) => !inserted.has(f.run.id)).map((f) => f.run.id));
        tick.fresh.splice(0, tick.fresh.length, ...tick.fresh.filter((f) => !lost.has(f.run.id)));
        work = work.filter((item) => !lost.has(item.runId));
      }
    }
    await tx.work.insertWorkItems(work);
    await tx.workflows.appendWorkflowLog(log);
    await tick.rates.finish(tx);
    await tx.events.setCursor(MATCHER, events[events.length - 1]?.position ?? position);
    return events.length;
  }

  /** The rate cap's slots for one transaction (a matcher pass; a time trigger firing). */
  rateBook(now: Date): RateBook {
    return new RateBook(this.deps.limits, now, this.deps.ids);
  }

  /**
   * The workflows the event fires whose conditions hold, and those loop protection stops (with
   * why), in trigger order.
   */
  private async candidates(tx: StoreTx, event: DomainEvent, tick: Tick, now: Date): Promise<Candidate[]> {
    const record = event.type === "record.deleted" ? undefined : tick.record(event.workspaceId, event.recordId);
    const triggers = await this.triggerSets.get(tx, event.workspaceId, event.object, triggerKinds(event), tick.triggerSets);
    // Most workflows' conditions look at the record alone: those share one set of facts per event,
    // handed out without an await (hundreds of candidates per event would each pay for one).
    let plain: Facts | undefined;
    const nowMs = now.getTime();
    const factsFor = (w: CompiledWorkflow, onlyRecord: boolean): Facts | Promise<Facts> => {
      if (!record) {
        plain ??= {
          record: Object.fromEntries(event.changes.map((c) => [c.field, c.old])),
          refs: {},
          counts: {},
          nowMs,
          changes: event.changes,
        };
        return plain;
      }
      if (!onlyRecord) return loadFacts(tx, record, needsOf(w), nowMs, event.changes);
      plain ??= { record: recordView(record), refs: {}, counts: {}, nowMs, changes: event.changes };
      return plain;
    };
    const out: Candidate[] = [];
    for (const { row: t, w, onlyRecord } of triggers.candidates(event)) {
      if (event.position <= t.sincePosition || !triggerFires(w, event)) continue;
      const blocked = this.loopGuard(event, t, w);
      if (blocked) {
        out.push({ t, w, blocked });
        continue;
      }
      const got = factsFor(w, onlyRecord);
      const facts = got instanceof Promise ? await got : got;
      if (conditionsHold(w, facts)) out.push({ t, w });
    }
    return out;
  }

  private async handle(
    tx: StoreTx,
    event: DomainEvent,
    candidates: readonly Candidate[],
    work: NewWorkItem[],
    log: WorkflowLogRow[],
    tick: Tick,
    now: Date,
  ) {
    const at = now.toISOString();
    const record = event.type === "record.deleted" ? undefined : tick.record(event.workspaceId, event.recordId);
    // A delivery's record change has its own event, routed as any other; this one only enrolls.
    // So does an SLA milestone: it changes nothing on the record.
    if (event.type !== "external.received" && !isSlaEvent(event.type)) await this.route(tx, event, record, work, at, tick);
    for (const hook of this.eventHooks) await hook(tx, event, record);
    for (const { t, w, blocked } of candidates) {
      if (blocked) {
        log.push(...(await this.stopped(tx, event, t, blocked, now)));
        continue;
      }
      await this.admitChecked(tx, {
        t,
        w,
        recordId: event.recordId,
        triggerKey: event.id,
        depth: event.depth + 1,
        eventId: event.id,
        work,
        log,
        now,
        tick,
        rates: tick.rates,
      });
    }
  }

  /**
   * The log of a loop stop. A causal depth stop names the workflows of the chain (walked back
   * from the event through the runs that wrote it and the events that started them) and is
   * written to the log of each of them, with the chain, so that the record's timeline shows it.
   */
  private async stopped(tx: StoreTx, event: DomainEvent, t: TriggerRow, stop: Stop, now: Date): Promise<WorkflowLogRow[]> {
    if (stop.kind === "self") return [suppression(t, event.recordId, event.id, stop.why, now)];
    const runs = await chainOf(tx, event);
    const chain = [...new Set([...runs, t.workflowId])];
    const names = new Map<string, string>();
    for (const id of chain) names.set(id, (await tx.workflows.getWorkflow(t.workspaceId, id))?.name ?? id);
    const quoted = (id: string) => `"${names.get(id) ?? id}"`;
    const seq =
      runs.length <= 6 ? runs.map(quoted).join(" → ") : `${runs.slice(0, 4).map(quoted).join(" → ")} → … → ${quoted(runs.at(-1) ?? "")}`;
    const message =
      `${stop.why}: ${runs.length} runs of ${list(chain.filter((id) => runs.includes(id)).map(quoted))} in turn on ${event.object} ${event.recordId} ` +
      `(${seq}); ${quoted(t.workflowId)} is not started again — loop stopped`;
    return chain.map((workflowId) => ({
      ...suppression({ workspaceId: t.workspaceId, workflowId }, event.recordId, event.id, message, now),
      chain,
    }));
  }

  /** Inputs for runs already under way: the record changed, or a record linked to theirs did. */
  private async route(tx: StoreTx, event: DomainEvent, record: StoredRecord | undefined, work: NewWorkItem[], at: string, tick: Tick) {
    const own = tick.activeRuns(event.workspaceId, event.recordId);
    for (const run of own) {
      if (event.type !== "record.deleted" && !(await this.listens(tx, run, "own"))) continue;
      if (event.type === "record.deleted") {
        // decide() turns it into the run's cancellation.
        work.push({ workspaceId: run.workspaceId, runId: run.id, input: { kind: "record_deleted" }, timerId: null, dueAt: at });
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
    for (const link of links(record)) {
      const runs = tick.activeRuns(event.workspaceId, record.data[link.name] as string);
      for (const run of runs) {
        if (run.state.status !== "waiting" || !(await this.listens(tx, run, "related"))) continue;
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

  /**
   * Whether the run's version can ever act on a change of its record (it has a goal, or a
   * wait_for step with a condition) or on a linked record's event (a wait_for step awaiting
   * one). decide() ignores such inputs otherwise, so they are not queued: each would cost a
   * transaction for nothing.
   */
  private async listens(tx: StoreTx, run: RunRow, to: "own" | "related"): Promise<boolean> {
    const { cache } = this.deps;
    const w =
      cache.peek(run.workspaceId, run.workflowId, run.version) ?? (await cache.get(tx, run.workspaceId, run.workflowId, run.version));
    if (!w) return true;
    let known = LISTENS.get(w);
    if (!known) {
      const steps = [...w.steps.values()];
      known = {
        own: w.goal !== undefined || steps.some((s) => "condition" in s && s.condition !== undefined),
        related: steps.some((s) => s.spec.type === "wait_for" && s.spec.event !== undefined),
      };
      LISTENS.set(w, known);
    }
    return known[to];
  }

  /** Why loop protection stops this event from enrolling in `w`, if it does. */
  private loopGuard(event: DomainEvent, t: TriggerRow, w: CompiledWorkflow): Stop | undefined {
    const { limits } = this.deps;
    if (event.actor.kind === "workflow" && event.actor.id === t.workflowId && !w.definition.allow_self_trigger) {
      return {
        kind: "self",
        why: `${event.type} of ${event.object} ${event.recordId} was written by this workflow itself; it does not re-trigger it (allow_self_trigger is off)`,
      };
    }
    const depth = event.depth + 1;
    if (depth > limits.maxDepth) {
      return {
        kind: "depth",
        why: `causal depth ${depth} exceeds the cap of ${limits.maxDepth}: workflows are triggering each other in a chain`,
      };
    }
    return undefined;
  }

  /**
   * The checks every enrollment passes, whatever started it (an event, a time trigger):
   * trigger filter and conditions, re-enrollment; then the run under its unique key, started at
   * once or, over the workflow's rate, at its slot (deferred).
   */
  async admit(tx: StoreTx, a: Admission, facts: Facts): Promise<void> {
    if (!conditionsHold(a.w, facts)) return;
    await this.admitChecked(tx, a);
  }

  /** `admit` once the conditions hold: most candidates fail them, and are refused without an await. */
  private async admitChecked(tx: StoreTx, a: Admission): Promise<void> {
    const { t, w, recordId, triggerKey, depth, work, now, tick, rates } = a;
    const latest = tick?.knowsRunsOf(t.workspaceId, recordId)
      ? tick.latestRun(t.workspaceId, t.workflowId, recordId)
      : await tx.runs.latestRunOf(t.workspaceId, t.workflowId, recordId);
    if (latest && (["running", "waiting"].includes(latest.state.status) || !w.definition.reenrollment)) return;

    // Over the rate the run is created now and starts at its slot: deferred, in order, never dropped.
    const slot = await rates.take(tx, t.workspaceId, t.workflowId, recordId);
    const id = this.deps.ids.next();
    const at = now.toISOString();
    const run: RunRow = {
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
    };
    // A matcher pass inserts its runs together once all of its events are matched (see tick).
    if (!tick && !(await tx.runs.insertRun(run))) return;
    const dueAt = slot.deferred ? new Date(slot.atMs).toISOString() : at;
    const item: NewWorkItem = { workspaceId: t.workspaceId, runId: id, input: { kind: "continue" }, timerId: null, dueAt };
    tick?.started(run);
    tick?.fresh.push({ run, item, deferred: slot.deferred });
    work.push(item);
  }
}

/** Why loop protection stops an enrollment: the workflow's own write, or a chain too deep. */
interface Stop {
  kind: "self" | "depth";
  why: string;
}

/** A workflow an event fires and whose conditions hold, or that loop protection stops (`blocked`: why). */
interface Candidate {
  t: TriggerRow;
  w: CompiledWorkflow;
  blocked?: Stop;
}

/**
 * The workflows whose runs made the chain that ends in `event`, first cause first: the run that
 * wrote an event is its cause, and the event that started that run is its trigger key.
 */
async function chainOf(tx: StoreTx, event: DomainEvent): Promise<string[]> {
  const out: string[] = [];
  let e: DomainEvent | undefined = event;
  for (let hops = 0; e && e.actor.kind === "workflow" && e.causeId && hops <= 64; hops++) {
    const run = await tx.runs.getRun(e.workspaceId, e.causeId);
    if (!run) break;
    out.unshift(run.workflowId);
    e = await tx.events.getEvent(e.workspaceId, run.triggerKey);
  }
  return out;
}

/** "A", "A and B", "A, B and C". */
function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

export interface Admission {
  t: Pick<TriggerRow, "workspaceId" | "workflowId" | "version">;
  w: CompiledWorkflow;
  recordId: string;
  /** The run's unique key with the workflow: the event id, or the time trigger's. */
  triggerKey: string;
  depth: number;
  eventId: string | null;
  work: NewWorkItem[];
  log: WorkflowLogRow[];
  now: Date;
  /** The matcher pass's shared reads, when the matcher admits. */
  tick?: Tick | undefined;
  /** The transaction's rate cap slots (Matcher.rateBook; finish() it before the commit). */
  rates: RateBook;
}

/** The trigger filter and the enrollment conditions. */
function conditionsHold(w: CompiledWorkflow, facts: Facts): boolean {
  return w.triggerFilter.test(facts) && w.enrollment.test(facts);
}

/** The reference fields of a record that are set: events on it concern runs waiting on those records. */
function links(record: StoredRecord) {
  return OBJECTS[record.object].fields.filter((f) => f.type === "reference" && typeof record.data[f.name] === "string");
}

const key = (workspaceId: string, id: string) => `${workspaceId}\u0000${id}`;
/** SQLite allows 32,766 parameters per statement. */
const READ_CHUNK = 500;

/**
 * What a tick reads once for all of its events instead of once per event: the events' records,
 * all runs of those records and the active runs of the records they link to. Runs the tick starts
 * are added as it goes, and the runs started per workflow in the rate window are counted once
 * and then kept up to date, so that every event sees what it would have read by itself.
 */
class Tick {
  private readonly records = new Map<string, StoredRecord>();
  private readonly active = new Map<string, RunRow[]>();
  /** The newest run per (workflow, record), for the records whose runs were all read. */
  private readonly latest = new Map<string, RunRow>();
  private readonly allRunsRead = new Set<string>();
  /** Trigger sets this tick has read and checked, per (workspace, object, kinds). */
  readonly triggerSets = new Map<string, TriggerSet>();
  /** Runs this tick started, with their `continue` items, in order; `deferred`: over the rate, due at their slot. */
  readonly fresh: Array<{ run: RunRow; item: NewWorkItem; deferred: boolean }> = [];

  private constructor(readonly rates: RateBook) {}

  static async read(tx: StoreTx, events: readonly DomainEvent[], rates: RateBook): Promise<Tick> {
    const tick = new Tick(rates);
    const byWorkspace = new Map<string, Set<string>>();
    for (const e of events) {
      const ids = byWorkspace.get(e.workspaceId) ?? new Set<string>();
      byWorkspace.set(e.workspaceId, ids);
      ids.add(e.recordId);
    }
    for (const [workspaceId, ids] of byWorkspace) {
      const linked = new Set<string>();
      for (const chunk of chunks([...ids]))
        for (const r of await tx.records.getRecords(workspaceId, chunk)) {
          tick.records.set(key(workspaceId, r.id), r);
          for (const link of links(r)) linked.add(r.data[link.name] as string);
        }
      // The events' records: all their runs (a record has few), which also answer "the latest
      // run of this workflow" for every enrollment. Linked records: the runs under way only.
      for (const chunk of chunks([...ids])) for (const run of await tx.runs.runsOfRecords(workspaceId, chunk)) tick.known(run);
      for (const id of ids) tick.allRunsRead.add(key(workspaceId, id));
      const others = [...linked].filter((id) => !ids.has(id));
      for (const chunk of chunks(others)) for (const run of await tx.runs.activeRunsOf(workspaceId, chunk)) tick.known(run);
    }
    return tick;
  }

  /** A run that existed before the tick. */
  private known(run: RunRow) {
    if (!TERMINAL.has(run.state.status)) this.addActive(run);
    this.noteLatest(run);
  }

  private addActive(run: RunRow) {
    const k = key(run.workspaceId, run.recordId);
    const list = this.active.get(k);
    if (list) list.push(run);
    else this.active.set(k, [run]);
  }

  private noteLatest(run: RunRow) {
    const k = `${key(run.workspaceId, run.workflowId)}\u0000${run.recordId}`;
    const current = this.latest.get(k);
    if (!current || run.id > current.id) this.latest.set(k, run);
  }

  /** Whether every run of the record was read (then latestRun answers for it). */
  knowsRunsOf(workspaceId: string, recordId: string): boolean {
    return this.allRunsRead.has(key(workspaceId, recordId));
  }

  /** The newest run of the workflow for the record (by id, as latestRunOf), including runs this tick started. */
  latestRun(workspaceId: string, workflowId: string, recordId: string): RunRow | undefined {
    return this.latest.get(`${key(workspaceId, workflowId)}\u0000${recordId}`);
  }

  record(workspaceId: string, id: string): StoredRecord | undefined {
    return this.records.get(key(workspaceId, id));
  }

  activeRuns(workspaceId: string, recordId: string): readonly RunRow[] {
    return this.active.get(key(workspaceId, recordId)) ?? [];
  }

  /** A run this tick started. */
  started(run: RunRow) {
    this.addActive(run);
    this.noteLatest(run);
  }

  /** Reads (and locks) the rate rows of every workflow the candidates would enroll in, once per workspace. */
  async loadRates(tx: StoreTx, plans: ReadonlyArray<readonly Candidate[]>) {
    const byWorkspace = new Map<string, Set<string>>();
    for (const list of plans)
      for (const { t, blocked } of list) {
        if (blocked) continue;
        const ids = byWorkspace.get(t.workspaceId) ?? new Set<string>();
        byWorkspace.set(t.workspaceId, ids);
        ids.add(t.workflowId);
      }
    for (const [workspaceId, ids] of byWorkspace) await this.rates.load(tx, workspaceId, ids);
  }
}

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += READ_CHUNK) out.push(list.slice(i, i + READ_CHUNK));
  return out;
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
