/** The settings of an HTTP connector: the public `config` (Zod, defaults filled in when parsed) and the secret its auth needs. */
import { z } from "zod";
import { httpUrl } from "../http-url.js";

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

/** The secret each kind of auth reads. */
export const HTTP_AUTH_SECRET: Record<HttpAuth["type"], string | undefined> = {
  none: undefined,
  bearer: "token",
  basic: "password",
  hmac: "hmac_secret",
};
