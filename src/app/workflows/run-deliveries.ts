/**
 * The outbox items of one run as they stand now — status, attempts, last error, next retry — for
 * the run inspector. Their ids come from the run's own log (a step that enqueued an external
 * action names its outbox item in its effects), so each is one lookup by key: no scan of the
 * workspace's outbox by run.
 */
import type { OutboxReads, OutboxRow } from "../../store/outbox-ports.js";
import type { RunStepRow } from "../../store/workflow-ports.js";
import { enqueued } from "./delivery-attempts.js";

export async function runDeliveries(
  outbox: Pick<OutboxReads, "getOutboxItem">,
  workspaceId: string,
  steps: readonly Pick<RunStepRow, "effects">[],
): Promise<OutboxRow[]> {
  const ids = [...new Set(steps.flatMap((s) => enqueued(s.effects).map((e) => e.outboxId)))];
  const items = await Promise.all(ids.map((id) => outbox.getOutboxItem(workspaceId, id)));
  return items.filter((i): i is OutboxRow => i !== undefined);
}
