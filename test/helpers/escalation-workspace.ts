/**
 * A demo-like workspace where each of the five escalation templates (recipes/escalation-*.json,
 * docs/sla.md "Escalation templates") escalates one record, over real HTTP with the worker on a
 * server whose clock a test moves (SimClock below). Shared by the HTTP test on both stores and the
 * Chromium test that reads the escalations on the records' timelines.
 *
 * Set up like the demo (src/seed/demo.ts): its calendars and SLA policies (seedCalendars,
 * seedSlaPolicies), its four teams with a lead (the reps' manager), five reps each and an on-call
 * rotation of the reps from this week's Monday, its queues (seedQueues, "Inbound reps" among
 * them). The templates and the retention playbook are installed from the gallery API.
 *
 * How time is driven, legitimately, through the server's clock only:
 * - stuck deal: the deal is created while the clock reads 14 days ago less 3 s, so Handoff itself
 *   writes its `stage_entered_at` then; 14 days later is 5 s from now. The worker pauses while
 *   the clock is back and the deal's events are drained on it.
 * - overdue task: `due_at` is an ordinary field: 48 h ago less 5 s.
 * - at-risk renewal: its instant (60 days before the contract's end, 09:00 in the workspace's
 *   zone) is already past, as for the renewals a workspace has when it installs the template:
 *   publishing with backfill enrolls it (docs/sla.md: the demo installs them so).
 * - stale lead and P1 breach: the SLA clocks start now; then the clock moves to a weekday 15:00
 *   in New York at least four days ahead (well past 8 business hours and 4 hours), and SLA
 *   milestones fall due by the services' clock (`slaDueByServiceClock`, as in
 *   test/runtime/sla-clocks.test.ts).
 */
import { hashPassword } from "../../src/app/auth/passwords.js";
import { systemContext } from "../../src/app/context.js";
import type { Clock } from "../../src/app/ports.js";
import { onCallAt } from "../../src/crm/on-call.js";
import { seedCalendars, TEAM_CALENDARS } from "../../src/seed/demo-calendars.js";
import { TEAMS } from "../../src/seed/demo-data.js";
import { seedQueues } from "../../src/seed/demo-routing.js";
import { seedSlaPolicies } from "../../src/seed/demo-sla.js";
import type { StoredRecord } from "../../src/store/ports.js";
import { eventually } from "./eventually.js";
import type { TestServer } from "./server.js";

type Json = Record<string, any>;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONE = "America/New_York";

/** The real clock plus an offset the test moves. */
export class SimClock implements Clock {
  offset = 0;
  now = () => new Date(Date.now() + this.offset);
  /** Reads `ms` now (and runs on from there). */
  setTo(ms: number) {
    this.offset = ms - Date.now();
  }
  reset() {
    this.offset = 0;
  }
}

export const ESCALATION_TEMPLATES = [
  "escalation-stuck-deal",
  "escalation-overdue-task",
  "escalation-at-risk-renewal",
  "escalation-stale-lead",
  "escalation-p1-breach",
] as const;

export const DEMO_LIKE_PASSWORD = "escalations-test-password";

export interface EscalationWorld {
  workspaceId: string;
  /** The workspace admin's token. */
  token: string;
  /** Email of the admin (password DEMO_LIKE_PASSWORD), for signing in. */
  adminEmail: string;
  /** Workflow ids by recipe key. */
  workflows: Record<string, string>;
  teams: StoredRecord[];
  managers: StoredRecord[];
  reps: StoredRecord[];
  records: { stuckDeal: Json; overdueTask: Json; renewal: Json; staleLead: Json; p1: Json };
  /** The instant the clock was moved to for the SLA breaches. */
  slaInstant: number;
}

const ymd = (ms: number, zone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(ms);

/** Epoch ms of a wall time in New York (by trying both offsets the zone has). */
function newYorkInstant(date: string, hhmm: string): number {
  for (const off of ["-05:00", "-04:00"]) {
    const ms = Date.parse(`${date}T${hhmm}:00${off}`);
    const wall = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(ms);
    if (wall === hhmm) return ms;
  }
  throw new Error(`no ${hhmm} on ${date} in ${ZONE}`);
}

/** A weekday's 15:00 in New York at least four days from now. */
function weekdayAfternoonAhead(): number {
  for (let d = 4; ; d++) {
    const date = ymd(Date.now() + d * DAY, ZONE);
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday >= 1 && weekday <= 5) return newYorkInstant(date, "15:00");
  }
}

