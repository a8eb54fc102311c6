/**
 * Business-time waits through decide(): a delay of business hours or days on a calendar the
 * runtime put into the facts, "until the next opening", and what happens when the calendar is
 * missing or never opens. Publish-time checks of the business spec.
 */
import { describe, expect, it } from "vitest";
import type { CalendarSpec } from "../../src/crm/calendar/calendar.js";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import { calendarKey } from "../../src/engine/calendars.js";
import { compileWorkflow, factNeeds } from "../../src/engine/compile.js";
import { decide } from "../../src/engine/decide.js";
import { initialState } from "../../src/engine/run-state.js";
import { validateWorkflow } from "../../src/engine/validate.js";

const fields = (o: Parameters<typeof fieldsOf>[0]) => fieldsOf(o, []);
const PARIS: CalendarSpec = {
  timeZone: "Europe/Paris",
  hours: {
    mon: [["09:00", "17:00"]],
    tue: [["09:00", "17:00"]],
    wed: [["09:00", "17:00"]],
    thu: [["09:00", "17:00"]],
    fri: [["09:00", "17:00"]],
  },
  holidays: { country: "FR" },
  closedDates: [],
};

function workflow(delay: Record<string, unknown>) {
  return {
    key: "biz",
    name: "biz",
    object: "ticket",
    trigger: { type: "manual" },
    start: "wait",
    steps: { wait: { type: "delay", ...delay, next: "done" }, done: { type: "end" } },
  };
}

function run(delay: Record<string, unknown>, nowIso: string, calendars: Record<string, CalendarSpec | null>) {
  const v = validateWorkflow(workflow(delay), fields);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  const w = compileWorkflow(v.definition);
  const nowMs = Date.parse(nowIso);
  return decide(
    w,
    initialState("wait"),
    { kind: "continue" },
    { record: { id: "t1" }, refs: {}, counts: {}, nowMs, calendars },
    { runId: "r", seq: 1, nowMs, timeZone: "UTC" },
  );
}

const dueOf = (d: ReturnType<typeof run>) => d.commands.find((c) => c.type === "start_timer");

describe("business-time delays", () => {
  it("waits 4 business hours on a named calendar, across the night and a holiday", () => {
    // Thursday 2026-12-24 15:00 CET: 2 h that day, Friday is Noël, Monday 09:00 + 2 h = 11:00 CET.
    const d = run({ business: { hours: 4, calendar: { name: "Support EU" } } }, "2026-12-24T14:00:00Z", { "name:Support EU": PARIS });
    expect(dueOf(d)).toMatchObject({ type: "start_timer", dueAt: "2026-12-28T10:00:00.000Z" });
    expect(d.log?.why).toBe('wait 4 h of business time on the calendar "Support EU" (Europe/Paris) → due 2026-12-28T10:00:00.000Z');
  });

  it("waits business days on the workspace's calendar when none is named", () => {
    const d = run({ business: { days: 2 } }, "2026-12-23T09:00:00Z", { [calendarKey({ of: "workspace" })]: PARIS });
    // Wednesday 10:00 CET + 2 business days: Thursday, (Noël), Monday 10:00 CET.
    expect(dueOf(d)).toMatchObject({ dueAt: "2026-12-28T09:00:00.000Z" });
  });

  it("waits until the owner's calendar opens, and not at all when it is open", () => {
    const sat = run({ until_opening: { calendar: { of: "owner" } } }, "2026-06-06T12:00:00Z", { "of:owner": PARIS });
    expect(dueOf(sat)).toMatchObject({ dueAt: "2026-06-08T07:00:00.000Z" });
    const open = run({ until_opening: { calendar: { of: "owner" } } }, "2026-06-08T08:00:00Z", { "of:owner": PARIS });
    expect(dueOf(open)).toMatchObject({ dueAt: "2026-06-08T08:00:00.000Z" });
  });

  it("fails the step, saying why, when the calendar is gone or never opens", () => {
    const gone = run({ business: { hours: 1, calendar: { name: "Old" } } }, "2026-06-08T08:00:00Z", { "name:Old": null });
    expect(gone.state.status).toBe("failed");
    expect(gone.log).toMatchObject({ outcome: "failed", why: 'the calendar "Old" does not exist' });
    const never = run({ business: { hours: 1 } }, "2026-06-08T08:00:00Z", { "of:workspace": { ...PARIS, hours: { mon: [] } } });
    expect(never.log).toMatchObject({ outcome: "failed", why: "the workspace's calendar does not open in the next three years" });
  });

  it("lists the calendars a workflow's waits need, once each", () => {
    const v = validateWorkflow(
      {
        ...workflow({ business: { hours: 1, calendar: { name: "Support EU" } } }),
        steps: {
          wait: { type: "delay", business: { hours: 1, calendar: { name: "Support EU" } }, next: "again" },
          again: { type: "delay", until_opening: {}, next: "third" },
          third: { type: "delay", business: { days: 1, calendar: { name: "Support EU" } }, next: "done" },
          done: { type: "end" },
        },
      },
      fields,
    );
    if (!v.ok) throw new Error(JSON.stringify(v.issues));
    expect(factNeeds(compileWorkflow(v.definition)).calendars).toEqual([{ name: "Support EU" }, { of: "workspace" }]);
  });
});

describe("publish checks of a business delay", () => {
  const issues = (delay: Record<string, unknown>) => {
    const v = validateWorkflow(workflow(delay), fields);
    return v.ok ? [] : v.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  };

  it("refuses zero business time, days mixed with hours, and two kinds of wait", () => {
    expect(issues({ business: { hours: 0 } })).toEqual([
      { path: "steps.wait.business", message: "business time must be more than zero: set days, or hours and minutes" },
    ]);
    expect(issues({ business: { days: 1, hours: 2 } })).toEqual([
      { path: "steps.wait.business", message: "business time is either days, or hours and minutes — not both" },
    ]);
    expect(issues({ business: { hours: 1 }, duration: { hours: 1 } })[0]?.path).toBe("steps.wait");
    expect(issues({ business: { hours: 1, calendar: { of: "boss" } } })[0]?.path).toMatch(/^steps\.wait\.business\.calendar/);
  });
});
