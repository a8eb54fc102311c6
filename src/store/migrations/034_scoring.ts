/**
 * 034 — lead scoring (issue 21; docs/scoring.md).
 *
 * - `score_models`: one row per model (key unique per workspace), its current version and switch.
 * - `score_model_versions`: each published definition, immutable, with who published it and why.
 * - `score_awards`: the engagement inputs — one (event, rule) each, with its nominal points and
 *   instant; decay and expiry are computed from them in closed form. Unique per (model, record,
 *   rule, cause) — the cause is `activity:<id>` or `event:<id>` — so that nothing awards twice, and a
 *   rescore re-derives the same awards.
 * - `score_states`: a record's score under a model (exact fit, engagement, total; the fit rules
 *   that hold) and `next_change_at`, the next instant decay or expiry changes what its fields
 *   hold — claimed like the other timers through `score_states_due`, leased.
 * - `score_ledger`: every change of a score with its cause, before and after.
 * - `score_rescores`: a version's background rescore and its progress (`after_id`: the last
 *   record done, so that a taken-over rescore goes on where it stopped).
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function scoring(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  const real = pg ? sql`double precision` : sql`real`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("score_models")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("object", "text", (c) => c.notNull())
        .addColumn("enabled", "integer", (c) => c.notNull())
        .addColumn("current_version", "integer", (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addColumn("updated_by", "text")
        .addPrimaryKeyConstraint("score_models_pk", ["workspace_id", "id"])
        .execute();
      await db.schema.createIndex("score_models_key").on("score_models").columns(["workspace_id", "key"]).unique().execute();
      await db.schema
        .createTable("score_model_versions")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("model_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("definition", json, (c) => c.notNull())
        .addColumn("published_at", time, (c) => c.notNull())
        .addColumn("published_by", "text")
        .addColumn("note", "text")
        .addPrimaryKeyConstraint("score_model_versions_pk", ["workspace_id", "model_id", "version"])
        .execute();
      await db.schema
        .createTable("score_awards")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("model_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        .addColumn("group_key", "text", (c) => c.notNull())
        .addColumn("rule_key", "text", (c) => c.notNull())
        .addColumn("points", real, (c) => c.notNull())
        .addColumn("awarded_at", time, (c) => c.notNull())
        .addColumn("cause_key", "text", (c) => c.notNull())
        .addColumn("expires_at", time)
        .addPrimaryKeyConstraint("score_awards_pk", ["workspace_id", "id"])
        .execute();
      await db.schema
        .createIndex("score_awards_once")
        .on("score_awards")
        .columns(["workspace_id", "model_id", "record_id", "rule_key", "cause_key"])
        .unique()
        .execute();
      await db.schema
        .createTable("score_states")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("model_id", "text", (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("fit", real, (c) => c.notNull())
        .addColumn("engagement", real, (c) => c.notNull())
        .addColumn("total", real, (c) => c.notNull())
        .addColumn("fit_rules", json, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addColumn("next_change_at", time)
        .addColumn("lease_owner", "text")
        .addColumn("lease_until", time)
        .addPrimaryKeyConstraint("score_states_pk", ["workspace_id", "model_id", "record_id"])
        .execute();
      await db.schema.createIndex("score_states_record").on("score_states").columns(["workspace_id", "record_id"]).execute();
      await sql`create index score_states_due on score_states (next_change_at) where next_change_at is not null`.execute(db);
      await db.schema
        .createTable("score_ledger")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("model_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("record_id", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("group_key", "text")
        .addColumn("rule_key", "text")
        .addColumn("cause_event_id", "text")
        .addColumn("cause", json, (c) => c.notNull())
        .addColumn("points", real)
        .addColumn("before", real, (c) => c.notNull())
        .addColumn("after", real, (c) => c.notNull())
        .addColumn("at", time, (c) => c.notNull())
        .addPrimaryKeyConstraint("score_ledger_pk", ["workspace_id", "id"])
        .execute();
      await db.schema.createIndex("score_ledger_record").on("score_ledger").columns(["workspace_id", "record_id", "id"]).execute();
      await db.schema
        .createTable("score_rescores")
        .addColumn("workspace_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("model_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("total", "integer", (c) => c.notNull())
        .addColumn("done", "integer", (c) => c.notNull())
        .addColumn("changed", "integer", (c) => c.notNull())
        .addColumn("after_id", "text")
        .addColumn("started_at", time, (c) => c.notNull())
        .addColumn("finished_at", time)
        .addColumn("error", "text")
        .addColumn("lease_owner", "text")
        .addColumn("lease_until", time)
        .addPrimaryKeyConstraint("score_rescores_pk", ["workspace_id", "id"])
        .execute();
      await db.schema
        .createIndex("score_rescores_model")
        .on("score_rescores")
        .columns(["workspace_id", "model_id", "started_at"])
        .execute();
      await db.schema.createIndex("score_rescores_state").on("score_rescores").columns(["state"]).execute();
    },
  };
}
