/**
 * Housekeeping: what the database keeps only for a while. Today: accepted inbound deliveries,
 * kept as the idempotency guard of inbound hooks and forms for `inboundRetentionMs` (a provider
 * retries a delivery for days at most), then forgotten so that the table does not grow forever.
 * Runs beside the worker; several processes may sweep at once (a delete is idempotent).
 */
import type { Logger } from "pino";
import type { Clock } from "../app/ports.js";
import type { Store } from "../store/ports.js";
import { Periodic } from "./periodic.js";

export interface HousekeepingOptions {
  /** How long an accepted inbound delivery is remembered. Default 30 days. */
  inboundRetentionMs: number;
  /** Time between sweeps. Default 1 hour. */
  everyMs: number;
  /** Rows deleted per statement. Default 1,000. */
  batch: number;
}

export const DEFAULT_HOUSEKEEPING: HousekeepingOptions = { inboundRetentionMs: 30 * 86_400_000, everyMs: 3_600_000, batch: 1_000 };

/** Statements per sweep at most: the rest waits for the next sweep. */
const MAX_BATCHES = 100;

export class Housekeeping {
  private readonly loop: Periodic;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: HousekeepingOptions = DEFAULT_HOUSEKEEPING,
    private readonly logger?: Logger,
  ) {
    this.loop = new Periodic(
      () => this.sweep(),
      options.everyMs,
      (error) => this.logger?.warn({ err: error }, "housekeeping sweep failed"),
    );
  }

  /** Sweeps every `everyMs`, the first time one interval after start: nothing is added to start-up. */
  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One sweep; returns how many inbound deliveries were forgotten. */
  async sweep(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.options.inboundRetentionMs).toISOString();
    let forgotten = 0;
    for (let i = 0; i < MAX_BATCHES; i++) {
      const n = await this.store.transaction((tx) => tx.inboundDeliveries.pruneInboundDeliveries(before, this.options.batch));
      forgotten += n;
      if (n < this.options.batch) break;
    }
    if (forgotten > 0) this.logger?.info({ forgotten, before }, "forgot inbound deliveries past their retention");
    return forgotten;
  }
}
