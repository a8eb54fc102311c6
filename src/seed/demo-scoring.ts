/**
 * The demo's lead scoring model `lead_score` (issue 21; docs/scoring.md "The demo"), seeded last
 * so that every other id stays what it was. Fit from who the lead is (company size, country, job
 * title, the company's industry when the lead names one); engagement from what the lead did
 * (the contact-sales form, tracked email opens and clicks, meetings), halving every 14 days.
 *
 * History through the normal path, no ledger written by hand: the model is published three
 * weeks ago on a clock of its own (the rescore scores every lead's fit then), a few prospects'
 * opens, clicks and meetings are logged on that clock at their instants since, each awarded by
 * the scoring hook as the worker reads it, and the real clock's worker then catches the decay
 * up to today. So a record page shows a breakdown and a ledger of several rows, and a few leads
 * stand above speed-to-lead's 40.
 */
import type { CallContext } from "../app/context.js";
import type { IdGenerator } from "../app/ports.js";
import { SimulatedClock } from "../app/sandbox/simulated-clock.js";
import { buildServices, type Services } from "../composition/root.js";
import type { StoredRecord } from "../store/ports.js";
import { DEMO_CONVERSION_MODEL } from "./demo-conversion.js";
import { DEMO_FORM_KEY } from "./demo-form.js";
import { Random } from "./random.js";

export const DEMO_SCORE_MODEL = "lead_score";
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** How long ago the model was published: the oldest engagement the demo shows. */
const HISTORY_DAYS = 21;
/** How many prospects get engagement history. */
const ENGAGED = 12;

export const DEMO_SCORE_DEFINITION = {
  key: DEMO_SCORE_MODEL,
  name: "Lead score",
  object: "lead",
  fields: { total: "score", fit: "fit_score", engagement: "engagement_score" },
  fit: {
    groups: [
      {
        key: "size",
        label: "Company size",
        cap: 25,
        rules: [
          { key: "over_10", label: "More than 10 employees", when: { field: "employee_count", op: "gt", value: 10 }, points: 10 },
          { key: "over_200", label: "More than 200 employees", when: { field: "employee_count", op: "gt", value: 200 }, points: 15 },
        ],
      },
      {
        key: "geo",
        label: "Country",
        cap: 10,
        rules: [
          {
            key: "core",
            label: "US, Canada, UK or Germany",
            when: { field: "country", op: "in", value: ["US", "CA", "GB", "DE"] },
            points: 10,
          },
        ],
      },
      {
        key: "role",
        label: "Job title",
        cap: 15,
        rules: [
          {
            key: "exec",
            label: "Executive or head of a team",
            when: { field: "title", op: "in", value: ["CEO", "CTO", "VP Sales", "Head of Ops"] },
            points: 15,
          },
        ],
      },
      {
        key: "industry",
        label: "Industry",
        cap: 10,
        rules: [
          { key: "software", label: "Software company", when: { field: "company_id.industry", op: "eq", value: "Software" }, points: 10 },
        ],
      },
      {
        key: "ai",
        label: "AI prediction",
        cap: 15,
        // The conversion model's chance × 15 (demo-conversion.ts): a lead like those that converted gets most of it.
        rules: [{ key: "predicted", label: "Predicted to convert", prediction: DEMO_CONVERSION_MODEL, points: 15 }],
      },
    ],
  },
  engagement: {
    groups: [
      {
        key: "forms",
        label: "Forms",
        cap: 35,
        rules: [{ key: "contact_sales", label: "Asked sales for contact", on: { external: [DEMO_FORM_KEY] }, points: 35 }],
      },
      {
        key: "email",
        label: "Email",
        cap: 20,
        rules: [
          { key: "opened", label: "Opened an email", on: { activity: ["email_opened"] }, points: 4 },
          { key: "clicked", label: "Clicked a link", on: { activity: ["email_clicked"] }, points: 8 },
        ],
      },
      {
        key: "meetings",
        label: "Meetings",
        cap: 40,
        rules: [{ key: "held", label: "Meeting held", on: { activity: ["meeting"] }, points: 20 }],
      },
    ],
    decay: { half_life_days: 14 },
  },
  total_cap: 100,
};

