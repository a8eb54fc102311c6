/**
 * `external`: a delivery to the inbound hook or form with this key (`external.received`). The
 * index holds these triggers under one kind per key, so a delivery looks up only the workflows
 * that name its source, not every external trigger.
 */
import { noChecks, type TriggerKind } from "./kind.js";

/** The trigger index kind of the external triggers naming this hook or form key. */
export function externalKind(key: string): string {
  return `external:${key}`;
}

export const external: TriggerKind<"external"> = {
  indexKey: (t) => externalKind(t.key),
  lookup: { events: ["external.received"], key: (e) => externalKind(e.source ?? "") },
  fires: (t, e) => e.type === "external.received" && e.source === t.key,
  check: noChecks,
};
