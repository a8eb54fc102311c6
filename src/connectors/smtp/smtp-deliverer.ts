/**
 * Delivers outbox items of kind "email" over SMTP with nodemailer (one connection per attempt).
 *
 * - The connector's host is resolved and checked by the egress guard, and the connection goes to
 *   that checked address (a DNS answer that changes between check and connect cannot redirect
 *   it); TLS still presents and verifies the configured host name.
 * - The Message-ID is the payload's, fixed at enqueue: a retry after an ambiguous failure (the
 *   server took the data but the reply was lost) carries the same id, so a receiver can drop it.
 * - A suppressed address is refused before anything is connected.
 * - Outcomes are classified for the retry policy: 4xx, refused connections, timeouts and failed
 *   greetings are retryable; a 5xx on RCPT TO is a bounce; any other 5xx is permanent.
 */
import { isIP } from "node:net";
import { createTransport } from "nodemailer";
import type { SuppressionReads } from "../../store/suppression-ports.js";
import { smtpConfigSchema } from "../config-schemas.js";
import type { Deliverer, DeliveryContext, DeliveryOutcome, EmailPayload, OutboxItem, ResolvedConnector } from "../contract.js";

/** The part of the egress guard the deliverer uses (src/connectors/egress/guard.ts). */
export interface CheckedResolver {
  resolveChecked(host: string, port: number): Promise<{ address: string; family: 4 | 6 }>;
}

export interface SmtpDelivererOptions {
  egress: CheckedResolver;
  suppressions: Pick<SuppressionReads, "getSuppression">;
  /** The public unsubscribe link of an address, for the List-Unsubscribe header; none without a master key. */
  unsubscribeUrl?: (workspaceId: string, email: string) => string | undefined;
  /** Default 10 s each: a slow server is retried later rather than holding the worker. */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
  retryable?: boolean;
}

const fail = (retryable: boolean, error: string, extra: { status?: number; bounced?: string } = {}): DeliveryOutcome => ({
  ok: false,
  retryable,
  error,
  ...extra,
});

/** What one failed attempt means for the retry policy. */
export function classifySmtpError(e: SmtpError, recipient: string): DeliveryOutcome {
  const reply = e.response?.trim() || e.message;
  const code = e.responseCode;
  // The egress guard (and anything else that knows) says so itself.
  if (e.retryable === false) return fail(false, e.message);
  if (code !== undefined && code >= 400 && code < 500) return fail(true, `deferred: ${reply}`, { status: code });
  // A server that refuses the greeting (554 on connect) may take mail again later.
  if (e.command === "CONN" || e.command === undefined || code === undefined) {
    if (e.code === "EAUTH" || e.code === "ENOAUTH") return fail(false, `authentication failed: ${reply}`, code ? { status: code } : {});
    if (e.code === "EENVELOPE" && code === undefined) return fail(false, `invalid envelope: ${reply}`);
    return fail(true, `${e.code ?? "error"}: ${e.message}`, code ? { status: code } : {});
  }
  if (e.command === "RCPT TO") return fail(false, `bounced: ${reply}`, { status: code, bounced: recipient });
  return fail(false, `refused: ${reply}`, { status: code });
}

export class SmtpDeliverer implements Deliverer {
  readonly kind = "email" as const;

  constructor(private readonly options: SmtpDelivererOptions) {}

  destination(_item: OutboxItem, connector: ResolvedConnector | undefined): string {
    const c = smtpConfigSchema.safeParse(connector?.config);
    return c.success ? `${c.data.host}:${c.data.port}` : "smtp:unconfigured";
  }

  async deliver(item: OutboxItem, connector: ResolvedConnector | undefined, ctx: DeliveryContext): Promise<DeliveryOutcome> {
    const payload = item.payload as EmailPayload;
    if (connector?.kind !== "smtp") return fail(false, `no SMTP connector "${item.connector ?? "email"}" in this workspace`);
    const parsed = smtpConfigSchema.safeParse(connector.config);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      return fail(false, `SMTP connector "${connector.key}" is misconfigured: ${where}`);
    }
    const config = parsed.data;
    const suppressed = await this.options.suppressions.getSuppression(item.workspaceId, payload.to);
    if (suppressed) return fail(false, `suppressed (${suppressed.reason})`);

    let checked: { address: string };
    try {
      checked = await this.options.egress.resolveChecked(config.host, config.port);
    } catch (error) {
      return classifySmtpError(error as SmtpError, payload.to);
    }
    const password = connector.secrets.password;
    const transport = createTransport({
      host: checked.address,
      port: config.port,
      secure: config.secure,
      requireTLS: config.require_tls ?? false,
      // SNI and certificate checks are for the name the admin configured, not the address
      // (RFC 6066 forbids an IP literal as the server name: then the address is checked as such).
      ...(isIP(config.host) === 0 ? { servername: config.host, tls: { servername: config.host } } : {}),
      ...(config.username ? { auth: { user: config.username, pass: password ?? "" } } : {}),
      connectionTimeout: this.options.connectionTimeoutMs ?? 10_000,
      greetingTimeout: this.options.greetingTimeoutMs ?? 10_000,
      socketTimeout: this.options.socketTimeoutMs ?? 10_000,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    const abort = () => transport.close();
    ctx.signal.addEventListener("abort", abort, { once: true });
    try {
      const unsubscribe = this.options.unsubscribeUrl?.(item.workspaceId, payload.to);
      const info = await transport.sendMail({
        from: payload.fromName ? { name: payload.fromName, address: config.from } : config.from,
        to: payload.to,
        ...(payload.replyTo ? { replyTo: payload.replyTo } : {}),
        subject: payload.subject,
        ...(payload.text !== undefined ? { text: payload.text } : {}),
        ...(payload.html !== undefined ? { html: payload.html } : {}),
        messageId: payload.messageId,
        headers: unsubscribe ? { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } : {},
      });
      const response = String(info.response ?? "250");
      return { ok: true, status: Number(/^\d{3}/.exec(response)?.[0] ?? 250), detail: response };
    } catch (error) {
      return classifySmtpError(error as SmtpError, payload.to);
    } finally {
      ctx.signal.removeEventListener("abort", abort);
      transport.close();
    }
  }
}
