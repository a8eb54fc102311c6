/**
 * Builds the outbox payload of a send_email action when it is enqueued: the subject and bodies
 * rendered once (so every retry sends the same bytes), the recipient's address, a Message-ID
 * derived from the idempotency key. Pure: the runtime hands in the records it loaded.
 *
 * Only the admin's templates are compiled; record values reach them as data. In the HTML body
 * every output is HTML-escaped, so a lead named `<script>` is shown, not run.
 */
import { renderHtmlTemplate, renderTemplate } from "../../engine/templates.js";
import type { EmailPayload, ExternalAction, ViewRecord } from "../contract.js";

export type SendEmailAction = ExternalAction<"send_email">;

/** The records an email is rendered from. */
export interface EmailView {
  record: ViewRecord;
  /** The user in the record's owner_id, if any. */
  owner?: ViewRecord | null | undefined;
  /** The company in the record's company_id (or the record itself when it is a company). */
  company?: ViewRecord | null | undefined;
  /** The user a person-spec `to` resolved to (runtime/people.ts resolvePerson); not needed for `record_email` or `{ field: "owner_id" }`. */
  recipient?: ViewRecord | null | undefined;
}

/** The email cannot be built (no address to send to): a permanent failure of the step, not a retry. */
export class EmailPayloadError extends Error {
  readonly retryable = false;
}

const fieldsOf = (r: ViewRecord | null | undefined): Record<string, unknown> =>
  r ? { ...r.data, id: r.id, created_at: r.createdAt, updated_at: r.updatedAt } : {};

/**
 * RFC 5322 ids allow only atext and dots. Keys hold `:` (run:step:seq), so anything else is
 * written as `=XX` — reversible, so two keys never share a Message-ID.
 */
export function messageIdFor(key: string): string {
  const local = Array.from(Buffer.from(key, "utf8"))
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9!#$%&'*+\-/?^_`{|}~]/.test(c) ? c : `=${b.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
  return `<${local}@handoff>`;
}

function recipientAddress(action: SendEmailAction, view: EmailView): string {
  const to = action.to;
  let address: unknown;
  let who: string;
  if ("record_email" in to) {
    address = view.record.data.email;
    who = `the ${view.record.object}'s email`;
  } else {
    const user = view.recipient ?? ("field" in to && to.field === "owner_id" ? view.owner : undefined);
    address = user?.data.email;
    who = `the email of ${JSON.stringify(to)}`;
  }
  if (typeof address !== "string" || !address.includes("@")) throw new EmailPayloadError(`no address to send to: ${who} is not set`);
  return address.trim();
}

/** The outbox entry of one send_email step, keyed by its idempotency key. */
export function buildEmailPayload(
  action: SendEmailAction,
  view: EmailView,
  key: string,
): { kind: "email"; connector: string; payload: EmailPayload } {
  const owner = view.owner ?? undefined;
  const scope = {
    record: fieldsOf(view.record),
    // Only what an email may show of a user: not their PTO, capacity or manager.
    owner: owner ? { name: owner.data.name, email: owner.data.email, calendar_link: owner.data.calendar_link } : {},
    company: fieldsOf(view.company ?? (view.record.object === "company" ? view.record : undefined)),
  };
  const payload: EmailPayload = {
    to: recipientAddress(action, view),
    // A header value: a line break in a record value must not start a new header.
    subject: renderTemplate(action.subject, scope)
      .replace(/[\r\n]+/g, " ")
      .trim(),
    messageId: messageIdFor(key),
  };
  if (action.text !== undefined) payload.text = renderTemplate(action.text, scope);
  if (action.html !== undefined) payload.html = renderHtmlTemplate(action.html, scope);
  if (action.reply_to_owner && owner) {
    if (typeof owner.data.name === "string") payload.fromName = owner.data.name.replace(/[\r\n"]+/g, " ");
    if (typeof owner.data.email === "string") payload.replyTo = owner.data.email;
  }
  return { kind: "email", connector: action.connector, payload };
}
