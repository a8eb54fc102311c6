/**
 * The demo's AI assist (issue 24; docs/ai.md "In the demo"): its 400 tickets carry realistic,
 * noisy texts with the category their triager chose (demo-ticket-texts.ts) — the history a
 * ticket-category model is trained on here, past the label gate and turned on. A live workflow
 * classifies each new uncategorised ticket and routes it by the predicted category through a
 * rule set; a ticket the model is unsure of stays uncategorised and goes to the support triage
 * queue. The morning's new tickets arrive once it is live, so the first start shows tickets
 * classified with their reasons, one in triage, and a person's correction counted as an override.
 */
import type { CallContext } from "../app/context.js";
import type { Services } from "../composition/root.js";
import type { StoredRecord } from "../store/ports.js";
import { type LabelledTicket, labelledTickets, TICKET_CATEGORY_LABELS } from "./demo-ticket-texts.js";

export const DEMO_TICKETS = 400;
/** The old subjects the demo drew from: still drawn, so that the random sequence stays the same. */
export const SUBJECT_DRAWS = ["Cannot log in", "Invoice question", "Export fails", "Slow dashboard", "API error 500"];
export const DEMO_TICKET_MODEL = "Ticket category";
export const DEMO_TRIAGE_QUEUE = "Support triage";
export const CLASSIFY_WORKFLOW = "classify-new-tickets";
/** Closed onboarding tickets of the history, beside the KPI history's handoffs: past the gate of 50 together. */
const ONBOARDING_HISTORY = 40;
/** Labelled tickets each category has at least, in the demo: past the gate of 50. */
const PER_CATEGORY = 60;

/**
 * The demo's 400 labelled tickets: the first 60 of each category in the generator's order, then
 * the next ones whatever their category — every category past the label gate, the rest as a
 * helpdesk's mix (how-to and bugs most).
 */
export function demoTicketTexts(seed: number): LabelledTicket[] {
  const pool = labelledTickets(DEMO_TICKETS * 5, seed ^ 0x7469);
  const taken = new Set<number>();
  for (const c of TICKET_CATEGORY_LABELS) {
    let n = 0;
    pool.forEach((t, i) => {
      if (t.category === c && n < PER_CATEGORY) {
        taken.add(i);
        n++;
      }
    });
  }
  for (let i = 0; i < pool.length && taken.size < DEMO_TICKETS; i++) taken.add(i);
  return [...taken].sort((a, b) => a - b).map((i) => pool[i] as LabelledTicket);
}

export interface DemoAiInput {
  seed: number;
  /** Five reps per team, in TEAMS order (demo-routing.ts). */
  reps: readonly StoredRecord[];
  /** Who corrects a predicted category, as a person would. */
  admin: StoredRecord;
}

export interface DemoAiResult {
  tickets: number;
  accuracy: number;
  baseline: number;
}

/**
 * Onboarding tickets of the helpdesk's history, as customers and account managers write them —
 * the category the KPI history's handoffs use (demo-kpis.ts), so that the model knows it too and
 * it passes the label gate.
 */
function onboardingTickets(seed: number, count: number): Array<Record<string, string>> {
  const what = ["kick-off call", "admin accounts", "data import", "SSO setup", "training session", "workspace setup", "user invitations"];
  const subjects = [
    (w: string) => `Onboarding: ${w}`,
    (w: string) => `New customer — ${w}`,
    (w: string) => `Getting started: ${w}`,
    (w: string) => `Please schedule our ${w}`,
  ];
  const bodies = [
    (w: string) => `We just signed and would like to start. Can we book the ${w} this week?`,
    (w: string) => `Our team is new to Handoff. We need help with the ${w} before we go live.`,
    (w: string) => `Welcome pack received, thanks. Next step for us is the ${w}; who is our onboarding contact?`,
  ];
  return Array.from({ length: count }, (_, i) => {
    const w = what[(i * 3 + seed) % what.length] as string;
    const subject = (subjects[i % subjects.length] as (w: string) => string)(w);
    const description = (bodies[(i + seed) % bodies.length] as (w: string) => string)(w);
    // Closed with a resolution, as the demo's rule "Closing a ticket needs a resolution" asks.
    return { subject, description, category: "onboarding", status: "closed", resolution: `Done: ${w} completed with the customer.` };
  });
}

/** A vague ticket the model cannot be sure of: it goes to triage. */
const VAGUE = { subject: "Quick question", description: "Hi, could someone call me back when you have a minute?" };

