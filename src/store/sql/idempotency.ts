/**
 * Idempotency keys (Stripe semantics). A key is claimed before the request runs and completed
 * with its response after; a claim left "running" by a crashed process expires after a while.
 */
import type { Kysely } from "kysely";
import type { ClaimResult, IdempotencyEntry } from "../ports.js";
import type { Database, IdempotencyKeysTable } from "./schema.js";

type Db = Kysely<Database>;

const toEntry = (r: IdempotencyKeysTable): IdempotencyEntry => ({
  workspaceId: r.workspace_id,
  key: r.key,
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
      key: e.key,
      fingerprint: e.fingerprint,
      state: "running",
      status: null,
      response: null,
      created_at: e.createdAt,
      request_id: e.requestId,
    })
    .onConflict((oc) => oc.columns(["workspace_id", "key"]).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { claimed: true, abandoned: null };

  const existing = await db
    .selectFrom("idempotency_keys")
    .selectAll()
    .where("workspace_id", "=", e.workspaceId)
    .where("key", "=", e.key)
    .executeTakeFirst();
  // Released between our insert and this read: claim again.
  if (!existing) return claimIdempotencyKey(db, e, staleBefore);
  // A claim whose request never finished (its process died) may be taken over — by the same
  // request only (same fingerprint), and telling the caller which request it abandoned.
  if (existing.state === "running" && existing.created_at < staleBefore && existing.fingerprint === e.fingerprint) {
    const takeover = await db
      .updateTable("idempotency_keys")
      .set({ created_at: e.createdAt, request_id: e.requestId })
      .where("workspace_id", "=", e.workspaceId)
      .where("key", "=", e.key)
      .where("state", "=", "running")
      .where("created_at", "=", existing.created_at)
      .executeTakeFirst();
    if (Number(takeover.numUpdatedRows) === 1) return { claimed: true, abandoned: existing.request_id ?? "" };
  }
  return { claimed: false, existing: toEntry(existing) };
}

export async function completeIdempotencyKey(db: Db, workspaceId: string, key: string, status: number, response: string) {
  await db
    .updateTable("idempotency_keys")
    .set({ state: "done", status, response })
    .where("workspace_id", "=", workspaceId)
    .where("key", "=", key)
    .execute();
}

export async function releaseIdempotencyKey(db: Db, workspaceId: string, key: string) {
  await db
    .deleteFrom("idempotency_keys")
    .where("workspace_id", "=", workspaceId)
    .where("key", "=", key)
    .where("state", "=", "running")
    .execute();
}
