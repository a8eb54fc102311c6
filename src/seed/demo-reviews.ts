/**
 * The demo's workflow reviews (issue 19, item 5; docs/workflows.md "Reviews and overrides"),
 * seeded after everything else so that every other id stays what it was: the demo admin owns
 * every live workflow's review; the stuck-deal escalation is overdue (its review fell due nine
 * days ago, so the admin has its notification and its "Review workflow" task); speed-to-lead was
 * reviewed today with a note; and the admin moved two inbound leads from the owner speed-to-lead
 * gave them to another rep — two overrides beside speed-to-lead on first start. Returns the
 * tasks it made (the overdue review's).
 */
import type { CallContext } from "../app/context.js";
import type { Services } from "../composition/root.js";
import type { StoredRecord } from "../store/ports.js";

const DAY = 86_400_000;
export const OVERDUE_WORKFLOW = "escalation-stuck-deal";
export const REVIEWED_WORKFLOW = "speed-to-lead";

export async function seedReviews(
  s: Services,
  ctx: CallContext,
  input: { admin: StoredRecord; inbound: readonly StoredRecord[]; reps: readonly StoredRecord[] },
): Promise<number> {
  let tasks = 0;
  const asAdmin: CallContext = { ...ctx, role: "admin", actor: { kind: "person", id: input.admin.id } };
  const live = (await s.workflows.list(ctx)).filter((w) => w.liveVersion !== null);
  for (const w of live) await s.reviews.update(ctx, w.id, { ownerId: input.admin.id });

  const overdue = live.find((w) => w.key === OVERDUE_WORKFLOW);
  if (overdue) {
    const due = new Date(s.clock.now().getTime() - 9 * DAY).toISOString();
    await s.store.transaction(async (tx) => {
      const review = await tx.reviews.getReview(ctx.workspaceId, overdue.id);
      if (review) await tx.reviews.updateReview({ ...review, nextReviewAt: due, updatedAt: due });
    });
    tasks = await s.reviewsDue.fireDue();
  }
  if (live.some((w) => w.key === REVIEWED_WORKFLOW))
    await s.reviews.markReviewed(
      asAdmin,
      REVIEWED_WORKFLOW,
      "Still the fastest way to reach new leads: reps call within minutes. Watch the overrides — two leads were moved to another rep this morning.",
    );

  // Overrides: the admin gives two leads speed-to-lead assigned to someone else.
  const assigned = (
    await s.store.records.getRecords(
      ctx.workspaceId,
      input.inbound.map((l) => l.id),
    )
  ).filter((l) => typeof l.data.owner_id === "string");
  for (const lead of assigned.slice(0, 2)) {
    const other = input.reps.find((r) => r.id !== lead.data.owner_id);
    if (other) await s.writer.update(asAdmin, "lead", { id: lead.id, fields: { owner_id: other.id } });
  }
  return tasks;
}
