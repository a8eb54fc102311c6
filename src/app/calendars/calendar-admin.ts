/**
 * Business calendars as admins manage them (docs/sla.md, "Calendars"): create, read by name or
 * id, list, change over the version read (If-Match), delete. Every signed-in role reads them (a
 * rep sees the hours their SLAs run on); changing one is for admins. At most one calendar is the
 * workspace's default: setting a new one clears the old in the same transaction. A calendar that
 * something names (calendar-uses.ts) is neither deleted nor renamed. Every change is written to
 * the configuration audit.
 */
import type { Issue } from "../../crm/issues.js";
import { canAdmin } from "../../crm/permissions.js";
import { zodIssues } from "../../engine/validate.js";
import type { CalendarRow } from "../../store/calendar-ports.js";
import type { ConfigAuditAction } from "../../store/config-audit-ports.js";
import type { Store, StoreTx } from "../../store/ports.js";
import { auditConfigChange } from "../config-change-audit.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import { checkIncomingJson } from "../incoming-json.js";
import type { Clock, IdGenerator } from "../ports.js";
import { checkExpectedVersion, checkSaved, nameTaken } from "../versioned-saves.js";
import { calendarIssues } from "./calendar-checks.js";
import { type OpeningsQuery, type OpeningsView, openingsView } from "./calendar-openings.js";
import { type CalendarInput, calendarCreateSchema, calendarPatchSchema } from "./calendar-schemas.js";
import { calendarUses } from "./calendar-uses.js";
import { type CalendarView, calendarView } from "./calendar-views.js";
import { holidayLists } from "./holiday-lists.js";

export function requireCalendarAdmin(ctx: CallContext): void {
  if (!canAdmin(ctx.role, "manage_calendars")) throw new AppError("forbidden", `calendars are managed by admins, not role ${ctx.role}`);
}

/** The fields a change may touch, as the audit names them. */
const FIELDS = ["name", "description", "time_zone", "hours", "holidays", "closed_dates", "default"] as const;

export class CalendarAdmin {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async list(ctx: CallContext): Promise<CalendarView[]> {
    return (await this.store.calendars.listCalendars(ctx.workspaceId)).map(calendarView);
  }

  async get(ctx: CallContext, idOrName: string): Promise<CalendarView> {
    return calendarView(await this.row(ctx, idOrName));
  }

  /** A saved calendar's openings and holidays over the next days (every signed-in role). */
  async openings(ctx: CallContext, idOrName: string, query: OpeningsQuery): Promise<OpeningsView> {
    return openingsView(await this.row(ctx, idOrName), query, this.clock.now().getTime());
  }

  /** The same for a calendar as the editor holds it, unsaved: checked like a create, nothing written. */
  async preview(ctx: CallContext, input: unknown, query: OpeningsQuery): Promise<OpeningsView> {
    const v = await this.checked(calendarCreateSchema.safeParse(this.incoming(input)));
    const spec = this.toRow(ctx, v, { id: "preview", createdAt: "", version: 0 }, "");
    return openingsView(spec, query, this.clock.now().getTime());
  }

  /** The countries and regions whose public holidays a calendar can take, by name. */
  async holidayCountries(): Promise<Array<{ code: string; name: string; regions: Array<{ code: string; name: string }> }>> {
    const lists = await holidayLists();
    const byName = (m: Record<string, string>) =>
      Object.entries(m)
        .map(([code, name]) => ({ code, name }))
        .sort((a, b) => a.name.localeCompare(b.name, "en"));
    return byName(lists.countries).map((c) => ({ ...c, regions: byName(lists.regions(c.code)) }));
  }

  async create(ctx: CallContext, input: unknown): Promise<CalendarView> {
    requireCalendarAdmin(ctx);
    const v = await this.checked(calendarCreateSchema.safeParse(this.incoming(input)));
    const now = this.clock.now().toISOString();
    const row = this.toRow(ctx, v, { id: this.ids.next(), createdAt: now, version: 1 }, now);
    await this.store.transaction(async (tx) => {
      await this.lock(tx, ctx);
      const unset = row.isDefault ? await tx.calendars.unsetDefaultCalendars(ctx.workspaceId, row.id, now, row.updatedBy) : [];
      if (!(await tx.calendars.insertCalendar(row))) throw nameTaken("calendar", row.name);
      await this.audit(tx, ctx, row, "create", { name: row.name, default: row.isDefault, ...unsetNote(unset) });
    });
    return calendarView(row);
  }

