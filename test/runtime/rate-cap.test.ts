/** The rate cap's slots (pure): in order, at most the cap per window, spread over later windows, never dropped. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { takeSlot } from "../../src/runtime/rate-cap.js";

describe("takeSlot", () => {
  it("starts the first `cap` of a window at once and spreads the rest over the next windows", () => {
    const rate = { windowStartMs: 0, used: 0 };
    const now = 60_000 * 100 + 12_345;
    const slots = Array.from({ length: 8 }, () => takeSlot(rate, now, 3, 60_000));
    expect(slots.map((s) => s.deferred)).toEqual([false, false, false, true, true, true, true, true]);
    const next = 60_000 * 101;
    expect(slots.slice(3).map((s) => s.atMs - next)).toEqual([0, 20_000, 40_000, 60_000, 80_000]);
    // A new window with a backlog: new enrolments queue behind it rather than overtake it.
    expect(takeSlot(rate, next + 1, 3, 60_000)).toEqual({ atMs: next + 60_000 + 40_000, deferred: true });
    // Once the backlog is behind, a window starts afresh.
    expect(takeSlot(rate, next + 10 * 60_000, 3, 60_000)).toEqual({ atMs: next + 10 * 60_000, deferred: false });
  });

  it("never gives more than the cap of slots to a window, and never a slot before an earlier one", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 200 }),
        (cap, gaps) => {
          const windowMs = 1_000;
          const rate = { windowStartMs: 0, used: 0 };
          let now = 1_000_000;
          let last = 0;
          const perWindow = new Map<number, number>();
          for (const gap of gaps) {
            now += gap;
            const slot = takeSlot(rate, now, cap, windowMs);
            expect(slot.atMs).toBeGreaterThanOrEqual(now);
            expect(slot.atMs).toBeGreaterThanOrEqual(last);
            last = slot.atMs;
            const w = Math.floor(slot.atMs / windowMs);
            perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
          }
          for (const n of perWindow.values()) expect(n).toBeLessThanOrEqual(cap);
        },
      ),
    );
  });
});
