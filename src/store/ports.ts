/**
 * Storage ports: what the application needs from a database, and nothing about how.
 *
 * The store is a set of small ports, one per concept, each in its own `*-ports.ts` file with its
 * glossary: a transaction has them as properties (`tx.records.getRecord(…)`, `tx.runs.updateRun(…)`),
 * and the store has their committed reads and claims (`store.records.getRecord(…)`,
 * `store.work.claimWork(…)`). A new feature adds a port — a file, and one line in `TxPorts` and/or
 * `StorePorts` below — instead of widening an interface every caller sees; the adapters' port
 * table (sql/sql-ports.ts) is typed over these lists, so a port that is not wired is a compile error.
 *
 * Glossary (the words every port uses; each port's own words are in its file)
 * - Workspace: a tenant. Every row carries its workspace id, and every read names one.
 * - Port: one concept's reads and writes (`XReads` is the part that also reads committed data
 *   outside a transaction, `XPort` the transaction's whole port, `XClaims` what only the store does).
 * - Transaction: one unit of work: all of its writes commit together or none do. Its reads see
 *   its own writes; sql/unit-of-work.ts holds the rules that make that cheap.
 *
 * Two adapters implement these ports (SQLite, PostgreSQL); test/store/conformance.ts runs
 * the same suite against both.
 */

import type { AiModelPort, AiModelReads } from "./ai-ports.js";
import type { ApprovalPort, ApprovalReads } from "./approval-ports.js";
import type { AuditPort, AuditReads } from "./audit-ports.js";
import type { CalendarPort, CalendarReads } from "./calendar-ports.js";
import type { ConfigAuditPort, ConfigAuditReads } from "./config-audit-ports.js";
import type { ConnectorPort, ConnectorReads } from "./connector-ports.js";
import type { CredentialPort, CredentialReads } from "./credential-ports.js";
import type { CustomFieldPort, CustomFieldReads } from "./custom-field-ports.js";
import type { DataQualityPort, DataQualityReads } from "./data-quality-ports.js";
import type { DuplicatePort, DuplicateReads } from "./duplicate-ports.js";
import type { EmailTrackingPort, EmailTrackingReads } from "./email-tracking-ports.js";
import type { EventPort, EventReads } from "./event-ports.js";
import type { FormPort, FormReads } from "./form-ports.js";
import type { IdempotencyPort } from "./idempotency-ports.js";
import type { InboundDeliveryPort, InboundDeliveryReads } from "./inbound-delivery-ports.js";
import type { InboundHookPort, InboundHookReads } from "./inbound-hook-ports.js";
import type { KpiPort, KpiReads } from "./kpi-ports.js";
import type { MergePort, MergeReads } from "./merge-ports.js";
import type { NotificationPort, NotificationReads } from "./notification-ports.js";
import type { OperationsReads } from "./operations-ports.js";
import type { OutboxClaims, OutboxPort, OutboxReads } from "./outbox-ports.js";
import type { PredictionPort, PredictionReads } from "./prediction-ports.js";
import type { QuotaPort } from "./quota-ports.js";
import type { RatePort, RateReads } from "./rate-ports.js";
import type { RecordPort, RecordReads } from "./record-ports.js";
import type { ReviewClaims, ReviewPort, ReviewReads } from "./review-ports.js";
import type { ReviewQueuePort, ReviewQueueReads } from "./review-queue-ports.js";
import type { RotationPort } from "./rotation-ports.js";
import type { RoutingPort, RoutingReads } from "./routing-ports.js";
import type { RunPort, RunReads } from "./run-ports.js";
import type { SandboxCopyPort } from "./sandbox-ports.js";
import type { ScheduleClaims, SchedulePort } from "./schedule-ports.js";
import type { ScoreClaims, ScorePort, ScoreReads, ScoringClaims, ScoringPort, ScoringReads } from "./scoring-ports.js";
import type { SessionPort, SessionReads } from "./session-ports.js";
import type { SlaClaims, SlaPort, SlaReads } from "./sla-ports.js";
import type { SubscriptionPort, SubscriptionReads } from "./subscription-ports.js";
import type { SuppressionPort, SuppressionReads } from "./suppression-ports.js";
import type { TokenPort, TokenReads } from "./token-ports.js";
import type { TriggerPort, TriggerReads } from "./trigger-ports.js";
import type { WorkClaims, WorkPort, WorkReads } from "./work-ports.js";
import type { WorkflowPort, WorkflowReads } from "./workflow-ports.js";
import type { WorkflowTestPort, WorkflowTestReads } from "./workflow-test-ports.js";
import type { WorkspacePort, WorkspaceReads } from "./workspace-ports.js";

// The vocabulary most callers need, from one place (each type is defined with its port).
export type { ActorKind, ActorRef, AuditEntry, FieldChange, RecordAction } from "./audit-ports.js";
export type { SignInCandidate } from "./credential-ports.js";
export type { DomainEvent, EventType, NewDomainEvent, ObjectEventQuery } from "./event-ports.js";
export type { ClaimResult, IdempotencyEntry, IdempotencyScope } from "./idempotency-ports.js";
export type { FieldChoice, MergeRow, MovedReference } from "./merge-ports.js";
export type { RecordQuery, ReferenceProbe, SortDirection, StoredRecord } from "./record-ports.js";
export type { WebSession } from "./session-ports.js";
export type { ApiToken } from "./token-ports.js";
export type { Workspace, WorkspaceSettings } from "./workspace-ports.js";

