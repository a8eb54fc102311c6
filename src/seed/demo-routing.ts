/**
 * The demo's routing (issue 16): the queue speed-to-lead assigns through, per-territory queues — weighted round-robin over available
 * reps, capped by their open leads — an after-hours desk they fall back to, an APAC queue that
 * holds what nobody can take, and a rule set by size and territory. It is then applied to the
 * demo's leads that have no owner, so that a newcomer finds assignment reasons on those leads'
 * pages (with who was excluded and why: PTO, outside working hours, switched off), a
 * distribution, and held records; the simulation works on the same leads.
 */
import type { CallContext } from "../app/context.js";
import type { Services } from "../composition/root.js";
import type { StoredRecord } from "../store/ports.js";

export interface DemoPeople {
  /** Team leads (managers), in TEAMS order. */
  leads: readonly StoredRecord[];
  /** Five reps per team, in TEAMS order. */
  reps: readonly StoredRecord[];
}

/** The queue the speed-to-lead recipe names (recipes/speed-to-lead.json). */
export const SPEED_TO_LEAD_QUEUE = "Inbound reps";

const OPEN_LEADS = { object: "lead", owner_field: "owner_id", where: { field: "status", op: "in", value: ["new", "working"] } };

/**
 * The queues, before the recipes go live: speed-to-lead names "Inbound reps" (weighted
 * round-robin over the Americas East reps who are at work), so it must exist when the recipe is
 * published and when the morning's inbound leads arrive.
 */
export async function seedQueues(s: Services, ctx: CallContext, people: DemoPeople): Promise<void> {
  const team = (i: number) => people.reps.slice(i * 5, i * 5 + 5);
  const weighted = (reps: readonly StoredRecord[]) => reps.map((r, i) => ({ user_id: r.id, weight: [3, 2, 2, 1, 1][i] ?? 1 }));
  // One rep has switched themselves off (in a meeting): the reasons show it.
  const away = team(0)[4];
  if (away) await s.routing.availability.update(ctx, away.id, { available_now: false });

  await s.routing.queues.create(ctx, {
    name: "After-hours desk",
    description: "Team leads take what the territory queues cannot place right now, in turn, whatever the hour.",
    strategy: "round_robin",
    respect_availability: false,
    members: people.leads.map((l) => ({ user_id: l.id })),
  });
  await s.routing.queues.create(ctx, {
    name: SPEED_TO_LEAD_QUEUE,
    description: "Speed to lead: every new lead that fits goes at once to an Americas East rep who is at work now, senior reps more often.",
    strategy: "weighted_round_robin",
    respect_availability: true,
    fallback: { queue: "After-hours desk" },
    members: weighted(team(0)),
  });
  for (const [name, i] of [
    ["Americas inbound", [0, 1]],
    ["EMEA inbound", [2]],
  ] as const) {
    await s.routing.queues.create(ctx, {
      name,
      description: "New leads by weighted round-robin over the reps who are working now and under their cap of open leads.",
      strategy: "weighted_round_robin",
      respect_availability: true,
      respect_capacity: true,
      load: OPEN_LEADS,
      fallback: { queue: "After-hours desk" },
      members: i.flatMap((t) => weighted(team(t))),
    });
  }
  await s.routing.queues.create(ctx, {
    name: "APAC inbound",
    description: "Held until an APAC rep is at work: a lead from Singapore, Sydney or Tokyo waits for the morning there.",
    strategy: "round_robin",
    respect_availability: true,
    fallback: { hold: true },
    members: team(3).map((r) => ({ user_id: r.id })),
  });
}

/** The rule set, last: applied to the demo's leads that still have no owner. */
export async function seedRuleSet(s: Services, ctx: CallContext, people: DemoPeople): Promise<{ assigned: number; held: number }> {
  const eastLead = people.leads[0];
  await s.routing.ruleSets.create(ctx, {
    name: "Inbound lead routing",
    description: "Big companies to a team lead; everyone else to their territory's queue.",
    object: "lead",
    rules: [
      {
        id: "enterprise",
        name: "Enterprise (1,000+ employees)",
        when: { field: "employee_count", op: "gte", value: 1000 },
        target: eastLead ? { user_id: eastLead.id } : { queue: "After-hours desk" },
      },
      {
        id: "emea",
        name: "EMEA territory",
        when: { field: "country", op: "in", value: ["DE", "GB", "FR", "AT", "CH"] },
        target: { queue: "EMEA inbound" },
      },
      {
        id: "apac",
        name: "APAC territory",
        when: { field: "country", op: "in", value: ["SG", "AU", "JP"] },
        target: { queue: "APAC inbound" },
      },
    ],
    default_target: { queue: "Americas inbound" },
  });
  const applied = await s.routing.insights.applyToUnowned(ctx, "Inbound lead routing", { last: 1000 });
  return { assigned: applied.assigned, held: applied.held };
}
