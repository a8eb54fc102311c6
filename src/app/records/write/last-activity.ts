import { countsAsActivity, DEFAULT_LAST_ACTIVITY_POLICY } from "../../../crm/activity-counting.js";
import { ACTIVITY_TARGETS } from "../../../crm/derived.js";
import type { StoredRecord, StoreTx } from "../../../store/ports.js";
import type { CallContext } from "../../context.js";
import type { Attribution, Journal } from "./journal.js";
import { LostRace } from "./lost-race.js";

/** The actor of these follow-up writes. */
const SYSTEM = { kind: "system" as const, id: "last-activity" };

/**
 * An activity that counts (the workspace's last-activity policy) moves "last activity at"
 * forward on the record it is about and on that record's company. Written by the system,
 * caused by the activity's event; journaled in the activity's write.
 */
export async function touchLastActivity(
  tx: StoreTx,
  ctx: CallContext,
  activities: readonly StoredRecord[],
  causes: readonly string[],
  referenced: Map<string, StoredRecord>,
  journal: Journal,
): Promise<void> {
  const latest = new Map<string, { at: string; cause: string }>();
  const bump = (id: unknown, at: string, cause: string) => {
    if (typeof id !== "string") return;
    const seen = latest.get(id);
    if (!seen || seen.at < at) latest.set(id, { at, cause });
  };
  // What counts is the workspace admin's choice (by default not Handoff's own automated activities).
  const policy = (await tx.workspaces.getWorkspace(ctx.workspaceId))?.settings?.last_activity ?? DEFAULT_LAST_ACTIVITY_POLICY;
  activities.forEach((a, i) => {
    if (!countsAsActivity(a.data, policy)) return;
    const at = (a.data.occurred_at as string | undefined) ?? a.createdAt;
    const target = referenced.get(a.data.related_id as string);
    bump(a.data.related_id, at, causes[i] ?? "");
    if (target && target.object !== "company") bump(target.data.company_id, at, causes[i] ?? "");
  });
  const targets = await tx.records.getRecordsForUpdate(ctx.workspaceId, [...latest.keys()]);
  for (const target of targets) {
    const next = latest.get(target.id);
    if (!next || !ACTIVITY_TARGETS.includes(target.object)) continue;
    const prev = target.data.last_activity_at as string | undefined;
    if (prev !== undefined && prev >= next.at) continue;
    const after = { ...target, version: target.version + 1, data: { ...target.data, last_activity_at: next.at }, updatedAt: journal.now };
    if (!(await tx.records.updateRecord(after, target.version))) {
      throw new LostRace(`${target.object} ${target.id} changed during the write; retry`);
    }
    const by: Attribution = { actor: SYSTEM, causeId: next.cause };
    await journal.record(after, "update", [{ field: "last_activity_at", old: prev ?? null, new: next.at }], by);
  }
}