/**
 * Reads that see committed data (the store's) or, inside a transaction, that transaction's
 * writes too (the transaction's): what code that works either way takes.
 */
export interface StoreReads {
  records: RecordReads;
  audit: AuditReads;
  events: EventReads;
  workspaces: WorkspaceReads;
  tokens: TokenReads;
  credentials: CredentialReads;
  sessions: SessionReads;
  customFields: CustomFieldReads;
  workflows: WorkflowReads;
  triggers: TriggerReads;
  runs: RunReads;
  work: WorkReads;
  rates: RateReads;
  notifications: NotificationReads;
  connectors: ConnectorReads;
  configAudit: ConfigAuditReads;
  suppressions: SuppressionReads;
  outbox: OutboxReads;
  hooks: InboundHookReads;
  forms: FormReads;
  inboundDeliveries: InboundDeliveryReads;
  subscriptions: SubscriptionReads;
  routing: RoutingReads;
  calendars: CalendarReads;
  sla: SlaReads;
  approvals: ApprovalReads;
  workflowTests: WorkflowTestReads;
  reviews: ReviewReads;
  reviewQueue: ReviewQueueReads;
  merges: MergeReads;
  dataQuality: DataQualityReads;
  duplicates: DuplicateReads;
  emailTracking: EmailTrackingReads;
  scoring: ScoringReads;
  scores: ScoreReads;
  kpis: KpiReads;
  aiModels: AiModelReads;
  predictions: PredictionReads;
}

/** Every port of a transaction, by name: a new feature's port is one more line here. */
export interface TxPorts extends StoreReads {
  records: RecordPort;
  audit: AuditPort;
  events: EventPort;
  workspaces: WorkspacePort;
  tokens: TokenPort;
  credentials: CredentialPort;
  sessions: SessionPort;
  customFields: CustomFieldPort;
  workflows: WorkflowPort;
  triggers: TriggerPort;
  schedules: SchedulePort;
  runs: RunPort;
  work: WorkPort;
  quotas: QuotaPort;
  rates: RatePort;
  rotations: RotationPort;
  notifications: NotificationPort;
  connectors: ConnectorPort;
  configAudit: ConfigAuditPort;
  suppressions: SuppressionPort;
  outbox: OutboxPort;
  hooks: InboundHookPort;
  forms: FormPort;
  inboundDeliveries: InboundDeliveryPort;
  subscriptions: SubscriptionPort;
  routing: RoutingPort;
  calendars: CalendarPort;
  sla: SlaPort;
  approvals: ApprovalPort;
  workflowTests: WorkflowTestPort;
  reviews: ReviewPort;
  reviewQueue: ReviewQueuePort;
  merges: MergePort;
  dataQuality: DataQualityPort;
  duplicates: DuplicatePort;
  emailTracking: EmailTrackingPort;
  scoring: ScoringPort;
  scores: ScorePort;
  kpis: KpiPort;
  aiModels: AiModelPort;
  predictions: PredictionPort;
}

/** Every port of the store itself (outside a transaction): committed reads, and claims. */
export interface StorePorts extends StoreReads {
  work: WorkReads & WorkClaims;
  schedules: ScheduleClaims;
  sla: SlaReads & SlaClaims;
  scoring: ScoringReads & ScoringClaims;
  scores: ScoreReads & ScoreClaims;
  reviews: ReviewReads & ReviewClaims;
  outbox: OutboxReads & OutboxClaims;
  idempotency: IdempotencyPort;
  /** A workspace read out for a sandbox, or written into one (issue 19). */
  sandboxCopy: SandboxCopyPort;
  /** What an operator's monitoring reads: runs by state, outbox depth, matcher and work lag (GET /metrics). */
  operations: OperationsReads;
}

export interface StoreTx extends TxPorts {
  /**
   * Runs `fn` under a savepoint of the transaction: when it throws, its writes and the events it
   * appended are undone and the transaction goes on without them (group commit runs each
   * writer's work this way, so that one refused write does not undo the others).
   */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
  /** Waits for, then holds until the transaction ends, a lock named by `key` (see SqlDialect.lockKey). */
  lockKey(key: string): Promise<void>;
}

export interface Store extends StorePorts {
  readonly dialect: "sqlite" | "postgres";
  /**
   * Whether write transactions run side by side, each locking only the rows it writes
   * (PostgreSQL), or one after another (SQLite: one writer per database). The worker runs its
   * lanes of work at once only when they do.
   */
  readonly concurrentWriters: boolean;
  /** Runs `fn` in one transaction: all of its writes commit together or none do. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  /**
   * Settings of the database server that hurt Handoff (today: PostgreSQL without autovacuum),
   * each a sentence for the operator; logged at start-up. Empty when all is well.
   */
  serverWarnings(): Promise<string[]>;
  close(): Promise<void>;
}
