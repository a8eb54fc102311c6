/**
 * Storage port of the domain event log and of its consumers' cursors.
 *
 * Glossary
 * - Domain event: a committed fact (record.created / updated / deleted, external.received), appended
 *   in the same transaction as the change, with a position that increases in commit order.
 * - Event cursor: how far a consumer (the trigger matcher) has read the domain event log.
 * - SLA event: a milestone of an SLA clock fired on the record (`sla.warning`, `sla.breached`,
 *   `sla.escalated`; runtime/sla): its `source` is the policy's name (what `sla` triggers name)
 *   and its `detail` the milestone's facts (`SlaEventDetail`).
 */
import type { ObjectName } from "../crm/fields.js";
import type { ActorRef, FieldChange } from "./audit-ports.js";

/**
 * `external.received`: an inbound hook or a form delivered data about the record (issue 4).
 * `record.merged`: another record was merged into this one (the survivor; issue 20): its `changes`
 * are the fields the merge changed, its `detail` the merge (`MergedEventDetail`).
 * `record.review_queued`: the record entered the data review queue: `source` the item's kind,
 * `detail` ReviewQueuedDetail (issue 20).
 * `record.email_engaged`: the record's person opened an email Handoff sent them or clicked one of
 * its links (tracking on; once per message, and once per message and link): `source` "opened" or
 * "clicked", `detail` EmailEngagedDetail (issue 21).
 */
export type EventType =
  | "record.created"
  | "record.updated"
  | "record.deleted"
  | "record.merged"
  | "external.received"
  | SlaEventType
  | "record.review_queued"
  | "record.email_engaged";

/** What a `record.email_engaged` event carries (`detail`), snake_case as served. */
export interface EmailEngagedDetail {
  /** The tracked message (its outbox item's id). */
  message_id: string;
  /** The `email_opened` / `email_clicked` activity recorded with it. */
  activity_id: string;
  subject: string;
  /** A click's target. */
  url: string | null;
}

/** What a `record.merged` event carries (`detail`), snake_case as served. */
export interface MergedEventDetail {
  merge_id: string;
  merged_id: string;
  /** How many references to the merged record now point at the survivor. */
  moved: number;
}

/** What a `record.review_queued` event carries (`detail`), snake_case as served. */
export interface ReviewQueuedDetail {
  item_id: string;
  kind: string;
  reason: string;
  other_record_id: string | null;
}

/** A milestone of an SLA clock fired on the record (issue 17; docs/sla.md "Milestones as events"). */
export type SlaEventType = "sla.warning" | "sla.breached" | "sla.escalated";
export const SLA_EVENT_TYPES: readonly SlaEventType[] = ["sla.warning", "sla.breached", "sla.escalated"];

export function isSlaEvent(type: EventType): type is SlaEventType {
  return type === "sla.warning" || type === "sla.breached" || type === "sla.escalated";
}

/** What an SLA event carries (`detail`), snake_case as served. */
export interface SlaEventDetail {
  policy_id: string;
  policy_name: string;
  clock_id: string;
  /** The milestone's key: "warning", "breach", "level:2" … */
  milestone: string;
  /** 0 the warning, 1 the breach, 2… the escalation levels. */
  level: number;
  /** The instant the milestone fell due (ISO). */
  due_at: string;
}

export interface NewDomainEvent {
  id: string;
  workspaceId: string;
  type: EventType;
  object: ObjectName;
  recordId: string;
  recordVersion: number;
  actor: ActorRef;
  /** The event or run that caused this change (loop detection follows this chain). */
  causeId: string | null;
  changes: FieldChange[];
  occurredAt: string;
  /** Causal depth: 0 for a person's or an integration's write, run depth for a workflow's. */
  depth: number;
  /**
   * external.received: the key of the hook or form it came through (what `external` triggers
   * name); an SLA event: the policy's name (what `sla` triggers name).
   */
  source?: string;
  /** SLA events: the milestone's facts (SlaEventDetail). */
  detail?: Record<string, unknown>;
}

export interface DomainEvent extends NewDomainEvent {
  /** Increases in commit order across the whole store. */
  position: number;
}

/** Events of one object and some types in a period, for replaying the triggers a workflow received. */
export interface ObjectEventQuery {
  workspaceId: string;
  object: ObjectName;
  types: readonly EventType[];
  /** Occurred at or after this instant (ISO 8601). */
  since?: string;
  /** Occurred before this instant (ISO 8601). */
  until?: string;
  /** Only events after this position of the log (when a workflow first went live). */
  afterPosition?: number;
  limit: number;
}

export interface EventReads {
  readEvents(afterPosition: number, limit: number, workspaceId?: string): Promise<DomainEvent[]>;
  /** The newest `limit` events of the query, newest first. */
  eventsOfObject(q: ObjectEventQuery): Promise<DomainEvent[]>;
  /** One event by id (loop stops walk a chain back through its causes). */
  getEvent(workspaceId: string, id: string): Promise<DomainEvent | undefined>;
  /** The highest event position committed so far (0 when none). */
  lastEventPosition(): Promise<number>;
}

export interface EventPort extends EventReads {
  /**
   * Queued in a transaction and inserted just before it commits: the event log is locked from its
   * insert until the commit (positions in commit order), so the later the insert, the shorter
   * other writers wait.
   */
  appendEvents(events: readonly NewDomainEvent[]): Promise<void>;
  /** Locks and reads a consumer's cursor (PostgreSQL: FOR UPDATE; one matcher at a time). */
  lockCursor(consumer: string): Promise<number>;
  setCursor(consumer: string, position: number): Promise<void>;
}
