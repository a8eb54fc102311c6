/** When time-based triggers fire: pure arithmetic over the record, in the workspace's zone. */
import { describe, expect, it } from "vitest";
import { nextScheduleInstant, recordFireInstant } from "../../src/engine/date-triggers.js";
import type { TriggerSpec } from "../../src/engine/definition.js";

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe("time-based triggers", () => {
  it("fires N days before a date field, at a wall time in the zone", () => {
    const t: TriggerSpec = { type: "relative_date", field: "contract_end_date", offset: { days: 90, before: true }, at: "09:00" };
    // 2027-03-31 minus 90 × 24 h = 2026-12-31 (midnight New York), at 09:00 EST.
    expect(iso(recordFireInstant(t, { contract_end_date: "2027-03-31" }, "America/New_York"))).toBe("2026-12-31T14:00:00.000Z");
    expect(recordFireInstant(t, {}, "America/New_York")).toBeUndefined();
  });

  it("fires N days after the last activity, or after creation when there was none", () => {
    const t: TriggerSpec = { type: "inactivity", days: 30, field: "last_activity_at" };
    expect(iso(recordFireInstant(t, { last_activity_at: "2026-01-10T12:00:00.000Z" }, "UTC"))).toBe("2026-02-09T12:00:00.000Z");
    expect(iso(recordFireInstant(t, { created_at: "2026-01-01T00:00:00.000Z" }, "UTC"))).toBe("2026-01-31T00:00:00.000Z");
  });

  it("finds the next cron occurrence in the schedule's zone", () => {
    const t = { type: "schedule" as const, cron: "0 9 * * 1", time_zone: "Europe/Berlin" };
    // After Friday 2026-03-27: Monday 2026-03-30 09:00 CEST (UTC+2), across the DST switch.
    expect(iso(nextScheduleInstant(t, Date.parse("2026-03-27T12:00:00Z")))).toBe("2026-03-30T07:00:00.000Z");
  });
});