export async function buildEscalationWorld(s: TestServer, clock: SimClock): Promise<EscalationWorld> {
  const svc = s.services;
  const workspace = await svc.workspaces.create("demo-like", "Demo-like Inc.", ZONE);
  const ctx = systemContext(workspace.id, "seed");
  const token = (await svc.tokens.create(workspace.id, "escalations test", "admin")).secret;
  const json = (path: string, init: RequestInit & { json?: unknown } = {}) => s.json(path, { ...init, as: token });
  const post = (path: string, body: unknown) => json(path, { method: "POST", json: body });

  // Like the demo: calendars, SLA policies, teams with a lead, reps, on-call rotations, queues.
  await seedCalendars(svc, ctx, workspace);
  await seedSlaPolicies(svc, ctx);
  const teams = await svc.writer.createMany(
    ctx,
    "team",
    TEAMS.map((t) => ({
      name: t.name,
      territories: [...t.territories],
      time_zone: t.timeZone,
      ...(TEAM_CALENDARS[t.name] ? { calendar: TEAM_CALENDARS[t.name] } : {}),
    })),
  );
  const hours = {
    mon: [["09:00", "17:00"]],
    tue: [["09:00", "17:00"]],
    wed: [["09:00", "17:00"]],
    thu: [["09:00", "17:00"]],
    fri: [["09:00", "16:00"]],
  };
  const managers = await svc.writer.createMany(
    ctx,
    "user",
    TEAMS.map((t, i) => ({
      name: `${t.name} Lead`,
      email: `lead${i + 1}@demo-like.test`,
      role: "manager",
      team_id: teams[i]?.id,
      time_zone: t.timeZone,
      working_hours: hours,
    })),
  );
  const reps = await svc.writer.createMany(
    ctx,
    "user",
    TEAMS.flatMap((t, ti) =>
      Array.from({ length: 5 }, (_, k) => ({
        name: `${t.name} Rep ${k + 1}`,
        email: `rep${ti * 5 + k + 1}@demo-like.test`,
        role: "rep",
        team_id: teams[ti]?.id,
        manager_id: managers[ti]?.id,
        time_zone: t.timeZone,
        working_hours: hours,
      })),
    ),
  );
  const today = Math.floor(Date.now() / DAY) * DAY;
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
  await svc.writer.updateMany(
    ctx,
    "team",
    teams.map((t, ti) => ({
      id: t.id,
      fields: {
        lead_id: managers[ti]?.id,
        on_call: { members: reps.slice(ti * 5, ti * 5 + 5).map((r) => r.id), starts: ymd(monday, "UTC"), handover: "09:00" },
      },
    })),
  );
  await seedQueues(svc, ctx, { leads: managers, reps });
  const [admin] = await svc.writer.createMany(ctx, "user", [
    { name: "Demo-like Admin", email: "admin@demo-like.test", role: "admin", time_zone: ZONE },
  ]);
  const hash = await hashPassword(DEMO_LIKE_PASSWORD);
  await svc.store.transaction(async (tx) => {
    for (const u of [admin, ...managers, ...reps])
      if (u) await tx.credentials.setPasswordHash(workspace.id, u.id, hash, new Date().toISOString());
  });

  const eastRep = (k: number) => reps[k] as StoredRecord;
  // The worker pauses while the clock is moved, so that each record's events are matched on the
  // clock they were written on (drained below), not whenever the worker's loop comes to them.
  await svc.worker.stop();

  // Stuck deal: in "proposal" since 14 days ago less 5 s (Handoff writes stage_entered_at).
  clock.setTo(Date.now() - 14 * DAY + 5_000);
  const stuckDeal = await post("/api/v1/deals", { name: "Globex — Expansion", stage: "proposal", amount: 48_000, owner_id: eastRep(0).id });
  await svc.worker.drain();
  clock.reset();

  // At-risk renewal: won, the contract ends 59 days from today in New York — its instant (60 days
  // before, 09:00) was yesterday — and no activity ever. A workspace installing the template finds
  // such renewals already inside the window: publishing with backfill enrolls them (as the demo does).
  const contractEnd = ymd(Date.parse(`${ymd(Date.now(), ZONE)}T12:00:00Z`) + 59 * DAY, "UTC");
  const renewal = await post("/api/v1/deals", {
    name: "Initech — Renewal",
    stage: "closed_won",
    amount: 120_000,
    contract_end_date: contractEnd,
    owner_id: eastRep(2).id,
  });
  await svc.worker.drain();

  // The gallery: the playbook the at-risk renewal starts, then the five templates, published
  // (the at-risk renewal with backfill).
  const workflows: Record<string, string> = {};
  for (const key of ["retention-playbook", ...ESCALATION_TEMPLATES]) {
    const backfill = key === "escalation-at-risk-renewal";
    const installed = await post(`/api/v1/recipes/${key}/install`, { publish: !backfill });
    workflows[key] = installed.workflow.id;
    if (backfill) {
      const published = await post(`/api/v1/workflows/${installed.workflow.id}/publish`, { backfill: true });
      if (published.backfilled !== 1) throw new Error(`${key} backfilled ${published.backfilled}`);
    } else if (installed.workflow.live_version !== 1) throw new Error(`${key} was not published: ${JSON.stringify(installed)}`);
  }
  svc.worker.start();

  // Overdue task: due 48 h ago less 5 s, still open.
  const overdueTask = await post("/api/v1/tasks", {
    subject: "Send the signed order form",
    due_at: new Date(Date.now() - 48 * HOUR + 5_000).toISOString(),
    status: "open",
    priority: "P3",
    owner_id: eastRep(1).id,
  });

  // Stale lead: assigned to a rep now, never contacted. P1 ticket: opened now, left open.
  const staleLead = await post("/api/v1/leads", {
    first_name: "Wanda",
    last_name: "Waiting",
    email: "wanda@stale.example.org",
    status: "new",
    owner_id: eastRep(3).id,
  });
  // The ticket's assignee is one of the Americas East reps who will not be on call when it breaches,
  // so that paging the on-call person cannot be mistaken for telling the assignee.
  const slaInstant = weekdayAfternoonAhead();
  const rotation = { members: reps.slice(0, 5).map((r) => r.id), starts: ymd(monday, "UTC"), handover: "09:00" };
  const onCall = onCallAt(rotation, TEAMS[0]?.timeZone ?? ZONE, slaInstant)?.userId;
  const assignee = reps.slice(0, 5).find((r) => r.id !== onCall) as StoredRecord;
  const p1 = await post("/api/v1/tickets", { subject: "Checkout is down", priority: "P1", status: "open", assignee_id: assignee.id });
  await eventually("the SLA clocks started", async () => {
    const [a, b] = await Promise.all([json(`/api/v1/leads/${staleLead.id}/sla`), json(`/api/v1/tickets/${p1.id}/sla`)]);
    const names = (x: Json) => ((x.data ?? x.clocks ?? []) as Json[]).map((c) => c.policy?.name ?? c.policy_name ?? c.policy);
    return names(a).includes("Lead first contact") && names(b).includes("P1 resolution") ? true : undefined;
  });

  // The relative-date escalations fall due on the real clock (within seconds).
  await eventually(
    "the stuck deal, overdue task and at-risk renewal escalated",
    async () => {
      const runs = await Promise.all(
        (["escalation-stuck-deal", "escalation-overdue-task", "escalation-at-risk-renewal"] as const).map(
          async (k) =>
            ((await json(`/api/v1/runs?workflow_id=${workflows[k]}`)).data as Json[]).filter((r) => r.status === "completed").length,
        ),
      );
      const playbook = ((await json(`/api/v1/runs?workflow_id=${workflows["retention-playbook"]}`)).data as Json[]).filter(
        (r) => r.status === "waiting",
      ).length;
      return runs.every((n) => n > 0) && playbook > 0 ? true : undefined;
    },
    30_000,
  );

  // Time passes: days later, a weekday afternoon in New York.
  clock.setTo(slaInstant);
  await eventually(
    "the stale lead and the P1 breach escalated",
    async () => {
      const runs = await Promise.all(
        (["escalation-stale-lead", "escalation-p1-breach"] as const).map(
          async (k) =>
            ((await json(`/api/v1/runs?workflow_id=${workflows[k]}`)).data as Json[]).filter((r) => r.status === "completed").length,
        ),
      );
      return runs.every((n) => n > 0) ? true : undefined;
    },
    30_000,
  );

  return {
    workspaceId: workspace.id,
    token,
    adminEmail: "admin@demo-like.test",
    workflows,
    teams,
    managers,
    reps,
    records: { stuckDeal, overdueTask, renewal, staleLead, p1 },
    slaInstant,
  };
}
