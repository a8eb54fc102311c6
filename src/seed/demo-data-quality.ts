/**
 * The demo's validation rules (issue 20; docs/data-quality.md): a `budget_confirmed` checkbox on
 * deals and a `resolution` on tickets (custom fields), the stage gate "Proposal needs budget
 * confirmation", the gate "Closing a ticket needs a resolution", and one warn rule that queues won
 * deals without an amount for review — so that a newcomer sees a refused write and a queued one.
 * Seeded last: the records above were written before the rules existed, as an import would be.
 * Three status rules (issue 22, docs/data-quality.md "Status rules") give the status accuracy KPI
 * something to judge: a qualified lead has an owner and was contacted, a won deal has an amount, a
 * closed ticket a resolution.
 */
import type { CallContext } from "../app/context.js";
import type { Services } from "../composition/root.js";

export const DEMO_RULES = [
  {
    kind: "gate",
    name: "Proposal needs budget confirmation",
    description: "A proposal is sent only once the customer has confirmed the budget: proposals without one stall in negotiation.",
    object: "deal",
    action: "refuse",
    field: "stage",
    to: ["proposal"],
    requires: { field: "budget_confirmed", op: "eq", value: true },
    shown_on: "budget_confirmed",
    message: "Confirm the budget with the customer before moving the deal to Proposal.",
  },
  {
    kind: "gate",
    name: "Closing a ticket needs a resolution",
    description: "Support reviews closed tickets weekly; without a resolution nobody can tell what fixed it.",
    object: "ticket",
    action: "refuse",
    field: "status",
    to: ["closed"],
    requires: { field: "resolution", op: "is_set" },
    shown_on: "resolution",
    message: "Say how the ticket was resolved before closing it.",
  },
  {
    kind: "rule",
    name: "Won deals carry an amount",
    description: "Revenue reports read the amount of won deals; one missing is queued for the deal desk rather than blocking the rep.",
    object: "deal",
    action: "warn",
    when: {
      and: [
        { field: "stage", op: "eq", value: "closed_won" },
        { field: "amount", op: "is_not_set" },
      ],
    },
    field: "amount",
    message: "A won deal needs its amount for the revenue report.",
  },
] as const;

export const DEMO_STATUS_RULES = [
  {
    name: "Qualified leads have an owner",
    description: "A qualified lead nobody owns is a sales opportunity nobody works.",
    object: "lead",
    field: "status",
    values: ["qualified"],
    requires: { field: "owner_id", op: "is_set" },
  },
  {
    name: "Qualified leads have been contacted",
    description: "A lead is qualified in a conversation: qualified with no call, email or meeting logged, it was qualified on a guess.",
    object: "lead",
    field: "status",
    values: ["qualified"],
    requires: { field: "last_activity_at", op: "is_set" },
  },
  {
    name: "Won deals have an amount",
    description: "Revenue reports add up the amounts of won deals.",
    object: "deal",
    field: "stage",
    values: ["closed_won"],
    requires: { field: "amount", op: "gt", value: 0 },
  },
  {
    name: "Closed tickets have a resolution",
    description: "Support reviews closed tickets weekly; without a resolution nobody can tell what fixed it.",
    object: "ticket",
    field: "status",
    values: ["closed", "resolved"],
    requires: { field: "resolution", op: "is_set" },
  },
] as const;

/** Creates the custom fields the rules read (when missing) and the rules the workspace does not have yet. */
export async function seedDataQuality(s: Services, ctx: CallContext): Promise<string[]> {
  const custom = await s.customFields.list(ctx);
  const has = (object: string, name: string) => custom.some((f) => f.object === object && f.name === name);
  if (!has("deal", "budget_confirmed"))
    await s.customFields.create(ctx, "deal", { name: "budget_confirmed", type: "boolean", label: "Budget confirmed" });
  if (!has("ticket", "resolution")) await s.customFields.create(ctx, "ticket", { name: "resolution", type: "text", label: "Resolution" });
  const have = new Set((await s.validationRules.list(ctx)).map((r) => r.name));
  const created: string[] = [];
  for (const rule of DEMO_RULES) {
    if (have.has(rule.name)) continue;
    await s.validationRules.create(ctx, rule);
    created.push(rule.name);
  }
  const haveStatus = new Set((await s.statusRules.list(ctx)).map((r) => r.name));
  for (const rule of DEMO_STATUS_RULES) {
    if (haveStatus.has(rule.name)) continue;
    await s.statusRules.create(ctx, rule);
    created.push(rule.name);
  }
  return created;
}
