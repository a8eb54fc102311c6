/**
 * 008 — reaching in from outside (issue 4): inbound webhook endpoints (hooks), hosted web forms,
 * the deliveries they accepted (idempotency and replay cache in one), and outbound webhook
 * subscriptions. Secrets are stored sealed by the SecretBox, never in clear. Domain events gain a
 * `source`: the hook or form key of an `external.received` event, which the trigger index
 * matches against `{ type: "external", key }` triggers.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function inbound(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      // Nullable, no default: PostgreSQL adds it without rewriting the event log.
      await db.schema.alterTable("events").addColumn("source", "text").execute();

      await db.schema
        .createTable("inbound_hooks")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        // Global: the public URL /hooks/{key} names no workspace.
        .addColumn("key", "text", (c) => c.notNull().unique())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        // record field → JSON pointer into the body; null = the body is the record's fields.
        .addColumn("mapping", json)
        // Fields written on every delivery unless the body sets them (e.g. source).
        .addColumn("defaults", json, (c) => c.notNull())
        // A field (e.g. email): a delivery updates the record that has the same value instead of creating one.
        .addColumn("match_on", "text")
        .addColumn("secret_sealed", "text", (c) => c.notNull())
        // The secret before the last rotation, accepted until previous_expires_at.
        .addColumn("previous_secret_sealed", "text")
        .addColumn("previous_expires_at", time)
        .addColumn("rate_per_min", "integer", (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addPrimaryKeyConstraint("inbound_hooks_pk", ["workspace_id", "id"])
        .execute();

      await db.schema
        .createTable("forms")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull().unique())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("intro", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        // [{ name, label, type, required, options }]
        .addColumn("fields", json, (c) => c.notNull())
        // Hidden defaults: field → value, set on every submission.
        .addColumn("hidden", json, (c) => c.notNull())
        .addColumn("success_message", "text", (c) => c.notNull())
        .addColumn("rate_per_min", "integer", (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addPrimaryKeyConstraint("forms_pk", ["workspace_id", "id"])
        .execute();

      // One row per accepted delivery (hook call or form submission). The primary key is the
      // idempotency guard: a second delivery with the same id finds the first one's result.
      await db.schema
        .createTable("inbound_deliveries")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("source_kind", "text", (c) => c.notNull())
        // The hook's or the form's id.
        .addColumn("source_id", "text", (c) => c.notNull())
        .addColumn("delivery_id", "text", (c) => c.notNull())
        .addColumn("received_at", time, (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("event_id", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("inbound_deliveries_pk", ["source_id", "delivery_id"])
        .execute();
      await db.schema
        .createIndex("inbound_deliveries_workspace")
        .on("inbound_deliveries")
        .columns(["workspace_id", "received_at"])
        .execute();

      await db.schema
        .createTable("webhook_subscriptions")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        // ["lead.created", "*.deleted", "workflow.step:<workflow key>/<step id>", …]
        .addColumn("events", json, (c) => c.notNull())
        .addColumn("secret_sealed", "text", (c) => c.notNull())
        .addColumn("active", "integer", (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addPrimaryKeyConstraint("webhook_subscriptions_pk", ["workspace_id", "id"])
        .execute();
    },
  };
}
