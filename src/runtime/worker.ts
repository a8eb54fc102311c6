/**
 * The worker loop: match new events to workflows, then claim due work items and execute them.
 * Several workers (processes) may share one PostgreSQL database: the matcher takes the cursor
 * row lock in turn, work items are claimed with SKIP LOCKED and a lease that a heartbeat keeps
 * alive; a crashed worker's items become claimable when its lease expires.
 */

import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { CommitCounters } from "../app/commit-counters.js";
import type { Nudge } from "../app/ports.js";
import type { Store, StoreTx } from "../store/ports.js";
import type { RunRow } from "../store/workflow-ports.js";
import type { Executor } from "./executor.js";
import { MATCHER, type Matcher } from "./matcher.js";
import type { ScoreDecay } from "./scoring/decay.js";
import type { SlaFiring } from "./sla/fire.js";
import type { TimeTriggers } from "./time-triggers.js";

export interface WorkerOptions {
  /** Lease on claimed work, by the database clock. Default 15 s: a crashed worker's work moves on within it. */
  leaseMs: number;
  /** How often the leases of in-flight work are extended. Default a third of the lease. */
  heartbeatMs: number;
  /** Sleep when there was nothing to do (a commit in this process wakes the loop at once). Default 250 ms. */
  idleMs: number;
  /** Events matched per transaction. Default 200. */
  eventBatch: number;
  /** Work items claimed at once. Default 200. */
  claimBatch: number;
  /** Work items whose steps share one commit (group commit); 1 = a transaction per item. Default 100 (on PostgreSQL a claim is split over the lanes first). */
  stepsPerCommit: number;
  /**
   * Steps a run may take in a row in that commit before it queues a `continue` item, when the
   * claim was full (a backlog). Default 8.
   */
  chainSteps: number;
  /**
   * Groups of work executed at once, each in its own transaction: on PostgreSQL round trips, not
   * the CPU, bound one transaction at a time. A store without concurrent writers (SQLite: one
   * connection) always gets 1. Default 4.
   */
  lanes: number;
  /**
   * Runs started by one matcher pass that take their first steps (up to `chainSteps`) in the
   * matcher's own transaction rather than through a claimed `continue` item; the rest are queued.
   * Saves the claim, the item and a commit per run, and most of the latency to the first action;
   * the pass executes them set-based (a few statements for all of them). `undefined`: all of
   * them. A smaller number spreads first steps over the executors of every worker process (the
   * matcher is one lane per database): worth it only when the matcher's process is the busiest
   * of several. 0 = off.
   */
  inlineRuns?: number | undefined;
}

export const DEFAULT_WORKER: WorkerOptions = {
  leaseMs: 15_000,
  heartbeatMs: 5_000,
  idleMs: 250,
  eventBatch: 200,
  claimBatch: 200,
  stepsPerCommit: 100,
  chainSteps: 8,
  lanes: 4,
};

export function workerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

/** Wakes a sleeping loop; remembers a wake-up that came while the loop was busy. */
export class Wakeup {
  private poked = false;
  private wake: (() => void) | undefined;

  poke(): void {
    this.poked = true;
    this.wake?.();
  }

  /** Forgets earlier pokes: called as a pass starts. */
  reset(): void {
    this.poked = false;
  }

