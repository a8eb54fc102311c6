/**
 * Executes one claimed work item: load the run and its facts, decide, apply the commands, log
 * the step and move the run — all in one transaction, completed only by the lease holder. A
 * worker hands over its claimed items together (processAll): several steps then share one
 * commit, and a failure in any of them falls back to one transaction per item.
 */

import { ModelPredictor } from "../app/ai/model-predictor.js";
import type { AskChannel } from "../app/approvals/approval-desk.js";
import type { CommitCounters } from "../app/commit-counters.js";
import type { CallContext } from "../app/context.js";
import type { EmailTracker } from "../app/email/email-tracking.js";
import { AppError } from "../app/errors.js";
import { mergedInto } from "../app/merges/merge-service.js";
import type { Clock, IdGenerator } from "../app/ports.js";
import type { RecordWriter } from "../app/records/record-writer.js";
import type { OwnerPin } from "../app/sandbox/sandbox-port.js";
import { formatPath } from "../crm/issues.js";
import { calendarOfStep } from "../engine/calendars.js";
import type { Command } from "../engine/commands.js";
import type { CompiledWorkflow } from "../engine/compile.js";
import type { Facts } from "../engine/conditions.js";
import { type Decision, decide } from "../engine/decide.js";
import { runsOnDeletedRecord } from "../engine/deletion.js";
import { describeInput, type RunInput } from "../engine/run-input.js";
import { TERMINAL } from "../engine/run-state.js";
import type { Store, StoredRecord, StoreTx } from "../store/ports.js";
import type { FactsSeen, RunRow, RunStepRow, WorkItem } from "../store/workflow-ports.js";
import { ApplyError, applyCommands, applyWithoutRecord, type MergePort, RECORDS_ONLY } from "./apply/index.js";
import { loadCalendars } from "./calendars.js";
import type { CompiledCache } from "./compiled-cache.js";
import type { Effect } from "./effects.js";
import { lastStateOf, loadFacts, needsOf } from "./facts.js";
import { factsDigest } from "./facts-digest.js";

/**
 * Failures that another attempt cannot fix: a command that leads nowhere, or a write the record
 * validation refuses (a template rendered an invalid email, say). The run fails at once with the
 * reason; `retry` resumes it once the cause is fixed. Lost races are transient and retried.
 */
function permanentReason(error: unknown): string | undefined {
  if (error instanceof ApplyError) return error.message;
  if (error instanceof AppError && error.kind !== "precondition_failed") {
    const details = error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join("; ");
    return details ? `${error.message} (${details})` : error.message;
  }
  return undefined;
}

/**
 * Whether the commands change no existing record but the run's own: new records are new, but an
 * activity also moves "last activity at" on the record it is about and on that record's company.
 */
function writesOnlyOwnRecord(commands: readonly Command[]): boolean {
  return commands.every((c) => RECORDS_ONLY.has(c.type) && !(c.type === "create_record" && c.object === "activity"));
}

/** Actions that write the record of the run itself. */
const OWN_RECORD_ACTIONS: ReadonlySet<string> = new Set(["update_fields", "assign_owner", "change_score"]);

/** Attempts at one work item before its run is marked failed. */
export const MAX_ATTEMPTS = 5;

/** Another worker moved the run or took the item: roll back and let the item be retried. */
export class LostClaim extends Error {}

/** How the worker has claimed work executed: see processAll. */
export interface Grouping {
  /** Items whose steps share one transaction. */
  perCommit: number;
  /** Steps a running run may take in a row within that transaction. */
  chain: number;
  /** Groups executed at once, each in its own transaction (connection). */
  lanes: number;
}

/**
 * Splits items into groups of about `size`, in their order, keeping all items of one run — and,
 * when `recordOf` knows the runs' records, all runs of one record — in one group: concurrent
 * groups then never move the same run (which would cost a rollback), nor write the same record
 * (one would wait for the other's commit holding its row lock).
 */
