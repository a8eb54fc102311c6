/**
 * Storage port of the domain event log and of its consumers' cursors.
 *
 * Glossary
 * - Domain event: a committed fact (record.created / updated / deleted, external.received), appended
 *   in the same transaction as the change, with a position that increases in commit order.
 * - Event cursor: how far a consumer (the trigger matcher) has read the domain event log.
 */
import type { ObjectName } from "../crm/fields.js";
import type { ActorRef, FieldChange } from "./audit-ports.js";

/** `external.received`: an inbound hook or a form delivered data about the record (issue 4). */
export type EventType = "record.created" | "record.updated" | "record.deleted" | "external.received";

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
  /** external.received: the key of the hook or form it came through (what `external` triggers name). */
  source?: string;
}

export interface DomainEvent extends NewDomainEvent {
  /** Increases in commit order across the whole store. */
  position: number;
}

export interface EventReads {
  readEvents(afterPosition: number, limit: number, workspaceId?: string): Promise<DomainEvent[]>;
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
