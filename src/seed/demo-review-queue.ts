/**
 * The demo's hand-flagged review items (issue 20; docs/data-quality.md "The review queue"), seeded
 * last so that every other id stays what it was: a rep flagged one inbound lead whose company
 * looks like a personal address, and the admin holds one prospect flagged as a likely test entry.
 * Duplicates and rule warnings join the queue from the matcher and the rules themselves.
 */
import type { CallContext } from "../app/context.js";
import type { Services } from "../composition/root.js";
import type { StoredRecord } from "../store/ports.js";

export async function seedReviewQueue(
  s: Services,
  ctx: CallContext,
  input: { admin: StoredRecord; rep: StoredRecord | undefined; inbound: readonly StoredRecord[]; prospects: readonly StoredRecord[] },
): Promise<number> {
  const [lead] = input.inbound;
  const [prospect] = input.prospects;
  let items = 0;
  if (lead && input.rep) {
    const asRep: CallContext = { ...ctx, role: "rep", actor: { kind: "person", id: input.rep.id } };
    await s.reviewQueue.add(asRep, { record_id: lead.id, reason: "Company name looks like a personal address: check it before the call" });
    items += 1;
  }
  if (prospect) {
    const asAdmin: CallContext = { ...ctx, role: "admin", actor: { kind: "person", id: input.admin.id } };
    await s.reviewQueue.add(asAdmin, {
      record_id: prospect.id,
      reason: "Looks like a test entry from the website form",
      assignee_id: input.admin.id,
    });
    items += 1;
  }
  return items;
}