function groupWork(items: readonly WorkItem[], size: number, recordOf?: ReadonlyMap<string, string>): WorkItem[][] {
  const byRun = new Map<string, WorkItem[]>();
  for (const item of items) {
    const k = recordOf?.get(item.runId) ?? item.runId;
    const list = byRun.get(k);
    if (list) list.push(item);
    else byRun.set(k, [item]);
  }
  const groups: WorkItem[][] = [];
  let current: WorkItem[] = [];
  for (const list of byRun.values()) {
    if (current.length > 0 && current.length + list.length > Math.max(1, size)) {
      groups.push(current);
      current = [];
    }
    current.push(...list);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * What a group of steps sharing one transaction reads and writes together (set-based execution):
 * its runs in one read, their records in another; its step log rows in one insert, its guarded
 * run updates in one statement and its fenced item completions in another, before the commit or
 * before the next step whose commands touch runs or work items (enroll, timers, the outbox).
 * The copies stay true because nothing else in the transaction writes them behind its back: a
 * step's run update replaces the run here, and a step with commands drops the records they may
 * write (its own record, or all of them), read one by one from then on. A deferred (run, seq)
 * conflict or lost completion fails the group like any other failure: it rolls back and its
 * items run one transaction each.
 */
class Group {
  readonly runs = new Map<string, RunRow>();
  readonly records = new Map<string, StoredRecord>();
  readonly steps: RunStepRow[] = [];
  /** Run updates not yet written, by run: the latest state, guarded by the seq the group found. */
  readonly moved = new Map<string, { run: RunRow; expectedSeq: number }>();
  readonly done: Array<{ id: number; attempt: number }> = [];

  move(next: RunRow, expectedSeq: number) {
    const earlier = this.moved.get(next.id);
    this.moved.set(next.id, { run: next, expectedSeq: earlier?.expectedSeq ?? expectedSeq });
    this.runs.set(next.id, next);
  }

  /**
   * Reads the group's runs and their records. The records of runs whose next step writes them
   * (`writes`) are read for update, all in one statement and in id order: their writes then need
   * no locking read of their own, and can be kept for one statement at the commit.
   */
  static async read(
    tx: StoreTx,
    workspaceId: string,
    runIds: readonly string[],
    runs: readonly RunRow[],
    writes: (run: RunRow) => boolean,
  ): Promise<Group> {
    const g = new Group();
    for (const run of runs) g.runs.set(run.id, run);
    const missing = runIds.filter((id) => !g.runs.has(id));
    if (missing.length > 0) for (const run of await tx.runs.getRuns(workspaceId, missing)) g.runs.set(run.id, run);
    const written = new Set<string>();
    const read = new Set<string>();
    for (const run of g.runs.values()) (writes(run) ? written : read).add(run.recordId);
    for (const id of written) read.delete(id);
    if (written.size > 0) for (const r of await tx.records.getRecordsForUpdate(workspaceId, [...written])) g.records.set(r.id, r);
    if (read.size > 0) for (const r of await tx.records.getRecords(workspaceId, [...read])) g.records.set(r.id, r);
    return g;
  }

  async flush(tx: StoreTx, owner: string) {
    if (this.steps.length > 0) await tx.runs.insertRunSteps(this.steps.splice(0));
    const moved = [...this.moved.values()];
    this.moved.clear();
    if (moved.length > 0 && (await tx.runs.updateRuns(moved)) !== moved.length)
      throw new LostClaim(`a run of the group was moved by another worker`);
    const done = this.done.splice(0);
    if (done.length > 0 && (await tx.work.completeWorkItems(owner, done)) !== done.length)
      throw new LostClaim(`a work item of the group was taken over`);
  }
}

export interface ExecutorDeps {
  store: Store;
  writer: RecordWriter;
  cache: CompiledCache;
  clock: Clock;
  ids: IdGenerator;
  owner: string;
  /** Emails approvers their one-click links (docs/approvals.md); none: in-app notifications only. */
  approvalAsk?: AskChannel | undefined;
  /** A replay's fixed routing decisions: only a sandbox's executor has them. */
  pinOwner?: OwnerPin | undefined;
  /** The merge service, for `merge_records` steps (unwired: such a step fails, saying so). */
  merge?: MergePort | undefined;
  /** Email engagement tracking (app/email/email-tracking.ts); none: emails go out as rendered. */
  trackEmail?: EmailTracker | undefined;
  /** Where committed steps are counted, per commit (app/commit-counters.ts). */
  commits?: CommitCounters | undefined;
  /** Classify steps' predictions, shared with what saves models so that it can forget their heads; none: its own. */
  predictor?: ModelPredictor | undefined;
}

/**
 * What a decision was made on, for its run step: the input decide() was given (which may differ
 * from the one that arrived: a run whose record is gone decides `record_deleted`), the facts it
 * read and the record version they were read at.
 */
interface Decided {
  /** The input that arrived: the log's sentence says what it was. */
  arrived: RunInput;
  input: RunInput;
  facts: Facts;
  recordVersion: number | null;
  seen: FactsSeen | null;
}

/** What a run whose record is gone decides: the merge's cancel if it was merged away, else `record_deleted`. */
async function goneInput(tx: StoreTx, run: RunRow): Promise<RunInput> {
  const merge = await tx.merges.openMergeOf(run.workspaceId, run.recordId);
  return merge ? { kind: "cancel", reason: mergedInto(merge.object, merge.survivorId) } : { kind: "record_deleted" };
}

/** The facts of a decision that reads no record (it is gone, or the input is a failure). */
const noFacts = (nowMs: number): Facts => ({ record: {}, refs: {}, counts: {}, nowMs });

/** Something else that must see every logged step in its transaction (webhook subscriptions to steps). */
export type StepHook = (tx: StoreTx, run: RunRow, step: RunStepRow) => Promise<void>;

/** Something else that must know, in its transaction, that a run has ended (time triggers re-arm). */
export type RunEndHook = (tx: StoreTx, run: RunRow) => Promise<void>;

export class Executor {
  readonly stepHooks: StepHook[] = [];
  readonly runEndHooks: RunEndHook[] = [];
  /** AI models' heads and parameters, kept for classify steps. */
  private readonly predictor: ModelPredictor;

  constructor(private readonly deps: ExecutorDeps) {
    this.predictor = deps.predictor ?? new ModelPredictor();
  }

  /** Returns true when the item was completed (whatever the run did), false when it must be retried. */
  async process(item: WorkItem): Promise<boolean> {
    const input = item.input;
    try {
      await this.deps.store.transaction((tx) => this.step(tx, item, input));
      this.deps.commits?.note("steps", 1);
      return true;
    } catch (error) {
      const permanent = permanentReason(error);
      if (permanent !== undefined) {
        await this.deps.store.transaction((tx) => this.fail(tx, item, input, permanent));
        this.deps.commits?.note("steps", 1);
        return true;
      }
      if (error instanceof LostClaim) return false;
      const message = error instanceof Error ? error.message : String(error);
      if (item.attempts >= MAX_ATTEMPTS) {
        // An input that keeps failing (a store error, a bug) must not spin forever: the run fails
        // where a person sees it, and can be retried once the cause is fixed.
        await this.deps.store.transaction((tx) => this.fail(tx, item, input, `gave up after ${item.attempts} attempts: ${message}`));
        return true;
      }
      // Back off: 1 s, 2 s, 4 s, 8 s between attempts.
      await this.deps.store.work.releaseWork(item.id, this.deps.owner, 1_000 * 2 ** (item.attempts - 1), message);
      return false;
    }
  }

  /**
   * Executes claimed items with group commit: up to `perCommit` steps share one transaction.
   * Each step still commits its record writes, its log entry and its next work together (and
   * only as the lease holder, under the run's sequence guard); they just share the commit with
   * other steps. If anything in a group fails — a command that cannot be carried out, a lost
   * claim, a database error — the whole group rolls back and its items are executed again one
   * transaction each, exactly as `process` does, so one item's failure never touches another.
   * `proceed` is asked between groups (a stopping worker leaves the rest to lease expiry).
   * Returns how many items completed.
   */
  async processAll(items: readonly WorkItem[], grouping: Grouping, proceed: () => boolean = () => true): Promise<number> {
    let completed = 0;
    // Full groups under load; with little to do, one group per lane so that they run side by side.
    const lanes = Math.max(1, grouping.lanes);
    const recordOf = lanes > 1 && items.length > 1 ? await this.recordsOf(items) : undefined;
    const groups = groupWork(items, Math.min(grouping.perCommit, Math.ceil(items.length / lanes)), recordOf);
    let next = 0;
    const lane = async () => {
      for (let group = groups[next++]; group && proceed(); group = groups[next++]) {
        if ((group.length > 1 || grouping.chain > 1) && (await this.processGroup(group, grouping.chain))) {
          completed += group.length;
        } else {
          for (const item of group) if (await this.process(item)) completed++;
        }
        // better-sqlite3 is synchronous: let timers and sockets (the HTTP server) run between groups.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all(Array.from({ length: Math.min(groups.length, lanes) }, lane));
    return completed;
  }

  /** Whether the run's next step is an action that writes the run's own record (as far as the compiled workflow is at hand). */
  private readonly writesOwnRecord = (run: RunRow): boolean => {
    if (run.state.status !== "running" || run.state.step === null) return false;
    const spec = this.deps.cache.peek(run.workspaceId, run.workflowId, run.version)?.steps.get(run.state.step)?.spec;
    return spec?.type === "action" && OWN_RECORD_ACTIONS.has(spec.action.type);
  };

  /**
   * The record of each item's run, read outside any transaction: only to group the items (each
   * group reads its runs again in its own transaction). A failed read just means no grouping.
   */
  private async recordsOf(items: readonly WorkItem[]): Promise<Map<string, string> | undefined> {
    const byWorkspace = new Map<string, string[]>();
    for (const item of items) {
      const ids = byWorkspace.get(item.workspaceId);
      if (ids) ids.push(item.runId);
      else byWorkspace.set(item.workspaceId, [item.runId]);
    }
    try {
      const out = new Map<string, string>();
      for (const [workspaceId, runIds] of byWorkspace)
        for (const run of await this.deps.store.runs.getRuns(workspaceId, runIds)) out.set(run.id, `${workspaceId}\u0000${run.recordId}`);
      return out;
    } catch {
      return undefined;
    }
  }

  /** All items' steps in one transaction; false (and nothing written) when any of them failed. */
  private async processGroup(items: readonly WorkItem[], chain: number): Promise<boolean> {
    const workspaceId = items[0]?.workspaceId;
    try {
      await this.deps.store.transaction(async (tx) => {
        // Set-based when the group is of one workspace (always, but for mixed claims on a shared database).
        const g =
          workspaceId !== undefined && items.every((i) => i.workspaceId === workspaceId)
            ? await Group.read(
                tx,
                workspaceId,
                items.map((i) => i.runId),
                [],
                this.writesOwnRecord,
              )
            : undefined;
        for (const item of items) await this.step(tx, item, item.input, chain, g);
        await g?.flush(tx, this.deps.owner);
      });
      this.deps.commits?.note("steps", items.length);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The first steps of runs the matcher has just started in this transaction (no work item:
   * nobody else can see the runs yet), up to `chain` steps each. A run still running after them
   * queues its `continue` item as usual. Throws on any failure; the caller rolls back and
   * leaves the runs to work items.
   */
  async startInline(tx: StoreTx, runs: readonly RunRow[], chain: number): Promise<void> {
    const byWorkspace = new Map<string, RunRow[]>();
    // Appended in place: a pass at 10,000 workflows starts 20,000 runs, and copying the list per run was quadratic.
    for (const run of runs) {
      const list = byWorkspace.get(run.workspaceId);
      if (list) list.push(run);
      else byWorkspace.set(run.workspaceId, [run]);
    }
    for (const [workspaceId, list] of byWorkspace) {
      const g = await Group.read(tx, workspaceId, [], list, this.writesOwnRecord);
      for (const run of list) {
        const w = await this.deps.cache.get(tx, run.workspaceId, run.workflowId, run.version);
        if (!w) throw new Error(`workflow ${run.workflowId} v${run.version} not found`);
        let next: RunRow | undefined = run;
        for (let left = Math.max(1, chain); next; left--) next = await this.decideAndApply(tx, next, w, { kind: "continue" }, left > 1, g);
      }
      await g.flush(tx, this.deps.owner);
    }
  }

  private async complete(tx: StoreTx, item: WorkItem, g?: Group) {
    if (g) {
      g.done.push({ id: item.id, attempt: item.attempts });
      return;
    }
    if (!(await tx.work.completeWorkItem(item.id, this.deps.owner, item.attempts)))
      throw new LostClaim(`work item ${item.id} was taken over`);
  }

  /**
   * Executes the item's step. With `chain` > 1 (group commit only), a run that is still running
   * afterwards takes its next steps in the same transaction, up to `chain` steps in all, instead
   * of queueing a `continue` item for each: every step is logged and guarded as before.
   */
  private async step(tx: StoreTx, item: WorkItem, input: RunInput, chain = 1, g?: Group) {
    const run = (g?.runs.get(item.runId) as RunRow | undefined) ?? (await tx.runs.getRun(item.workspaceId, item.runId));
    const w = run ? await this.deps.cache.get(tx, run.workspaceId, run.workflowId, run.version) : undefined;
    if (!run || !w || (TERMINAL.has(run.state.status) && input.kind !== "retry")) return this.complete(tx, item, g);
    let next: RunRow | undefined = run;
    for (let left = chain, current = input; next; left--, current = { kind: "continue" }) {
      next = await this.decideAndApply(tx, next, w, current, left > 1, g);
    }
    await this.complete(tx, item, g);
  }

  /** One decision of the run, applied and logged; returns the moved run when it may go on in this transaction. */
  private async decideAndApply(
    tx: StoreTx,
    run: RunRow,
    w: CompiledWorkflow,
    input: RunInput,
    mayChain: boolean,
    g?: Group,
  ): Promise<RunRow | undefined> {
    const started = performance.now();
    const { clock, ids, writer } = this.deps;
    // A deletion workflow runs on the record's last state (its steps cannot write it: refused at publish).
    const record =
      g?.records.get(run.recordId) ??
      (await tx.records.getRecord(run.workspaceId, run.recordId)) ??
      (runsOnDeletedRecord(w.definition) ? await lastStateOf(tx, run.workspaceId, run.recordId) : undefined);
    const nowMs = clock.now().getTime();
    const now = new Date(nowMs).toISOString();
    const workspace = await tx.workspaces.getWorkspace(run.workspaceId);
    const ctx = { runId: run.id, seq: run.seq + 1, nowMs, timeZone: workspace?.timeZone ?? "UTC" };
    let decided: Decided;
    if (!record) {
      decided = {
        arrived: input,
        // A cancel keeps its reason (a merge ends the merged record's runs "merged into …"), and
        // a record merged away ends its run with that reason whatever input comes first.
        input: input.kind === "cancel" ? input : await goneInput(tx, run),
        facts: noFacts(nowMs),
        recordVersion: null,
        seen: null,
      };
    } else {
      const needs = needsOf(w);
      const refs: Record<string, { id: string; version: number } | null> = {};
      const changes = input.kind === "record_changed" ? input.changes : undefined;
      const facts = await loadFacts(tx, record, needs, nowMs, changes, needs.refs.size > 0 ? refs : undefined);
      // Business-time waits read their calendars from the facts; only a step that waits needs them.
      const at = run.state.step === null ? undefined : w.steps.get(run.state.step)?.spec;
      if (needs.calendars.length > 0 && at && calendarOfStep(at))
        facts.calendars = await loadCalendars(tx, record, needs.calendars, ctx.timeZone);
      // A classify step decides on its model's prediction, made here (and kept for a replay).
      if (at?.type === "classify" && run.state.status === "running" && run.state.step !== null)
        facts.prediction = await this.predictor.predict(tx, run.workspaceId, run.state.step, at, record.object, facts.record);
      const seen =
        needs.refs.size > 0 || needs.counts.length > 0 || facts.prediction
          ? { counts: facts.counts, refs, ...(facts.prediction ? { prediction: facts.prediction } : {}) }
          : null;
      decided = { arrived: input, input, facts, recordVersion: record.version, seen };
    }
    const decision = decide(w, run.state, decided.input, decided.facts, ctx);
    if (!decision.log) return undefined;
    if (g && decision.commands.length > 0) {
      // The group's copies of what the commands write are no longer to be trusted; commands that
      // read or write runs and work items see the group's pending step rows, run moves and
      // completions written first.
      if (writesOnlyOwnRecord(decision.commands)) g.records.delete(run.recordId);
      else g.records.clear();
      if (!decision.commands.every((c) => RECORDS_ONLY.has(c.type))) await g.flush(tx, this.deps.owner);
    }
    const call: CallContext = {
      workspaceId: run.workspaceId,
      role: "admin",
      actor: { kind: "workflow", id: run.workflowId },
      requestId: null,
      causeId: run.id,
      depth: run.depth,
    };
    // A run whose record is gone still closes what it owes (its timer, its approval request).
    const effects: Effect[] = record
      ? await applyCommands(
          {
            tx,
            run,
            limits: w.definition.limits,
            record,
            call,
            writer,
            ids,
            now,
            ask: this.deps.approvalAsk,
            pinOwner: this.deps.pinOwner,
            merge: this.deps.merge,
            trackEmail: this.deps.trackEmail,
          },
          decision.commands,
        )
      : await applyWithoutRecord({ tx, run, ids, now, ask: this.deps.approvalAsk }, decision.commands);
    return this.record(tx, run, decision, decided, effects, now, performance.now() - started, mayChain, g);
  }

  private async record(
    tx: StoreTx,
    run: RunRow,
    decision: Decision,
    decided: Decided,
    effects: Effect[],
    now: string,
    durationMs: number,
    mayChain = false,
    g?: Group,
  ): Promise<RunRow | undefined> {
    const log = decision.log;
    if (!log) return undefined;
    const seq = run.seq + 1;
    const row: RunStepRow = {
      workspaceId: run.workspaceId,
      runId: run.id,
      seq,
      step: log.step,
      type: log.type,
      input: describeInput(decided.arrived),
      outcome: log.outcome,
      why: log.why,
      effects,
      at: now,
      durationMs,
      runInput: decided.input,
      recordVersion: decided.recordVersion,
      factsDigest: factsDigest(decided.facts),
      factsSeen: decided.seen,
    };
    if (g) g.steps.push(row);
    else await tx.runs.insertRunStep(row);
    // Outbound webhooks of this step go on the outbox in the same transaction (rolled back with it).
    for (const hook of this.stepHooks) await hook(tx, run, row);
    const next: RunRow = {
      ...run,
      state: decision.state,
      seq,
      updatedAt: now,
      finishedAt: TERMINAL.has(decision.state.status) ? now : null,
    };
    if (g) g.move(next, run.seq);
    else if (!(await tx.runs.updateRun(next, run.seq))) throw new LostClaim(`run ${run.id} was moved by another worker`);
    if (TERMINAL.has(next.state.status) && !TERMINAL.has(run.state.status)) for (const hook of this.runEndHooks) await hook(tx, next);
    if (decision.state.status !== "running") return undefined;
    if (mayChain) return next;
    await tx.work.insertWorkItems([
      { workspaceId: run.workspaceId, runId: run.id, input: { kind: "continue" }, timerId: null, dueAt: now },
    ]);
    return undefined;
  }

  /**
   * A command could not be carried out: the step and the run are marked failed (decided like
   * any other input, from a `failed` input), and what the failure owes is carried out in the
   * same transaction — the run's open approval request closed, so that it neither stays pending
   * (locking its record) nor waits for a resubmission. Nothing else is written. Should the close
   * itself fail (a decision written at the same moment), this transaction rolls back and the
   * item is taken again after its lease, like any other failed transaction.
   */
  private async fail(tx: StoreTx, item: WorkItem, input: RunInput, reason: string) {
    const run = await tx.runs.getRun(item.workspaceId, item.runId);
    const w = run ? await this.deps.cache.get(tx, run.workspaceId, run.workflowId, run.version) : undefined;
    if (!run || !w) return this.complete(tx, item);
    const nowMs = this.deps.clock.now().getTime();
    const workspace = await tx.workspaces.getWorkspace(run.workspaceId);
    const ctx = { runId: run.id, seq: run.seq + 1, nowMs, timeZone: workspace?.timeZone ?? "UTC" };
    const decided: Decided = {
      arrived: input,
      input: { kind: "failed", error: reason },
      facts: noFacts(nowMs),
      recordVersion: null,
      seen: null,
    };
    const decision = decide(w, run.state, decided.input, decided.facts, ctx);
    const now = new Date(nowMs).toISOString();
    const { ids } = this.deps;
    const effects = await applyWithoutRecord({ tx, run, ids, now, ask: this.deps.approvalAsk }, decision.commands);
    await this.record(tx, run, decision, decided, effects, now, 0);
    await this.complete(tx, item);
  }
}
