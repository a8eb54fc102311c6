/**
 * Rows for reaching in from outside and for telling outside systems what happened. Their ports:
 * inbound-hook-ports.ts, form-ports.ts, inbound-delivery-ports.ts, subscription-ports.ts.
 *
 * Glossary
 * - Inbound hook: a public endpoint `POST /hooks/{key}` that turns a signed JSON body into a
 *   record (created, or updated when `matchOn` finds one) and an `external.received` event.
 *   Its secret is stored sealed; after a rotation the previous one stays valid for a while.
 * - Form: a hosted HTML page `GET /forms/{key}` whose submissions create a lead or a ticket the
 *   same way. Its fields are record fields with a label and an HTML control.
 * - Source: a hook or a form — whatever an accepted delivery came through. Its key names the
 *   `{ type: "external", key }` trigger that fires.
 * - Delivery: one accepted call of a hook or submission of a form, unique per (source, delivery
 *   id): the replay cache and the idempotency guard in one row. Rejected calls leave no row.
 * - Webhook subscription: an outside URL that receives signed POSTs for the events it names.
 */
import type { ObjectName } from "../crm/fields.js";

export interface InboundHookRow {
  workspaceId: string;
  id: string;
  /** Globally unique: the public URL names no workspace. */
  key: string;
  name: string;
  object: ObjectName;
  /** record field → JSON pointer into the body ("/contact/email"); null = the body is the fields. */
  mapping: Record<string, string> | null;
  /** Written on every delivery unless the body sets the field. */
  defaults: Record<string, unknown>;
  /** A field whose value finds the record to update instead of creating one (e.g. email). */
  matchOn: string | null;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousExpiresAt: string | null;
  ratePerMin: number;
  createdAt: string;
  updatedAt: string;
}

export type FormControl = "text" | "email" | "tel" | "number" | "textarea" | "select" | "checkbox" | "url" | "date";

export interface FormField {
  /** The record field the value is written to. */
  name: string;
  label: string;
  type: FormControl;
  required: boolean;
  /** Choices of a select. */
  options?: string[];
}

export interface FormRow {
  workspaceId: string;
  id: string;
  key: string;
  title: string;
  intro: string;
  object: ObjectName;
  fields: FormField[];
  /** Hidden defaults: field → value set on every submission (e.g. source "web_form"). */
  hidden: Record<string, unknown>;
  successMessage: string;
  ratePerMin: number;
  createdAt: string;
  updatedAt: string;
}

export type SourceKind = "hook" | "form";

export interface InboundDeliveryRow {
  workspaceId: string;
  sourceKind: SourceKind;
  sourceId: string;
  deliveryId: string;
  receivedAt: string;
  recordId: string;
  action: "created" | "updated";
  /** The external.received event the delivery became. */
  eventId: string;
}

export interface WebhookSubscriptionRow {
  workspaceId: string;
  id: string;
  url: string;
  description: string;
  /** Patterns: "lead.created", "*.deleted", "deal.*", "workflow.step:<workflow key>/<step id>". */
  events: string[];
  secretSealed: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}
