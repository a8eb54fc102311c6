/** Display names of the users, teams and queues routing views mention, read in one pass. */
import { OBJECTS } from "../../crm/objects.js";
import type { StoredRecord, StoreReads } from "../../store/ports.js";
import type { Names } from "./routing-views.js";

export async function recordNames(reads: StoreReads, workspaceId: string, ids: Iterable<string>): Promise<Names> {
  const unique = [...new Set(ids)];
  const found = await reads.records.getRecords(workspaceId, unique);
  const names = new Map(found.map((r) => [r.id, displayName(r)]));
  return (id) => names.get(id);
}

export async function queueNames(reads: StoreReads, workspaceId: string): Promise<Names> {
  const queues = await reads.routing.listQueues(workspaceId);
  const names = new Map(queues.map((q) => [q.id, q.name]));
  return (id) => names.get(id);
}

/** A user's or team's name; a person record's first and last name; else the object's title field. */
export function displayName(r: StoredRecord): string {
  const title = r.data[OBJECTS[r.object].titleField];
  const first = r.data.first_name;
  const parts = [typeof first === "string" ? first : "", typeof title === "string" ? title : ""].filter((x) => x !== "");
  return parts.length > 0 ? parts.join(" ") : r.id;
}
