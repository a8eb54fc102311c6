/**
 * The worker loop: match new events to workflows, then claim due work items and execute them.
 * Several workers (processes) may share one PostgreSQL database: the matcher takes the cursor
 * row lock in turn, work items are claimed with SKIP LOCKED and a lease that a heartbeat keeps
 * alive; a crashed worker's items become claimable when its lease expires.
 */

import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { Store } from "../store/ports.js";
import type { Executor } from "./executor.js";
import type { Matcher } from "./matcher.js";
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
  /** Work items claimed at once. Default 20. */
  claimBatch: number;
}

export const DEFAULT_WORKER: WorkerOptions = { leaseMs: 15_000, heartbeatMs: 5_000, idleMs: 250, eventBatch: 200, claimBatch: 20 };

export function workerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

export class Worker {
  private running = false;
  private wake: (() => void) | undefined;
  private stopped: Promise<void> | undefined;
  private readonly inFlight = new Set<number>();

  constructor(
    private readonly store: Store,
    private readonly matcher: Matcher,
    private readonly executor: Executor,
    readonly owner: string,
    private readonly options: WorkerOptions,
    private readonly logger?: Logger,
    private readonly timeTriggers?: TimeTriggers,
  ) {}

  /** Nudges an idle loop (called after commits in this process). */
  poke(): void {
    this.wake?.();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const heartbeat = setInterval(() => {
      if (this.inFlight.size === 0) return;
      this.store
        .extendLeases(this.owner, [...this.inFlight], this.options.leaseMs)
        .catch((error) => this.logger?.warn({ err: error }, "lease heartbeat failed"));
    }, this.options.heartbeatMs);
    heartbeat.unref();
    this.stopped = (async () => {
      while (this.running) {
        let did = 0;
        try {
          did = await this.once();
        } catch (error) {
          this.logger?.error({ err: error }, "worker loop error");
        }
        if (did === 0 && this.running) await this.idle();
      }
      clearInterval(heartbeat);
    })();
  }

  /** One pass: match a batch of events, run a batch of due work. Returns how much was done. */
  async once(): Promise<number> {
    const matched = await this.store.transaction((tx) => this.matcher.tick(tx, this.options.eventBatch));
    let fired = 0;
    if (this.timeTriggers) {
      const timeTriggers = this.timeTriggers;
      const due = await this.store.claimScheduledTriggers(this.owner, this.options.claimBatch, this.options.leaseMs);
      for (const item of due) {
        try {
          if (await this.store.transaction((tx) => timeTriggers.fire(tx, item, this.owner))) fired += 1;
        } catch (error) {
          // The claim lapses with its lease and another pass fires it again.
          this.logger?.error({ err: error, scheduled_trigger: item.id }, "time trigger failed");
        }
      }
    }
    const items = await this.store.claimWork(this.owner, this.options.claimBatch, this.options.leaseMs);
    for (const item of items) {
      if (!this.running && this.stopped) break;
      this.inFlight.add(item.id);
      try {
        await this.executor.process(item);
      } finally {
        this.inFlight.delete(item.id);
      }
    }
    return matched + fired + items.length;
  }

  /** Runs passes until there is nothing left to do now (tests and the CLI use it). */
  async drain(maxPasses = 10_000): Promise<void> {
    for (let i = 0; i < maxPasses; i++) if ((await this.once()) === 0) return;
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.idleMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.stopped;
  }
}
