/**
 * What each connector kind's settings look like: the public `config` (Zod, defaults filled in
 * when parsed) and the names of its `secrets` (encrypted at rest, never returned). Shared by the
 * connector service (validation on create/patch), the outbox dispatcher and the deliverers,
 * which read a ResolvedConnector's config through these types.
 */
import { isIPv6 } from "node:net";
import { z } from "zod";
import type { ConnectorKind } from "./contract.js";

/** `a@b.c` or `Name <a@b.c>`: the display name is kept, the address part must be an email. */
const fromAddress = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .refine((v) => {
    const angle = /<([^<>]+)>\s*$/.exec(v);
    return z.email().safeParse(angle ? angle[1] : v).success;
  }, 'expected an email address, e.g. "crm@example.com" or "Handoff <crm@example.com>"');

/**
 * A host name, an IPv4 address or an IPv6 literal (bare `2001:db8::25` or bracketed
 * `[2001:db8::25]`, kept without the brackets), never a scheme or a port.
 */
const hostName = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .transform((v) => (/^\[[^\]]*\]$/.test(v) ? v.slice(1, -1) : v))
  .refine(
    (v) => isIPv6(v) || /^[^\s/:[\]]+$/.test(v),
    "a host name or address (IPv6 as 2001:db8::25 or [2001:db8::25]), without scheme or port",
  );

export const smtpConfigSchema = z
  .object({
    host: hostName,
    port: z.number().int().min(1).max(65535).default(587),
    /** true: TLS from the first byte (port 465); false: plain, upgraded with STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    /** Refuse to send unless STARTTLS succeeds (only meaningful when secure is false). */
    require_tls: z.boolean().optional(),
    from: fromAddress,
    username: z.string().min(1).max(320).optional(),
  })
  .strict();
export type SmtpConfig = z.infer<typeof smtpConfigSchema>;

/** An http(s) URL with a host and no user info: credentials belong in auth and secrets, where they are sealed. */
export const httpUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "" && u.username === "" && u.password === "";
    } catch {
      return false;
    }
  }, "expected an http:// or https:// URL without user:password (put credentials in auth and secrets)");

/** Header names the connector may not set: they are the transport's or the auth's to decide. */
const RESERVED_HEADERS = new Set(["host", "content-length", "transfer-encoding", "connection", "authorization"]);
const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "not a valid HTTP header name")
  .refine((h) => !RESERVED_HEADERS.has(h.toLowerCase()), "this header is set by Handoff (use auth for Authorization)");

export const httpAuthSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("none") }).strict(),
  /** `Authorization: Bearer <token secret>`. */
  z.object({ type: z.literal("bearer") }).strict(),
  /** `Authorization: Basic base64(username:<password secret>)`. */
  z.object({ type: z.literal("basic"), username: z.string().min(1).max(320) }).strict(),
  /** HMAC-SHA256 of the body with the `hmac_secret` secret, in `header`. */
  z.object({ type: z.literal("hmac"), header: headerName.default("X-Handoff-Signature") }).strict(),
]);
export type HttpAuth = z.infer<typeof httpAuthSchema>;

export const httpConfigSchema = z
  .object({
    base_url: httpUrl,
    headers: z.record(headerName, z.string().max(8192)).optional(),
    auth: httpAuthSchema.default({ type: "none" }),
    timeout_ms: z.number().int().min(100).max(60_000).default(10_000),
    max_response_bytes: z
      .number()
      .int()
      .min(1)
      .max(16 * 1024 * 1024)
      .default(1024 * 1024),
    /** Requests per second to this connector, across the workspace. */
    rate_per_s: z.number().positive().max(1000).default(20),
    /** Requests in flight at once. */
    concurrency: z.number().int().min(1).max(64).default(4),
  })
  .strict();
export type HttpConfig = z.infer<typeof httpConfigSchema>;

export const chatConfigSchema = z
  .object({
    /** Shown as the sender, where the chat service lets a webhook choose (Slack, Mattermost). */
    username: z.string().min(1).max(80).optional(),
    /** Sender icon URL, where supported. */
    icon_url: httpUrl.optional(),
  })
  .strict();
export type ChatConfig = z.infer<typeof chatConfigSchema>;

export interface ConnectorKindSpec {
  config: z.ZodType<Record<string, unknown>>;
  /** Every secret name this kind understands. */
  secrets: readonly string[];
  /** The secret names a parsed config needs before the connector can deliver. */
  requiredSecrets(config: Record<string, unknown>): readonly string[];
}

const HTTP_AUTH_SECRET: Record<HttpAuth["type"], string | undefined> = {
  none: undefined,
  bearer: "token",
  basic: "password",
  hmac: "hmac_secret",
};

export const CONNECTOR_KINDS: Record<ConnectorKind, ConnectorKindSpec> = {
  smtp: {
    config: smtpConfigSchema,
    secrets: ["password"],
    // A password without a username is allowed to sit unused; a username needs a password.
    requiredSecrets: (c) => (c.username ? ["password"] : []),
  },
  http: {
    config: httpConfigSchema,
    secrets: ["token", "password", "hmac_secret"],
    requiredSecrets: (c) => {
      const name = HTTP_AUTH_SECRET[(c.auth as HttpAuth | undefined)?.type ?? "none"];
      return name ? [name] : [];
    },
  },
  chat: {
    config: chatConfigSchema,
    // The incoming-webhook URL carries its own credential: whoever has it can post.
    secrets: ["webhook_url"],
    requiredSecrets: () => ["webhook_url"],
  },
};

export const CONNECTOR_KIND_NAMES = Object.keys(CONNECTOR_KINDS) as ConnectorKind[];

export function isConnectorKind(value: unknown): value is ConnectorKind {
  return typeof value === "string" && Object.hasOwn(CONNECTOR_KINDS, value);
}

/** Secret values that must look like something, checked before they are sealed. */
export function secretValueProblem(kind: ConnectorKind, name: string, value: string): string | undefined {
  if (value.length === 0) return "a secret cannot be empty (send null to remove it)";
  if (value.length > 8192) return "at most 8192 characters";
  if (kind === "chat" && name === "webhook_url" && !httpUrl.safeParse(value).success) return "expected an http:// or https:// URL";
  return undefined;
}
