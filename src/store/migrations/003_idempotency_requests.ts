/**
 * 003 — an idempotency claim remembers the request that holds it, and the audit log can be
 * searched by request: when a process dies mid-request, the next attempt with the same key can
 * tell whether the first one committed (its audit rows exist) instead of doing it twice.
 */
import type { Kysely, Migration } from "kysely";

export function idempotencyRequests(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("idempotency_keys").addColumn("request_id", "text").execute();
      await db.schema.createIndex("audit_log_request").on("audit_log").columns(["workspace_id", "request_id"]).execute();
    },
  };
}
