/**
 * 023 — business calendars (issue 17; docs/sla.md, "Calendars"): when a workspace, a team or a
 * person is open for business. Opening hours, public holidays and closed dates are JSON: they are
 * read and written whole with their calendar and never queried by their parts. What is looked up
 * has a column: the name (unique in the workspace) and whether it is the workspace's default.
 *
 * At most one default per workspace: the calendar service clears the old default in the write
 * transaction that sets a new one; the partial unique index is the last word in a race.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function calendars(dialect: SqlDialectName): Migration {
  const pg = dialect === "postgres";
  const json = pg ? sql`jsonb` : sql`text`;
  const time = pg ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("calendars")
        .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        // IANA zone the hours and dates are read in.
        .addColumn("time_zone", "text", (c) => c.notNull())
        // { mon: [["09:00","17:30"]], … }; {} = open all the time.
        .addColumn("hours", json, (c) => c.notNull())
        // { country, region? } of date-holidays; null = no public holidays.
        .addColumn("holidays", json)
        // [{ date, name }]
        .addColumn("closed_dates", json, (c) => c.notNull())
        // 0/1 on both databases, so that one row mapping serves both.
        .addColumn("is_default", "integer", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("created_at", time, (c) => c.notNull())
        .addColumn("updated_at", time, (c) => c.notNull())
        .addColumn("updated_by", "text")
        .addPrimaryKeyConstraint("calendars_pk", ["workspace_id", "id"])
        .addUniqueConstraint("calendars_name_uq", ["workspace_id", "name"])
        .execute();
      await db.schema
        .createIndex("calendars_one_default")
        .on("calendars")
        .column("workspace_id")
        .unique()
        .where(sql.ref("is_default"), "=", 1)
        .execute();
    },
  };
}
