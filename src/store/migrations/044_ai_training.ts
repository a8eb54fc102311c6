/**
 * 044 — AI training in the background, and versions kept (issue 24; docs/ai.md "Training"):
 *
 * - `ai_training_jobs`: one row per training asked for — its state (queued, running, succeeded,
 *   failed), its progress (0–1) and phase in words, the error of a failed one, the version it
 *   made, who asked and when it started and ended. Read by model, newest first.
 * - `ai_model_versions`: one row per successful training of a model, numbered 1, 2, … per model —
 *   when, the window of records it learned from (the first and last labelled record's created_at
 *   and how many), what it read (target, text and value fields), its held-out figures and label
 *   counts, and the learned parameters. The model row keeps a copy of its newest version's
 *   training, which is what predictions read.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function aiTraining(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  const real = pg ? sql`double precision` : sql`real`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("ai_training_jobs")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("model_id", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("phase", "text", (c) => c.notNull())
        .addColumn("progress", real, (c) => c.notNull())
        .addColumn("error", "text")
        .addColumn("model_version", "integer")
        .addColumn("requested_by", "text")
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("started_at", time)
        .addColumn("finished_at", time)
        .addPrimaryKeyConstraint("ai_training_jobs_pk", ["workspace_id", "id"])
        .execute();
      await db.schema
        .createIndex("ai_training_jobs_model")
        .on("ai_training_jobs")
        .columns(["workspace_id", "model_id", "created_at"])
        .execute();
      // Start-up looks for trainings a stopped process left unfinished.
      await db.schema.createIndex("ai_training_jobs_state").on("ai_training_jobs").columns(["state"]).execute();
      await db.schema
        .createTable("ai_model_versions")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("model_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("job_id", "text")
        .addColumn("trained_at", time, (c) => c.notNull())
        .addColumn("data_first_at", time)
        .addColumn("data_last_at", time)
        .addColumn("data_records", "integer", (c) => c.notNull())
        .addColumn("features", json, (c) => c.notNull())
        .addColumn("quality", json, (c) => c.notNull())
        .addColumn("params", json, (c) => c.notNull())
        .addColumn("created_by", "text")
        .addPrimaryKeyConstraint("ai_model_versions_pk", ["workspace_id", "model_id", "version"])
        .execute();
    },
  };
}
