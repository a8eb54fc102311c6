/**
 * The operators' metrics (GET /metrics): the operational figures of the store as Prometheus
 * gauges, with prom-client's process metrics beside them (docs/operations.md, ADR 0012).
 *
 * Every scrape reads the figures from the database once and sets the gauges from that reading,
 * so that any process of an installation answers the same (nothing is counted in memory).
 * Scrapes run one at a time: two overlapping ones cannot mix their readings.
 *
 * The registry is built at the first scrape: services built for a sandbox or a CLI command are
 * never scraped, and prom-client's process metrics start an event-loop monitor and a GC
 * observer that they should not pay for.
 *
 * Labels name only what is bounded and not personal: a workspace's slug, a workflow's key, a run
 * status, an outbox kind, a queue's name — never a record, a person or free text.
 */
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { RunStatus } from "../../engine/run-state.js";
import type { OperationalFigures, OperationsReads } from "../../store/operations-ports.js";

/** Every status a run can have: each workflow with runs gets a series for each, zero or not. */
export const RUN_STATUSES: readonly RunStatus[] = ["running", "waiting", "completed", "exited", "failed", "cancelled"];

type Labels = Record<string, string>;

/**
 * A gauge set from whole readings: a label set seen in an earlier reading and absent from this
 * one reads 0 (the last pending item delivered, the last failed run retried) instead of
 * vanishing, so that graphs and alerts see it drop. Label sets are bounded (see above).
 */
class ReadingGauge {
  private readonly seen = new Map<string, Labels>();

  constructor(private readonly gauge: Gauge<string>) {}

  apply(rows: Iterable<readonly [Labels, number]>): void {
    const now = new Map<string, readonly [Labels, number]>();
    for (const row of rows) {
      const key = JSON.stringify(Object.entries(row[0]).sort());
      const before = now.get(key);
      now.set(key, [row[0], (before?.[1] ?? 0) + row[1]]);
    }
    for (const [key, labels] of this.seen) if (!now.has(key)) this.gauge.set(labels, 0);
    for (const [key, [labels, value]] of now) {
      this.seen.set(key, labels);
      this.gauge.set(labels, value);
    }
  }
}

interface Built {
  registry: Registry;
  runs: ReadingGauge;
  outboxPending: ReadingGauge;
  outboxDead: ReadingGauge;
  outboxOldestDue: Gauge<string>;
  matcherEvents: Gauge<string>;
  matcherSeconds: Gauge<string>;
  queueDue: ReadingGauge;
  queueOldest: ReadingGauge;
  readSeconds: Gauge<string>;
}

export interface OperationalMetricsOptions {
  /** prom-client's default process and Node.js metrics on the same registry. Default true. */
  processMetrics?: boolean;
}

export class OperationalMetrics {
  private built: Built | undefined;
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly reads: OperationsReads,
    /** The matcher's event cursor (the runtime names it). */
    private readonly matcherCursor: string,
    private readonly options: OperationalMetricsOptions = {},
    /** Milliseconds, for how long a reading took. */
    private readonly elapsed: () => number = () => performance.now(),
  ) {}

  /** The Prometheus text exposition format's content type (version 0.0.4). */
  readonly contentType: string = Registry.PROMETHEUS_CONTENT_TYPE;

  /** One reading of the figures, in the text exposition format. */
  scrape(): Promise<string> {
    // `last` never rejects: a failed scrape fails its own request only.
    const next = this.last.then(() => this.render());
    this.last = next.catch(() => undefined);
    return next;
  }

  private async render(): Promise<string> {
    const built = this.build();
    const started = this.elapsed();
    const figures = await this.reads.operationalFigures(this.matcherCursor);
    built.readSeconds.set((this.elapsed() - started) / 1000);
    apply(built, figures);
    return built.registry.metrics();
  }

  private build(): Built {
    if (this.built) return this.built;
    const registry = new Registry();
    if (this.options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
    const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
    this.built = {
      registry,
      runs: new ReadingGauge(
        gauge(
          "handoff_workflow_runs",
          "Runs that exist, by workspace, workflow key and current status (running, waiting, completed, exited, failed, cancelled).",
          ["workspace", "workflow", "status"],
        ),
      ),
      outboxPending: new ReadingGauge(
        gauge(
          "handoff_outbox_pending_items",
          "External actions waiting for delivery (due now or at their next retry), by workspace and kind.",
          ["workspace", "kind"],
        ),
      ),
      outboxDead: new ReadingGauge(
        gauge("handoff_outbox_dead_letters", "External actions given up on and not replayed, by workspace and kind.", [
          "workspace",
          "kind",
        ]),
      ),
      outboxOldestDue: gauge(
        "handoff_outbox_oldest_due_age_seconds",
        "How long the oldest external action due for a delivery attempt and not being attempted has waited.",
      ),
      matcherEvents: gauge("handoff_matcher_lag_events", "Events committed that the trigger matcher has not read yet."),
      matcherSeconds: gauge(
        "handoff_matcher_lag_seconds",
        "Age of the oldest event the trigger matcher has not read yet (0 when caught up).",
      ),
      queueDue: new ReadingGauge(
        gauge("handoff_work_due_items", "Rows a worker could claim now (due, not leased), by queue (work_items, scheduled_triggers).", [
          "queue",
        ]),
      ),
      queueOldest: new ReadingGauge(
        gauge(
          "handoff_work_oldest_due_age_seconds",
          "How long the oldest row a worker could claim now has been due, by queue (0 when none is due).",
          ["queue"],
        ),
      ),
      readSeconds: gauge("handoff_metrics_read_seconds", "How long this scrape's reading of the figures from the database took."),
    };
    return this.built;
  }
}

function apply(built: Built, f: OperationalFigures): void {
  // Every status of every workflow that has runs, so that `status="failed"` exists at 0.
  const runs = new Map<string, readonly [Labels, number]>();
  for (const r of f.runs) {
    for (const status of RUN_STATUSES) {
      const labels = { workspace: r.workspace, workflow: r.workflow, status };
      runs.set(JSON.stringify(labels), [labels, 0]);
    }
  }
  const rows: Array<readonly [Labels, number]> = [...runs.values()];
  for (const r of f.runs) rows.push([{ workspace: r.workspace, workflow: r.workflow, status: r.status }, r.count]);
  built.runs.apply(rows);
  built.outboxPending.apply(f.outboxPending.map((o) => [{ workspace: o.workspace, kind: o.kind }, o.count] as const));
  built.outboxDead.apply(f.outboxDead.map((o) => [{ workspace: o.workspace, kind: o.kind }, o.count] as const));
  built.outboxOldestDue.set(f.outboxOldestDueSeconds);
  built.matcherEvents.set(f.matcher.events);
  built.matcherSeconds.set(f.matcher.seconds);
  built.queueDue.apply(f.queues.map((q) => [{ queue: q.queue }, q.due] as const));
  built.queueOldest.apply(f.queues.map((q) => [{ queue: q.queue }, q.oldestDueSeconds] as const));
}
