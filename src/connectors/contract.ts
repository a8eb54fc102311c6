/**
 * The contract between the outbox and the systems it reaches (issue 4). Shared by the outbox
 * dispatcher (runtime), the connector adapters (smtp, http, chat, webhook) and the connector
 * directory (encrypted settings). Types only: each side implements its part.
 *
 * Glossary
 * - Connector: a workspace's named settings for one outside system (`key` "email" is the
 *   workspace's SMTP server, "enrichment" an HTTP API …): public `config` plus `secrets` that are
 *   encrypted at rest and only decrypted here, at delivery time.
 * - Outbox item: one external effect to perform, with a stable idempotency `key` per (run, step)
 *   or per (subscription, event). Its payload is rendered when it is enqueued and holds no secret.
 * - Delivery: one attempt at an outbox item; its outcome says whether to retry and when.
 * - Dead letter: an outbox item that gave up (permanent failure or attempts exhausted); it can be
 *   replayed, which makes it pending again under the same key.
 */

import type { StoreTx } from "../store/ports.js";

export type ConnectorKind = "smtp" | "http" | "chat";

/** A connector with its secrets decrypted: lives only for the length of one delivery. */
export interface ResolvedConnector {
  id: string;
  key: string;
  kind: ConnectorKind;
  config: Readonly<Record<string, unknown>>;
  secrets: Readonly<Record<string, string>>;
}

/**
 * Looks connectors up by key and decrypts their secrets. Throws SecretsUnavailableError when the
 * master key cannot decrypt them: delivery then fails closed (nothing is sent).
 */
export interface ConnectorDirectory {
  resolve(workspaceId: string, key: string): Promise<ResolvedConnector | undefined>;
}

export class SecretsUnavailableError extends Error {
  readonly retryable = false;
}

export type OutboxKind = "email" | "http" | "chat" | "webhook";

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
  /** Rendered when enqueued; never holds a secret. Shape depends on `kind` (see payloads below). */
  payload: unknown;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EmailPayload {
  to: string;
  subject: string;
  html?: string;
  text?: string;
  /** `<key@handoff>`: the same on every attempt, so a receiver can drop duplicates. */
  messageId: string;
  /** Display name on the connector's From address (the record owner's name for a personal email). */
  fromName?: string;
  /** Where replies go (the record owner's address for a personal email). */
  replyTo?: string;
}

export interface HttpPayload {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Appended to the connector's base_url. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** record field → JSON pointer into the response body (e.g. { industry: "/company/industry" }). */
  mapResponse?: Record<string, string>;
  /** Only fill fields that are empty on the record (enrichment). */
  onlyIfEmpty?: boolean;
}

export interface ChatPayload {
  text: string;
}

export interface WebhookPayload {
  /** Standard Webhooks body: { type, timestamp, data }. */
  type: string;
  timestamp: string;
  data: unknown;
}

/** One attempt's outcome, classified for the retry policy. */
export type DeliveryOutcome =
  | {
      ok: true;
      /** HTTP status or SMTP reply code. */
      status?: number;
      /** Parsed response body (HTTP JSON) for response mapping; capped in size. */
      response?: unknown;
      detail: string;
    }
  | {
      ok: false;
      /** False for a permanent failure (4xx other than 408/429, SMTP 5xx, refused by the egress guard). */
      retryable: boolean;
      /** From Retry-After, when the receiver said when to come back. */
      retryAfterMs?: number;
      status?: number;
      error: string;
      /** SMTP 5xx on the recipient: the address bounced. */
      bounced?: string;
    };

export interface DeliveryContext {
  attempt: number;
  signal: AbortSignal;
}

/** Delivers one kind of outbox item. */
export interface Deliverer {
  kind: OutboxKind;
  /** The destination a circuit breaker and rate cap count against (host:port). */
  destination(item: OutboxItem, connector: ResolvedConnector | undefined): string;
  deliver(item: OutboxItem, connector: ResolvedConnector | undefined, ctx: DeliveryContext): Promise<DeliveryOutcome>;
}

/**
 * Called in the transaction that records an outcome (delivered, rescheduled or dead), for the
 * effects a kind has beyond the outbox row: an email activity on the record, a bounced address
 * suppressed. Registered per kind in the composition root.
 */
export type SettledHook = (tx: StoreTx, item: OutboxItem, outcome: DeliveryOutcome, final: boolean) => Promise<void>;
