/**
 * Executes one claimed work item: load the run and its facts, decide, apply the commands, log
 * the step and move the run — all in one transaction, completed only by the lease holder.
 */
import type { CallContext } from "../app/context.js";
import { AppError } from "../app/errors.js";
import { formatPath } from "../crm/issues.js";
import type { Clock, IdGenerator } from "../app/ports.js";
import type { RecordWriter } from "../app/records/record-writer.js";
import { factNeeds } from "../engine/compile.js";
import type { FieldChangeFact } from "../engine/conditions.js";
import { type Decision, decide, type RunInput } from "../engine/decide.js";
import { TERMINAL } from "../engine/run-state.js";
import type { Store, StoreTx } from "../store/ports.js";
import type { RunRow, WorkItem } from "../store/workflow-ports.js";
import { ApplyError, applyCommands, type Effect } from "./apply.js";
import type { CompiledCache } from "./compiled-cache.js";
import { loadFacts } from "./facts.js";

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

/** Attempts at one work item before its run is marked failed. */
export const MAX_ATTEMPTS = 5;

/** Another worker moved the run or took the item: roll back and let the item be retried. */
export class LostClaim extends Error {}

type StoredInput = RunInput & { changes?: FieldChangeFact[] };

export interface ExecutorDeps {
  store: Store;
  writer: RecordWriter;
  cache: CompiledCache;
  clock: Clock;
  ids: IdGenerator;
  owner: string;
}

function describe(input: StoredInput): string {
  switch (input.kind) {
    case "timer_fired":
      return `timer ${input.timerId} fired`;
    case "related_event":
      return `${input.object} ${input.type} (${input.link})`;
    case "action_result":
      return `action ${input.key} ${input.ok ? "succeeded" : "failed"}`;
    case "cancel":
      return `cancel: ${input.reason}`;
    default:
      return input.kind;
  }
}

export class Executor {
  constructor(private readonly deps: ExecutorDeps) {}

  /** Returns true when the item was completed (whatever the run did), false when it must be retried. */
  async process(item: WorkItem): Promise<boolean> {
    const input = item.input as StoredInput;
    try {
      await this.deps.store.transaction((tx) => this.step(tx, item, input));
      return true;
    } catch (error) {
      const permanent = permanentReason(error);
      if (permanent !== undefined) {
        await this.deps.store.transaction((tx) => this.fail(tx, item, input, permanent));
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
      await this.deps.store.releaseWork(item.id, this.deps.owner, 1_000 * 2 ** (item.attempts - 1), message);
      return false;
    }
  }

  private async complete(tx: StoreTx, item: WorkItem) {
    if (!(await tx.completeWorkItem(item.id, this.deps.owner, item.attempts))) throw new LostClaim(`work item ${item.id} was taken over`);
  }

  private async step(tx: StoreTx, item: WorkItem, input: StoredInput) {
    const started = performance.now();
    const { cache, clock, ids, writer } = this.deps;
    const run = await tx.getRun(item.workspaceId, item.runId);
    const w = run ? await cache.get(tx, run.workspaceId, run.workflowId, run.version) : undefined;
    if (!run || !w || (TERMINAL.has(run.state.status) && input.kind !== "retry")) return this.complete(tx, item);
    const record = await tx.getRecord(run.workspaceId, run.recordId);
    const nowMs = clock.now().getTime();
    const now = new Date(nowMs).toISOString();
    const workspace = await tx.getWorkspace(run.workspaceId);
    const ctx = { runId: run.id, seq: run.seq + 1, nowMs, timeZone: workspace?.timeZone ?? "UTC" };
    let decision: Decision;
    if (!record) {
      decision = decide(
        w,
        run.state,
        { kind: "cancel", reason: "the record was deleted" },
        { record: {}, refs: {}, counts: {}, nowMs },
        ctx,
      );
    } else {
      const facts = await loadFacts(tx, record, factNeeds(w), nowMs, input.changes);
      decision = decide(w, run.state, input, facts, ctx);
    }
    if (!decision.log) return this.complete(tx, item);
    const call: CallContext = {
      workspaceId: run.workspaceId,
      role: "admin",
      actor: { kind: "workflow", id: run.workflowId },
      requestId: null,
      causeId: run.id,
      depth: run.depth,
    };
    const effects: Effect[] = record ? await applyCommands({ tx, run, record, call, writer, ids, now }, decision.commands) : [];
    await this.record(tx, run, decision, effects, describe(input), now, performance.now() - started);
    await this.complete(tx, item);
  }

  private async record(tx: StoreTx, run: RunRow, decision: Decision, effects: Effect[], input: string, now: string, durationMs: number) {
    const log = decision.log;
    if (!log) return;
    const seq = run.seq + 1;
    await tx.insertRunStep({
      workspaceId: run.workspaceId,
      runId: run.id,
      seq,
      step: log.step,
      type: log.type,
      input,
      outcome: log.outcome,
      why: log.why,
      effects,
      at: now,
      durationMs,
    });
    const next: RunRow = {
      ...run,
      state: decision.state,
      seq,
      updatedAt: now,
      finishedAt: TERMINAL.has(decision.state.status) ? now : null,
    };
    if (!(await tx.updateRun(next, run.seq))) throw new LostClaim(`run ${run.id} was moved by another worker`);
    if (decision.state.status === "running") {
      await tx.insertWorkItems([{ workspaceId: run.workspaceId, runId: run.id, input: { kind: "continue" }, timerId: null, dueAt: now }]);
    }
  }

  /** A command could not be carried out: the step and the run are marked failed, nothing else is written. */
  private async fail(tx: StoreTx, item: WorkItem, input: StoredInput, reason: string) {
    const run = await tx.getRun(item.workspaceId, item.runId);
    if (!run) return this.complete(tx, item);
    const now = this.deps.clock.now().toISOString();
    const decision: Decision = {
      state: { ...run.state, status: "failed", wait: null, reason },
      commands: [],
      log: { step: run.state.step, type: "error", outcome: "failed", why: reason },
    };
    await this.record(tx, run, decision, [], describe(input), now, 0);
    await this.complete(tx, item);
  }
}
