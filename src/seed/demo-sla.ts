/**
 * The demo's SLA policies (issue 17; docs/sla.md): a first response on every open ticket (4
 * business hours, 1 for P1 and 2 for P2, on the assignee's team's calendar, paused while the
 * ticket waits on the customer), P1 resolution around the clock, and a first contact for every
 * assigned lead within a business day of its owner. Seeded after the calendars they name and
 * before the records, so that the demo's tickets and leads have clocks from the start; a policy
 * the workspace has already is left as it is.
 */
import type { CallContext } from "../app/context.js";
import type { Services } from "../composition/root.js";
import { AROUND_THE_CLOCK_CALENDAR } from "./demo-calendars.js";

export const DEMO_SLA_POLICIES = [
  {
    name: "Ticket first response",
    description:
      "Customers hear from a person within 4 business hours of opening a ticket (1 for P1, 2 for P2), counted on the support team's hours.",
    object: "ticket",
    // A ticket that already had its first response (the demo's older ones) needs no clock.
    applies_when: {
      and: [
        { field: "status", op: "nin", value: ["resolved", "closed"] },
        { field: "first_response_at", op: "is_not_set" },
      ],
    },
    starts: { on: "created" },
    stops: { on: "activity", types: ["email", "call"], by: "owner" },
    target: { hours: 4 },
    targets_by: { field: "priority", values: { P1: { hours: 1 }, P2: { hours: 2 } } },
    calendar: { of: "team" },
    pause_when: { field: "status", op: "eq", value: "pending" },
    warning: { fraction: 0.75 },
    escalations: [{ after: { hours: 2 } }],
  },
  {
    name: "P1 resolution",
    description: "A P1 is an outage for a customer: it is resolved within 4 hours, nights and holidays included.",
    object: "ticket",
    applies_when: { field: "priority", op: "eq", value: "P1" },
    starts: { on: "created" },
    stops: { on: "field_value", field: "status", in: ["resolved", "closed"] },
    target: { hours: 4 },
    calendar: { name: AROUND_THE_CLOCK_CALENDAR },
    warning: { before: { minutes: 30 } },
    escalations: [{ after: { hours: 1 } }],
  },
  {
    name: "Lead first contact",
    description: "A lead hears from its owner within one business day of being assigned; a lead left waiting goes cold.",
    object: "lead",
    starts: { on: "field_changed", field: "owner_id" },
    stops: { on: "activity", types: ["call", "email", "meeting"], by: "owner" },
    target: { hours: 8 },
    calendar: { of: "owner" },
    warning: { fraction: 0.5 },
    escalations: [],
  },
] as const;

/** Creates the demo's SLA policies the workspace does not have yet; the names of those created. */
export async function seedSlaPolicies(s: Services, ctx: CallContext): Promise<string[]> {
  const have = new Set((await s.slaPolicies.list(ctx)).map((p) => p.name));
  const created: string[] = [];
  for (const policy of DEMO_SLA_POLICIES) {
    if (have.has(policy.name)) continue;
    await s.slaPolicies.create(ctx, policy);
    created.push(policy.name);
  }
  return created;
}
