/**
 * 043 — AI predictions (issue 24; docs/ai.md "Predictions"): every prediction a workflow's
 * `classify` step made, with its model and the model's version, the value and its confidence,
 * whether it was confident enough to be written (`applied`), its reasons, the run and step that
 * made it — and, once a person changed the field it wrote to another value, the override: when,
 * to what and by whom. Read by record (the record page), and by model over time (the override
 * rate on the AI page and the KPIs).
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function aiPredictions(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  const real = pg ? sql`double precision` : sql`real`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("ai_predictions")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("model_id", "text", (c) => c.notNull())
        .addColumn("model_name", "text", (c) => c.notNull())
        .addColumn("model_version", "integer", (c) => c.notNull())
        .addColumn("field", "text", (c) => c.notNull())
        .addColumn("value", "text", (c) => c.notNull())
        .addColumn("confidence", real, (c) => c.notNull())
        .addColumn("threshold", real, (c) => c.notNull())
        .addColumn("applied", "integer", (c) => c.notNull())
        .addColumn("reasons", json, (c) => c.notNull())
        .addColumn("run_id", "text")
        .addColumn("step", "text")
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("overridden_at", time)
        .addColumn("overridden_value", "text")
        .addColumn("overridden_by", "text")
        .addPrimaryKeyConstraint("ai_predictions_pk", ["workspace_id", "id"])
        .execute();
      await db.schema
        .createIndex("ai_predictions_record")
        .on("ai_predictions")
        .columns(["workspace_id", "record_id", "created_at"])
        .execute();
      await db.schema
        .createIndex("ai_predictions_model")
        .on("ai_predictions")
        .columns(["workspace_id", "model_id", "created_at"])
        .execute();
    },
  };
}
