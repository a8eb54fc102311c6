/**
 * The demo's 120 days of lead history for the KPI pages (issue 22, item 5; docs/kpis.md "The
 * demo"), seeded last so that every other id stays what it was.
 *
 * A workspace that has been live for four months: leads arrived every day (fewer at weekends)
 * until a week ago (the last week is the live demo's own);
 * speed-to-lead's first version went live 110 days ago (owner and P1 call task at once) and its
 * second, the recipe as it is now (plus the auto-reply with the owner's calendar link), 40 days
 * ago. Leads it handled were answered in tens of minutes under v1 and in minutes under v2; the
 * others waited hours for a person to pick them up. So the KPI overview has trends, "handled by
 * speed-to-lead" against "not" differs, and v1 against v2 shows the republish's before and after.
 * Deals too: one every other day until a month ago, moved by its owner to won or lost 2 to 9
 * weeks later, so that the deal cycle time has closings to measure; the won ones handed off to
 * onboarding, and P1 outages breaching and escalating (demo-kpis-effect.ts).
 *
 * Written through the record writer on a clock of its own, at the instant each thing happened:
 * leads, the owners and call tasks the workflow gave (as the workflow), the calls, status
 * changes and finished tasks (as the reps) — validated, audited and evented like any write, so
 * the KPI rollup folds them as it folds the live log. Two things are not live: the trigger
 * matcher is moved past these events (history is not news — no workflow enrolls a lead that
 * arrived months ago, as an import does not), and speed-to-lead's runs over them are written as
 * ended runs of the version live when each lead arrived, without their step logs (their reason
 * says so), because the engine cannot run on a clock months back.
 */
import type { CallContext } from "../app/context.js";
import { seededIdGenerator } from "../app/ports.js";
import { SimulatedClock } from "../app/sandbox/simulated-clock.js";
import { buildServices, type Services } from "../composition/root.js";
import type { RunState } from "../engine/run-state.js";
import type { StoredRecord } from "../store/ports.js";
import type { RunRow } from "../store/workflow-ports.js";
import { AROUND_THE_CLOCK_CALENDAR } from "./demo-calendars.js";
import { COMPANY_SUFFIX, COMPANY_WORDS, FIRST_NAMES, LAST_NAMES, TEAMS } from "./demo-data.js";
import { outageClock, planHandoffs, planOutages } from "./demo-kpis-effect.js";
import { Random } from "./random.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const HISTORY_DAYS = 120;
/**
 * No lead of the history arrived in the last week: the week's triggers, counts and replays are
 * the live demo's (the morning's inbound leads), so that they read the same on every first start.
 */
export const QUIET_DAYS = 7;
/** When speed-to-lead's versions went live, in days before today. */
export const SPEED_TO_LEAD_LIVE = { v1: 110, v2: 40 } as const;
export const SPEED_TO_LEAD = "speed-to-lead";
/** The demo's SLA policy the history's outages are measured by (demo-sla.ts). */
const P1_POLICY = "P1 resolution";
/** Speed-to-lead's wait before it moves the lead on (the recipe's `wait-for-call`). */
const WAIT_MINUTES = 15;

/** The recipe's second version's note (seedDemo publishes it with it). */
export const SPEED_TO_LEAD_V2_NOTE =
  "Adds the auto-reply: the lead hears back at once from the rep who will call, with the rep's calendar link.";

/** Speed-to-lead's first version: the recipe without the auto-reply (owner, call task, wait, reassign, alert). */
export function speedToLeadFirstVersion(recipe: Record<string, unknown>): Record<string, unknown> {
  const steps = structuredClone(recipe.steps) as Record<string, Record<string, unknown>>;
  delete steps["auto-reply"];
  const task = steps["call-task"];
  if (task) task.next = "wait-for-call";
  return {
    ...recipe,
    description:
      "A lead that fits (score over 40, more than 10 employees) is worth a call within minutes. It gets an owner and a P1 call task at once; if nobody logs a call within 15 minutes it moves to the next rep and the team lead is told.",
    steps,
  };
}

