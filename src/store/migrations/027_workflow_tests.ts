/**
 * 027 — workflow test cases (issue 19; docs/testing-workflows.md, "Test cases"): expectations
 * saved on a workflow — the record to run with, the tester's answers, what should happen — and
 * each case's last result (when, on which version). The case's parts are JSON: read and written
 * whole, never queried by their parts. Names are unique per workflow.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function workflowTests(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("workflow_test_cases")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("workflow_id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        // { record_id } of a live record, or { record: { …fields } }; `changes` for update triggers.
        .addColumn("setup", json, (c) => c.notNull())
        // What the tester decides when the run waits, per step.
        .addColumn("answers", json, (c) => c.notNull())
        // { status?, path?, fields?, owner?, messages? }
        .addColumn("expect", json, (c) => c.notNull())
        // { passed, failures } of the last run; null until run once.
        .addColumn("last_result", json)
        .addColumn("last_run_at", time)
        .addColumn("last_version", "integer")
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addColumn("updated_by", "text")
        .addPrimaryKeyConstraint("workflow_test_cases_pk", ["workspace_id", "id"])
        .addUniqueConstraint("workflow_test_cases_name_uq", ["workspace_id", "workflow_id", "name"])
        .execute();
    },
  };
}
