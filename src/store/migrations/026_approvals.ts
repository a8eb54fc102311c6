/**
 * 026 — approval requests (issue 18; docs/approvals.md; approval-ports.ts holds the glossary).
 *
 * - `approval_requests`: one round of an approval step of one run. The request's whole state
 *   (levels, approvers, votes: `RequestState` of engine/approval/request.ts) and what is at stake
 *   are JSON, read and written whole; what is looked up or listed has a column beside them
 *   (status, record, run and step, submitter, created_at). `version` is bumped by every write,
 *   and a write over a version someone else moved changes nothing (two deciders, one decision).
 *   No foreign keys to runs or records (they are referenced by id only: the unit of work keeps
 *   new runs and record writes in memory until later, so a key to them would order its flushes).
 * - `approval_tasks`: one (request, level, approver) row — the inbox's index of who must decide
 *   what (`waiting`, `open`, `done`, `closed`).
 * - `approval_history`: every change of a request, numbered from 1 per request, append-only.
 * - `approval_links`: one-click decisions from an email, by the SHA-256 of their token (the token
 *   itself is never stored); the approve and reject links of one email share a grant and are
 *   spent together, once. Looked up by the token alone (the link carries no workspace).
 *   The grant's column is `grant_id`: GRANT is a reserved word in SQL.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function approvals(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("approval_requests")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        // The engine's request id: `<run id>:<decision seq>`.
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("run_id", "text", (c) => c.notNull())
        .addColumn("workflow_id", "text", (c) => c.notNull())
        .addColumn("step", "text", (c) => c.notNull())
        // 1 for the first request of a step; the next after each revision and resubmission.
        .addColumn("round", "integer", (c) => c.notNull())
        .addColumn("previous_id", "text")
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        .addColumn("summary", "text", (c) => c.notNull())
        // [{ field, value }]: the fields at stake and their values when the request opened.
        .addColumn("stake", json, (c) => c.notNull())
        // fields | record | none
        .addColumn("lock", "text", (c) => c.notNull())
        // The route that matched, in words.
        .addColumn("route", "text", (c) => c.notNull())
        .addColumn("submitter_id", "text")
        // pending | approved | rejected | revise | timed_out | cancelled (the state's, once more).
        .addColumn("status", "text", (c) => c.notNull())
        // RequestState: { status, level, levels: [{ name, require, approvers, votes, status }], … }
        .addColumn("state", json, (c) => c.notNull())
        .addColumn("due_at", time)
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("approval_requests_pk", ["workspace_id", "id"])
        .execute();
      // The record writer asks before every update whether a pending request locks the record:
      // only pending rows are in this index, so the common answer (none) is one tiny index read.
      await sql`create index approval_requests_pending on approval_requests (workspace_id, record_id) where status = 'pending'`.execute(db);
      // The inbox's lists, newest first, with keyset paging on (created_at, id).
      await db.schema
        .createIndex("approval_requests_by_created")
        .on("approval_requests")
        .columns(["workspace_id", "created_at", "id"])
        .execute();
      // A record's requests, newest first (the record page's list).
      await db.schema
        .createIndex("approval_requests_by_record")
        .on("approval_requests")
        .columns(["workspace_id", "record_id", "created_at", "id"])
        .execute();
      // The rounds of one run's step.
      await db.schema
        .createIndex("approval_requests_by_run")
        .on("approval_requests")
        .columns(["workspace_id", "run_id", "step", "round"])
        .execute();

      await db.schema
        .createTable("approval_tasks")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("request_id", "text", (c) => c.notNull())
        .addColumn("level", "integer", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        // The away approver this one decides for (delegation).
        .addColumn("on_behalf_of", "text")
        // waiting | open | done | closed
        .addColumn("status", "text", (c) => c.notNull())
        // approve | reject | revise, once done
        .addColumn("decision", "text")
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("decided_at", time)
        .addPrimaryKeyConstraint("approval_tasks_pk", ["workspace_id", "request_id", "level", "user_id"])
        .addForeignKeyConstraint("approval_tasks_request_fk", ["workspace_id", "request_id"], "approval_requests", ["workspace_id", "id"])
        .execute();
      // A person's inbox and badge: their open (or done) tasks, and the requests they name.
      await db.schema
        .createIndex("approval_tasks_by_user")
        .on("approval_tasks")
        .columns(["workspace_id", "user_id", "status", "request_id"])
        .execute();

      await db.schema
        .createTable("approval_history")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("request_id", "text", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("at", time, (c) => c.notNull())
        // opened | asked | voted | escalated | settled | resubmitted | closed | lock_overridden | link_sent
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("actor_id", "text")
        .addColumn("detail", json, (c) => c.notNull())
        .addPrimaryKeyConstraint("approval_history_pk", ["workspace_id", "request_id", "seq"])
        .addForeignKeyConstraint("approval_history_request_fk", ["workspace_id", "request_id"], "approval_requests", ["workspace_id", "id"])
        .execute();

      await db.schema
        .createTable("approval_links")
        // SHA-256 (hex) of the token.
        .addColumn("token_hash", "text", (c) => c.notNull().primaryKey())
        .addColumn("workspace_id", "text", (c) => c.notNull())
        // Shared by the approve and reject links of one email.
        .addColumn("grant_id", "text", (c) => c.notNull())
        .addColumn("request_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        // approve | reject
        .addColumn("decision", "text", (c) => c.notNull())
        .addColumn("expires_at", time, (c) => c.notNull())
        .addColumn("used_at", time)
        .addForeignKeyConstraint("approval_links_request_fk", ["workspace_id", "request_id"], "approval_requests", ["workspace_id", "id"])
        .execute();
      // Spending a grant marks both of its links.
      await db.schema.createIndex("approval_links_by_grant").on("approval_links").columns(["workspace_id", "grant_id"]).execute();
    },
  };
}