  /** Sleeps up to `ms`, unless poked since the last reset (then returns at once). */
  sleep(ms: number): Promise<void> {
    if (this.poked) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

/** better-sqlite3 answers synchronously: a busy loop must still give timers and sockets a turn. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** What a worker runs, and whom it wakes (wired in the composition root). */
export interface WorkerDeps {
  store: Store;
  matcher: Matcher;
  executor: Executor;
  /** Names this process's leases. */
  owner: string;
  logger?: Logger | undefined;
  /** Time-based triggers to fire as they fall due; none in tests that do not need them. */
  timeTriggers?: TimeTriggers | undefined;
  /** After a pass executed work items: steps may have put external actions on the outbox. */
  onExecuted?: Nudge | undefined;
  /** SLA clocks whose milestones fall due (issue 17); none in tests that do not need them. */
  sla?: SlaFiring | undefined;
  /** Scores whose fields decay or expire at an instant (issue 21); none in tests that do not need them. */
  scoring?: ScoreDecay | undefined;
  /** Where the matcher's commits are counted, with the events each matched (app/commit-counters.ts). */
  commits?: CommitCounters | undefined;
}

export class Worker {
  private running = false;
  private stopped: Promise<void> | undefined;
  private readonly inFlight = new Set<number>();
  /** New events (a commit in this process). */
  private readonly matching = new Wakeup();
  /** New work items (the matcher, enrollments and run controls in this process). */
  private readonly executing = new Wakeup();
  private readonly store: Store;
  private readonly matcher: Matcher;
  private readonly executor: Executor;
  readonly owner: string;
  private readonly logger: Logger | undefined;
  private readonly timeTriggers: TimeTriggers | undefined;
  private readonly onExecuted: Nudge;
  private readonly sla: SlaFiring | undefined;
  private readonly scoring: ScoreDecay | undefined;
  private readonly commits: CommitCounters | undefined;

  constructor(
    deps: WorkerDeps,
    private readonly options: WorkerOptions,
  ) {
    this.store = deps.store;
    this.matcher = deps.matcher;
    this.executor = deps.executor;
    this.owner = deps.owner;
    this.logger = deps.logger;
    this.timeTriggers = deps.timeTriggers;
    this.onExecuted = deps.onExecuted ?? (() => {});
    this.sla = deps.sla;
    this.scoring = deps.scoring;
    this.commits = deps.commits;
  }

  /**
   * Moves the trigger matcher's cursor to the newest event of the log without matching what lies
   * between: for history written into the log (the demo's seeded past) that no workflow must take
   * for news. Only with this worker stopped and drained first, or live events are skipped too.
   */
  async skipToNewestEvent(): Promise<void> {
    await this.store.transaction(async (tx) => {
      const position = await tx.events.lockCursor(MATCHER);
      await tx.events.setCursor(MATCHER, Math.max(position, await tx.events.lastEventPosition()));
    });
  }

  /** Whether the loops run (start() was called and stop() not since). */
  get isRunning(): boolean {
    return this.running;
  }

  /** Nudges idle loops (called after commits in this process). */
  poke(): void {
    this.matching.poke();
    this.executing.poke();
  }

  /**
   * Runs two loops until stopped: the matcher (events → runs and inputs) and the executor (due
   * work → steps). Apart, each goes on while the other waits on the database: on PostgreSQL a
   * new event is matched while earlier steps execute, instead of after them. (SQLite has one
   * connection: their transactions take turns.)
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    const heartbeat = setInterval(() => {
      if (this.inFlight.size === 0) return;
      this.store.work
        .extendLeases(this.owner, [...this.inFlight], this.options.leaseMs)
        .catch((error) => this.logger?.warn({ err: error }, "lease heartbeat failed"));
    }, this.options.heartbeatMs);
    heartbeat.unref();
    const matching = this.loop(this.matching, async () => {
      const matched = await this.match();
      if (matched > 0) this.executing.poke();
      return matched;
    });
    const executing = this.loop(
      this.executing,
      () => this.execute(),
      () => this.untilDue(),
    );
    this.stopped = Promise.all([matching, executing]).then(() => clearInterval(heartbeat));
  }

  private async loop(
    wakeup: Wakeup,
    pass: () => Promise<number>,
    idle: () => Promise<number> = async () => this.options.idleMs,
  ): Promise<void> {
    while (this.running) {
      let did = 0;
      // A poke during the pass (a commit it may not have seen) means: look again at once.
      wakeup.reset();
      try {
        did = await pass();
      } catch (error) {
        this.logger?.error({ err: error }, "worker loop error");
      }
      if (did === 0 && this.running) await wakeup.sleep(await idle().catch(() => this.options.idleMs));
      else await turn();
    }
  }

  /**
   * How long an idle executor sleeps: until the next item or time trigger is due (by the database
   * clock), at most `idleMs`, at least 1 ms (5 ms when something is due but was not claimable,
   * e.g. locked by another worker's claim, so as not to spin).
   */
  private async untilDue(): Promise<number> {
    const work = await this.store.work.nextDueInMs();
    const clocks = this.sla ? await this.store.sla.nextSlaDueInMs() : undefined;
    const scores = this.scoring ? await this.store.scores.nextScoreChangeInMs() : undefined;
    const known = [work, clocks, scores].filter((x): x is number => x !== undefined);
    const inMs = known.length === 0 ? undefined : Math.min(...known);
    if (inMs === undefined) return this.options.idleMs;
    return Math.min(this.options.idleMs, inMs <= 0 ? 5 : Math.ceil(inMs) + 1);
  }

  /** One pass: match a batch of events, run a batch of due work. Returns how much was done. */
  async once(): Promise<number> {
    const matched = await this.match();
    return matched + (await this.execute());
  }

  /**
   * Matches a batch of events in one transaction; returns how many. New runs take their first
   * steps in it (see `inlineRuns`); if anything fails there, the transaction rolls back and the
   * batch is matched again with every new run queued as a work item, so that a failing step
   * is retried, backed off or failed by the executor as any other.
   */
  private async match(): Promise<number> {
    const matched = await this.matchBatch();
    this.commits?.note("matcher", matched);
    return matched;
  }

  private async matchBatch(): Promise<number> {
    const batch = this.options.eventBatch;
    const max = this.options.inlineRuns ?? Number.POSITIVE_INFINITY;
    if (max > 0) {
      const chain = Math.max(1, this.options.chainSteps);
      const inline = { max, execute: (tx: StoreTx, runs: readonly RunRow[]) => this.executor.startInline(tx, runs, chain) };
      try {
        return await this.store.transaction((tx) => this.matcher.tick(tx, batch, inline));
      } catch (error) {
        this.logger?.debug({ err: error }, "inline first steps failed; matching again without them");
      }
    }
    return this.store.transaction((tx) => this.matcher.tick(tx, batch));
  }

  /**
   * Fires due time triggers and SLA milestones and executes a batch of due work items; returns
   * how many.
   */
  private async execute(): Promise<number> {
    let fired = 0;
    if (this.sla) {
      try {
        const milestones = await this.sla.fireDue(this.owner, this.options.claimBatch, this.options.leaseMs);
        fired += milestones;
        // Their events are new work for the matcher.
        if (milestones > 0) this.matching.poke();
      } catch (error) {
        // The claim lapses with its lease and another pass fires them.
        this.logger?.error({ err: error }, "SLA milestones failed");
      }
    }
    if (this.scoring) {
      try {
        const rewritten = await this.scoring.rewriteDue(this.owner, this.options.claimBatch, this.options.leaseMs);
        fired += rewritten;
        // Their field writes are events for the matcher (score_threshold on the way down).
        if (rewritten > 0) this.matching.poke();
      } catch (error) {
        this.logger?.error({ err: error }, "score decay failed");
      }
    }
    if (this.timeTriggers) {
      const timeTriggers = this.timeTriggers;
      const due = await this.store.schedules.claimScheduledTriggers(this.owner, this.options.claimBatch, this.options.leaseMs);
      for (const item of due) {
        try {
          if (await this.store.transaction((tx) => timeTriggers.fire(tx, item, this.owner))) fired += 1;
        } catch (error) {
          // The claim lapses with its lease and another pass fires it again.
          this.logger?.error({ err: error, scheduled_trigger: item.id }, "time trigger failed");
        }
      }
    }
    const items = await this.store.work.claimWork(this.owner, this.options.claimBatch, this.options.leaseMs);
    for (const item of items) this.inFlight.add(item.id);
    try {
      // Lanes wait on each other where the database takes one writer at a time.
      const lanes = this.store.concurrentWriters ? this.options.lanes : 1;
      // A full claim means a backlog: runs then take their next steps in the same commit. With
      // little to do, each step commits on its own, so that a run's first action lands sooner.
      const chain = items.length >= this.options.claimBatch ? this.options.chainSteps : 1;
      const grouping = { perCommit: this.options.stepsPerCommit, chain, lanes };
      await this.executor.processAll(items, grouping, () => this.running || !this.stopped);
    } finally {
      for (const item of items) this.inFlight.delete(item.id);
    }
    if (items.length > 0) this.onExecuted();
    return fired + items.length;
  }

  /** Runs passes until there is nothing left to do now (tests and the CLI use it). */
  async drain(maxPasses = 10_000): Promise<void> {
    for (let i = 0; i < maxPasses; i++) if ((await this.once()) === 0) return;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.matching.poke();
    this.executing.poke();
    await this.stopped;
  }
}
