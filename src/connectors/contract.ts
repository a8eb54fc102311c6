/**
 * The contract between the outbox and the systems it reaches (issue 4). Shared by the outbox
 * dispatcher and the payload rendering (runtime), the connectors (smtp, http, chat, webhook), the
 * connector directory (encrypted settings) and the two registries (src/connectors/registry.ts,
 * src/connectors/actions.ts). Types only: each side implements its part. A connector imports this
 * file, egress/ and the template sandbox, nothing else of ours: what it needs of the store or of
 * the application is declared here and handed in.
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
 * - External action: an action of a workflow that leaves Handoff (send_email, http_request,
 *   send_chat); its payload builder renders it over the outbox view when it is enqueued.
 * - Outbox view: the records an external action is rendered from, loaded in the step's transaction.
 */

import type { z } from "zod";
import type { ActionSpec, EXTERNAL_ACTIONS } from "../engine/definition.js";
import type { OutboxItem, OutboxKind } from "../store/outbox-ports.js";
import type { StoredRecord } from "../store/ports.js";
import type { SuppressionReads } from "../store/suppression-ports.js";
import type { EgressGuard } from "./egress/guard.js";

// The outbox's own types live with the outbox (store/outbox-ports.ts); a connector sees them here.
export type { OutboxItem, OutboxKind };

/** A connector with its secrets decrypted: lives only for the length of one delivery. */
export interface ResolvedConnector {
  id: string;
  key: string;
  /** A key of the connector registry (smtp, http, chat …). */
  kind: string;
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

/** What a connector's deliverer may be built from (the composition root supplies it). */
export interface DelivererDeps {
  /** The egress guard every outbound call passes. */
  egress: EgressGuard;
  /** Clock for Retry-After dates and signatures, in ms. */
  now: () => number;
  /** Suppressed email addresses (SMTP refuses them before connecting). */
  suppressions: Pick<SuppressionReads, "getSuppression">;
  /** The public unsubscribe link of an address, for List-Unsubscribe; none without a master key. */
  unsubscribeUrl?: (workspaceId: string, email: string) => string | undefined;
}

/**
 * One connector kind: the settings a workspace gives it and the deliverer of its items. Each kind
 * is one folder under src/connectors with one such declaration, listed by one line in the
 * connector registry (src/connectors/registry.ts).
 */
export interface ConnectorDefinition {
  /** The public config (Zod; defaults filled in when parsed). */
  config: z.ZodType<Record<string, unknown>>;
  /** Every secret name this kind understands. */
  secrets: readonly string[];
  /** The secret names a parsed config needs before the connector can deliver. */
  requiredSecrets(config: Record<string, unknown>): readonly string[];
  /** What is wrong with a secret's value for this kind, beyond being empty or too long; undefined when it is fine. */
  secretValueProblem?(name: string, value: string): string | undefined;
  deliverer(deps: DelivererDeps): Deliverer;
}

/** An action of a workflow that leaves Handoff through the outbox. */
export type ExternalActionType = (typeof EXTERNAL_ACTIONS)[number];
export type ExternalAction<T extends ExternalActionType = ExternalActionType> = Extract<ActionSpec, { type: T }>;

/** A record as the outbox view holds it. */
export type ViewRecord = StoredRecord;

/**
 * The records an external action is rendered from, loaded in the step's transaction. Builders
 * choose what of them a template may read (an owner shows only name, email and calendar link).
 */
export interface OutboxView {
  record: ViewRecord;
  /** The user in the record's owner_id, or null. */
  owner: ViewRecord | null;
  /** The company in the record's company_id (the record itself when it is a company), or null. */
  company: ViewRecord | null;
  /** The user a send_email's person-spec `to` resolved to, or null. */
  recipient: ViewRecord | null;
}

/** What a payload builder puts on the outbox; the runtime adds the keys and the run. */
export type BuiltOutboxPayload = Pick<OutboxItem, "kind" | "connector" | "payload">;

/** Renders one external action at enqueue (never at delivery). Pure: record values are data to the templates, never compiled. */
export type PayloadBuilder<T extends ExternalActionType = ExternalActionType> = (
  action: ExternalAction<T>,
  view: OutboxView,
  key: string,
) => BuiltOutboxPayload;

/** The hourly quota of a workflow an external action counts against (engineering.md §3.10). */
export type QuotaClass = "email" | "calls";

/** One external action: how it is rendered, what it counts against, which kind of connector delivers it. */
export interface ActionDefinition<T extends ExternalActionType, Kind extends string> {
  build: PayloadBuilder<T>;
  quota: QuotaClass;
  connector: Kind;
}

/**
 * A webhook subscription as its deliverer sees it at delivery time (read then, so that a changed
 * URL or a rotated secret applies to the next attempt).
 */
export interface WebhookTarget {
  id: string;
  url: string;
  active: boolean;
  /** The `whsec_` signing secret, opened only when called; throws when it cannot be opened. */
  signingSecret(): string;
}

/** Finds a workspace's webhook subscription for delivery; undefined when it no longer exists. */
export type WebhookTargets = (workspaceId: string, subscriptionId: string) => Promise<WebhookTarget | undefined>;
