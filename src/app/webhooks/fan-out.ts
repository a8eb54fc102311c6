/**
 * Which webhook subscriptions get an outbox item for a domain event or a logged workflow step,
 * and the item each gets. Pure: the caller inserts the items in the transaction that saw the
 * event (the matcher's, through an event hook) or logged the step (the executor's), so an item
 * exists exactly when its cause committed.
 *
 * Event types on the wire: `<object>.created|updated|deleted` for record events, and
 * `workflow.step` for steps. Subscription patterns: `lead.created`, `*.deleted`, `deal.*`, `*.*`,
 * `workflow.step:<workflow key>/<step id>` (or `/*` for every step of that workflow).
 */
import type { WebhookPayload } from "../../connectors/contract.js";
import { OBJECT_NAMES } from "../../crm/fields.js";
import { assertNever } from "../../crm/never.js";
import type { WebhookSubscriptionRow } from "../../store/inbound-ports.js";
import type { OutboxItem } from "../../store/outbox-ports.js";
import type { DomainEvent, StoredRecord } from "../../store/ports.js";
import type { IdGenerator } from "../ports.js";

const ACTIONS = ["created", "updated", "deleted"] as const;
const RECORD_PATTERN = new RegExp(`^(\\*|${OBJECT_NAMES.join("|")})\\.(\\*|${ACTIONS.join("|")})$`);
const STEP_PATTERN = /^workflow\.step:([a-z][a-z0-9-]{1,62})\/(\*|[a-z][a-z0-9_-]{0,62})$/;

export const EVENT_PATTERN_HELP =
  '"<object>.<created|updated|deleted>" with * for either part, or "workflow.step:<workflow key>/<step id or *>"';

export function isEventPattern(pattern: string): boolean {
  return RECORD_PATTERN.test(pattern) || STEP_PATTERN.test(pattern);
}

/**
 * The wire type of a record event; undefined for events that are not fanned out (external.received;
 * SLA milestones — a workflow on the `sla` trigger can call a webhook).
 */
export function webhookTypeOf(event: Pick<DomainEvent, "type" | "object">): string | undefined {
  switch (event.type) {
    case "record.created":
      return `${event.object}.created`;
    case "record.updated":
      return `${event.object}.updated`;
    case "record.deleted":
      return `${event.object}.deleted`;
    case "record.merged":
      return `${event.object}.merged`;
    case "external.received":
    case "sla.warning":
    case "sla.breached":
    case "sla.escalated":
    case "record.review_queued":
    case "record.email_engaged":
      return undefined;
    default:
      return assertNever(event.type);
  }
}

function recordPatternMatches(pattern: string, type: string): boolean {
  const m = RECORD_PATTERN.exec(pattern);
  if (!m) return false;
  const [object, action] = type.split(".");
  return (m[1] === "*" || m[1] === object) && (m[2] === "*" || m[2] === action);
}

function stepPatternMatches(pattern: string, workflowKey: string, stepId: string): boolean {
  const m = STEP_PATTERN.exec(pattern);
  return m !== null && m[1] === workflowKey && (m[2] === "*" || m[2] === stepId);
}

function item(
  sub: WebhookSubscriptionRow,
  key: string,
  ids: IdGenerator,
  at: string,
  recordId: string | null,
  payload: WebhookPayload,
): OutboxItem {
  return {
    workspaceId: sub.workspaceId,
    id: ids.next(),
    key,
    kind: "webhook",
    connector: null,
    subscriptionId: sub.id,
    // An item's run is one *waiting* for its outcome (the dispatcher resumes it); no run waits on a webhook.
    runId: null,
    recordId,
    payload,
    status: "pending",
    attempts: 0,
    nextAttemptAt: at,
    lastError: null,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * One item per active subscription of the event's workspace whose patterns match its type.
 * `data.record` is the record as the dispatching transaction read it (null once deleted): when a
 * record changes twice in quick succession it may already show the second change, so
 * `data.version` says which version this event produced and `data.changes` are this event's own.
 */
export function webhookItemsFor(
  event: DomainEvent,
  subscriptions: readonly WebhookSubscriptionRow[],
  ids: IdGenerator,
  record?: StoredRecord,
): OutboxItem[] {
  const type = webhookTypeOf(event);
  if (!type) return [];
  const payload: WebhookPayload = {
    type,
    timestamp: event.occurredAt,
    data: {
      event_id: event.id,
      object: event.object,
      id: event.recordId,
      version: event.recordVersion,
      record:
        event.type === "record.deleted" || !record
          ? null
          : { id: record.id, ...record.data, created_at: record.createdAt, updated_at: record.updatedAt },
      changes: event.changes,
      actor: event.actor,
    },
  };
  return subscriptions
    .filter((s) => s.active && s.workspaceId === event.workspaceId && s.events.some((p) => recordPatternMatches(p, type)))
    .map((s) => item(s, `${s.id}:${event.id}`, ids, event.occurredAt, event.recordId, payload));
}

/** What the executor logged for a step, as subscriptions see it. */
export interface LoggedStep {
  workspaceId: string;
  workflowId: string;
  workflowKey: string;
  runId: string;
  recordId: string;
  seq: number;
  step: string | null;
  outcome: string;
  why: string;
  at: string;
}

/** One item per active subscription naming this workflow's step (`workflow.step:<key>/<step>`). */
export function webhookItemsForStep(step: LoggedStep, subscriptions: readonly WebhookSubscriptionRow[], ids: IdGenerator): OutboxItem[] {
  if (step.step === null) return [];
  const stepId = step.step;
  const payload: WebhookPayload = {
    type: "workflow.step",
    timestamp: step.at,
    data: {
      workflow_id: step.workflowId,
      workflow_key: step.workflowKey,
      run_id: step.runId,
      record_id: step.recordId,
      seq: step.seq,
      step: stepId,
      outcome: step.outcome,
      why: step.why,
    },
  };
  return subscriptions
    .filter((s) => s.active && s.workspaceId === step.workspaceId && s.events.some((p) => stepPatternMatches(p, step.workflowKey, stepId)))
    .map((s) => item(s, `${s.id}:${step.runId}:${step.seq}`, ids, step.at, step.recordId, payload));
}
