/**
 * 025 — the facts of an SLA milestone on its domain event (issue 17; docs/sla.md, "Milestones as
 * events"): `sla.warning`, `sla.breached` and `sla.escalated` carry the policy, the clock, the
 * milestone and level and the instant it fell due, as JSON in `detail`. Record events leave it
 * null. Nullable, no default: PostgreSQL adds it without rewriting the event log.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function eventDetail(dialect: SqlDialectName): Migration {
  const json = dialect === "postgres" ? sql`jsonb` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("events").addColumn("detail", json).execute();
    },
  };
}
