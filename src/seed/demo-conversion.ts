/**
 * The demo's lead conversion history and its AI model (issue 24; docs/ai.md "Conversion models",
 * docs/scoring.md "AI prediction rules"): leads that arrived four to thirteen months ago — before
 * the KPI history's 120 days, so that its figures stay what they were — were worked by their
 * owners (calls, emails, meetings) and then converted or were disqualified. Who converted follows
 * who they were and what was done with them, with noise: referrals and webinars, larger
 * companies, decision makers and leads that took meetings convert more often — not always.
 *
 * Written like the KPI history (demo-kpis.ts): through the record writer on a clock of its own,
 * on the day each thing happened, and the trigger matcher moved past it afterwards (history
 * is not news: no workflow enrolls a lead that arrived a year ago). Then the model "Lead
 * conversion" is trained on it as an admin's request would train it, and turned on; the lead
 * scoring model (demo-scoring.ts), published after, reads its chance.
 */
import type { CallContext } from "../app/context.js";
import { seededIdGenerator } from "../app/ports.js";
import { SimulatedClock } from "../app/sandbox/simulated-clock.js";
import { buildServices, type Services } from "../composition/root.js";
import type { StoredRecord } from "../store/ports.js";
import { COMPANY_SUFFIX, COMPANY_WORDS, FIRST_NAMES, LAST_NAMES, LEAD_SOURCES, TEAMS } from "./demo-data.js";
import { Random } from "./random.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Closed leads of the history; about two in five converted — past the gate of 120. */
export const CONVERSION_HISTORY = 420;
const CONVERTED_SHARE = 0.42;
/** How long ago they arrived, in days: before the KPI history (demo-kpis.ts, 120 days). */
const FROM_DAYS = 400;
const TO_DAYS = 135;
export const DEMO_CONVERSION_MODEL = "Lead conversion";

export const DEMO_CONVERSION_SPEC = {
  kind: "conversion",
  name: DEMO_CONVERSION_MODEL,
  description: "The chance a lead converts, learned from the leads sales converted or disqualified. The lead score reads it.",
  object: "lead",
  target: "status",
  converted: ["converted"],
  lost: ["unqualified"],
  value_fields: ["source", "employee_count", "title"],
  activity_types: ["call", "email", "meeting"],
  threshold: 0.5,
} as const;

/** What makes a lead likelier to convert in the demo's story (added to its hidden propensity). */
const SOURCE_PULL: Readonly<Record<string, number>> = {
  referral: 1.1,
  webinar: 0.6,
  partner: 0.4,
  event: 0.1,
  web_form: 0,
  outbound: -0.7,
};
const TITLES = ["CEO", "CTO", "VP Sales", "Head of Ops", "Engineer", "Analyst", "Intern"] as const;
const TITLE_PULL: Readonly<Record<string, number>> = { CEO: 0.6, CTO: 0.5, "VP Sales": 0.7, "Head of Ops": 0.4, Intern: -0.8 };
const SIZES = [3, 8, 25, 60, 300, 1_500] as const;

interface Activity {
  at: number;
  type: "call" | "email" | "meeting";
}

interface PlannedLead {
  at: number;
  row: Record<string, unknown>;
  owner: string;
  activities: Activity[];
  outcome: "converted" | "unqualified";
  closedAt: number;
}

/** A rough normal draw: the sum of three uniforms, centred. */
const noise = (rnd: Random) => rnd.next() + rnd.next() + rnd.next() - 1.5;

export function planConversions(seed: number, today: number, reps: readonly StoredRecord[]): PlannedLead[] {
  const rnd = new Random(seed ^ 0x636f6e76);
  const drafts = Array.from({ length: CONVERSION_HISTORY }, (_, i) => {
    const source = rnd.pick(LEAD_SOURCES);
    const size = rnd.pick(SIZES);
    const title = rnd.pick(TITLES);
    const team = TEAMS[rnd.int(0, TEAMS.length - 1)] ?? TEAMS[0];
    const pull = (SOURCE_PULL[source] ?? 0) + 0.35 * Math.log10(size) + (TITLE_PULL[title] ?? 0);
    const interest = pull + noise(rnd) * 1.2;
    // Interested leads take meetings and answer calls; the owner tries everyone a few times.
    const meetings = Math.max(0, Math.min(4, Math.round(0.3 + 0.9 * interest + noise(rnd))));
    const calls = 1 + rnd.int(0, 2) + (interest > 0.8 ? 1 : 0);
    const emails = rnd.int(0, 3) + (interest > 0 ? 1 : 0);
    const at = today - rnd.int(TO_DAYS, FROM_DAYS) * DAY + rnd.int(8, 18) * HOUR;
    const first = rnd.pick(FIRST_NAMES);
    const last = rnd.pick(LAST_NAMES);
    const owner = (reps[rnd.int(0, reps.length - 1)] as StoredRecord).id;
    const types = [
      ...Array.from({ length: calls }, () => "call" as const),
      ...Array.from({ length: emails }, () => "email" as const),
      ...Array.from({ length: meetings }, () => "meeting" as const),
    ];
    const activities = types.map((type) => ({ at: at + rnd.int(1, 20 * 24) * HOUR, type })).sort((a, b) => a.at - b.at);
    return {
      // The outcome: mostly what the lead and its handling say, partly chance (a budget frozen, a rival's discount).
      decidedBy: interest + 0.5 * meetings + noise(rnd) * 1.4,
      lead: {
        at,
        row: {
          first_name: first,
          last_name: last,
          // Nobody's duplicate (demo-kpis.ts does the same): not the contacts' first.last pattern, a phone of its own.
          email: `${first.toLowerCase()}.p${i + 1}@past${i + 1}.example.net`,
          phone: `+1332556${String(i + 1).padStart(4, "0")}`,
          company_name: `${rnd.pick(COMPANY_WORDS)} ${rnd.pick(COMPANY_SUFFIX)} P${i + 1}`,
          employee_count: size,
          country: rnd.pick(team?.countries ?? ["US"]),
          source,
          title,
          status: "working",
          owner_id: owner,
        },
        owner,
        activities,
        outcome: "unqualified" as PlannedLead["outcome"],
        closedAt: at + rnd.int(21, 45) * DAY,
      },
    };
  });
  const cut = [...drafts.map((d) => d.decidedBy)].sort((a, b) => b - a)[Math.round(CONVERSION_HISTORY * CONVERTED_SHARE) - 1] ?? 0;
  for (const d of drafts) d.lead.outcome = d.decidedBy >= cut ? "converted" : "unqualified";
  return drafts.map((d) => d.lead);
}

