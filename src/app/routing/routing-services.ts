/** The routing services, built together: they share the hold releaser and the create-time cache. */
import type { Logger } from "pino";
import { HoldReleaser } from "../../runtime/routing/hold-release.js";
import { OnCreateRuleSets } from "../../runtime/routing/on-create.js";
import type { Store } from "../../store/ports.js";
import type { Clock, IdGenerator } from "../ports.js";
import type { RecordWriter } from "../records/record-writer.js";
import { AvailabilityService } from "./availability.js";
import { QueueAdmin } from "./queue-admin.js";
import { RoutingInsights } from "./routing-insights.js";
import { RuleSetAdmin } from "./rule-set-admin.js";

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
    insights: new RoutingInsights(store, writer, clock, ids),
    holds,
    onCreate,
  };
}
