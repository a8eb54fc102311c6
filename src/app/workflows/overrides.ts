/**
 * Overrides (issue 19, item 5): a person changing a field that a workflow set, within the
 * override window (7 days) of the workflow's write, counts as an override of that workflow.
 * Counted over the last 30 days from the audit trail, not recorded at write time, so that the
 * record write path pays nothing: people's changes of the period are read through a partial
 * index (person rows only), then the earlier changes of just those records, and each changed
 * field's latest writer before the person is found here. Repeated overrides mean a rule is stale.
 */

import type { StoreReads } from "../../store/ports.js";
import type { ChangeRow } from "../../store/review-ports.js";

export const OVERRIDE_WINDOW_MS = 7 * 86_400_000;
export const OVERRIDE_PERIOD_MS = 30 * 86_400_000;
/** People's changes read per count at most (newest first): the read stays bounded on a busy workspace. */
export const MAX_PERSON_CHANGES = 5_000;

export interface Override {
  workflowId: string;
  recordId: string;
  object: string;
  field: string;
  workflowValue: unknown;
  personValue: unknown;
  /** The person's actor id. */
  by: string;
  at: string;
  workflowAt: string;
}

/**
 * The overrides among `changes` (every change of some records, in log order) made at or after
 * `since`: a person's change of a field whose previous writer was a workflow at most `windowMs`
 * earlier. A later write by anyone else (a person, another workflow) makes the field theirs.
 * The fields of a record a workflow *created* are its starting values, not a decision about a
 * record someone else owns: the rep who completes or reschedules the call task speed-to-lead
 * made is doing what it asked, not overriding it.
 */
export function findOverrides(changes: readonly ChangeRow[], since: string, windowMs = OVERRIDE_WINDOW_MS): Override[] {
  const sinceMs = Date.parse(since);
  const latest = new Map<string, { kind: string; id: string; at: string; value: unknown }>();
  const found: Override[] = [];
  for (const c of changes) {
    for (const f of c.changes) {
      const key = `${c.recordId}\u0000${f.field}`;
      const before = latest.get(key);
      const atMs = Date.parse(c.at);
      if (
        c.actorKind === "person" &&
        before?.kind === "workflow" &&
        atMs >= sinceMs &&
        atMs - Date.parse(before.at) <= windowMs &&
        JSON.stringify(before.value) !== JSON.stringify(f.new)
      )
        found.push({
          workflowId: before.id,
          recordId: c.recordId,
          object: c.object,
          field: f.field,
          workflowValue: before.value,
          personValue: f.new,
          by: c.actorId,
          at: c.at,
          workflowAt: before.at,
        });
      latest.set(key, { kind: c.action === "create" ? "creation" : c.actorKind, id: c.actorId, at: c.at, value: f.new });
    }
  }
  return found;
}

/** A workspace's overrides of the last 30 days before `now`, newest first. */
export async function readOverrides(store: StoreReads, workspaceId: string, now: Date): Promise<Override[]> {
  const since = new Date(now.getTime() - OVERRIDE_PERIOD_MS).toISOString();
  const { overrides } = await overridesBetween(store, workspaceId, since);
  // Newest first: reversed log order, kept by the stable sort for changes of the same instant.
  return overrides.reverse().sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/**
 * The overrides people made from `since` (before `until` when given), in log order. `truncated`
 * when the period held more than `limit` changes by people: then only the newest `limit` were
 * looked at, and the overrides are a lower bound.
 */
export async function overridesBetween(
  store: StoreReads,
  workspaceId: string,
  since: string,
  until?: string,
  limit = MAX_PERSON_CHANGES,
): Promise<{ overrides: Override[]; truncated: boolean }> {
  const people = await store.reviews.personChangesSince(workspaceId, since, limit, until);
  if (people.length === 0) return { overrides: [], truncated: false };
  const recordIds = [...new Set(people.map((p) => p.recordId))];
  // The workflow writes a person may override start a window before the period.
  const from = new Date(Date.parse(since) - OVERRIDE_WINDOW_MS).toISOString();
  const changes = await store.reviews.recordChangesSince(workspaceId, recordIds, from);
  const found = findOverrides(changes, since);
  return { overrides: until === undefined ? found : found.filter((o) => o.at < until), truncated: people.length >= limit };
}
