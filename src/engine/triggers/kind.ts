/**
 * What the runtime needs to know about one kind of trigger, in one place: the key it is indexed
 * under, the events and fields it listens to, whether an event fires it, when a time trigger
 * fires, and its publish-time checks. One file per kind implements this; `index.ts` is the
 * registry, typed over the trigger union so that a kind without an entry is a compile error.
 * Pure: the event's facts and the record come in, answers come out.
 */
import type { FieldDef, ObjectName } from "../../crm/fields.js";
import type { Issue, IssuePath } from "../../crm/issues.js";
import type { FieldChangeFact } from "../conditions.js";
import type { Condition, TriggerSpec } from "../definition.js";

export type TriggerType = TriggerSpec["type"];
export type TriggerOf<T extends TriggerType> = Extract<TriggerSpec, { type: T }>;

/**
 * The facts of a domain event a trigger is tested on (the store's DomainEvent has them): its
 * type, its field changes, for an inbound delivery the key of its hook or form, and for an SLA
 * milestone the policy's name (`source`) and the milestone's facts (`detail`: its `level`…).
 */
export interface TriggerEvent {
  readonly type:
    | "record.created"
    | "record.updated"
    | "record.deleted"
    | "record.merged"
    | "external.received"
    | "sla.warning"
    | "sla.breached"
    | "sla.escalated"
    | "record.review_queued"
    | "record.email_engaged";
  readonly changes: readonly FieldChangeFact[];
  readonly source?: string | undefined;
  readonly detail?: Readonly<Record<string, unknown>> | undefined;
}
export type TriggerEventType = TriggerEvent["type"];

/**
 * The index key of record-based time triggers: record changes look these rows up to move their
 * due instants (runtime/time-triggers.ts). They are never fired by an event directly.
 */
export const TIME_INDEX_KEY = "time";

/** The publish-time checks a trigger may use (engine/checker.ts), reporting with paths. */
export interface TriggerChecks {
  push(path: IssuePath, code: Issue["code"], message: string): void;
  field(name: string, path: IssuePath, object?: ObjectName, allowPath?: boolean): FieldDef | undefined;
  value(f: FieldDef, v: unknown, path: IssuePath): void;
  condition(c: Condition, path: IssuePath): void;
}

/** When a time trigger fires. */
export type TriggerTime<T extends TriggerType> =
  | {
      /** Per record: an instant computed from one of its date fields, kept due as the record changes. */
      kind: "record";
      /** The field whose change moves the instant. */
      field(t: TriggerOf<T>): string;
      /** The instant it fires for this record (wall times in `zone`), or undefined when it never will. */
      instant(t: TriggerOf<T>, record: Readonly<Record<string, unknown>>, zone: string): number | undefined;
      /**
       * Where a kind re-arms once a run of a workflow that allows re-enrollment ended, when the
       * record's own instant is past: the instant counted from now. Absent: it does not re-arm.
       */
      rearm?(t: TriggerOf<T>, nowMs: number, zone: string): number;
    }
  | {
      /** Per workflow: occurrences of a calendar rule; each enrolls the object's records. */
      kind: "schedule";
      /** The next occurrence strictly after `afterMs`. */
      next(t: TriggerOf<T>, afterMs: number): number | undefined;
    };

export interface TriggerKind<T extends TriggerType> {
  /**
   * The `workflow_triggers.kind` a live version with this trigger is indexed under; undefined
   * when no event looks it up (started by hand, or by its schedule).
   */
  indexKey(t: TriggerOf<T>): string | undefined;
  /**
   * The events the matcher looks this kind up for, and the index key it looks up by (a string,
   * or computed from the event when the key names its source).
   */
  lookup?: { readonly events: readonly TriggerEventType[]; readonly key: string | ((e: TriggerEvent) => string) };
  /**
   * The fields an event must change for the trigger to fire at all (the trigger index files it
   * under them); absent or undefined: any event of its kinds may fire it.
   */
  watchedFields?(t: TriggerOf<T>): readonly string[] | undefined;
  /** Whether the event fires the trigger (before the trigger filter and enrollment conditions). */
  fires(t: TriggerOf<T>, e: TriggerEvent): boolean;
  /** Time triggers only. */
  time?: TriggerTime<T>;
  /** Publish-time checks against the object's fields, reported under `path`. */
  check(t: TriggerOf<T>, ck: TriggerChecks, object: ObjectName, path: IssuePath): void;
}

/** The change of `field` among the event's changes. */
export function changeOf(e: TriggerEvent, field: string): FieldChangeFact | undefined {
  return e.changes.find((c) => c.field === field);
}

/**
 * Equal as JSON values. Two strings are equal as JSON exactly when they are equal, and a string
 * never equals a non-string (only a string's JSON starts with a quote): those cases, the common
 * ones, skip the two stringifications.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  const sa = typeof a === "string";
  const sb = typeof b === "string";
  if (sa || sb) return sa && sb && a === b;
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The checks of a trigger that has none beyond its schema. */
export function noChecks(): void {}

/** The check of a time trigger's date field: known on the object, and a date or datetime. */
export function checkDateField(field: string, ck: TriggerChecks, object: ObjectName, path: IssuePath): void {
  const f = ck.field(field, [...path, "field"], object, false);
  if (f && f.type !== "date" && f.type !== "datetime") ck.push([...path, "field"], "invalid_value", `"${field}" is not a date field`);
}