export interface HistoryInput {
  seed: number;
  reps: readonly StoredRecord[];
  teamLeads: readonly StoredRecord[];
  /** The history's deals are with these companies and contacts (onboarding handoff). */
  companies: readonly StoredRecord[];
  contacts: readonly StoredRecord[];
  /** The caller's worker, when one may be running beside the seed (a test's): held while history is written. */
  hold?: Services["worker"];
}

export interface HistoryCounts {
  leads: number;
  deals: number;
  activities: number;
  tasks: number;
  runs: number;
  tickets: number;
}

interface LeadPlan {
  at: number;
  row: Record<string, unknown>;
  team: number;
  /** The speed-to-lead version live when it arrived, when it fits the workflow's conditions. */
  version: 1 | 2 | null;
  failed: boolean;
  /** Who owns it at creation (a rep who typed it in), when anyone. */
  ownerAtCreation: string | null;
  /** Minutes after arrival the owner logged a call; null: never. */
  answeredAfter: number | null;
  /** Minutes after arrival a team lead gave it an owner by hand, when nobody owns it. */
  assignedAfter: number | null;
  finalStatus: "qualified" | "unqualified" | "nurturing";
  finalAfterDays: number;
}

/** A log-normal draw in minutes around a median (σ on the log scale): response times have long tails. */
function minutesAround(rnd: Random, median: number, sigma: number): number {
  const u1 = Math.max(rnd.next(), 1e-9);
  const u2 = rnd.next();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.max(1, Math.round(median * Math.exp(sigma * z)));
}

/** The history, planned before anything is written: pure and seeded, the same on every machine. */
export function planHistory(seed: number, today: number, reps: number): LeadPlan[] {
  if (reps < TEAMS.length * 5) throw new Error(`the history needs ${TEAMS.length * 5} reps, the demo has ${reps}`);
  const rnd = new Random(seed ^ 0x6b70_6973);
  const plans: LeadPlan[] = [];
  for (let d = HISTORY_DAYS; d > QUIET_DAYS; d -= 1) {
    const day = today - d * DAY;
    const weekend = [0, 6].includes(new Date(day).getUTCDay());
    const count = weekend ? rnd.int(0, 2) : rnd.int(2, 5);
    for (let i = 0; i < count; i += 1) {
      const at = day + rnd.int(13 * 60, 22 * 60) * MINUTE + rnd.int(0, 59) * 1_000;
      const team = rnd.int(0, TEAMS.length - 1);
      const first = rnd.pick(FIRST_NAMES);
      const last = rnd.pick(LAST_NAMES);
      const score = rnd.int(10, 95);
      const employees = rnd.pick([4, 8, 25, 60, 300, 1_500]);
      const fits = score > 40 && employees > 10;
      const daysAgo = (today - at) / DAY;
      const version = !fits ? null : daysAgo <= SPEED_TO_LEAD_LIVE.v2 ? 2 : daysAgo <= SPEED_TO_LEAD_LIVE.v1 ? 1 : null;
      const failed = version !== null && rnd.chance(version === 1 ? 0.06 : 0.015);
      const handled = version !== null && !failed;
      const ownerAtCreation = !handled && rnd.chance(0.5) ? `rep:${team * 5 + rnd.int(0, 4)}` : null;
      const answered = rnd.chance(handled ? (version === 2 ? 0.97 : 0.94) : 0.85);
      const answeredAfter = !answered
        ? null
        : handled
          ? minutesAround(rnd, version === 2 ? 7 : 26, 0.7)
          : minutesAround(rnd, ownerAtCreation ? 95 : 170, 0.9);
      const assignedAfter = handled || ownerAtCreation ? null : Math.min(rnd.int(15, 240), Math.max(1, (answeredAfter ?? 600) - 5));
      plans.push({
        at,
        team,
        version,
        failed,
        ownerAtCreation: ownerAtCreation ? ownerAtCreation : null,
        answeredAfter,
        assignedAfter,
        finalStatus: rnd.pick(["qualified", "unqualified", "unqualified", "nurturing"] as const),
        finalAfterDays: rnd.int(2, 20),
        row: {
          first_name: first,
          last_name: last,
          // Not the contacts' first.last pattern: a history lead is nobody's duplicate.
          email: `${first.toLowerCase()}.h${plans.length + 1}@history${plans.length + 1}.example.net`,
          // A phone of its own too: with the names alone alike, the default lead rule scores under its threshold.
          phone: `+1332555${String(plans.length + 1).padStart(4, "0")}`,
          company_name: `${rnd.pick(COMPANY_WORDS)} ${rnd.pick(COMPANY_SUFFIX)} H${plans.length + 1}`,
          employee_count: employees,
          country: rnd.pick(TEAMS[team]?.countries ?? ["US"]),
          source: rnd.pick(["web_form", "web_form", "event", "referral", "paid_search"]),
          score,
          status: "new",
        },
      });
    }
  }
  return plans.sort((a, b) => a.at - b.at);
}

