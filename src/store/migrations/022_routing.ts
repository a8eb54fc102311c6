/**
 * 022 — assignment and routing (issue 16): queues with their members and strategy, each queue's
 * rotation state, the records held in a queue until someone is free, assignment rule sets, and
 * the reason record of every assignment ("why this owner").
 *
 * Queue members, rules and reasons are JSON: they are read and written whole, with the queue or
 * rule set they belong to, and never queried by their parts. What is queried has a column: the
 * record and the queue of an assignment, its instant and its owner (the distribution chart).
 * Switches are integers (0/1) on both databases, so that one row mapping serves both.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function routing(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("queues")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("strategy", "text", (c) => c.notNull())
        .addColumn("respect_availability", "integer", (c) => c.notNull())
        .addColumn("respect_capacity", "integer", (c) => c.notNull())
        // { object, owner_field, where? }: how a member's open work is counted; null = not counted.
        .addColumn("load", json)
        // { queue } | { user_id } | { hold: true }; null = the assignment fails when nobody is eligible.
        .addColumn("fallback", json)
        // [{ user_id, weight, capacity? }]
        .addColumn("members", json, (c) => c.notNull())
        // The strategy's rotation state ({ last } or { current }), locked per assignment.
        .addColumn("state", json, (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addColumn("updated_by", "text")
        .addPrimaryKeyConstraint("queues_pk", ["workspace_id", "id"])
        .addUniqueConstraint("queues_name_uq", ["workspace_id", "name"])
        .execute();

      await db.schema
        .createTable("queue_holds")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("queue_id", "text", (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        .addColumn("field", "text", (c) => c.notNull())
        .addColumn("held_at", time, (c) => c.notNull())
        // The assignment record that says why it was held.
        .addColumn("assignment_id", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("queue_holds_pk", ["workspace_id", "queue_id", "record_id", "field"])
        .execute();
      // Drained in order of arrival.
      await db.schema.createIndex("queue_holds_arrival").on("queue_holds").columns(["workspace_id", "queue_id", "held_at"]).execute();

      await db.schema
        .createTable("assignment_rule_sets")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        // The user reference the rule set fills (owner_id, assignee_id, …).
        .addColumn("field", "text", (c) => c.notNull())
        // Applied to every new record of the object that has no owner yet, without a workflow.
        .addColumn("on_create", "integer", (c) => c.notNull())
        // [{ id, name, when, target }] in priority order: the first whose condition holds wins.
        .addColumn("rules", json, (c) => c.notNull())
        .addColumn("default_target", json)
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addColumn("updated_by", "text")
        .addPrimaryKeyConstraint("assignment_rule_sets_pk", ["workspace_id", "id"])
        .addUniqueConstraint("assignment_rule_sets_name_uq", ["workspace_id", "name"])
        .execute();

      await db.schema
        .createTable("assignments")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("field", "text", (c) => c.notNull())
        .addColumn("at", time, (c) => c.notNull())
        // assigned | held | failed
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("user_id", "text")
        .addColumn("queue_id", "text")
        .addColumn("rule_set_id", "text")
        .addColumn("run_id", "text")
        // Everything else the reason says: source, rules evaluated, candidates, detail, why.
        .addColumn("reason", json, (c) => c.notNull())
        .addPrimaryKeyConstraint("assignments_pk", ["workspace_id", "id"])
        .execute();
      await db.schema.createIndex("assignments_by_record").on("assignments").columns(["workspace_id", "record_id", "at"]).execute();
      await db.schema.createIndex("assignments_by_time").on("assignments").columns(["workspace_id", "at"]).execute();
    },
  };
}
