/** Time-based triggers: one pending row per (workflow, record), claimed like work items. */
import type { Kysely } from "kysely";
import type { ScheduledTrigger } from "../workflow-ports.js";
import { claimDue } from "./claim-due.js";
import type { SqlDialect } from "./dialect.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database>;

export async function unscheduleTrigger(db: Db, workspaceId: string, workflowId: string, recordId: string | null) {
  await db
    .updateTable("scheduled_triggers")
    .set({ status: "cancelled" })
    .where("workspace_id", "=", workspaceId)
    .where("workflow_id", "=", workflowId)
    .where("record_id", "=", recordId ?? "")
    .where("status", "=", "pending")
    .execute();
}

export async function scheduleTrigger(db: Db, t: Omit<ScheduledTrigger, "id" | "attempts">, now: string) {
  await unscheduleTrigger(db, t.workspaceId, t.workflowId, t.recordId);
  await db
    .insertInto("scheduled_triggers")
    .values({
      workspace_id: t.workspaceId,
      workflow_id: t.workflowId,
      version: t.version,
      record_id: t.recordId ?? "",
      due_at: t.dueAt,
      status: "pending",
      lease_owner: null,
      lease_until: null,
      created_at: now,
    })
    .execute();
}

export async function cancelScheduledTriggers(db: Db, workspaceId: string, workflowId: string) {
  await db
    .updateTable("scheduled_triggers")
    .set({ status: "cancelled" })
    .where("workspace_id", "=", workspaceId)
    .where("workflow_id", "=", workflowId)
    .where("status", "=", "pending")
    .execute();
}

export async function completeScheduledTrigger(db: Db, id: number, owner: string, attempt: number) {
  const r = await db
    .updateTable("scheduled_triggers")
    .set({ status: "done", lease_owner: null, lease_until: null })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .where("lease_owner", "=", owner)
    .where("attempts", "=", attempt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function claimScheduledTriggers(
  db: Db,
  d: SqlDialect,
  owner: string,
  limit: number,
  leaseMs: number,
): Promise<ScheduledTrigger[]> {
  const rows = await claimDue(db, d, "scheduled_triggers", owner, limit, leaseMs);
  return rows.map((r) => ({
    id: Number(r.id),
    workspaceId: r.workspace_id,
    workflowId: r.workflow_id,
    version: Number(r.version),
    recordId: r.record_id === "" ? null : r.record_id,
    dueAt: r.due_at,
    attempts: Number(r.attempts),
  }));
}
