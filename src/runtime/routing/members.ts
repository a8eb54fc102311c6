/**
 * A queue's members as the pure chooser needs them: each user's availability (their own time
 * zone, working hours, PTO and "available now" switch), the capacity that applies (the queue's
 * cap for the member, else the user's own) and their open work counted by the queue's load
 * definition — read in the assignment's transaction.
 */
import type { Period, QueueMember, WorkingHours } from "../../crm/assignment/index.js";
import { recordView } from "../../crm/record-view.js";
import { compileCondition } from "../../engine/conditions.js";
import type { StoreReads } from "../../store/ports.js";
import type { QueueRow } from "../../store/routing-ports.js";

/** Open items counted per member at most: a cap beyond this is not one a person works to. */
const LOAD_LIMIT = 10_000;

export async function queueMembers(reads: StoreReads, queue: QueueRow, nowMs: number): Promise<QueueMember[]> {
  const ws = queue.workspaceId;
  const users = new Map(
    (
      await reads.records.getRecords(
        ws,
        queue.members.map((m) => m.user_id),
      )
    ).map((u) => [u.id, u]),
  );
  const countsLoad = queue.load !== null && (queue.respectCapacity || queue.strategy === "least_loaded");
  const where = queue.load?.where ? compileCondition(queue.load.where) : undefined;
  const out: QueueMember[] = [];
  for (const m of queue.members) {
    const user = users.get(m.user_id);
    const data = user?.object === "user" ? user.data : undefined;
    const userCapacity = typeof data?.capacity === "number" ? data.capacity : undefined;
    const capacity = m.capacity ?? userCapacity;
    let load: number | undefined;
    if (countsLoad && queue.load) {
      const owned = await reads.records.queryRecords({
        workspaceId: ws,
        object: queue.load.object,
        filter: { field: { name: queue.load.owner_field, type: "reference", label: queue.load.owner_field }, op: "eq", value: m.user_id },
        sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
        limit: LOAD_LIMIT,
      });
      load = where ? owned.filter((r) => where.test({ record: recordView(r), refs: {}, counts: {}, nowMs })).length : owned.length;
    }
    out.push({
      id: m.user_id,
      // A member whose user is gone stays listed (inactive), so the reason shows what happened.
      name: typeof data?.name === "string" ? data.name : `${m.user_id} (no such user)`,
      active: data !== undefined && data.active !== false,
      weight: m.weight,
      ...(capacity !== undefined ? { capacity } : {}),
      ...(load !== undefined ? { load } : {}),
      timeZone: typeof data?.time_zone === "string" ? data.time_zone : "UTC",
      workingHours: (data?.working_hours ?? undefined) as WorkingHours | undefined,
      pto: Array.isArray(data?.pto) ? (data.pto as Period[]) : [],
      availableNow: data?.available_now !== false,
    });
  }
  return out;
}
