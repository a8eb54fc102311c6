/**
 * The triggers a workflow received in production, for a replay (issue 19): the newest events of
 * its object that its trigger listens to in a period, since it first went live, each with the run it started, if any, and
 * that run's outcome. Read only: a replay never writes to the live store.
 */
import { TRIGGERS, type TriggerType } from "../../engine/triggers/index.js";
import type { OutboxRow } from "../../store/outbox-ports.js";
import type { DomainEvent, EventType, StoreReads } from "../../store/ports.js";
import type { RunRow } from "../../store/workflow-ports.js";
import { enqueued } from "../workflows/delivery-attempts.js";
import { runDeliveries } from "../workflows/run-deliveries.js";
import { outcomeOf, type RunOutcome } from "./run-outcome.js";

export interface ReplayWindow {
  /** Occurred at or after (ISO 8601). */
  since?: string;
  /** Occurred before (ISO 8601). */
  until?: string;
  /** The newest this many triggers of the window. */
  limit: number;
}

export interface ProductionTrigger {
  event: DomainEvent;
  /** The run this event started in production, if any. */
  run: RunRow | null;
  outcome: RunOutcome | null;
  /** The outbox items the run enqueued, by the step that enqueued them (how each action ended). */
  deliveries: ReadonlyMap<string, OutboxRow>;
}

/** The event types either trigger is looked up for: a trigger kind without a lookup adds none. */
export function replayableEventTypes(...kinds: TriggerType[]): EventType[] {
  return [...new Set(kinds.flatMap((k) => TRIGGERS[k].lookup?.events ?? []))];
}

type Reads = Pick<StoreReads, "events" | "runs" | "outbox">;

export async function productionTriggers(
  store: Reads,
  workflow: { workspaceId: string; id: string; object: DomainEvent["object"]; liveSince: number },
  types: readonly EventType[],
  window: ReplayWindow,
): Promise<ProductionTrigger[]> {
  const events = await store.events.eventsOfObject({
    workspaceId: workflow.workspaceId,
    object: workflow.object,
    types,
    limit: window.limit,
    // Before the workflow first went live, nothing was received: a draft enrolling those records
    // would read as "new" enrolments production never had the chance to make.
    afterPosition: workflow.liveSince,
    ...(window.since !== undefined ? { since: window.since } : {}),
    ...(window.until !== undefined ? { until: window.until } : {}),
  });
  if (events.length === 0) return [];
  // Newest first: the last is the oldest. A run is keyed by the event that started it, and is
  // created after it: the runs since the oldest event cover them all.
  const oldest = events.at(-1)?.occurredAt as string;
  const runs = await store.runs.queryRuns({
    workspaceId: workflow.workspaceId,
    workflowId: workflow.id,
    since: oldest,
    limit: window.limit * 4 + 100,
  });
  const byEvent = new Map(runs.map((r) => [r.triggerKey, r]));
  const out: ProductionTrigger[] = [];
  for (const event of events.reverse()) {
    const run = byEvent.get(event.id) ?? null;
    const read = run ? await readRun(store, run) : null;
    out.push({ event, run, outcome: read?.outcome ?? null, deliveries: read?.deliveries ?? new Map() });
  }
  return out;
}

/** A run's outcome from its logged steps and the outbox items they enqueued, and those items by step. */
export async function readRun(
  store: Pick<StoreReads, "runs" | "outbox">,
  run: RunRow,
): Promise<{ outcome: RunOutcome; deliveries: Map<string, OutboxRow> }> {
  const steps = await store.runs.listRunSteps(run.workspaceId, run.id);
  const items = new Map((await runDeliveries(store.outbox, run.workspaceId, steps)).map((i) => [i.id, i]));
  const deliveries = new Map<string, OutboxRow>();
  for (const s of steps)
    for (const { outboxId } of enqueued(s.effects)) {
      const item = items.get(outboxId);
      if (item && s.step !== null && !deliveries.has(s.step)) deliveries.set(s.step, item);
    }
  return { outcome: outcomeOf({ status: run.state.status, recordId: run.recordId }, steps, items), deliveries };
}
