/**
 * Storage ports of the outbox (engineering.md §3.4).
 *
 * Glossary
 * - Outbox item: one external effect (`OutboxItem` below), inserted in the transaction that
 *   decided it, unique per (workspace, key): enqueueing the same key twice is a no-op.
 * - Status: pending (due at `nextAttemptAt`) → delivered, or → dead (permanent failure or
 *   attempts exhausted). A dead item can be replayed: pending again, same key, attempts from 0.
 * - Claim: the dispatcher leases due pending items, judged by the database clock, and bumps their
 *   attempt counter. Settling is fenced by (lease owner, attempt): a dispatcher whose lease lapsed
 *   and whose item was claimed again cannot record an outcome.
 * - Settlement: the outcome written back — delivered, retry at a later instant, dead, or deferred
 *   (not attempted at all: breaker open or rate cap; the attempt is given back).
 */

/**
 * Which deliverer takes an item: a connector's (email, http, chat — see the connector registry,
 * src/connectors/registry.ts) or `webhook`. The store keeps it as a name; the registry owns the set,
 * so that a new connector is its folder and one registry line, not an edit of this port.
 */
export type OutboxKind = string;

export type OutboxStatus = "pending" | "delivered" | "dead";

export interface OutboxItem {
  workspaceId: string;
  id: string;
  /** Stable idempotency key: `run:step:seq` for workflow actions, `sub:event` for webhooks. */
  key: string;
  kind: OutboxKind;
  /** The connector's key (email, http, chat) or null (webhook: the subscription holds its target). */
  connector: string | null;
  /** Webhook subscription id, when kind = webhook. */
  subscriptionId: string | null;
  /** The run waiting for the outcome, if any, and the record it concerns. */
  runId: string | null;
  recordId: string | null;
  /** Rendered when enqueued; never holds a secret. Shape depends on `kind` (the payloads of src/connectors/contract.ts). */
  payload: unknown;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export type NewOutboxItem = Pick<
  OutboxItem,
  "workspaceId" | "id" | "key" | "kind" | "connector" | "subscriptionId" | "runId" | "recordId" | "payload" | "nextAttemptAt"
>;

/** An item as stored, with what the dispatcher and the dead-letter list show beyond the contract. */
export interface OutboxRow extends OutboxItem {
  leaseOwner: string | null;
  /** HTTP status or SMTP code of the last attempt. */
  lastStatus: number | null;
  /** What the receiver answered on delivery (the parsed response, capped by the deliverer). */
  result: unknown;
  deliveredAt: string | null;
  replayedBy: string | null;
  replayedAt: string | null;
}

export type Settlement =
  | { status: "delivered"; lastStatus: number | null; result: unknown }
  | { status: "retry"; delayMs: number; error: string; lastStatus: number | null }
  | { status: "dead"; error: string; lastStatus: number | null }
  /** Not attempted (breaker open, rate cap): due again after `delayMs`, the claim's attempt given back. */
  | { status: "deferred"; delayMs: number };

/** One delivery attempt of an item, as the run log shows it. */
export interface OutboxAttempt {
  outboxId: string;
  /** 1, 2, 3 … (from 1 again after a replay). */
  attempt: number;
  at: string;
  /** delivered; retry (a transient failure, tried again at `nextAttemptAt`); dead (given up). */
  outcome: "delivered" | "retry" | "dead";
  /** HTTP status or SMTP code, when the receiver answered. */
  status: number | null;
  error: string | null;
  nextAttemptAt: string | null;
}

export interface OutboxQuery {
  workspaceId: string;
  status?: OutboxStatus;
  kind?: OutboxKind;
  /** Only items that have failed at least once (with `status: "pending"`: failing, being retried). */
  attempted?: boolean;
  limit: number;
  /** Keyset cursor: items with an id below this one (newest first). */
  beforeId?: string;
}

export interface OutboxReads {
  getOutboxItem(workspaceId: string, id: string): Promise<OutboxRow | undefined>;
  listOutbox(q: OutboxQuery): Promise<OutboxRow[]>;
  /** The attempts of these items, oldest first. */
  listOutboxAttempts(workspaceId: string, outboxIds: readonly string[]): Promise<OutboxAttempt[]>;
}

export interface OutboxPort extends OutboxReads {
  /** Inserts items; one whose (workspace, key) exists already is skipped. Returns how many were new. */
  insertOutboxItems(items: readonly NewOutboxItem[]): Promise<number>;
  /**
   * Records an attempt's outcome if `owner` still holds the lease at `attempt`, and (unless it was
   * deferred, not attempted) the attempt itself in the item's attempt history; false (nothing
   * written) when the lease was lost. Retry and deferral instants are by the database clock.
   */
  settleOutbox(workspaceId: string, id: string, owner: string, attempt: number, s: Settlement, now: string): Promise<boolean>;
  /** Dead → pending now, same key, attempts reset, who replayed recorded. Undefined if not dead (or absent). */
  replayDeadLetter(workspaceId: string, id: string, by: string, now: string): Promise<OutboxRow | undefined>;
}

/** The store's, not a transaction's: each claim is its own statement on the pool. */
export interface OutboxClaims {
  /** Leases up to `limit` due pending items (database clock, SKIP LOCKED on PostgreSQL) and counts the attempt. */
  claimOutbox(owner: string, limit: number, leaseMs: number): Promise<OutboxRow[]>;
  /** Extends the leases this owner still holds on in-flight items (the heartbeat). */
  extendOutboxLeases(owner: string, items: ReadonlyArray<{ workspaceId: string; id: string }>, leaseMs: number): Promise<void>;
  /** The database's plan for the claim's due-row lookup (a test checks it uses the due-time index). */
  explainOutboxClaim(): Promise<string>;
}
