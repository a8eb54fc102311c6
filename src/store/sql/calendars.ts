/** Business calendars (calendar-ports.ts). */
import type { Kysely } from "kysely";
import type { WorkingHours } from "../../crm/assignment/availability.js";
import type { ClosedDate, PublicHolidays } from "../../crm/calendar/calendar.js";
import type { CalendarRow } from "../calendar-ports.js";
import type { VersionedUpdate } from "../routing-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { CalendarsTable, Database } from "./schema.js";

type Db = Kysely<Database>;

const toCalendar = (d: SqlDialect, r: CalendarsTable): CalendarRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  name: r.name,
  description: r.description,
  timeZone: r.time_zone,
  hours: (d.parseJson(r.hours) as WorkingHours | null) ?? {},
  holidays: (d.parseJson(r.holidays) as PublicHolidays | null) ?? null,
  closedDates: (d.parseJson(r.closed_dates) as ClosedDate[] | null) ?? [],
  isDefault: Number(r.is_default) === 1,
  version: Number(r.version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

const columns = (d: SqlDialect, c: CalendarRow) => ({
  name: c.name,
  description: c.description,
  time_zone: c.timeZone,
  hours: d.json(c.hours),
  holidays: c.holidays === null ? null : d.json(c.holidays),
  closed_dates: d.json(c.closedDates),
  is_default: c.isDefault ? 1 : 0,
  version: c.version,
  updated_at: c.updatedAt,
  updated_by: c.updatedBy,
});

export async function listCalendars(db: Db, d: SqlDialect, workspaceId: string): Promise<CalendarRow[]> {
  const rows = await db.selectFrom("calendars").selectAll().where("workspace_id", "=", workspaceId).orderBy("name").execute();
  return rows.map((r) => toCalendar(d, r));
}

export async function getCalendar(db: Db, d: SqlDialect, workspaceId: string, idOrName: string): Promise<CalendarRow | undefined> {
  const rows = await db
    .selectFrom("calendars")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb.or([eb("id", "=", idOrName), eb("name", "=", idOrName)]))
    .execute();
  // By id first: a calendar named like another's id is found by that id.
  const found = rows.find((r) => r.id === idOrName) ?? rows.find((r) => r.name === idOrName);
  return found ? toCalendar(d, found) : undefined;
}

export async function defaultCalendar(db: Db, d: SqlDialect, workspaceId: string): Promise<CalendarRow | undefined> {
  const r = await db
    .selectFrom("calendars")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("is_default", "=", 1)
    .executeTakeFirst();
  return r ? toCalendar(d, r) : undefined;
}

/** Unique-name clashes are answered by the caller before writing; this is the race's last word. */
async function nameTaken(db: Db, workspaceId: string, name: string, id: string): Promise<boolean> {
  const other = await db
    .selectFrom("calendars")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("name", "=", name)
    .where("id", "!=", id)
    .executeTakeFirst();
  return other !== undefined;
}

export async function insertCalendar(db: Db, d: SqlDialect, c: CalendarRow): Promise<boolean> {
  if (await nameTaken(db, c.workspaceId, c.name, c.id)) return false;
  await db
    .insertInto("calendars")
    .values({ workspace_id: c.workspaceId, id: c.id, created_at: c.createdAt, ...columns(d, c) })
    .execute();
  return true;
}

export async function updateCalendar(db: Db, d: SqlDialect, c: CalendarRow): Promise<VersionedUpdate> {
  if (await nameTaken(db, c.workspaceId, c.name, c.id)) return "name_taken";
  const result = await db
    .updateTable("calendars")
    .set(columns(d, c))
    .where("workspace_id", "=", c.workspaceId)
    .where("id", "=", c.id)
    .where("version", "=", c.version - 1)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? "saved" : "stale";
}

export async function deleteCalendar(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom("calendars").where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function unsetDefaultCalendars(db: Db, workspaceId: string, keepId: string, at: string, by: string | null): Promise<string[]> {
  const others = await db
    .selectFrom("calendars")
    .select(["id", "name"])
    .where("workspace_id", "=", workspaceId)
    .where("is_default", "=", 1)
    .where("id", "!=", keepId)
    .execute();
  if (others.length === 0) return [];
  await db
    .updateTable("calendars")
    .set((eb) => ({ is_default: 0, version: eb("version", "+", 1), updated_at: at, updated_by: by }))
    .where("workspace_id", "=", workspaceId)
    .where(
      "id",
      "in",
      others.map((o) => o.id),
    )
    .execute();
  return others.map((o) => o.name).sort();
}
