/**
 * Business calendars on SQLite and a real PostgreSQL (issue 17): names are unique per workspace
 * (not across), hours, holidays and closed dates round-trip as JSON, lookups by id or name stay
 * in their workspace, updates are written only over the version read, one default per
 * workspace (unsetting the others bumps their versions; the index refuses a second default).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CalendarRow } from "../../src/store/calendar-ports.js";
import type { Store } from "../../src/store/ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-01-02T00:00:00.000Z";

const calendar = (workspaceId: string, id: string, name: string, extra: Partial<CalendarRow> = {}): CalendarRow => ({
  workspaceId,
  id,
  name,
  description: `Calendar ${name}`,
  timeZone: "Europe/Paris",
  hours: {
    mon: [
      ["09:00", "12:30"],
      ["13:30", "18:00"],
    ],
    fri: [["09:00", "24:00"]],
  },
  holidays: { country: "FR" },
  closedDates: [{ date: "2026-12-24", name: "Christmas Eve" }],
  isDefault: false,
  version: 1,
  createdAt: T0,
  updatedAt: T0,
  updatedBy: "u1",
  ...extra,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`calendar store: ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;

    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
      await store.transaction(async (tx) => {
        await tx.workspaces.insertWorkspace({ id: "ws-a", slug: "a", name: "A", timeZone: "UTC", createdAt: T0 });
        await tx.workspaces.insertWorkspace({ id: "ws-b", slug: "b", name: "B", timeZone: "UTC", createdAt: T0 });
      });
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("stores a calendar and reads it back by id and by name, JSON intact, only in its workspace", async () => {
      expect(await store.transaction((tx) => tx.calendars.insertCalendar(calendar("ws-a", "cal1", "Support EU")))).toBe(true);
      expect(await store.calendars.getCalendar("ws-a", "cal1")).toEqual(calendar("ws-a", "cal1", "Support EU"));
      expect(await store.calendars.getCalendar("ws-a", "Support EU")).toEqual(calendar("ws-a", "cal1", "Support EU"));
      expect(await store.calendars.getCalendar("ws-b", "cal1")).toBeUndefined();
      expect(await store.calendars.getCalendar("ws-b", "Support EU")).toBeUndefined();
      // No holidays, no closed dates, 24×7 round-trip as null, [] and {}.
      const open = calendar("ws-a", "cal2", "Always open", { hours: {}, holidays: null, closedDates: [] });
      await store.transaction((tx) => tx.calendars.insertCalendar(open));
      expect(await store.calendars.getCalendar("ws-a", "Always open")).toEqual(open);
      expect((await store.calendars.listCalendars("ws-a")).map((c) => c.name)).toEqual(["Always open", "Support EU"]);
      expect(await store.calendars.listCalendars("ws-b")).toEqual([]);
    });

    it("refuses a second calendar of the same name in a workspace, allows it in another", async () => {
      expect(await store.transaction((tx) => tx.calendars.insertCalendar(calendar("ws-a", "cal3", "Support EU")))).toBe(false);
      expect(await store.transaction((tx) => tx.calendars.insertCalendar(calendar("ws-b", "cal3", "Support EU")))).toBe(true);
      expect((await store.calendars.listCalendars("ws-a")).map((c) => c.id)).toEqual(["cal2", "cal1"]);
    });

    it("updates only over the version read, and refuses a taken name", async () => {
      const next = calendar("ws-a", "cal1", "Support Europe", { version: 2, timeZone: "Europe/Berlin", updatedAt: T1 });
      expect(await store.transaction((tx) => tx.calendars.updateCalendar(next))).toBe("saved");
      expect(await store.transaction((tx) => tx.calendars.updateCalendar({ ...next, description: "again" }))).toBe("stale");
      expect(await store.transaction((tx) => tx.calendars.updateCalendar({ ...next, name: "Always open", version: 3 }))).toBe("name_taken");
      expect(await store.calendars.getCalendar("ws-a", "cal1")).toEqual(next);
    });

    it("keeps one default per workspace: unsetting the others bumps their versions; a second default is refused", async () => {
      expect(await store.calendars.defaultCalendar("ws-a")).toBeUndefined();
      const first = await store.calendars.getCalendar("ws-a", "cal2");
      if (!first) throw new Error("cal2");
      await store.transaction((tx) => tx.calendars.updateCalendar({ ...first, isDefault: true, version: first.version + 1 }));
      expect((await store.calendars.defaultCalendar("ws-a"))?.id).toBe("cal2");
      expect(await store.calendars.defaultCalendar("ws-b")).toBeUndefined();

      const second = await store.calendars.getCalendar("ws-a", "cal1");
      if (!second) throw new Error("cal1");
      await expect(
        store.transaction((tx) => tx.calendars.updateCalendar({ ...second, isDefault: true, version: second.version + 1 })),
      ).rejects.toThrow();
      const unset = await store.transaction(async (tx) => {
        const names = await tx.calendars.unsetDefaultCalendars("ws-a", "cal1", T1, "u2");
        await tx.calendars.updateCalendar({ ...second, isDefault: true, version: second.version + 1 });
        return names;
      });
      expect(unset).toEqual(["Always open"]);
      expect((await store.calendars.defaultCalendar("ws-a"))?.id).toBe("cal1");
      expect(await store.calendars.getCalendar("ws-a", "cal2")).toMatchObject({
        isDefault: false,
        version: first.version + 2,
        updatedAt: T1,
        updatedBy: "u2",
      });
      // Nothing else to unset: no write.
      expect(await store.transaction((tx) => tx.calendars.unsetDefaultCalendars("ws-a", "cal1", T1, "u2"))).toEqual([]);
    });

    it("deletes in its workspace only", async () => {
      expect(await store.transaction((tx) => tx.calendars.deleteCalendar("ws-a", "cal3"))).toBe(false);
      expect(await store.transaction((tx) => tx.calendars.deleteCalendar("ws-b", "cal3"))).toBe(true);
      expect(await store.calendars.listCalendars("ws-b")).toEqual([]);
      expect((await store.calendars.listCalendars("ws-a")).length).toBe(2);
    });
  });
}
