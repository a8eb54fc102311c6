/**
 * The outbox dispatcher: claims due outbox items (lease by the database clock, SKIP LOCKED on
 * PostgreSQL), spares destinations through the policy's breaker, rate and concurrency caps, has
 * the kind's Deliverer make one attempt, and records the outcome in ONE transaction: the row's
 * new state, the kind's SettledHook, and — once the outcome is final — an `action_result` work
 * item for the run that waits on it. Delivery is at least once: a crash after the receiver
 * answered but before the commit means another attempt, under the same idempotency key.
 */
import type { Logger } from "pino";
import type { Clock } from "../app/ports.js";
import type { ConnectorDirectory, Deliverer, DeliveryOutcome, OutboxKind, ResolvedConnector, SettledHook } from "../connectors/contract.js";
import { scrubSecrets } from "../connectors/scrub.js";
import type { OutboxRow, Settlement } from "../store/outbox-ports.js";
import type { Store, StoreTx } from "../store/ports.js";
import {
  CircuitBreaker,
  type CompiledDeliveryPolicy,
  ConcurrencyLimiter,
  compileDeliveryPolicy,
  type DeliveryPolicyOptions,
  judge,
  RateLimiter,
  type Verdict,
} from "./delivery-policy.js";
import { Wakeup } from "./worker.js";

export interface DispatcherOptions {
  /**
   * Lease on claimed items, by the database clock. Default 15 s, like the worker's: a crashed
   * dispatcher's deliveries are taken over within 15 s (engineering.md §3.5); a live one's slow
   * deliveries keep their lease through the heartbeat.
   */
  leaseMs: number;
  /** How often leases of in-flight deliveries are extended. Default 5 s. */
  heartbeatMs: number;
  /** Sleep when nothing was due. Default 250 ms. */
  idleMs: number;
  /** Items claimed at once. Default 50. */
  claimBatch: number;
  /** Longest wait in-process for a rate token; a longer one puts the item back instead. Default 1,000 ms. */
  maxRateWaitMs: number;
  /** Outcomes recorded in one transaction at most (group commit). Default 50. */
  settleBatch: number;
  /** Retry, give-up, breaker and caps. */
  policy: DeliveryPolicyOptions;
}

export const DEFAULT_DISPATCHER: DispatcherOptions = {
  leaseMs: 15_000,
  heartbeatMs: 5_000,
  idleMs: 250,
  claimBatch: 50,
  maxRateWaitMs: 1_000,
  settleBatch: 50,
  policy: {},
};

export interface DispatcherDeps {
  store: Store;
  connectors: ConnectorDirectory;
  deliverers: readonly Deliverer[];
  hooks?: Partial<Record<OutboxKind, SettledHook>>;
  clock: Clock;
  /** Jitter source. Default Math.random. */
  random?: () => number;
  owner: string;
  logger?: Logger;
  /** Called after an outcome that resumes a run committed (the in-process worker wakes up). */
  onSettled?: () => void;
}

interface SettleJob {
  item: OutboxRow;
  outcome: DeliveryOutcome;
  verdict: Verdict;
  now: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export class Dispatcher {
  private readonly policy: CompiledDeliveryPolicy;
  private readonly breaker: CircuitBreaker;
  private readonly rate = new RateLimiter();
  private readonly slots = new ConcurrencyLimiter();
  private readonly slotWaiters = new Map<string, Array<() => void>>();
  private readonly deliverers: Map<OutboxKind, Deliverer>;
  private readonly inFlight = new Map<string, { workspaceId: string; id: string }>();
  private readonly wakeup = new Wakeup();
  private readonly abort = new AbortController();
  private readonly settling: Array<{ job: SettleJob; resolve: (settled: boolean) => void; reject: (error: unknown) => void }> = [];
  private flushing = false;
  private running = false;
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly deps: DispatcherDeps,
    private readonly options: DispatcherOptions = DEFAULT_DISPATCHER,
  ) {
    this.policy = compileDeliveryPolicy(options.policy);
    this.breaker = new CircuitBreaker(this.policy);
    this.deliverers = new Map(deps.deliverers.map((d) => [d.kind, d]));
  }

  get owner(): string {
    return this.deps.owner;
  }

