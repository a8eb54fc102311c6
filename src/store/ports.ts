/**
 * Storage ports: what the application needs from a database, and nothing about how.
 *
 * Glossary
 * - Workspace: a tenant. Every row carries its workspace id, and every read names one.
 * - Record: one row of a CRM object; its fields live in `data`, typed by the object's FieldDefs.
 * - Version: a record's optimistic-concurrency counter; a write names the version it read.
 * - Audit entry: who changed which fields of a record from what to what, when and as whom.
 * - Domain event: a committed fact (record.created / updated / deleted, external.received), appended
 *   in the same transaction as the change, with a position that increases in commit order.
 * - Idempotency key: a caller's key for one mutating request; its stored response is replayed to
 *   that caller only. Keys are per (workspace, caller): another caller's same key is another key.
 * - Caller: who sent a request, as one string (`token:<id>`; a web session would be `user:<id>`).
 *
 * Two adapters implement these ports (SQLite, PostgreSQL); test/store/conformance.ts runs
 * the same suite against both.
 */

import type { LastActivityPolicy } from "../crm/activity-counting.js";
import type { ActorRef } from "../crm/actor.js";
import type { CustomFieldDef } from "../crm/custom-fields.js";
import type { FieldDef, ObjectName } from "../crm/fields.js";
import type { CheckedFilter } from "../crm/filter.js";
import type { Role } from "../crm/objects.js";
import type { ConnectorReads, ConnectorWrites } from "./connector-ports.js";
import type { InboundReads, InboundWrites } from "./inbound-ports.js";
import type { OutboxClaims, OutboxReads, OutboxWrites } from "./outbox-ports.js";
import type { RateReads, RateWrites } from "./rate-ports.js";
import type { SuppressionReads, SuppressionWrites } from "./suppression-ports.js";
import type { WorkClaims, WorkflowReads, WorkflowWrites } from "./workflow-ports.js";

// The actor is domain vocabulary (crm/actor.ts); named here too, where every port user looks for it.
export type { ActorKind, ActorRef } from "../crm/actor.js";