/** A deal of the history: created, then moved through the stages to its first closing. */
export interface DealPlan {
  at: number;
  team: number;
  name: string;
  amount: number;
  /** Days after creation of each move: discovery, proposal (budget confirmed), the closing. */
  moves: readonly [number, number, number];
  won: boolean;
}

/** About one deal every two days until a month ago, each closed 2 to 9 weeks after it opened (deal cycle time). */
export function planDeals(seed: number, today: number): DealPlan[] {
  const rnd = new Random(seed ^ 0x6465_616c);
  const deals: DealPlan[] = [];
  for (let d = HISTORY_DAYS; d > 30; d -= 2) {
    const at = today - d * DAY + rnd.int(14 * 60, 21 * 60) * MINUTE;
    const close = rnd.int(14, Math.min(63, d - 1));
    const discovery = rnd.int(2, Math.max(2, Math.floor(close / 3)));
    const proposal = rnd.int(discovery + 1, close - 1);
    deals.push({
      at,
      team: rnd.int(0, TEAMS.length - 1),
      name: `${rnd.pick(COMPANY_WORDS)} ${rnd.pick(COMPANY_SUFFIX)} — ${rnd.pick(["Platform", "Expansion", "Pilot"])} (H${deals.length + 1})`,
      amount: rnd.int(5, 200) * 1_000,
      moves: [discovery, proposal, close],
      won: rnd.chance(0.45),
    });
  }
  return deals;
}

/** One write at its instant. */
interface Op {
  at: number;
  order: number;
  run: () => Promise<void>;
}