  async update(ctx: CallContext, idOrName: string, input: unknown, expectedVersion?: number): Promise<CalendarView> {
    requireCalendarAdmin(ctx);
    const current = await this.row(ctx, idOrName);
    checkExpectedVersion("calendar", current.name, current.version, expectedVersion);
    const patch = calendarPatchSchema.safeParse(this.incoming(input));
    if (!patch.success) throw invalid(zodIssues(patch.error.issues));
    const before = calendarView(current);
    const merged: CalendarInput = {
      name: before.name,
      description: before.description,
      time_zone: before.time_zone,
      hours: before.hours,
      holidays: before.holidays,
      closed_dates: before.closed_dates,
      default: before.default,
      ...patch.data,
    };
    const issues = await calendarIssues(merged);
    if (issues.length > 0) throw invalid(issues);
    if (merged.name !== current.name) await this.refuseWhileUsed(ctx, current, `renamed to "${merged.name}"`);
    const now = this.clock.now().toISOString();
    const row = this.toRow(ctx, merged, { id: current.id, createdAt: current.createdAt, version: current.version + 1 }, now);
    const after = calendarView(row);
    const changed = FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
    await this.store.transaction(async (tx) => {
      await this.lock(tx, ctx);
      const unset = row.isDefault ? await tx.calendars.unsetDefaultCalendars(ctx.workspaceId, row.id, now, row.updatedBy) : [];
      checkSaved("calendar", row.name, await tx.calendars.updateCalendar(row));
      await this.audit(tx, ctx, row, "update", {
        name: row.name,
        changed,
        ...(current.name !== row.name ? { renamed_from: current.name } : {}),
        ...unsetNote(unset),
      });
    });
    return after;
  }

  /** Refused (409, naming them) while a team, a user or a later feature names the calendar. */
  async delete(ctx: CallContext, idOrName: string): Promise<void> {
    requireCalendarAdmin(ctx);
    const c = await this.row(ctx, idOrName);
    await this.refuseWhileUsed(ctx, c, "deleted");
    await this.store.transaction(async (tx) => {
      await this.lock(tx, ctx);
      if (!(await tx.calendars.deleteCalendar(ctx.workspaceId, c.id))) throw notFound(`calendar ${idOrName}`);
      await this.audit(tx, ctx, c, "delete", { name: c.name, default: c.isDefault });
    });
  }

  private async row(ctx: CallContext, idOrName: string): Promise<CalendarRow> {
    const c = await this.store.calendars.getCalendar(ctx.workspaceId, idOrName);
    if (!c) throw notFound(`calendar ${idOrName}`);
    return c;
  }

  /** What an edge other than the API (the CLI's file) hands in passes the API body's checks too. */
  private incoming(input: unknown): unknown {
    checkIncomingJson(input, []);
    return input;
  }

  private async checked(parsed: ReturnType<typeof calendarCreateSchema.safeParse>): Promise<CalendarInput> {
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const issues: Issue[] = await calendarIssues(parsed.data);
    if (issues.length > 0) throw invalid(issues);
    return parsed.data;
  }

  private async refuseWhileUsed(ctx: CallContext, c: CalendarRow, what: string): Promise<void> {
    const uses = await calendarUses(this.store, ctx.workspaceId, c);
    if (uses.length > 0)
      throw new AppError("conflict", `calendar ${c.name} cannot be ${what}: it is named by ${uses.join(", ")}`, [
        { path: ["name"], code: "invalid_value", message: `named by ${uses.join(", ")}` },
      ]);
  }

  /** Calendar writes of a workspace one at a time: the one-default rule holds under concurrent saves. */
  private lock(tx: StoreTx, ctx: CallContext): Promise<void> {
    return tx.lockKey(`calendars:${ctx.workspaceId}`);
  }

  private toRow(ctx: CallContext, v: CalendarInput, keep: { id: string; createdAt: string; version: number }, now: string): CalendarRow {
    return {
      workspaceId: ctx.workspaceId,
      id: keep.id,
      name: v.name,
      description: v.description,
      timeZone: v.time_zone,
      hours: v.hours,
      holidays:
        v.holidays === null
          ? null
          : { country: v.holidays.country, ...(v.holidays.region !== undefined ? { region: v.holidays.region } : {}) },
      closedDates: v.closed_dates.map((d) => ({ date: d.date, name: d.name })),
      isDefault: v.default,
      version: keep.version,
      createdAt: keep.createdAt,
      updatedAt: now,
      updatedBy: ctx.actor.id,
    };
  }

  private async audit(tx: StoreTx, ctx: CallContext, c: CalendarRow, action: ConfigAuditAction, summary: Record<string, unknown>) {
    await auditConfigChange(tx, { ids: this.ids, clock: this.clock }, ctx, {
      entity: "calendar",
      entityId: c.id,
      action,
      summary: summary,
    });
  }
}

/** The calendars that stopped being the default because this one became it. */
const unsetNote = (names: readonly string[]) => (names.length > 0 ? { default_cleared_on: names } : {});
