/**
 * The demo's approvals (issue 18; docs/approvals.md), seeded last so that every other id stays
 * what it was: a VP Sales who leads the "Sales Leadership" team and a CFO who leads "Finance" —
 * the approvers the discount-approval recipe names, which is therefore left a draft when the
 * recipes are installed and published here, once they exist — and five deals a rep has moved to
 * negotiation, each taking a different route through the recipe:
 * - a 25 % discount waiting for the VP Sales (the rep cannot change the discount meanwhile);
 * - a 30 % discount the VP sent back for revision, with her comment, waiting for the rep;
 * - a 22 % discount the VP approved: the rep has a task to send the quote;
 * - a deal over 100,000 waiting for the CFO, who is on holiday: the demo admin is his delegate,
 *   so the admin who signs in first finds it in "Waiting for me";
 * - a 10 % discount on a small deal, approved automatically, the rep's manager told.
 */
import type { CallContext } from "../app/context.js";
import type { Services } from "../composition/root.js";
import type { StoredRecord } from "../store/ports.js";

const DAY = 86_400_000;
/** The recipe whose approvers this seeds. */
export const DISCOUNT_APPROVAL = "discount-approval";

export const DEMO_VP_SALES_EMAIL = "vp.sales@demo.handoff.test";
export const DEMO_CFO_EMAIL = "cfo@demo.handoff.test";

interface ApprovalSeedInput {
  /** The demo admin: the CFO's delegate while he is away. */
  admin: StoredRecord;
  /** Open deals owned by reps, to move to negotiation. */
  deals: StoredRecord[];
  timeZone: string;
}

/** The users it created, for their passwords, and the recipe's version published. */
export async function seedApprovals(
  s: Services,
  ctx: CallContext,
  input: ApprovalSeedInput,
): Promise<{ approvers: StoredRecord[]; version: number }> {
  const now = s.clock.now().getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const teams = await s.writer.createMany(ctx, "team", [
    { name: "Sales Leadership", time_zone: input.timeZone },
    { name: "Finance", time_zone: input.timeZone },
  ]);
  const [leadership, finance] = teams as [StoredRecord, StoredRecord];
  const [vp, cfo] = (await s.writer.createMany(ctx, "user", [
    { name: "Valerie Quinn", email: DEMO_VP_SALES_EMAIL, role: "manager", team_id: leadership.id, time_zone: input.timeZone },
    {
      name: "Cyrus Banks",
      email: DEMO_CFO_EMAIL,
      role: "manager",
      team_id: finance.id,
      time_zone: input.timeZone,
      pto: [{ start: iso(now - DAY), end: iso(now + 7 * DAY) }],
      delegate_id: input.admin.id,
    },
  ])) as [StoredRecord, StoredRecord];
  await s.writer.updateMany(ctx, "team", [
    { id: leadership.id, fields: { lead_id: vp.id } },
    { id: finance.id, fields: { lead_id: cfo.id } },
  ]);
  const recipe = await s.workflows.get(ctx, DISCOUNT_APPROVAL);
  const { workflow } = await s.workflows.publish(ctx, recipe.workflow.id);

  const terms = [
    { discount_pct: 25, amount: 48_000 },
    { discount_pct: 30, amount: 36_000 },
    { discount_pct: 22, amount: 27_500 },
    { discount_pct: 10, amount: 180_000 },
    { discount_pct: 10, amount: 24_000 },
  ];
  const picked = input.deals.slice(0, terms.length);
  if (picked.length < terms.length) throw new Error(`the demo needs ${terms.length} open deals for its approvals`);
  await s.writer.updateMany(
    ctx,
    "deal",
    picked.map((d, i) => ({ id: d.id, fields: { ...terms[i], stage: "negotiation" } })),
  );
  await s.worker.drain();

  // The VP decides two of hers, as she would from her inbox.
  const vpCtx: CallContext = {
    workspaceId: ctx.workspaceId,
    role: "manager",
    actor: { kind: "person", id: vp.id },
    requestId: null,
    causeId: null,
  };
  const waiting = (await s.approvals.list(vpCtx, vp.id, { view: "mine" })).items;
  const on = (deal: StoredRecord | undefined) => waiting.find((r) => r.record.id === deal?.id);
  const sentBack = on(picked[1]);
  const approved = on(picked[2]);
  if (!sentBack || !approved) throw new Error("the discount-approval recipe did not ask the VP Sales for the demo's deals");
  await s.approvals.decide(vpCtx, vp.id, sentBack.id, {
    decision: "revise",
    comment: "30 % is more than we give on a one-year term. Make it 20 %, or 25 % with a two-year term, and resubmit.",
  });
  await s.approvals.decide(vpCtx, vp.id, approved.id, {
    decision: "approve",
    comment: "Approved: they are a reference customer and the term is two years.",
  });
  await s.worker.drain();
  return { approvers: [vp, cfo], version: workflow.liveVersion ?? workflow.latestVersion };
}
