/** On-call rotations (pure): a week each in order, handover at a local wall time across DST, nobody before the start. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { onCallAt } from "../../src/crm/on-call.js";

const t = (iso: string) => Date.parse(iso);
const R = { members: ["ann", "bob", "cleo"], starts: "2026-03-02", handover: "09:00" }; // a Monday

describe("onCallAt", () => {
  it("gives each member a week in turn, handing over on the start's weekday at the handover time", () => {
    expect(onCallAt(R, "Europe/Paris", t("2026-03-02T07:59:59Z"))).toBeUndefined(); // 08:59:59 CET: not started
    expect(onCallAt(R, "Europe/Paris", t("2026-03-02T08:00:00Z"))?.userId).toBe("ann");
    expect(onCallAt(R, "Europe/Paris", t("2026-03-09T07:59:00Z"))?.userId).toBe("ann");
    expect(onCallAt(R, "Europe/Paris", t("2026-03-09T08:00:00Z"))?.userId).toBe("bob");
    expect(onCallAt(R, "Europe/Paris", t("2026-03-16T08:00:00Z"))?.userId).toBe("cleo");
    expect(onCallAt(R, "Europe/Paris", t("2026-03-23T08:00:00Z"))?.userId).toBe("ann");
  });

  it("keeps the handover at 09:00 local across the change to summer time (2026-03-29 in Paris)", () => {
    // Monday 30 March 09:00 CEST is 07:00Z: bob's week starts then (after ann's from the 23rd).
    const shift = onCallAt(R, "Europe/Paris", t("2026-03-30T07:00:00Z"));
    expect(shift).toMatchObject({ userId: "bob", from: t("2026-03-30T07:00:00Z"), until: t("2026-04-06T07:00:00Z") });
    expect(onCallAt(R, "Europe/Paris", t("2026-03-30T06:59:59Z"))?.userId).toBe("ann");
  });

  it("nobody is on call for a rotation without members", () => {
    expect(onCallAt({ ...R, members: [] }, "UTC", t("2026-06-01T00:00:00Z"))).toBeUndefined();
  });

  it("the shift holding an instant contains it, and shifts follow one another", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: t("2026-03-02T08:00:00Z"), max: t("2028-01-01T00:00:00Z") }),
        fc.constantFrom("UTC", "Europe/Paris", "America/New_York", "Australia/Sydney"),
        (at, zone) => {
          const s = onCallAt(R, zone, at);
          if (!s) return; // before the start in a zone east or west of Paris
          expect(s.from).toBeLessThanOrEqual(at);
          expect(at).toBeLessThan(s.until);
          expect(onCallAt(R, zone, s.until)?.index).toBe((s.index + 1) % 3);
        },
      ),
    );
  });
});
