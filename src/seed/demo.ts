/**
 * The deterministic demo workspace: two business calendars (demo-calendars.ts), 4 teams with territories and time zones, 20 reps and their
 * 4 team leads, 1,000 companies, 5,000 contacts, 300 leads, 800 deals across stages, 400 tickets,
 * 300 tasks and activities over the past 120 days. Same seed and day → same records and ids.
 * Every record goes through the record writer, so it is validated, audited and evented like any other.
 * Last, the ready recipes are installed (recipes.ts): published when this release can run them,
 * drafts otherwise. Publishing after the records means the seeded records do not enroll. The
 * hosted form contact-sales (demo-form.ts) feeds new leads into speed-to-lead.
 */

import { hashPassword } from "../app/auth/passwords.js";
import { type CallContext, systemContext } from "../app/context.js";
import { seededIdGenerator } from "../app/ports.js";
import { readRecipes } from "../app/recipes/recipe-files.js";
import { buildServices, type Services } from "../composition/root.js";
import type { ObjectName } from "../crm/fields.js";
import { DEAL_STAGES, PRIORITIES } from "../crm/objects.js";
import type { StoredRecord, Workspace } from "../store/ports.js";
import { DEMO_TICKETS, demoTicketTexts, SUBJECT_DRAWS, seedAi } from "./demo-ai.js";
import { DISCOUNT_APPROVAL, seedApprovals } from "./demo-approvals.js";
import { seedCalendars, TEAM_CALENDARS } from "./demo-calendars.js";
import { seedConversions } from "./demo-conversion.js";
import { COMPANY_SUFFIX, COMPANY_WORDS, FIRST_NAMES, INDUSTRIES, LAST_NAMES, LEAD_SOURCES, TEAMS, TICKET_CATEGORIES } from "./demo-data.js";
import { seedDataQuality } from "./demo-data-quality.js";
import { type DemoDuplicates, seedDuplicates } from "./demo-duplicates.js";
import { DEMO_SMTP_HOST, demoEmailConnector, demoSmtpPort } from "./demo-email.js";
import { installDemoForm } from "./demo-form.js";
import { SPEED_TO_LEAD, SPEED_TO_LEAD_V2_NOTE, seedKpiHistory, speedToLeadFirstVersion } from "./demo-kpis.js";
import { seedReviewQueue } from "./demo-review-queue.js";
import { seedReviews } from "./demo-reviews.js";
import { seedQueues, seedRuleSet } from "./demo-routing.js";
import { seedScoring } from "./demo-scoring.js";
import { seedSlaPolicies } from "./demo-sla.js";
import { seedTestCases } from "./demo-tests.js";
import type { LabelledTicket } from "./demo-ticket-texts.js";
import { Random } from "./random.js";
import { installRecipes, type RecipeOutcome, recipesDir } from "./recipes.js";

export const DEMO_SLUG = "demo";
/** Every demo user's password (the demo is for trying Handoff out; never use it elsewhere). */
export const DEMO_PASSWORD = "handoff-demo-password";
/** The demo's admin user: the one the first start says to sign in as. */
export const DEMO_ADMIN_EMAIL = "admin@demo.handoff.test";
const DAY = 86_400_000;
const BIG = 100_000;

export interface SeedCounts {
  [object: string]: number;
}

export interface SeedOptions {
  slug?: string;
  seed?: number;
  onStep?: (object: ObjectName, count: number) => void;
  /** Install the ready recipes (default true). */
  recipes?: boolean;
  /** Called for each recipe once it is published or left a draft. */
  onRecipe?: (outcome: RecipeOutcome) => void;
}

export interface SeedResult {
  workspace: Workspace;
  counts: SeedCounts;
  /** What became of each ready recipe (empty when `recipes: false`). */
  recipes: RecipeOutcome[];
  /** The seeded duplicate pairs and the pairs the scan found (demo-duplicates.ts). */
  duplicates: DemoDuplicates;
}

