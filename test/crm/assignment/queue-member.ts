/** A queue member for the routing tests: active, weight 1, UTC, no PTO, switched on; named by its id. */
import type { QueueMember } from "../../../src/crm/assignment/index.js";

export const queueMember = (id: string, over: Partial<QueueMember> = {}): QueueMember => ({
  id,
  name: id,
  active: true,
  weight: 1,
  timeZone: "UTC",
  pto: [],
  availableNow: true,
  ...over,
});