  /** Nudges an idle loop (called after a step enqueued something, or a replay). */
  poke(): void {
    this.wakeup.poke();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const heartbeat = setInterval(() => {
      if (this.inFlight.size === 0) return;
      this.deps.store.outbox
        .extendOutboxLeases(this.owner, [...this.inFlight.values()], this.options.leaseMs)
        .catch((error) => this.deps.logger?.warn({ err: error }, "outbox lease heartbeat failed"));
    }, this.options.heartbeatMs);
    heartbeat.unref();
    this.stopped = this.loop().finally(() => clearInterval(heartbeat));
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let did = 0;
      this.wakeup.reset();
      try {
        did = await this.once();
      } catch (error) {
        this.deps.logger?.error({ err: error }, "dispatcher loop error");
      }
      if (did === 0 && this.running) await this.wakeup.sleep(this.options.idleMs);
    }
  }

  /** Claims due items and makes one attempt at each; returns how many were claimed. */
  async once(): Promise<number> {
    const items = await this.deps.store.outbox.claimOutbox(this.owner, this.options.claimBatch, this.options.leaseMs);
    for (const item of items) this.inFlight.set(`${item.workspaceId}\u0000${item.id}`, item);
    await Promise.all(
      items.map((item) =>
        this.handle(item)
          .catch((error) => {
            // The settle transaction itself failed: the lease lapses and another pass retries.
            this.deps.logger?.error({ err: error, outbox_id: item.id }, "outbox settle failed");
          })
          .finally(() => this.inFlight.delete(`${item.workspaceId}\u0000${item.id}`)),
      ),
    );
    return items.length;
  }

  /** Runs passes until nothing is due now (tests and `worker --until-idle`). */
  async drain(maxPasses = 1_000): Promise<void> {
    for (let i = 0; i < maxPasses; i++) if ((await this.once()) === 0) return;
  }

  /**
   * Stops claiming; deliveries in flight finish and are recorded. Those still running after
   * `graceMs` are aborted (recorded as a transient failure, retried later under the same key).
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.running = false;
    this.wakeup.poke();
    const timer = setTimeout(() => this.abort.abort(new Error("the dispatcher is stopping")), graceMs);
    try {
      await this.stopped;
    } finally {
      clearTimeout(timer);
    }
  }

  private nowMs(): number {
    return this.deps.clock.now().getTime();
  }

  private async handle(item: OutboxRow): Promise<void> {
    const deliverer = this.deliverers.get(item.kind);
    if (!deliverer) {
      return this.settle(item, undefined, { ok: false, retryable: false, error: `no deliverer for ${item.kind} items in this process` });
    }
    let connector: ResolvedConnector | undefined;
    if (item.connector !== null) {
      try {
        connector = await this.deps.connectors.resolve(item.workspaceId, item.connector);
      } catch (error) {
        // Secrets that cannot be decrypted fail closed: nothing is sent.
        const retryable = (error as { retryable?: unknown }).retryable !== false;
        return this.settle(item, undefined, { ok: false, retryable, error: errorText(error) });
      }
      if (!connector) {
        return this.settle(item, undefined, { ok: false, retryable: false, error: `no connector "${item.connector}" in this workspace` });
      }
    }
    const destination = deliverer.destination(item, connector);
    const capKey = `${item.workspaceId}\u0000${item.connector ?? destination}`;
    const rate = Number(connector?.config.rate_per_s ?? this.policy.ratePerSecond);
    const concurrency = Number(connector?.config.concurrency ?? this.policy.concurrency);

    for (;;) {
      const wait = this.rate.take(capKey, rate > 0 ? rate : this.policy.ratePerSecond, this.nowMs());
      if (wait === 0) break;
      if (wait > this.options.maxRateWaitMs) return this.defer(item, wait);
      await sleep(wait);
    }
    await this.acquire(capKey, Math.max(1, Math.floor(concurrency) || this.policy.concurrency));
    let outcome: DeliveryOutcome;
    try {
      const closedFor = this.breaker.admit(destination, this.nowMs());
      if (closedFor > 0) {
        this.release(capKey);
        return this.defer(item, closedFor);
      }
      try {
        outcome = await deliverer.deliver(item, connector, { attempt: item.attempts, signal: this.abort.signal });
      } catch (error) {
        outcome = { ok: false, retryable: (error as { retryable?: unknown }).retryable !== false, error: errorText(error) };
      }
      // A permanent failure means the destination answered: only transient ones count against it.
      this.breaker.record(destination, outcome.ok || !outcome.retryable, this.nowMs());
    } catch (error) {
      this.release(capKey);
      throw error;
    }
    // The cap is on calls to the receiver: the next one may start while this outcome is recorded.
    this.release(capKey);
    await this.settle(item, connector, outcome);
  }

  private async acquire(key: string, limit: number): Promise<void> {
    while (!this.slots.tryAcquire(key, limit)) {
      await new Promise<void>((resolve) => {
        const list = this.slotWaiters.get(key) ?? [];
        list.push(resolve);
        this.slotWaiters.set(key, list);
      });
    }
  }

  private release(key: string): void {
    this.slots.release(key);
    const next = this.slotWaiters.get(key)?.shift();
    if (next) next();
  }

  private async defer(item: OutboxRow, delayMs: number): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    await this.deps.store.transaction((tx) =>
      tx.outbox.settleOutbox(item.workspaceId, item.id, this.owner, item.attempts, { status: "deferred", delayMs }, now),
    );
  }

  /** Records one attempt's outcome, its hook and (once final) the run's action_result, together. */
  private async settle(item: OutboxRow, connector: ResolvedConnector | undefined, raw: DeliveryOutcome): Promise<void> {
    const outcome = this.scrubbed(raw, connector);
    const verdict = judge(this.policy, outcome, item.attempts, this.deps.random ?? Math.random);
    const now = this.deps.clock.now().toISOString();
    const settled = await this.commit({ item, outcome, verdict, now });
    const final = verdict.action !== "retry";
    const log = { outbox_id: item.id, key: item.key, kind: item.kind, attempt: item.attempts, status: outcome.status };
    if (!settled) this.deps.logger?.warn(log, "outbox lease lost before the outcome was recorded; another attempt will follow");
    else if (verdict.action === "dead") this.deps.logger?.warn({ ...log, why: verdict.why }, "outbox item is a dead letter");
    else if (verdict.action === "retry") this.deps.logger?.info({ ...log, delay_ms: verdict.delayMs, why: verdict.why }, "outbox retry");
    if (settled && final && item.runId) this.deps.onSettled?.();
  }

  /** One outcome's writes; false (and nothing written) when this dispatcher no longer holds the lease. */
  private async write(tx: StoreTx, job: SettleJob): Promise<boolean> {
    const { item, outcome, verdict, now } = job;
    const final = verdict.action !== "retry";
    if (!(await tx.outbox.settleOutbox(item.workspaceId, item.id, this.owner, item.attempts, this.settlementOf(verdict, outcome), now)))
      return false;
    await this.deps.hooks?.[item.kind]?.(tx, item, outcome, final);
    if (final && item.runId) {
      const input = {
        kind: "action_result",
        key: item.key,
        ok: outcome.ok,
        ...(verdict.action === "dead" ? { error: verdict.why } : {}),
        ...(outcome.ok && outcome.response !== undefined ? { response: outcome.response } : {}),
      };
      await tx.work.insertWorkItems([{ workspaceId: item.workspaceId, runId: item.runId, input, timerId: null, dueAt: now }]);
    }
    return true;
  }

  /**
   * Group commit: outcomes that arrive while a settling transaction runs share the next one (each
   * keeps its own fenced update, hook and work item). If a shared transaction fails, its outcomes
   * are written again one transaction each, so one outcome's failure never touches another's.
   */
  private commit(job: SettleJob): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.settling.push({ job, resolve, reject });
      // After the current round of I/O callbacks: the outcomes of responses that arrived together
      // share one commit (a transaction started at once would hold only this one).
      if (this.settling.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.settling.length > 0) {
        const batch = this.settling.splice(0, this.options.settleBatch);
        try {
          const results = await this.deps.store.transaction(async (tx) => {
            const out: boolean[] = [];
            for (const p of batch) out.push(await this.write(tx, p.job));
            return out;
          });
          for (const [i, p] of batch.entries()) p.resolve(results[i] ?? false);
        } catch (error) {
          if (batch.length === 1) batch[0]?.reject(error);
          else
            for (const p of batch) {
              try {
                p.resolve(await this.deps.store.transaction((tx) => this.write(tx, p.job)));
              } catch (e) {
                p.reject(e);
              }
            }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private settlementOf(verdict: Verdict, outcome: DeliveryOutcome): Settlement {
    const lastStatus = outcome.status ?? null;
    if (verdict.action === "delivered") return { status: "delivered", lastStatus, result: outcome.ok ? (outcome.response ?? null) : null };
    const error = outcome.ok ? "" : outcome.error;
    if (verdict.action === "retry") return { status: "retry", delayMs: verdict.delayMs, error, lastStatus };
    return { status: "dead", error: verdict.why, lastStatus };
  }

  /** Secret values never reach last_error, the run's log or the logs. */
  private scrubbed(outcome: DeliveryOutcome, connector: ResolvedConnector | undefined): DeliveryOutcome {
    if (outcome.ok || !connector) return outcome;
    return { ...outcome, error: scrubSecrets(outcome.error, connector.secrets) };
  }
}