export interface StoredRecord {
  workspaceId: string;
  id: string;
  object: ObjectName;
  version: number;
  data: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

export type RecordAction = "create" | "update" | "delete";

export interface AuditEntry {
  workspaceId: string;
  recordId: string;
  object: ObjectName;
  action: RecordAction;
  actor: ActorRef;
  changes: FieldChange[];
  at: string;
  requestId: string | null;
}

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

export interface Workspace {
  id: string;
  slug: string;
  name: string;
  timeZone: string;
  createdAt: string;
  /** Admin settings (015); absent = every default. */
  settings?: WorkspaceSettings;
}

export interface WorkspaceSettings {
  /** Which activities move `last_activity_at` (and restart inactivity). Default: see activity-counting.ts. */
  last_activity?: LastActivityPolicy;
}

export interface ApiToken {
  id: string;
  workspaceId: string;
  name: string;
  role: Role;
  /** SHA-256 of the secret part; the secret itself is shown once and never stored. */
  secretHash: string;
  userId: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export type SortDirection = "asc" | "desc";

export interface RecordQuery {
  workspaceId: string;
  object: ObjectName;
  filter?: CheckedFilter;
  sort: { field: FieldDef; direction: SortDirection };
  /** Keyset position: the sort value and id of the last row of the previous page. */
  after?: { value: unknown; id: string };
  limit: number;
}

/** A record field that points at another record: used to refuse deleting what is still referenced. */
export interface ReferenceProbe {
  object: ObjectName;
  field: string;
}

/** Whose key: a key means nothing outside its workspace and its caller. */
export interface IdempotencyScope {
  workspaceId: string;
  /** Who sent the request (`token:<id>`, later `user:<id>`); see the glossary. */
  caller: string;
  key: string;
}

export interface IdempotencyEntry extends IdempotencyScope {
  /** The caller's role when the key was claimed: a replay to a caller whose role changed is refused. */
  callerRole: string;
  fingerprint: string;
  state: "running" | "done";
  status: number | null;
  response: string | null;
  createdAt: string;
  /** The request holding (or that last held) the claim. */
  requestId: string | null;
}

/**
 * `abandoned` is the request id of an earlier claim whose process died before completing it:
 * the caller must find out whether that request committed before doing the work again.
 */
export type ClaimResult = { claimed: true; abandoned: string | null } | { claimed: false; existing: IdempotencyEntry };

/** Reads that see committed data (or, inside a transaction, that transaction's writes). */
export interface StoreReads extends WorkflowReads, RateReads, ConnectorReads, SuppressionReads, InboundReads {
  getRecord(workspaceId: string, id: string): Promise<StoredRecord | undefined>;
  getRecords(workspaceId: string, ids: readonly string[]): Promise<StoredRecord[]>;
  queryRecords(query: RecordQuery): Promise<StoredRecord[]>;
  countRecords(workspaceId: string, object: ObjectName): Promise<number>;
  /** The first record that still points at `id` through one of the probed fields. */
  findReferrer(workspaceId: string, id: string, probes: readonly ReferenceProbe[]): Promise<StoredRecord | undefined>;
  readAudit(workspaceId: string, recordId: string, limit: number): Promise<AuditEntry[]>;
  /** Audit entries written by one request (how an abandoned idempotent request is recognised). */
  auditOfRequest(workspaceId: string, requestId: string, limit: number): Promise<AuditEntry[]>;
  readEvents(afterPosition: number, limit: number, workspaceId?: string): Promise<DomainEvent[]>;
  /** One event by id (loop stops walk a chain back through its causes). */
  getEvent(workspaceId: string, id: string): Promise<DomainEvent | undefined>;
  listCustomFields(workspaceId: string): Promise<CustomFieldDef[]>;
  getWorkspace(id: string): Promise<Workspace | undefined>;
  getWorkspaceBySlug(slug: string): Promise<Workspace | undefined>;
  findTokenBySecretHash(secretHash: string): Promise<ApiToken | undefined>;
  listTokens(workspaceId: string): Promise<ApiToken[]>;
}

export interface StoreWrites extends WorkflowWrites, RateWrites, ConnectorWrites, SuppressionWrites, InboundWrites {
  /**
   * Reads records and locks them until the transaction ends, in id order (so that two writers
   * never wait on each other crosswise). A concurrent writer of the same rows waits its turn.
   */
  getRecordsForUpdate(workspaceId: string, ids: readonly string[]): Promise<StoredRecord[]>;
  /**
   * The records as they are to be written under the version guard of `updateRecord`: a copy
   * this transaction has already read or written is used as it is (no round trip), the others
   * are read as getRecordsForUpdate reads them. A copy read without a lock may be stale; the
   * guarded write then returns false, and the caller reads the row again with
   * getRecordsForUpdate (which locks it) and retries.
   */
  getRecordsToWrite(workspaceId: string, ids: readonly string[]): Promise<StoredRecord[]>;
  insertRecords(records: readonly StoredRecord[]): Promise<void>;
  /** Writes `record` if the stored version is still `expectedVersion`; false when it moved on. */
  updateRecord(record: StoredRecord, expectedVersion: number): Promise<boolean>;
  deleteRecord(workspaceId: string, id: string, expectedVersion: number): Promise<boolean>;
  appendAudit(entries: readonly AuditEntry[]): Promise<void>;
  appendEvents(events: readonly NewDomainEvent[]): Promise<void>;
  /**
   * Runs `fn` under a savepoint of the transaction: when it throws, its writes and the events it
   * appended are undone and the transaction goes on without them (group commit runs each
   * writer's work this way, so that one refused write does not undo the others).
   */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
  /** Waits for, then holds until the transaction ends, a lock named by `key` (see SqlDialect.lockKey). */
  lockKey(key: string): Promise<void>;
  insertCustomField(workspaceId: string, field: CustomFieldDef): Promise<void>;
  insertWorkspace(workspace: Workspace): Promise<void>;
  updateWorkspaceSettings(id: string, settings: WorkspaceSettings): Promise<void>;
  insertToken(token: ApiToken): Promise<void>;
  revokeToken(workspaceId: string, id: string, at: string): Promise<boolean>;
}

export interface StoreTx extends StoreReads, StoreWrites {}

export interface Store extends StoreReads, WorkClaims {
  /** Which database this is: for logs and the health check, never for a decision (a difference is a capability below). */
  readonly dialect: "sqlite" | "postgres";
  /**
   * Whether write transactions run side by side, each locking only the rows it writes
   * (PostgreSQL), or one after another (SQLite: one writer per database). The worker runs its
   * lanes of work at once only when they do.
   */
  readonly concurrentWriters: boolean;
  /** Runs `fn` in one transaction: all of its writes commit together or none do. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Idempotency keys live outside the request's transaction: claim first, complete after. */
  claimIdempotencyKey(entry: IdempotencyEntry, staleBefore: string): Promise<ClaimResult>;
  completeIdempotencyKey(scope: IdempotencyScope, status: number, response: string): Promise<void>;
  releaseIdempotencyKey(scope: IdempotencyScope): Promise<void>;
  migrate(): Promise<void>;
  /**
   * Settings of the database server that hurt Handoff (today: PostgreSQL without autovacuum),
   * each a sentence for the operator; logged at start-up. Empty when all is well.
   */
  serverWarnings(): Promise<string[]>;
  /** Single-row insert into a scratch table: the raw ceiling benchmarks compare against. */
  rawInsert(payload: string): Promise<void>;
  close(): Promise<void>;
}

// The outbox's ports join the store's by declaration merging (each feature adds its own lines).
export interface StoreReads extends OutboxReads {}
export interface StoreWrites extends OutboxWrites {}
export interface Store extends OutboxClaims {}
