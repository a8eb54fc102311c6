/**
 * 045 — what each AI prediction rule gave (issue 24; docs/scoring.md "AI prediction rules"): a
 * condition rule that holds gives its points, so a score's state kept only which rules held; a
 * prediction rule gives the model's chance × its points, which the state must keep to rebuild
 * the score without asking the model again (an engagement award or decay moves the score alone).
 * `fit_points`: by `group/rule`, the points of each prediction rule that held; `{}` before.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function scoreFitPoints(dialect: SqlDialectName): Migration {
  const json = dialect === "postgres" ? sql`jsonb` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable("score_states")
        .addColumn("fit_points", json, (c) => c.notNull().defaultTo(sql`'{}'`))
        .execute();
    },
  };
}