export async function seedKpiHistory(s: Services, ctx: CallContext, input: HistoryInput): Promise<HistoryCounts> {
  const today = Math.floor(s.clock.now().getTime() / DAY) * DAY;
  const plans = planHistory(input.seed, today, input.reps.length);
  const workflow = await s.store.workflows.getWorkflowByKey(ctx.workspaceId, SPEED_TO_LEAD);
  const versions = workflow ? await s.store.workflows.listVersions(ctx.workspaceId, workflow.id) : [];
  const live = (v: number) => versions.find((x) => x.version === v && x.publishedAt !== null);
  const speed = workflow && live(1) && live(2) ? workflow : undefined;

  const clock = new SimulatedClock(new Date(plans[0]?.at ?? today));
  const ids = seededIdGenerator(input.seed ^ 0x4b5049, () => clock.now().getTime());
  const past = buildServices(s.store, clock, ids);
  const person = (id: string, role: "rep" | "manager" = "rep"): CallContext => ({ ...ctx, role, actor: { kind: "person", id } });
  const asWorkflow: CallContext | undefined = speed
    ? { ...ctx, role: "admin", actor: { kind: "workflow", id: speed.id }, depth: 1 }
    : undefined;
  const rep = (team: number, k: number) => (input.reps[team * 5 + (k % 5)] as StoredRecord).id;
  const repOf = (ref: string) => (input.reps[Number(ref.slice(4))] as StoredRecord).id;

  const ops: Op[] = [];
  const runs: RunRow[] = [];
  const counts: HistoryCounts = { leads: 0, deals: 0, activities: 0, tasks: 0, runs: 0, tickets: 0 };
  let order = 0;
  const at = (ms: number, run: () => Promise<void>) => {
    if (ms < today) ops.push({ at: ms, order: order++, run });
  };

  plans.forEach((p, n) => {
    const lead: { id?: string; owner?: string; task?: string; runId?: string } = {};
    const handled = speed !== undefined && asWorkflow !== undefined && p.version !== null;
    at(p.at, async () => {
      const owner = p.ownerAtCreation ? repOf(p.ownerAtCreation) : undefined;
      const [created] = await past.writer.createMany(ctx, "lead", [{ ...p.row, ...(owner ? { owner_id: owner } : {}) }], { max: 1 });
      lead.id = (created as StoredRecord).id;
      lead.owner = owner;
      counts.leads += 1;
      if (handled) lead.runId = ids.next();
    });
    if (handled && speed && asWorkflow) {
      const v = p.version as 1 | 2;
      if (!p.failed) {
        // The run's first two steps, as the workflow: an owner from the queue, the P1 call task.
        at(p.at + 2_000, async () => {
          lead.owner = rep(p.team, n);
          await past.writer.updateMany(asWorkflow, "lead", [{ id: lead.id as string, fields: { owner_id: lead.owner } }]);
          const [task] = await past.writer.createMany(
            asWorkflow,
            "task",
            [
              {
                subject: `Call within 5 min: ${p.row.first_name} ${p.row.last_name}`,
                priority: "P1",
                status: "open",
                due_at: new Date(p.at + 5 * MINUTE).toISOString(),
                owner_id: lead.owner,
                related_id: lead.id,
              },
            ],
            { max: 1 },
          );
          lead.task = (task as StoredRecord).id;
          counts.tasks += 1;
        });
        // Nobody called within the wait: the next rep of the team.
        const slipped = p.answeredAfter === null || p.answeredAfter > WAIT_MINUTES;
        if (slipped)
          at(p.at + WAIT_MINUTES * MINUTE, async () => {
            lead.owner = rep(p.team, n + 1);
            await past.writer.updateMany(asWorkflow, "lead", [{ id: lead.id as string, fields: { owner_id: lead.owner } }]);
          });
        const endAt = slipped ? p.at + WAIT_MINUTES * MINUTE : p.at + (p.answeredAfter as number) * MINUTE;
        at(endAt, async () => {
          runs.push(
            historyRun(ctx.workspaceId, speed.id, v, lead, p.at, endAt, slipped ? "completed" : "exited", {
              reason: slipped ? `nobody called within ${WAIT_MINUTES} minutes: moved to the next rep` : "goal met: a call was logged",
            }),
          );
        });
      } else {
        at(p.at + 2_000, async () => {
          runs.push(
            historyRun(ctx.workspaceId, speed.id, v, lead, p.at, p.at + 2_000, "failed", {
              reason: "assign: queue Inbound reps had nobody eligible and no fallback",
            }),
          );
        });
      }
    }
    // A lead nobody owns waits for a team lead to hand it out.
    const byHand = p.assignedAfter ?? (p.failed ? Math.min(45, Math.max(1, (p.answeredAfter ?? 600) - 5)) : null);
    if (byHand !== null)
      at(p.at + byHand * MINUTE, async () => {
        lead.owner = rep(p.team, n);
        const teamLead = (input.teamLeads[p.team] as StoredRecord).id;
        await past.writer.updateMany(person(teamLead, "manager"), "lead", [{ id: lead.id as string, fields: { owner_id: lead.owner } }]);
      });
    if (p.answeredAfter === null) return;
    const answeredAt = p.at + p.answeredAfter * MINUTE;
    at(answeredAt + MINUTE, async () => {
      const owner = lead.owner ?? rep(p.team, n);
      await past.writer.createMany(
        person(owner),
        "activity",
        [
          {
            type: "call",
            subject: "First call",
            occurred_at: new Date(answeredAt).toISOString(),
            user_id: owner,
            related_id: lead.id,
            duration_minutes: 5 + (n % 20),
          },
        ],
        { max: 1 },
      );
      counts.activities += 1;
      await past.writer.updateMany(person(owner), "lead", [{ id: lead.id as string, fields: { status: "working" } }]);
      if (lead.task) await past.writer.updateMany(person(owner), "task", [{ id: lead.task, fields: { status: "done" } }]);
    });
    at(answeredAt + p.finalAfterDays * DAY, async () => {
      await past.writer.updateMany(person(lead.owner ?? rep(p.team, n)), "lead", [
        { id: lead.id as string, fields: { status: p.finalStatus } },
      ]);
    });
  });

  const deals = planDeals(input.seed, today);
  const handoffs = planHandoffs(input.seed, deals.filter((d) => d.won).length);
  let won = 0;
  deals.forEach((p, n) => {
    const deal: { id?: string } = {};
    const owner = rep(p.team, n);
    const company = input.companies[(n * 11) % input.companies.length] as StoredRecord;
    const contact = input.contacts[(n * 11) % input.contacts.length] as StoredRecord;
    at(p.at, async () => {
      const [created] = await past.writer.createMany(
        person(owner),
        "deal",
        [{ name: p.name, stage: "qualification", amount: p.amount, owner_id: owner, company_id: company.id, contact_id: contact.id }],
        { max: 1 },
      );
      deal.id = (created as StoredRecord).id;
      counts.deals += 1;
    });
    const [discovery, proposal, close] = p.moves;
    const move = (days: number, fields: Record<string, unknown>) =>
      at(p.at + days * DAY, async () => {
        await past.writer.updateMany(person(owner), "deal", [{ id: deal.id as string, fields }]);
      });
    move(discovery, { stage: "discovery" });
    move(proposal, { stage: "proposal", budget_confirmed: true });
    move(close, { stage: p.won ? "closed_won" : "closed_lost" });
    const handoff = p.won ? handoffs[won++] : undefined;
    if (!handoff || handoff.ticketAfterMin === null) return;
    // The owner opens the onboarding ticket by hand; a team lead assigns it, in time or not.
    const ticket: { id?: string } = {};
    const opened = p.at + close * DAY + handoff.ticketAfterMin * MINUTE;
    at(opened, async () => {
      const [created] = await past.writer.createMany(
        person(owner),
        "ticket",
        [
          {
            subject: `Onboarding: ${p.name}`,
            category: "onboarding",
            priority: "P2",
            status: "open",
            company_id: company.id,
            ...(handoff.contact ? { contact_id: contact.id } : {}),
          },
        ],
        { max: 1 },
      );
      ticket.id = (created as StoredRecord).id;
      counts.tickets += 1;
    });
    if (handoff.assignAfterHours !== null) {
      at(opened + handoff.assignAfterHours * HOUR, async () => {
        const teamLead = (input.teamLeads[p.team] as StoredRecord).id;
        await past.writer.updateMany(person(teamLead, "manager"), "ticket", [{ id: ticket.id as string, fields: { assignee_id: owner } }]);
      });
    }
  });

  // P1 outages, resolved by their assignee; their SLA clocks are written as ended clocks in settle().
  const p1 = await s.store.sla.getSlaPolicy(ctx.workspaceId, P1_POLICY);
  const aroundTheClock = await s.store.calendars.getCalendar(ctx.workspaceId, AROUND_THE_CLOCK_CALENDAR);
  const clocks: Array<ReturnType<typeof outageClock>> = [];
  planOutages(input.seed, today).forEach((o, n) => {
    const outage: { id?: string } = {};
    const assignee = rep(o.team, n + 2);
    const company = input.companies[(n * 17 + 3) % input.companies.length] as StoredRecord;
    const contact = input.contacts[(n * 17 + 3) % input.contacts.length] as StoredRecord;
    at(o.at, async () => {
      const [created] = await past.writer.createMany(
        person(assignee),
        "ticket",
        [
          {
            subject: o.subject,
            priority: "P1",
            status: "open",
            category: "outage",
            company_id: company.id,
            contact_id: contact.id,
            assignee_id: assignee,
          },
        ],
        { max: 1 },
      );
      outage.id = (created as StoredRecord).id;
      counts.tickets += 1;
      if (p1)
        clocks.push(
          outageClock(
            {
              workspaceId: ctx.workspaceId,
              clockId: ids.next(),
              policyId: p1.id,
              policyVersion: p1.version,
              ticketId: outage.id,
              calendar: { ref: { name: AROUND_THE_CLOCK_CALENDAR }, id: aroundTheClock?.id ?? null, name: aroundTheClock?.name ?? null },
            },
            o.at,
            o.resolvedAfterMin,
          ),
        );
    });
    at(o.at + o.resolvedAfterMin * MINUTE, async () => {
      await past.writer.updateMany(person(assignee), "ticket", [{ id: outage.id as string, fields: { status: "resolved" } }]);
    });
  });

  ops.sort((a, b) => a.at - b.at || a.order - b.order);
  // History is not news: this process's worker (a test's, running beside the seed) is held
  // while it is written, and the matcher's cursor then moves past it. (`serve --demo` seeds
  // before it starts any worker.)
  /** Speed-to-lead's runs over the history, and its versions live when the history says. */
  const settle = () =>
    s.store.transaction(async (tx) => {
      if (runs.length > 0) await tx.runs.insertRuns(runs);
      for (const c of clocks) {
        await tx.sla.insertSlaClock(c.row);
        await tx.sla.appendSlaClockHistory(c.history);
      }
      // The versions went live when the history says they did.
      if (speed) {
        for (const [version, daysAgo] of [
          [1, SPEED_TO_LEAD_LIVE.v1],
          [2, SPEED_TO_LEAD_LIVE.v2],
        ] as const) {
          const row = live(version);
          if (row)
            await tx.workflows.upsertVersion({
              ...row,
              createdAt: iso(today - (daysAgo + 1) * DAY),
              publishedAt: iso(today - daysAgo * DAY),
            });
        }
      }
    });

  const held = [s.worker, ...(input.hold ? [input.hold] : [])].filter((w) => w.isRunning);
  for (const w of held) await w.stop();
  try {
    // Everything live is matched first: the cursor then moves past the history alone.
    await s.worker.drain();
    for (const op of ops) {
      clock.advance(op.at - clock.now().getTime());
      await op.run();
    }
    await s.worker.skipToNewestEvent();
    await settle();
  } finally {
    for (const w of held) w.start();
  }
  counts.runs = runs.length;
  return counts;
}

const iso = (ms: number) => new Date(ms).toISOString();

function historyRun(
  workspaceId: string,
  workflowId: string,
  version: number,
  lead: { id?: string; runId?: string },
  startedAt: number,
  endedAt: number,
  status: "completed" | "exited" | "failed",
  why: { reason: string },
): RunRow {
  const reason = `${why.reason} (seeded history: its step log is not kept)`;
  const state: RunState =
    status === "failed"
      ? { status, step: "assign", wait: null, reason, stepsTaken: 1 }
      : status === "exited"
        ? { status, step: "wait-for-call", wait: null, reason, stepsTaken: 3 }
        : { status, step: null, wait: null, reason, stepsTaken: 5 };
  return {
    workspaceId,
    id: lead.runId as string,
    workflowId,
    version,
    recordId: lead.id as string,
    triggerKey: `history:${lead.id}`,
    state,
    seq: 0,
    depth: 1,
    createdAt: iso(startedAt),
    updatedAt: iso(endedAt),
    finishedAt: iso(endedAt),
  };
}