export interface ConversionSeedResult {
  leads: number;
  activities: number;
  accuracy: number;
  baseline: number;
}

/**
 * Writes the history on its own clock, moves the matcher past it, then trains the conversion
 * model (in the background, as a request would, waiting for it) and turns it on.
 */
export async function seedConversions(
  s: Services,
  ctx: CallContext,
  input: { seed: number; reps: readonly StoredRecord[]; hold?: Services["worker"] },
): Promise<ConversionSeedResult> {
  const today = Math.floor(s.clock.now().getTime() / DAY) * DAY;
  const plans = planConversions(input.seed, today, input.reps);
  const clock = new SimulatedClock(new Date(today - FROM_DAYS * DAY));
  const ids = seededIdGenerator(input.seed ^ 0x4c4356, () => clock.now().getTime());
  const past = buildServices(s.store, clock, ids);
  // One write a day of each kind — the day's new leads, then its activities, then its closings —
  // at the first instant among them: a few hundred transactions rather than thousands, so that a
  // first start stays quick. Each activity keeps its own `occurred_at`.
  const days = new Map<number, { at: number; leads: PlannedLead[]; activities: Array<[PlannedLead, Activity]>; closed: PlannedLead[] }>();
  const dayOf = (at: number) => {
    const key = Math.floor(at / DAY);
    const d = days.get(key) ?? { at, leads: [], activities: [], closed: [] };
    d.at = Math.min(d.at, at);
    days.set(key, d);
    return d;
  };
  for (const p of plans) {
    dayOf(p.at).leads.push(p);
    for (const a of p.activities) dayOf(a.at).activities.push([p, a]);
    dayOf(p.closedAt).closed.push(p);
  }
  const leadIds = new Map<PlannedLead, string>();
  const asOwner = (owner: string): CallContext => ({ ...ctx, role: "rep", actor: { kind: "person", id: owner } });
  let activities = 0;
  const held = [s.worker, ...(input.hold ? [input.hold] : [])].filter((w) => w.isRunning);
  for (const w of held) await w.stop();
  try {
    // Everything live is matched first: the cursor then moves past the history alone.
    await s.worker.drain();
    for (const [, d] of [...days].sort((a, b) => a[0] - b[0])) {
      clock.advance(Math.max(0, d.at - clock.now().getTime()));
      if (d.leads.length > 0) {
        const made = await past.writer.createMany(
          ctx,
          "lead",
          d.leads.map((p) => p.row),
        );
        for (const [i, p] of d.leads.entries()) leadIds.set(p, (made[i] as StoredRecord).id);
      }
      if (d.activities.length > 0) {
        // Logged by the system, each naming its owner as who did it (user_id).
        await past.writer.createMany(
          ctx,
          "activity",
          d.activities.map(([p, a]) => ({
            type: a.type,
            subject: a.type === "meeting" ? "Discovery meeting" : a.type === "call" ? "Follow-up call" : "Following up",
            occurred_at: new Date(a.at).toISOString(),
            user_id: p.owner,
            related_id: leadIds.get(p),
            ...(a.type === "email" ? {} : { duration_minutes: a.type === "meeting" ? 30 : 10 }),
          })),
        );
        activities += d.activities.length;
      }
      for (const p of d.closed)
        await past.writer.updateMany(asOwner(p.owner), "lead", [{ id: leadIds.get(p) as string, fields: { status: p.outcome } }]);
    }
    await s.worker.skipToNewestEvent();
  } finally {
    for (const w of held) w.start();
  }

  await s.aiModels.create(ctx, DEMO_CONVERSION_SPEC);
  const job = await s.aiTraining.wait(ctx, (await s.aiTraining.start(ctx, DEMO_CONVERSION_MODEL)).id);
  if (job.state !== "succeeded") throw new Error(`the demo's conversion model did not train: ${job.error}`);
  const trained = await s.aiModels.get(ctx, DEMO_CONVERSION_MODEL);
  await s.aiModels.update(ctx, DEMO_CONVERSION_MODEL, { enabled: true }, trained.version);
  return {
    leads: plans.length,
    activities,
    accuracy: trained.training?.quality.accuracy ?? 0,
    baseline: trained.training?.quality.baseline ?? 0,
  };
}
