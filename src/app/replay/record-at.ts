/**
 * A record as it was at one of its versions, folded from its audit trail (one entry per
 * version): what a replay puts in the sandbox so that a trigger is judged on the facts as they
 * were, not as they are now.
 */
import type { AuditEntry } from "../../store/audit-ports.js";

/** `entries` oldest first; undefined when the trail does not reach `version`. */
export function recordAtVersion(
  entries: readonly Pick<AuditEntry, "changes" | "at">[],
  id: string,
  version: number,
): Record<string, unknown> | undefined {
  if (version < 1 || entries.length < version) return undefined;
  const kept = entries.slice(0, version);
  const data: Record<string, unknown> = {};
  for (const e of kept)
    for (const c of e.changes) {
      if (c.new === null || c.new === undefined) delete data[c.field];
      else data[c.field] = c.new;
    }
  return { ...data, id, created_at: kept[0]?.at, updated_at: kept.at(-1)?.at };
}
