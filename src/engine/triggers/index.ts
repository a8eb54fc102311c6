/**
 * The trigger registry: one entry per trigger kind of the format (definition.ts), each in its
 * own file. The matcher, the trigger index, time triggers, publish-time checks and the workflow
 * service read what they need of a kind from here. To add a kind: its schema variant in
 * definition.ts, its file here, and one line below — leaving the line out is a compile error.
 */
import { emailEngaged } from "./email-engaged.js";
import { external } from "./external.js";
import { fieldChanged } from "./field-changed.js";
import { inactivity } from "./inactivity.js";
import type { TriggerEvent, TriggerEventType, TriggerKind, TriggerType } from "./kind.js";
import { manual } from "./manual.js";
import { recordCreated } from "./record-created.js";
import { recordDeleted } from "./record-deleted.js";
import { recordMerged } from "./record-merged.js";
import { recordUpdated } from "./record-updated.js";
import { relativeDate } from "./relative-date.js";
import { reviewQueued } from "./review-queued.js";
import { schedule } from "./schedule.js";
import { scoreThreshold } from "./score-threshold.js";
import { sla } from "./sla.js";

export type { TriggerChecks, TriggerEvent, TriggerKind, TriggerOf, TriggerTime, TriggerType } from "./kind.js";
export { TIME_INDEX_KEY } from "./kind.js";

/** In the order of the format: lookups list their keys in this order. */
export const TRIGGERS: { readonly [T in TriggerType]: TriggerKind<T> } = {
  record_created: recordCreated,
  record_updated: recordUpdated,
  record_deleted: recordDeleted,
  record_merged: recordMerged,
  field_changed: fieldChanged,
  relative_date: relativeDate,
  inactivity,
  score_threshold: scoreThreshold,
  external,
  manual,
  review_queued: reviewQueued,
  schedule,
  sla,
  email_engaged: emailEngaged,
};

/** The registry's entry for this trigger. */
export function triggerKind<S extends { type: TriggerType }>(t: S): TriggerKind<S["type"]> {
  // The entry under t.type is the one for t; TypeScript does not correlate a key with its value.
  return TRIGGERS[t.type] as unknown as TriggerKind<S["type"]>;
}

const ALL = Object.values(TRIGGERS) as ReadonlyArray<TriggerKind<TriggerType>>;

/** Per event type, the kinds it is looked up for, and their keys when none depends on the event. */
const LOOKUPS = new Map(
  (
    [
      "record.created",
      "record.updated",
      "record.deleted",
      "record.merged",
      "external.received",
      "sla.warning",
      "sla.breached",
      "sla.escalated",
      "record.review_queued",
      "record.email_engaged",
    ] as const
  ).map((type) => {
    const keys = ALL.flatMap((k) => (k.lookup?.events.includes(type) ? [k.lookup.key] : []));
    const fixed = keys.every((k) => typeof k === "string") ? (keys as string[]) : undefined;
    return [type, { keys, fixed }] as const;
  }),
) as ReadonlyMap<TriggerEventType, { keys: ReadonlyArray<string | ((e: TriggerEvent) => string)>; fixed: readonly string[] | undefined }>;

/** The trigger index keys an event is looked up by (record events: the same list every time). */
export function lookupKeys(e: TriggerEvent): readonly string[] {
  const lookup = LOOKUPS.get(e.type);
  if (!lookup) return [];
  return lookup.fixed ?? lookup.keys.map((k) => (typeof k === "string" ? k : k(e)));
}

/** The kinds whose records can be past their instant when a workflow is published: they may backfill. */
export const BACKFILL_TRIGGERS: readonly TriggerType[] = (Object.keys(TRIGGERS) as TriggerType[]).filter(
  (type) => TRIGGERS[type].time?.kind === "record",
);
