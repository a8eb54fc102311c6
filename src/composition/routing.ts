/** The routing services, built together: they share the hold releaser and the create-time cache. */
import type { Logger } from "pino";
import type { Clock, IdGenerator } from "../app/ports.js";
import type { RecordWriter } from "../app/records/record-writer.js";
import { AvailabilityService } from "../app/routing/availability.js";
import { QueueAdmin } from "../app/routing/queue-admin.js";
import { RoutingInsights } from "../app/routing/routing-insights.js";
import { RuleSetAdmin } from "../app/routing/rule-set-admin.js";
import { HoldReleaser } from "../runtime/routing/hold-release.js";
import { OnCreateRuleSets } from "../runtime/routing/on-create.js";
import { routingBatch, routingSimulation } from "../runtime/routing/simulation.js";
import type { Store } from "../store/ports.js";

export interface RoutingServices {
  queues: QueueAdmin;
  ruleSets: RuleSetAdmin;
  availability: AvailabilityService;
  insights: RoutingInsights;
  /** Assigns held records when someone is free; started and stopped with the worker. */
  holds: HoldReleaser;
  /** The create-time rule sets the matcher's hook reads (runtime/routing/on-create.ts). */
  onCreate: OnCreateRuleSets;
}

export function buildRouting(store: Store, writer: RecordWriter, clock: Clock, ids: IdGenerator, logger?: Logger): RoutingServices {
  const holds = new HoldReleaser(store, writer, clock, ids, 60_000, logger);
  const onCreate = new OnCreateRuleSets(clock);
  const releaseFor = async (workspaceId: string, userId: string) => {
    let released = 0;
    for (const q of await store.routing.listQueues(workspaceId))
      if (q.members.some((m) => m.user_id === userId)) released += await holds.release(workspaceId, q.id);
    return released;
  };
  return {
    queues: new QueueAdmin(store, clock, ids, (ws, q) => holds.release(ws, q)),
    ruleSets: new RuleSetAdmin(store, clock, ids, () => onCreate.invalidate()),
    availability: new AvailabilityService(store, writer, releaseFor),
    insights: new RoutingInsights(store, clock, routingSimulation(store, writer, clock, ids), routingBatch(store, writer, clock, ids)),
    holds,
    onCreate,
  };
}