export async function seedScoring(
  s: Services,
  ctx: CallContext,
  input: { ids: IdGenerator; prospects: readonly StoredRecord[]; companies: readonly StoredRecord[]; seed: number },
): Promise<number> {
  for (const [name, label] of [
    ["fit_score", "Fit score"],
    ["engagement_score", "Engagement score"],
  ] as const) {
    await s.customFields.create(ctx, "lead", { name, type: "integer", label });
  }
  const rnd = new Random(input.seed + 21);
  // New and qualified leads only: a worked lead's meeting would be news to the re-engagement run
  // waiting on it (the demo shows that recipe waiting, not finished by the seed's own history).
  const engaged = input.prospects
    .filter((l) => Number(l.data.employee_count) > 10 && (l.data.status === "new" || l.data.status === "qualified"))
    .slice(0, ENGAGED);
  // The engaged prospects say who they are (a title, their company on file), for the fit rules to read.
  await s.writer.updateMany(
    ctx,
    "lead",
    engaged.map((l, i) => ({
      id: l.id,
      fields: {
        title: rnd.pick(["CEO", "CTO", "VP Sales", "Head of Ops", "Engineer", "Analyst"]),
        ...(i % 2 === 0 && input.companies[i * 37] ? { company_id: input.companies[i * 37]?.id } : {}),
      },
    })),
  );
  // The seed's scores were hand-set at random; from now on the model owns the field, so a lead it
  // gives nothing shows 0 (what the model says) rather than a number nobody can explain.
  const leads = await s.store.records.queryRecords({
    workspaceId: ctx.workspaceId,
    object: "lead",
    sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
    limit: 100_000,
  });
  await s.writer.updateMany(
    ctx,
    "lead",
    leads.filter((l) => l.data.score !== 0).map((l) => ({ id: l.id, fields: { score: 0 } })),
  );
  await s.worker.drain();
  const now = s.clock.now().getTime();
  const start = now - HISTORY_DAYS * DAY;
  const clock = new SimulatedClock(new Date(start));
  // The same id sequence as the rest of the seed, on a clock three weeks back.
  // Decay falls due by this clock, not the database's: otherwise its worker would catch each
  // lead's decay up to today between two of its events.
  const past = buildServices(s.store, clock, input.ids, { scoreDueByServiceClock: true, slaDueByServiceClock: true });
  await past.scoring.create(ctx, { definition: DEMO_SCORE_DEFINITION, note: "The demo's first cut" });
  await past.rescorer.drain();

  const events = engaged.flatMap((lead, i) => {
    const n = 2 + (i % 4);
    return Array.from({ length: n }, (_, k) => {
      const type = k === n - 1 && i % 3 === 0 ? "meeting" : rnd.pick(["email_opened", "email_opened", "email_clicked"]);
      return {
        atMs: start + rnd.int(1, HISTORY_DAYS * 24 - 2) * HOUR,
        row: {
          type,
          subject: type === "meeting" ? "Product demo" : "Your guide to faster lead routing",
          related_id: lead.id,
          ...(type === "meeting"
            ? { duration_minutes: 30, ...(typeof lead.data.owner_id === "string" ? { user_id: lead.data.owner_id } : {}) }
            : { made_by: "contact" }),
        },
      };
    });
  });
  events.sort((a, b) => a.atMs - b.atMs);
  for (const e of events) {
    clock.advance(e.atMs - clock.now().getTime());
    await past.writer.createMany(ctx, "activity", [{ ...e.row, occurred_at: new Date(e.atMs).toISOString() }]);
    await past.worker.drain();
  }
  // Today: the decay since each lead's last event, one rounding step at a time.
  await s.worker.drain();
  return events.length;
}