export async function seedAi(s: Services, ctx: CallContext, input: DemoAiInput): Promise<DemoAiResult> {
  const rep = (i: number) => (input.reps[i] as StoredRecord).id;
  const onboarding = await s.writer.createMany(ctx, "ticket", onboardingTickets(input.seed, ONBOARDING_HISTORY));
  await s.aiModels.create(ctx, {
    name: DEMO_TICKET_MODEL,
    description: "Reads a new ticket's subject and description and says which category it is, from the tickets triaged before.",
    object: "ticket",
    target: "category",
    text_fields: ["subject", "description"],
    value_fields: [],
    threshold: 0.6,
  });
  // Trained in the background as an admin's request would; the seed waits for it to end.
  const job = await s.aiTraining.wait(ctx, (await s.aiTraining.start(ctx, DEMO_TICKET_MODEL)).id);
  if (job.state !== "succeeded") throw new Error(`the demo's model did not train: ${job.error}`);
  const trained = await s.aiModels.get(ctx, DEMO_TICKET_MODEL);
  await s.aiModels.update(ctx, DEMO_TICKET_MODEL, { enabled: true }, trained.version);

  await s.routing.queues.create(ctx, {
    name: DEMO_TRIAGE_QUEUE,
    description: "Tickets the classifier is unsure of: a person reads them and sets the category.",
    strategy: "round_robin",
    respect_availability: false,
    members: [{ user_id: rep(10) }, { user_id: rep(11) }],
  });
  await s.routing.ruleSets.create(ctx, {
    name: "Tickets by category",
    description: "Each category to the people who handle it; the rest to triage.",
    object: "ticket",
    field: "assignee_id",
    rules: [
      {
        id: "billing",
        name: "Billing to finance support",
        when: { field: "category", op: "eq", value: "billing" },
        target: { user_id: rep(12) },
      },
      {
        id: "outage",
        name: "Outages to the on-duty engineer",
        when: { field: "category", op: "eq", value: "outage" },
        target: { user_id: rep(13) },
      },
      { id: "bug", name: "Bugs to product support", when: { field: "category", op: "eq", value: "bug" }, target: { user_id: rep(14) } },
      {
        id: "questions",
        name: "How-to and requests to customer success",
        when: { field: "category", op: "in", value: ["how-to", "feature-request"] },
        target: { user_id: rep(11) },
      },
    ],
    default_target: { queue: DEMO_TRIAGE_QUEUE },
  });
  const { workflow } = await s.workflows.saveDraft(ctx, {
    key: CLASSIFY_WORKFLOW,
    name: "Classify and route new tickets",
    description:
      "New tickets used to wait in one inbox until someone read and routed them. The ticket-category model trained on the helpdesk's own history sets the category and the rule set routes it; a ticket the model is unsure of goes to the triage queue, uncategorised.",
    object: "ticket",
    trigger: { type: "record_created" },
    conditions: { field: "category", op: "is_not_set" },
    start: "classify",
    steps: {
      classify: {
        type: "classify",
        description: "The model reads the subject and description; at 60 % sure or more it sets the category.",
        model: DEMO_TICKET_MODEL,
        field: "category",
        next: "route",
        low_confidence: "triage",
      },
      route: {
        type: "action",
        description: "The category decides who takes it (the rule set Tickets by category).",
        action: { type: "assign_owner", field: "assignee_id", to: { rule_set: "Tickets by category" } },
      },
      triage: {
        type: "action",
        description: "Unsure: a person in triage reads it and sets the category.",
        action: { type: "assign_owner", field: "assignee_id", to: { queue: DEMO_TRIAGE_QUEUE } },
      },
    },
  });
  await s.workflows.publish(ctx, workflow.id);

  // The morning's new tickets, uncategorised: the workflow classifies and routes them.
  const fresh = labelledTickets(11, input.seed ^ 0x6e6577).map(({ subject, description, priority }) => ({
    subject,
    description,
    priority,
  }));
  const created = await s.writer.createMany(ctx, "ticket", [...fresh, { ...VAGUE, priority: "P3" }]);
  await s.worker.drain();
  // A person corrects one the model got wrong by its triage label — or, if it got all of them
  // right, re-files the first as a request — and the AI page counts the override.
  const truth = labelledTickets(11, input.seed ^ 0x6e6577);
  const person: CallContext = { ...ctx, role: "admin", actor: { kind: "person", id: input.admin.id } };
  const after = await s.store.records.getRecords(
    ctx.workspaceId,
    created.map((r) => r.id),
  );
  const wrong = after.findIndex((r, i) => typeof r.data.category === "string" && truth[i] && r.data.category !== truth[i]?.category);
  const fix = wrong >= 0 ? { record: after[wrong], to: truth[wrong]?.category } : { record: after[0], to: "feature-request" };
  if (fix.record && fix.to && fix.record.data.category !== fix.to)
    await s.writer.update(person, "ticket", { id: fix.record.id, fields: { category: fix.to } });
  const quality = trained.training?.quality;
  return { tickets: onboarding.length + created.length, accuracy: quality?.accuracy ?? 0, baseline: quality?.baseline ?? 0 };
}
