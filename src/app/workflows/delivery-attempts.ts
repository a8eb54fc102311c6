/**
 * The delivery attempts of a run's external actions, for its log: a step that put an action on
 * the outbox (its effects name the outbox item and key) and the step that took the action's
 * result ("action KEY succeeded|failed") both carry the item's attempts — number, time, outcome,
 * status or error, next retry — read from the outbox's attempt history.
 */
import type { OutboxAttempt, OutboxReads } from "../../store/outbox-ports.js";
import type { RunStepRow } from "../../store/workflow-ports.js";

export type WithAttempts<S> = S & { attempts?: OutboxAttempt[] };

/** The outbox items a step enqueued: key → outbox id. */
export function enqueued(effects: unknown): Array<{ key: string; outboxId: string }> {
  if (!Array.isArray(effects)) return [];
  const out: Array<{ key: string; outboxId: string }> = [];
  for (const e of effects)
    if (typeof e === "object" && e !== null) {
      const { key, outbox_id } = e as { key?: unknown; outbox_id?: unknown };
      if (typeof key === "string" && typeof outbox_id === "string") out.push({ key, outboxId: outbox_id });
    }
  return out;
}

const RESULT = /^action (\S+) (?:succeeded|failed)$/;

export async function withDeliveryAttempts<S extends Pick<RunStepRow, "workspaceId" | "input" | "effects">>(
  outbox: Pick<OutboxReads, "listOutboxAttempts">,
  workspaceId: string,
  steps: readonly S[],
): Promise<Array<WithAttempts<S>>> {
  const byKey = new Map<string, string>();
  for (const s of steps) for (const { key, outboxId } of enqueued(s.effects)) byKey.set(key, outboxId);
  if (byKey.size === 0) return [...steps];
  const attempts = await outbox.listOutboxAttempts(workspaceId, [...byKey.values()]);
  const byItem = new Map<string, OutboxAttempt[]>();
  for (const a of attempts) byItem.set(a.outboxId, [...(byItem.get(a.outboxId) ?? []), a]);
  return steps.map((s) => {
    const ids = enqueued(s.effects).map((e) => e.outboxId);
    const resultKey = RESULT.exec(s.input)?.[1];
    const resultId = resultKey ? byKey.get(resultKey) : undefined;
    if (resultId) ids.push(resultId);
    if (ids.length === 0) return s;
    return { ...s, attempts: ids.flatMap((id) => byItem.get(id) ?? []) };
  });
}
