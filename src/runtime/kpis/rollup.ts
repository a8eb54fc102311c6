/**
 * The KPI rollup (issue 22; docs/kpis.md "How the figures are kept"): a consumer of the event log
 * with its own cursor (`kpi-rollup`), beside the trigger matcher and independent of it. Each pass
 * reads the events after its cursor in log order, a batch per transaction, folds them into the
 * per-record facts and the daily and hourly counts (engine/kpis/fold.ts) and moves the cursor in the same
 * transaction — so a crash redoes a batch whole or not at all, and nothing is counted twice.
 * Pages never scan history: they read what this keeps. `rebuild` empties it and folds the whole
 * log again, which gives what the increments gave (a property test holds it to that).
 */
import type { Logger } from "pino";
import { factsNeeded, foldEvents, type KpiEvent, type RecordFact } from "../../engine/kpis/fold.js";
import type { DomainEvent, Store, StoreTx } from "../../store/ports.js";
import { Periodic } from "../periodic.js";

export const KPI_CONSUMER = "kpi-rollup";
export const KPI_BATCH = 2_000;

export interface KpiRollupDeps {
  store: Store;
  logger?: Logger | undefined;
}

export class KpiRollup {
  private readonly loop: Periodic;

  constructor(
    private readonly deps: KpiRollupDeps,
    everyMs = 2_000,
    private readonly batch = KPI_BATCH,
  ) {
    this.loop = new Periodic(
      () => this.catchUp(),
      everyMs,
      (error) => this.deps.logger?.warn({ err: error }, "a KPI rollup pass failed"),
    );
  }

  start(): void {
    this.loop.start();
  }
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Folds every event not folded yet; returns how many. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.deps.store.transaction((tx) => this.tick(tx));
      total += n;
      if (n < this.batch) return total;
    }
  }

  /** Empties the facts and rollups and folds the whole log again; returns how many events. */
  async rebuild(): Promise<number> {
    await this.deps.store.transaction(async (tx) => {
      await tx.events.lockCursor(KPI_CONSUMER);
      await tx.kpis.clearKpis();
      await tx.events.setCursor(KPI_CONSUMER, 0);
    });
    return this.catchUp();
  }

  /** One batch after the cursor, in the caller's transaction; returns how many events. */
  async tick(tx: StoreTx): Promise<number> {
    const position = await tx.events.lockCursor(KPI_CONSUMER);
    const events = await tx.events.readEvents(position, this.batch);
    if (events.length === 0) return 0;
    const byWorkspace = new Map<string, KpiEvent[]>();
    for (const e of events) {
      const list = byWorkspace.get(e.workspaceId) ?? [];
      list.push(kpiEvent(e));
      byWorkspace.set(e.workspaceId, list);
    }
    for (const [workspaceId, list] of byWorkspace) {
      const ids = [...new Set(list.flatMap(factsNeeded))];
      const facts = new Map<string, RecordFact>((await tx.kpis.getKpiRecords(workspaceId, ids)).map((f) => [f.recordId, f]));
      const { changed, daily, hourly } = foldEvents(list, facts);
      await tx.kpis.upsertKpiRecords(changed);
      await tx.kpis.addKpiDaily(daily);
      await tx.kpis.addKpiHourly(hourly);
    }
    await tx.events.setCursor(KPI_CONSUMER, (events.at(-1) as DomainEvent).position);
    return events.length;
  }
}

function kpiEvent(e: DomainEvent): KpiEvent {
  return {
    workspaceId: e.workspaceId,
    type: e.type,
    object: e.object,
    recordId: e.recordId,
    actor: { kind: e.actor.kind, id: e.actor.id },
    changes: e.changes,
    occurredAt: e.occurredAt,
  };
}
