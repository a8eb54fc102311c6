/**
 * Idempotency keys (Stripe semantics). A key is claimed before the request runs and completed
 * with its response after; a claim left "running" by a crashed process expires after a while.
 * A key is its caller's: every statement names (workspace, caller, key), so another caller's
 * same key is another row and never sees this one.
 */
import type { Kysely } from "kysely";
import type { ClaimResult, IdempotencyEntry, IdempotencyScope } from "../ports.js";
import type { Database, IdempotencyKeysTable } from "./schema.js";

type Db = Kysely<Database>;

const toEntry = (r: IdempotencyKeysTable): IdempotencyEntry => ({
  workspaceId: r.workspace_id,
  caller: r.caller,
  key: r.key,
  callerRole: r.caller_role,
  fingerprint: r.fingerprint,
  state: r.state as IdempotencyEntry["state"],
  status: r.status === null ? null : Number(r.status),
  response: r.response,
  createdAt: r.created_at,
  requestId: r.request_id,
});

export async function claimIdempotencyKey(db: Db, e: IdempotencyEntry, staleBefore: string): Promise<ClaimResult> {
  const inserted = await db
    .insertInto("idempotency_keys")
    .values({
      workspace_id: e.workspaceId,
      caller: e.caller,
      key: e.key,
      caller_role: e.callerRole,
      fingerprint: e.fingerprint,
      state: "running",
      status: null,
      response: null,
      created_at: e.createdAt,
      request_id: e.requestId,
    })
    .onConflict((oc) => oc.columns(["workspace_id", "caller", "key"]).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { claimed: true, abandoned: null };

  const existing = await db
    .selectFrom("idempotency_keys")
    .selectAll()
    .where("workspace_id", "=", e.workspaceId)
    .where("caller", "=", e.caller)
    .where("key", "=", e.key)
    .executeTakeFirst();
  // Released between our insert and this read: claim again.
  if (!existing) return claimIdempotencyKey(db, e, staleBefore);
  // A claim whose request never finished (its process died) may be taken over — by the same
  // request only (same fingerprint and role), and telling the caller which request it abandoned.
  if (
    existing.state === "running" &&
    existing.created_at < staleBefore &&
    existing.fingerprint === e.fingerprint &&
    existing.caller_role === e.callerRole
  ) {
    const takeover = await db
      .updateTable("idempotency_keys")
      .set({ created_at: e.createdAt, request_id: e.requestId })
      .where("workspace_id", "=", e.workspaceId)
      .where("caller", "=", e.caller)
      .where("key", "=", e.key)
      .where("state", "=", "running")
      .where("created_at", "=", existing.created_at)
      .executeTakeFirst();
    if (Number(takeover.numUpdatedRows) === 1) return { claimed: true, abandoned: existing.request_id ?? "" };
  }
  return { claimed: false, existing: toEntry(existing) };
}

export async function completeIdempotencyKey(db: Db, s: IdempotencyScope, status: number, response: string) {
  await db
    .updateTable("idempotency_keys")
    .set({ state: "done", status, response })
    .where("workspace_id", "=", s.workspaceId)
    .where("caller", "=", s.caller)
    .where("key", "=", s.key)
    .execute();
}

export async function releaseIdempotencyKey(db: Db, s: IdempotencyScope) {
  await db
    .deleteFrom("idempotency_keys")
    .where("workspace_id", "=", s.workspaceId)
    .where("caller", "=", s.caller)
    .where("key", "=", s.key)
    .where("state", "=", "running")
    .execute();
}
