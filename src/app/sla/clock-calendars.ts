/**
 * The calendar a clock measures on (docs/sla.md, "Calendars"): the policy's reference resolved
 * for the record when the clock starts (a calendar by name; the owner's — theirs, else their
 * team's, else the workspace's —; the owner's team's; the workspace's default), kept on the clock
 * as `{ref, id, name}`; none (null id) is 24×7 in the workspace's zone. Calendars are compiled
 * once per version (the compiled form keeps the holidays of the years asked for). Shared by the
 * clock runtime (runtime/sla) and the clocks' read side (sla-clocks.ts).
 */

import { type CompiledCalendar, compileCalendar } from "../../crm/calendar/business-time.js";
import { ownerFieldOf } from "../../crm/objects.js";
import type { CalendarRef } from "../../engine/definition.js";
import type { CalendarRow } from "../../store/calendar-ports.js";
import type { StoredRecord, StoreReads } from "../../store/ports.js";
import type { SlaClockCalendar } from "../../store/sla-ports.js";
import { calendarFor } from "../calendars/calendar-for.js";

const MAX_COMPILED = 1_000;

/** Open all the time in a zone: a workspace without a default calendar (runtime/calendars.ts has the same for waits). */
const allHours = (timeZone: string) => ({ timeZone, hours: {}, holidays: null, closedDates: [] });

/** The workspace's calendars and zone, read once per transaction that needs them. */
export interface CalendarWorld {
  zone: string;
  calendars: readonly CalendarRow[];
}

export async function calendarWorld(reads: StoreReads, workspaceId: string): Promise<CalendarWorld> {
  const [workspace, calendars] = await Promise.all([
    reads.workspaces.getWorkspace(workspaceId),
    reads.calendars.listCalendars(workspaceId),
  ]);
  return { zone: workspace?.timeZone ?? "UTC", calendars };
}

export class SlaCalendars {
  private readonly compiled = new Map<string, CompiledCalendar>();

  /** The calendar a reference names for a record, with what it resolved to. */
  async resolve(
    reads: StoreReads,
    world: CalendarWorld,
    record: StoredRecord,
    ref: CalendarRef,
  ): Promise<{ stored: SlaClockCalendar; cal: CompiledCalendar }> {
    let row: CalendarRow | undefined;
    if ("name" in ref) row = world.calendars.find((c) => c.name === ref.name);
    else if (ref.of === "workspace") row = world.calendars.find((c) => c.isDefault);
    else {
      const { user, team } = await ownerOf(reads, record);
      row = calendarFor(ref.of === "owner" ? { user, team } : { team }, world.calendars)?.calendar;
    }
    return { stored: { ref, id: row?.id ?? null, name: row?.name ?? null }, cal: this.compile(world, row) };
  }

  /** The calendar a clock keeps, as it is now; one deleted since is 24×7 in the workspace's zone. */
  stored(world: CalendarWorld, stored: SlaClockCalendar): CompiledCalendar {
    return this.compile(world, stored.id === null ? undefined : world.calendars.find((c) => c.id === stored.id));
  }

  private compile(world: CalendarWorld, row: CalendarRow | undefined): CompiledCalendar {
    const key = row ? `${row.workspaceId}\u0000${row.id}\u0000${row.version}` : `24x7\u0000${world.zone}`;
    const hit = this.compiled.get(key);
    if (hit) return hit;
    if (this.compiled.size >= MAX_COMPILED) this.compiled.clear();
    const cal = compileCalendar(
      row ? { timeZone: row.timeZone, hours: row.hours, holidays: row.holidays, closedDates: row.closedDates } : allHours(world.zone),
    );
    this.compiled.set(key, cal);
    return cal;
  }
}

/** The record's owner (owner_id, or a ticket's assignee_id) and their team. */
export async function ownerOf(reads: StoreReads, record: StoredRecord): Promise<{ user: StoredRecord | null; team: StoredRecord | null }> {
  const field = ownerFieldOf(record.object);
  const ownerId = field ? record.data[field] : undefined;
  const user = typeof ownerId === "string" ? await reads.records.getRecord(record.workspaceId, ownerId) : undefined;
  const teamId = user?.object === "user" ? user.data.team_id : undefined;
  const team = typeof teamId === "string" ? await reads.records.getRecord(record.workspaceId, teamId) : undefined;
  return { user: user?.object === "user" ? user : null, team: team?.object === "team" ? team : null };
}
