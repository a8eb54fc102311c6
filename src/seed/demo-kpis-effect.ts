/**
 * The demo history's effectiveness (issue 22; docs/kpis.md "The demo"), planned here and written
 * by demo-kpis.ts with the rest of the history:
 * - **Onboarding handoffs**: each won history deal's owner opens an onboarding ticket with the
 *   deal's company minutes after the win (the onboarding-kickoff recipe was not live yet); a team
 *   lead assigns it — most within a few days, some a week late, a few never — and one in ten
 *   never gets the contact, one in ten no ticket at all.
 * - **Escalations**: a P1 outage ticket every few days, on the "P1 resolution" policy (4 hours
 *   around the clock, warned 30 minutes before, level 2 an hour after the breach): most resolved before the target, some
 *   after the breach but before level 2, some after level 2 within its day, a few days later.
 *   Their SLA clocks are written as ended clocks with their history (as speed-to-lead's runs are
 *   written as ended runs): the trigger matcher is moved past the history, so no clock starts on it.
 * Pure and seeded, with its own random stream, so the leads and deals planned before do not move.
 */
import type { SlaClockCalendar, SlaClockEvent, SlaClockRow } from "../store/sla-ports.js";
import { TEAMS } from "./demo-data.js";
import { Random } from "./random.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface HandoffPlan {
  /** Minutes after the win the owner opens the ticket; null: no ticket. */
  ticketAfterMin: number | null;
  /** Whether the ticket carries the deal's contact (never filled in later when not). */
  contact: boolean;
  /** Hours after the ticket opened a team lead assigns it; null: never. */
  assignAfterHours: number | null;
}

/** One handoff per won deal, in the deals' order. */
export function planHandoffs(seed: number, wonDeals: number): HandoffPlan[] {
  const rnd = new Random(seed ^ 0x6f6e_6264);
  return Array.from({ length: wonDeals }, () => {
    const r = rnd.next();
    if (r < 0.1) return { ticketAfterMin: null, contact: false, assignAfterHours: null };
    const ticketAfterMin = rnd.int(2, 90);
    if (r < 0.2) return { ticketAfterMin, contact: false, assignAfterHours: rnd.int(2, 30) };
    if (r < 0.25) return { ticketAfterMin, contact: true, assignAfterHours: null };
    const late = rnd.chance(0.25);
    return { ticketAfterMin, contact: true, assignAfterHours: late ? rnd.int(4 * 24, 9 * 24) : rnd.int(1, 60) };
  });
}

/** The P1 resolution policy's plan, as demo-sla.ts writes it: 4 hours, level 2 an hour after the breach. */
export const P1_PLAN = { targetMs: 4 * HOUR, escalationsAfterMs: [1 * HOUR] } as const;

export interface OutagePlan {
  at: number;
  team: number;
  subject: string;
  /** Minutes from opening to resolution. */
  resolvedAfterMin: number;
}

/** A P1 outage every 2 to 5 days between 118 and 10 days ago. */
export function planOutages(seed: number, today: number): OutagePlan[] {
  const rnd = new Random(seed ^ 0x7031_6f75);
  const out: OutagePlan[] = [];
  for (let d = 118; d > 10; d -= rnd.int(2, 5)) {
    const r = rnd.next();
    // Met; breached and resolved before level 2 (at 5 h); after level 2 within its day (by 29 h); later.
    const resolvedAfterMin =
      r < 0.45 ? rnd.int(30, 230) : r < 0.75 ? rnd.int(245, 295) : r < 0.9 ? rnd.int(310, 1_700) : rnd.int(1_800, 4_000);
    out.push({
      at: today - d * DAY + rnd.int(6 * 60, 20 * 60) * MINUTE,
      team: rnd.int(0, TEAMS.length - 1),
      subject: `Outage: ${rnd.pick(["API returns 500", "Login down", "Sync stalled", "Webhooks not delivered"])} (H${out.length + 1})`,
      resolvedAfterMin,
    });
  }
  return out;
}

/** An outage's ended clock on the P1 policy and its history: started, breached and level 2 when due, stopped at the resolution. */
export function outageClock(
  o: { workspaceId: string; clockId: string; policyId: string; policyVersion: number; ticketId: string; calendar: SlaClockCalendar },
  openedAt: number,
  resolvedAfterMin: number,
): { row: SlaClockRow; history: SlaClockEvent[] } {
  const iso = (ms: number) => new Date(ms).toISOString();
  const consumed = resolvedAfterMin * MINUTE;
  const stoppedAt = openedAt + consumed;
  const steps: Array<[SlaClockEvent["kind"], number, Record<string, unknown>]> = [
    [
      "started",
      openedAt,
      { policy_version: o.policyVersion, target_ms: P1_PLAN.targetMs, calendar: { id: o.calendar.id, name: o.calendar.name } },
    ],
  ];
  const fired: string[] = [];
  const milestones = [
    { key: "warning", kind: "warned" as const, level: 0, at: P1_PLAN.targetMs - 30 * MINUTE },
    { key: "breach", kind: "breached" as const, level: 1, at: P1_PLAN.targetMs },
    { key: "level:2", kind: "escalated" as const, level: 2, at: P1_PLAN.targetMs + (P1_PLAN.escalationsAfterMs[0] as number) },
  ];
  for (const m of milestones)
    if (consumed > m.at) {
      fired.push(m.key);
      steps.push([
        m.kind,
        openedAt + m.at,
        m.level === 0
          ? { milestone: m.key, due_at: iso(openedAt + m.at) }
          : { milestone: m.key, level: m.level, due_at: iso(openedAt + m.at), late_ms: 0 },
      ]);
    }
  steps.push([
    "stopped",
    stoppedAt,
    {
      outcome: consumed > P1_PLAN.targetMs ? "missed" : "met",
      why: "status is resolved (seeded history)",
      consumed_ms: consumed,
      target_ms: P1_PLAN.targetMs,
    },
  ]);
  return {
    row: {
      workspaceId: o.workspaceId,
      id: o.clockId,
      policyId: o.policyId,
      policyVersion: o.policyVersion,
      recordId: o.ticketId,
      phase: "stopped",
      plan: { targetMs: P1_PLAN.targetMs, escalationsAfterMs: [...P1_PLAN.escalationsAfterMs] },
      calendar: o.calendar,
      consumedMs: consumed,
      since: iso(stoppedAt),
      startedAt: iso(openedAt),
      stoppedAt: iso(stoppedAt),
      fired,
      nextDueAt: null,
      version: steps.length,
    },
    history: steps.map(([kind, at, detail], i) => ({
      workspaceId: o.workspaceId,
      clockId: o.clockId,
      seq: i + 1,
      at: iso(at),
      kind,
      detail,
    })),
  };
}
