/**
 * What names a calendar, so that deleting or renaming it cannot silently change whose clock it
 * sets. One finder per kind of user, in `CALENDAR_USES`: the team and user records whose
 * `calendar` field names it, and the live workflows (or versions with runs under way) whose
 * `delay` steps wait on it by name (`business.calendar` / `until_opening.calendar` =
 * `{"name": …}`), and the SLA policies (enabled or not) whose `calendar` is `{"name": …}`. A
 * later feature that names calendars adds its finder here with one line, and both delete and
 * rename see it.
 */
import type { CheckedFilter } from "../../crm/filter.js";
import { OBJECTS } from "../../crm/objects.js";
import { calendarOfStep } from "../../engine/calendars.js";
import type { StoreReads } from "../../store/ports.js";
import { liveUses } from "../workflows/live-uses.js";

/** Enough to name the uses: "team EMEA", "user Ada Lee", "workflow x (step wait)". */
export type CalendarUseFinder = (reads: StoreReads, workspaceId: string, calendar: { id: string; name: string }) => Promise<string[]>;

/** At most this many records of each object are named in a refusal (then "more users"). */
const SHOWN = 10;

/** The users and teams whose `calendar` field names it. */
export const recordsNamingCalendar: CalendarUseFinder = async (reads, workspaceId, calendar) => {
  const out: string[] = [];
  for (const object of ["team", "user"] as const) {
    const field = OBJECTS[object].fields.find((f) => f.name === "calendar");
    if (!field) continue;
    const filter: CheckedFilter = { field, op: "eq", value: calendar.name };
    const found = await reads.records.queryRecords({
      workspaceId,
      object,
      filter,
      sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
      limit: SHOWN + 1,
    });
    out.push(...found.slice(0, SHOWN).map((r) => `${object} ${String(r.data.name ?? r.id)}`));
    if (found.length > SHOWN) out.push(`more ${object}s`);
  }
  return out;
};

/** "workflow sla-follow-up (step wait)": live workflows whose business-time waits name it. */
export const workflowsNamingCalendar: CalendarUseFinder = async (reads, workspaceId, calendar) => {
  const users = await liveUses(reads, workspaceId, (def) =>
    Object.entries(def.steps)
      .filter(([, step]) => {
        const ref = calendarOfStep(step);
        return ref !== undefined && "name" in ref && ref.name === calendar.name;
      })
      .map(([id]) => id),
  );
  return users.map((u) => `workflow ${u}`);
};

/** "SLA policy Ticket first response": policies that measure on it by name, enabled or not (a disabled one may be switched on). */
export const slaPoliciesNamingCalendar: CalendarUseFinder = async (reads, workspaceId, calendar) =>
  (await reads.sla.listSlaPolicies(workspaceId))
    .filter((p) => "name" in p.definition.calendar && p.definition.calendar.name === calendar.name)
    .map((p) => `SLA policy ${p.definition.name}`);

/** Every kind of use; a feature that names calendars adds its finder here. */
export const CALENDAR_USES: readonly CalendarUseFinder[] = [recordsNamingCalendar, workflowsNamingCalendar, slaPoliciesNamingCalendar];

/** Everything that names the calendar, in words. */
export async function calendarUses(reads: StoreReads, workspaceId: string, calendar: { id: string; name: string }): Promise<string[]> {
  const uses: string[] = [];
  for (const find of CALENDAR_USES) uses.push(...(await find(reads, workspaceId, calendar)));
  return uses;
}