/** Of the demo's 300 leads, how many arrive after the recipes are live (see inboundLeads). */
const INBOUND_LEADS = 6;

/** Leads that fit speed-to-lead (score over 40, more than 10 employees), from the web form, unowned. */
function inboundLeads(rnd: Random): Record<string, unknown>[] {
  return Array.from({ length: INBOUND_LEADS }, (_, i) => {
    const first = rnd.pick(FIRST_NAMES);
    const last = rnd.pick(LAST_NAMES);
    return {
      first_name: first,
      last_name: last,
      email: `${first.toLowerCase()}.${last.toLowerCase()}@inbound${i + 1}.example.org`,
      company_name: `${rnd.pick(COMPANY_WORDS)} ${rnd.pick(COMPANY_SUFFIX)}`,
      employee_count: rnd.pick([25, 60, 300, 1_500]),
      country: rnd.pick(["US", "CA"]),
      source: "web_form",
      score: rnd.int(45, 95),
      status: "new",
    };
  });
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const pad = (n: number, width: number) => String(n).padStart(width, "0");

export async function seedDemo(base: Services, options: SeedOptions = {}): Promise<SeedResult> {
  const seed = options.seed ?? 42;
  const rnd = new Random(seed);
  const today = Math.floor(base.clock.now().getTime() / DAY) * DAY;
  // Ids from a seeded generator anchored on today: the same demo data on every machine.
  const ids = seededIdGenerator(seed, today);
  const s = buildServices(base.store, base.clock, ids);
  const workspace = await s.workspaces.create(options.slug ?? DEMO_SLUG, "Demo Inc.", "America/New_York");
  const ctx = systemContext(workspace.id, "seed");
  // Email tracking on (docs/scoring.md): the speed-to-lead auto-reply in data/mail carries the open
  // pixel and a tracked calendar link; opening it in a mail client records an open on the lead.
  await s.workspaces.updateSettings(ctx, { email_tracking: { opens: true, clicks: true } });
  const counts: SeedCounts = {};
  const create = async (object: ObjectName, rows: Record<string, unknown>[]) => {
    const created = await s.writer.createMany(ctx, object, rows, { max: BIG });
    counts[object] = (counts[object] ?? 0) + created.length;
    options.onStep?.(object, created.length);
    return created;
  };
  const name = () => ({ first_name: rnd.pick(FIRST_NAMES), last_name: rnd.pick(LAST_NAMES) });

  // Calendars first: the EMEA team names one, and SLAs and business-time waits read them.
  await seedCalendars(s, ctx, workspace);
  await seedSlaPolicies(s, ctx);
  const teams = await create(
    "team",
    TEAMS.map((t) => ({
      name: t.name,
      territories: [...t.territories],
      time_zone: t.timeZone,
      ...(TEAM_CALENDARS[t.name] ? { calendar: TEAM_CALENDARS[t.name] } : {}),
    })),
  );
  const workingHours = {
    mon: [["09:00", "17:00"]],
    tue: [["09:00", "17:00"]],
    wed: [["09:00", "17:00"]],
    thu: [["09:00", "17:00"]],
    fri: [["09:00", "16:00"]],
  };
  const leads = await create(
    "user",
    TEAMS.map((t, i) => ({
      name: `${t.name} Lead`,
      email: `lead${i + 1}@demo.handoff.test`,
      role: "manager",
      team_id: teams[i]?.id,
      time_zone: t.timeZone,
      working_hours: workingHours,
      capacity: 20,
      // The after-hours desk takes speed-to-lead's leads at night: its auto-reply offers this.
      calendar_link: `https://cal.demo.handoff.test/lead${i + 1}`,
    })),
  );
  await s.writer.updateMany(
    ctx,
    "team",
    teams.map((t, i) => ({ id: t.id, fields: { lead_id: leads[i]?.id } })),
  );
  const repRows = TEAMS.flatMap((t, ti) =>
    Array.from({ length: 5 }, (_, k) => {
      const n = name();
      const pto = rnd.chance(0.15) ? [{ start: iso(today + 2 * DAY), end: iso(today + 9 * DAY) }] : [];
      return {
        name: `${n.first_name} ${n.last_name}`,
        email: `rep${ti * 5 + k + 1}@demo.handoff.test`,
        role: "rep",
        team_id: teams[ti]?.id,
        manager_id: leads[ti]?.id,
        time_zone: t.timeZone,
        territories: [t.territories[k % t.territories.length]],
        working_hours: workingHours,
        pto,
        capacity: rnd.int(15, 40),
        calendar_link: `https://cal.demo.handoff.test/rep${ti * 5 + k + 1}`,
      };
    }),
  );
  const reps = await create("user", repRows);
  const repsOfTeam = (ti: number) => reps.slice(ti * 5, ti * 5 + 5);
  // Each team's reps take the on-call week in turn from this week's Monday (docs/sla.md,
  // "On-call"): an escalation that pages `on_call_of` reaches one of them.
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
  await s.writer.updateMany(
    ctx,
    "team",
    teams.map((t, ti) => ({
      id: t.id,
      fields: { on_call: { members: repsOfTeam(ti).map((r) => r.id), starts: isoDate(monday), handover: "09:00" } },
    })),
  );

  const companyRows = Array.from({ length: 1_000 }, (_, i) => {
    const ti = rnd.int(0, TEAMS.length - 1);
    const team = TEAMS[ti] ?? TEAMS[0];
    const word = rnd.pick(COMPANY_WORDS);
    return {
      name: `${word} ${rnd.pick(COMPANY_SUFFIX)} ${pad(i + 1, 4)}`,
      domain: `${word.toLowerCase()}${i + 1}.example.com`,
      industry: rnd.pick(INDUSTRIES),
      employee_count: rnd.pick([5, 12, 40, 120, 600, 2_500, 12_000]),
      annual_revenue: rnd.int(2, 5_000) * 100_000,
      country: rnd.pick(team.countries),
      region: rnd.pick(team.territories),
      owner_id: rnd.pick(repsOfTeam(ti)).id,
      _team: ti,
    };
  });
  const companies = await create(
    "company",
    companyRows.map(({ _team, ...row }) => row),
  );
  const teamOfCompany = new Map(companies.map((c, i) => [c.id, companyRows[i]?._team ?? 0]));

  const contacts = await create(
    "contact",
    Array.from({ length: 5_000 }, (_, i) => {
      const company = companies[i % companies.length] as StoredRecord;
      const n = name();
      const team = TEAMS[teamOfCompany.get(company.id) ?? 0] ?? TEAMS[0];
      return {
        ...n,
        email: `${n.first_name.toLowerCase()}.${n.last_name.toLowerCase()}.${i + 1}@${company.data.domain}`,
        phone: `${team.phone}${pad(i % 10_000, 4)}`,
        title: rnd.pick(["CEO", "CTO", "VP Sales", "Head of Ops", "Engineer", "Buyer", "Analyst"]),
        lifecycle_stage: rnd.pick(["lead", "marketing_qualified", "sales_qualified", "opportunity", "customer"]),
        source: rnd.pick(LEAD_SOURCES),
        score: rnd.int(0, 100),
        company_id: company.id,
        owner_id: company.data.owner_id,
      };
    }),
  );

  const prospects = await create(
    "lead",
    Array.from({ length: 300 - INBOUND_LEADS }, (_, i) => {
      const n = name();
      const ti = rnd.int(0, TEAMS.length - 1);
      return {
        ...n,
        email: `${n.first_name.toLowerCase()}.${i + 1}@lead${i + 1}.example.org`,
        company_name: `${rnd.pick(COMPANY_WORDS)} ${rnd.pick(COMPANY_SUFFIX)}`,
        employee_count: rnd.pick([3, 8, 25, 60, 300, 1_500]),
        country: rnd.pick(TEAMS[ti]?.countries ?? ["US"]),
        source: rnd.pick(LEAD_SOURCES),
        score: rnd.int(0, 100),
        status: rnd.pick(["new", "working", "nurturing", "qualified", "unqualified"]),
        owner_id: rnd.chance(0.7) ? rnd.pick(repsOfTeam(ti)).id : undefined,
      };
    }),
  );

  const deals = await create(
    "deal",
    Array.from({ length: 800 }, (_, i) => {
      const company = companies[(i * 7) % companies.length] as StoredRecord;
      const stage = rnd.pick(DEAL_STAGES);
      const closeIn = rnd.int(-60, 120);
      return {
        name: `${company.data.name} — ${rnd.pick(["Platform", "Expansion", "Renewal", "Pilot"])}`,
        stage,
        amount: rnd.int(5, 500) * 1_000,
        discount_pct: rnd.pick([0, 0, 5, 10, 15, 25]),
        close_date: isoDate(today + closeIn * DAY),
        contract_end_date: stage === "closed_won" ? isoDate(today + rnd.int(30, 400) * DAY) : undefined,
        company_id: company.id,
        contact_id: contacts[(i * 7) % contacts.length]?.id,
        owner_id: company.data.owner_id,
      };
    }),
  );

  // The helpdesk's history, labelled as triaged (noisy, as any helpdesk's): what the demo's
  // ticket classifier learns from (demo-ai.ts). The random draws of the old fields are kept,
  // so that every record seeded after these stays what it was.
  const texts = demoTicketTexts(seed);
  await create(
    "ticket",
    Array.from({ length: DEMO_TICKETS }, (_, i) => {
      const company = companies[(i * 13) % companies.length] as StoredRecord;
      const status = rnd.pick(["new", "open", "pending", "resolved", "closed"]);
      const text = texts[i] as LabelledTicket;
      rnd.pick(SUBJECT_DRAWS);
      const priority = rnd.pick(PRIORITIES);
      rnd.pick(TICKET_CATEGORIES);
      return {
        subject: text.subject,
        description: text.description,
        priority,
        category: text.category,
        status,
        company_id: company.id,
        contact_id: contacts[(i * 13) % contacts.length]?.id,
        assignee_id: rnd.pick(reps).id,
        first_response_at: status === "new" ? undefined : iso(today - rnd.int(1, 30) * DAY),
      };
    }),
  );

  await create(
    "task",
    Array.from({ length: 300 }, (_, i) => ({
      subject: rnd.pick(["Follow up", "Send proposal", "Schedule demo", "Check renewal", "Call back"]),
      due_at: iso(today + rnd.int(-10, 20) * DAY + 15 * 3_600_000),
      priority: rnd.pick(PRIORITIES),
      status: rnd.pick(["open", "open", "in_progress", "done"]),
      owner_id: rnd.pick(reps).id,
      related_id: deals[i % deals.length]?.id,
    })),
  );

  // Activities oldest first, so that "last activity at" ends on the newest one.
  const activityRows = Array.from({ length: 6_000 }, () => {
    const target = rnd.chance(0.8) ? (rnd.pick(contacts) as StoredRecord) : (rnd.pick(deals) as StoredRecord);
    return {
      type: rnd.pick(["call", "email", "meeting", "note"]),
      subject: rnd.pick(["Intro call", "Pricing email", "Demo", "Check-in", "Notes from QBR"]),
      occurred_at: iso(today - rnd.int(0, 120 * 24) * 3_600_000),
      user_id: target.data.owner_id,
      related_id: target.id,
      duration_minutes: rnd.int(5, 60),
    };
  }).sort((a, b) => a.occurred_at.localeCompare(b.occurred_at));
  for (let i = 0; i < activityRows.length; i += 1_000) await create("activity", activityRows.slice(i, i + 1_000));
  // Leads being worked were last touched 5–75 days ago: those silent for over 30 days are what the
  // re-engagement recipe is for, and it is installed with backfill (below), so that a newcomer
  // sees it run on first start instead of 30 days later.
  const worked = prospects.filter((l) => l.data.status === "working" || l.data.status === "nurturing");
  await create(
    "activity",
    worked.map((l) => ({
      type: "call",
      subject: "Discovery call",
      occurred_at: iso(today - rnd.int(5, 75) * DAY),
      ...(typeof l.data.owner_id === "string" ? { user_id: l.data.owner_id } : {}),
      related_id: l.id,
      duration_minutes: rnd.int(5, 30),
    })),
  );

  // The workspace's `email` connector points at the demo mail catcher that `serve --demo` runs
  // (data/mail): the recipes' emails are real SMTP that never leave the machine.
  await s.connectors.create(ctx, demoEmailConnector({ host: DEMO_SMTP_HOST, port: demoSmtpPort() }));

  // The seed's history is matched before any recipe goes live: a run the backfill starts must not
  // take the seed's old activities for news (the matcher routes an event to the runs under way on
  // its record when it reads it, however late).
  await s.worker.drain();
  // Routing's queues before the recipes: speed-to-lead assigns through one (demo-routing.ts).
  await seedQueues(s, ctx, { leads, reps });
  // Backfilled: time-based recipes enroll the records already past their instant (the demo shows
  // every capability working on first start), paced by the rate cap like any backfill.
  // Speed-to-lead has been live for months (demo-kpis.ts): its first version, without the
  // auto-reply, is published first, so that the recipe as it is now is its second version.
  if (options.recipes !== false) await publishFirstSpeedToLead(s, ctx);
  const recipes =
    options.recipes === false
      ? []
      : await installRecipes(s.workflows, ctx, recipesDir(), { backfill: true, notes: { [SPEED_TO_LEAD]: SPEED_TO_LEAD_V2_NOTE } });
  await installDemoForm(s, ctx);
  // The morning's inbound leads arrive once the recipes are live, so that speed-to-lead runs on
  // first start like it would in a real workspace: owners assigned, P1 call tasks, the auto-reply
  // in the mail catcher, runs waiting for the call — and counts on the builder's canvas.
  const inbound = await create("lead", inboundLeads(rnd));

  // Last, so that every id above stays what it was: an admin to sign in as, and one known
  // password for every demo user (hashed once: the demo's password is public anyway).
  const admins = await create("user", [{ name: "Demo Admin", email: DEMO_ADMIN_EMAIL, role: "admin", time_zone: "America/New_York" }]);
  const hash = await hashPassword(DEMO_PASSWORD);
  const at = s.clock.now().toISOString();
  await s.store.transaction(async (tx) => {
    for (const u of [...admins, ...leads, ...reps]) await tx.credentials.setPasswordHash(workspace.id, u.id, hash, at);
  });
  // After every record: the rule set, and the leads without an owner routed through it — once
  // speed-to-lead has given the inbound leads theirs (routing them first would have the
  // recipe's own assignment overwrite the reason's).
  await s.worker.drain();
  await seedRuleSet(s, ctx, { leads, reps });
  // Approvals last of all (their teams and users would shift every id above): requests waiting
  // for the VP Sales and for the away CFO's delegate, the demo admin; one sent back; two decided.
  const discount = recipes.findIndex((r) => r.key === DISCOUNT_APPROVAL);
  if (discount >= 0) {
    const { approvers, version } = await seedApprovals(s, ctx, {
      admin: admins[0] as StoredRecord,
      deals: deals.filter((d) => d.data.stage === "proposal" && typeof d.data.owner_id === "string"),
      timeZone: "America/New_York",
    });
    const r = recipes[discount] as RecipeOutcome;
    recipes[discount] = { key: r.key, file: r.file, state: "published", version };
    counts.team = (counts.team ?? 0) + 2;
    counts.user = (counts.user ?? 0) + approvers.length;
    await s.store.transaction(async (tx) => {
      for (const u of approvers) await tx.credentials.setPasswordHash(workspace.id, u.id, hash, at);
    });
  }

  // Reviews after that (their notification, task and history would shift the ids above): one
  // workflow overdue for review, one reviewed today, two overrides of speed-to-lead.
  await s.worker.drain();
  counts.task = (counts.task ?? 0) + (await seedReviews(s, ctx, { admin: admins[0] as StoredRecord, inbound, reps }));
  // Test cases last (their ids come after every other): speed-to-lead's, run once so that they
  // show a last result (demo-tests.ts). They run in sandboxes: nothing above changes.
  await seedTestCases(s, ctx);
  // Hand-flagged review items after that (demo-review-queue.ts).
  await seedReviewQueue(s, ctx, { admin: admins[0] as StoredRecord, rep: reps[0], inbound, prospects });
  // Validation rules after everything (their ids, and the custom fields they read, come last).
  await seedDataQuality(s, ctx);
  // Duplicates after that (their ids come after every other): 5 % of the contacts copied with
  // variants, the default match rules, and a scan that queues the pairs for review.
  const duplicates = await seedDuplicates(s, ctx, contacts);
  counts.contact = (counts.contact ?? 0) + duplicates.truth.length;
  // KPI history after that (dated in the past; before scoring, whose model then scores these leads too): 120 days of
  // leads, speed-to-lead's two versions and the calls that answered them (demo-kpis.ts).
  const history = await seedKpiHistory(s, ctx, { seed, reps, teamLeads: leads, companies, contacts, hold: base.worker });
  counts.lead = (counts.lead ?? 0) + history.leads;
  counts.deal = (counts.deal ?? 0) + history.deals;
  counts.activity = (counts.activity ?? 0) + history.activities;
  counts.task = (counts.task ?? 0) + history.tasks;
  counts.ticket = (counts.ticket ?? 0) + history.tickets;

  // Older closed leads after that (their own ids, on their own clock), and the conversion model
  // trained on them, which the lead score reads (demo-conversion.ts).
  const conversions = await seedConversions(s, ctx, { seed, reps, hold: base.worker });
  counts.lead = (counts.lead ?? 0) + conversions.leads;
  counts.activity = (counts.activity ?? 0) + conversions.activities;

  // Lead scoring after that (its ids come after every other): the model, three weeks of
  // engagement on a few prospects, their ledgers and decay (demo-scoring.ts).
  counts.activity = (counts.activity ?? 0) + (await seedScoring(s, ctx, { ids, prospects, companies, seed }));
  // AI assist after that (its ids come last): the ticket-category model trained on the tickets
  // above, the workflow that classifies new ones, the morning's tickets classified (demo-ai.ts).
  await s.worker.drain();
  const ai = await seedAi(s, ctx, { seed, reps, admin: admins[0] as StoredRecord });
  counts.ticket = (counts.ticket ?? 0) + ai.tickets;

  // Told at the end: the discount approval is published only once its approvers exist (above).
  for (const outcome of recipes) options.onRecipe?.(outcome);
  return { workspace, counts, recipes, duplicates };
}

/** Speed-to-lead's first version, published before the recipes (demo-kpis.ts tells its history). */
async function publishFirstSpeedToLead(s: Services, ctx: CallContext): Promise<void> {
  const recipe = (await readRecipes(recipesDir())).find((r) => (r.definition as { key?: unknown }).key === SPEED_TO_LEAD);
  if (!recipe) return;
  const { workflow } = await s.workflows.saveDraft(ctx, speedToLeadFirstVersion(recipe.definition as Record<string, unknown>));
  await s.workflows.publish(ctx, workflow.id, {
    note: "First version: a fitting lead gets an owner and a P1 call task at once; nobody calls within 15 minutes, the next rep.",
  });
}
