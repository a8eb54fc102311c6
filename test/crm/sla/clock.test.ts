/**
 * SLA clocks (pure), on a simulated clock: a ticket's first-response SLA with a pause and a
 * resume warns and breaches at the right instants, a holiday moves the due instant, escalation
 * levels follow the breach, and every milestone fires once; properties over random pauses.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileCalendar } from "../../../src/crm/calendar/business-time.js";
import {
  type ClockPlan,
  type ClockState,
  fire,
  nextDue,
  pauseClock,
  readClock,
  rebase,
  resumeClock,
  startClock,
  stopClock,
} from "../../../src/crm/sla/clock.js";

const H = 3_600_000;
const t = (iso: string) => Date.parse(iso);
const iso = (ms: number | null | undefined) => (ms == null ? ms : new Date(ms).toISOString());
const spans: Array<[string, string]> = [["09:00", "17:00"]];
const PARIS = compileCalendar({
  timeZone: "Europe/Paris",
  hours: { mon: spans, tue: spans, wed: spans, thu: spans, fri: spans },
  holidays: { country: "FR" },
  closedDates: [],
});
const ALWAYS = compileCalendar({ timeZone: "UTC", hours: {}, holidays: null, closedDates: [] });

/** First response in 4 business hours, warning at 75 %, level 2 one business hour after the breach. */
const PLAN: ClockPlan = { targetMs: 4 * H, warning: { fraction: 0.75 }, escalationsAfterMs: [1 * H] };

/** Runs the clock forward to `until`, firing every milestone that falls due; returns what fired when. */
function drive(state: ClockState, plan: ClockPlan, until: number, cal = PARIS) {
  const fired: Array<[string, string]> = [];
  for (let next = nextDue(state, plan, cal); next && next.at <= until; next = nextDue(state, plan, cal)) {
    fired.push([next.milestone.key, iso(next.at) as string]);
    state = fire(state, plan, next.milestone.key);
  }
  return { state, fired };
}

describe("a ticket's first-response SLA", () => {
  it("warns and breaches at the right instants with a pause and a resume", () => {
    // Monday 2026-06-08 10:00 CEST (08:00Z): opened.
    let s = startClock(PLAN, t("2026-06-08T08:00:00Z"));
    expect(iso(nextDue(s, PLAN, PARIS)?.at)).toBe("2026-06-08T11:00:00.000Z"); // warning at 3 h: 13:00 CEST
    // Waiting on the customer from 11:00 to 15:00 CEST: the clock holds 1 h consumed.
    s = pauseClock(s, PARIS, t("2026-06-08T09:00:00Z"));
    expect(readClock(s, PLAN, PARIS, t("2026-06-08T12:00:00Z"))).toMatchObject({
      status: "paused",
      consumedMs: H,
      leftMs: 3 * H,
      dueAt: null,
    });
    expect(nextDue(s, PLAN, PARIS)).toBeNull();
    s = resumeClock(s, t("2026-06-08T13:00:00Z"));
    // 2 h more to the warning: 17:00 CEST closes at 2 h → the warning is at closing, 17:00 CEST (15:00Z).
    const { state, fired } = drive(s, PLAN, t("2026-06-10T00:00:00Z"));
    expect(fired).toEqual([
      ["warning", "2026-06-08T15:00:00.000Z"],
      // 1 h more: Tuesday 10:00 CEST.
      ["breach", "2026-06-09T08:00:00.000Z"],
      ["level:2", "2026-06-09T09:00:00.000Z"],
    ]);
    expect(readClock(state, PLAN, PARIS, t("2026-06-09T10:00:00Z"))).toMatchObject({ status: "breached", leftMs: -2 * H });
    expect(nextDue(state, PLAN, PARIS)).toBeNull();
  });

  it("a holiday moves the due instant: Thursday 2026-12-24 16:00 → Monday the 28th", () => {
    const s = startClock(PLAN, t("2026-12-24T15:00:00Z"));
    expect(readClock(s, PLAN, PARIS, t("2026-12-24T15:00:00Z")).dueAt).toBe(t("2026-12-28T11:00:00Z"));
    expect(drive(s, PLAN, t("2027-01-01T00:00:00Z")).fired.map(([k]) => k)).toEqual(["warning", "breach", "level:2"]);
  });

  it("is met when stopped before the target, and missed after it", () => {
    const s = startClock(PLAN, t("2026-06-08T08:00:00Z"));
    expect(readClock(stopClock(s, PARIS, t("2026-06-08T09:30:00Z")), PLAN, PARIS, t("2026-06-09T00:00:00Z"))).toMatchObject({
      status: "met",
      consumedMs: 1.5 * H,
    });
    const late = drive(s, PLAN, t("2026-06-08T13:00:00Z")).state;
    expect(readClock(stopClock(late, PARIS, t("2026-06-08T13:00:00Z")), PLAN, PARIS, t("2026-06-09T00:00:00Z")).status).toBe("missed");
  });

  it("a new target keeps what was consumed and what fired", () => {
    let s = startClock(PLAN, t("2026-06-08T07:00:00Z"));
    s = drive(s, PLAN, t("2026-06-08T10:00:00Z")).state; // warning fired at 12:00 CEST
    expect(s.fired).toEqual(["warning"]);
    const longer: ClockPlan = { ...PLAN, targetMs: 8 * H };
    s = rebase(s, PARIS, t("2026-06-08T10:00:00Z"), longer.targetMs);
    expect(s.consumedMs).toBe(3 * H);
    // The warning of the new plan (6 h) is not fired again; the breach is at 8 h: 17:00 CEST.
    expect(nextDue(s, longer, PARIS)).toMatchObject({ milestone: { key: "breach" }, at: t("2026-06-08T15:00:00Z") });
  });
});

describe("properties", () => {
  it("milestones fire once each, in order, whatever the pauses; consumed never exceeds elapsed", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 * H }), { minLength: 0, maxLength: 12 }), (gaps) => {
        let s = startClock(PLAN, 0);
        let now = 0;
        const fired: string[] = [];
        for (const gap of gaps) {
          const until = now + gap;
          const d = drive(s, PLAN, until, ALWAYS);
          s = d.state;
          fired.push(...d.fired.map(([k]) => k));
          for (const [, at] of d.fired) expect(Date.parse(at)).toBeGreaterThan(now - 1);
          now = until;
          s = s.phase === "running" ? pauseClock(s, ALWAYS, now) : resumeClock(s, now);
          expect(readClock(s, PLAN, ALWAYS, now).consumedMs).toBeLessThanOrEqual(now);
        }
        expect(fired).toEqual(["warning", "breach", "level:2"].slice(0, fired.length));
      }),
    );
  });
});
