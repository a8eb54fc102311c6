/**
 * Configuration from the environment (and CLI flags, which override it), validated once at
 * start. Each field documents its default.
 */
import { resolve } from "node:path";
import { z } from "zod";
import { parseAllowEntry } from "../connectors/egress/allow-list.js";
import { trustedProxyEntryProblem } from "./trusted-proxies.js";

/** A comma-separated setting as its entries: each trimmed, empty ones dropped. */
const commaList = (v: unknown) =>
  typeof v === "string"
    ? v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "")
    : v;

const configSchema = z.object({
  /** Where the embedded SQLite database lives. Default ./data (relative to the working directory). */
  dataDir: z.string().min(1).default("./data"),
  /** postgres://… selects PostgreSQL; unset = SQLite under dataDir. */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://")
    .optional(),
  /** HTTP port. Default 3000. */
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. Default 127.0.0.1 (set 0.0.0.0 to expose it). */
  host: z.string().default("127.0.0.1"),
  /** pino level. Default info. */
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Largest JSON body accepted, in bytes. Default 1 MiB. */
  bodyLimitBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** Largest CSV import body, in bytes. Default 20 MiB. */
  importLimitBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  /**
   * How long a SQLite statement waits for another process's write lock (the server committing
   * while `handoff import` runs) before it fails as busy, in ms. Default 10,000.
   */
  sqliteBusyTimeoutMs: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /**
   * Runs one workflow may start per rate window (a minute by default); enrolments over it are
   * deferred to later windows, in order, never dropped (and logged). Default 500.
   */
  workflowRateCap: z.coerce.number().int().positive().default(500),
  /** The rate cap's window in seconds (clock-aligned). Default 60. */
  workflowRateWindowSeconds: z.coerce.number().positive().max(3_600).default(60),
  /** Days an accepted inbound delivery (hook or form) is remembered as its idempotency guard. Default 30. */
  inboundRetentionDays: z.coerce.number().positive().default(30),
  /** Longest chain of workflow-caused changes before a trigger is suppressed (and logged). Default 16. */
  maxCausalDepth: z.coerce.number().int().positive().default(16),
  /**
   * Runs a matcher pass starts that take their first steps in the pass's own transaction; the
   * rest become work items any worker may claim. Unset: all of them (see WorkerOptions.inlineRuns).
   */
  inlineRuns: z.coerce.number().int().nonnegative().optional(),
  /**
   * Master key for secrets at rest (32 bytes, base64 or hex). Unset on the embedded SQLite store:
   * one is created in dataDir/master.key on first start. Unset on PostgreSQL: secrets are refused.
   */
  masterKey: z.string().min(1).optional(),
  /** A web session unused this long ends, in seconds. Default 43,200 (12 h). */
  sessionIdleSeconds: z.coerce
    .number()
    .positive()
    .default(12 * 3_600),
  /** A web session ends this long after sign-in, used or not, in seconds. Default 604,800 (7 days). */
  sessionMaxSeconds: z.coerce
    .number()
    .positive()
    .default(7 * 86_400),
  /** Failed sign-ins per email per window before sign-in for it is refused (429). Default 10. */
  signInFailuresPerEmail: z.coerce.number().int().positive().default(10),
  /** Failed sign-ins per client address per window before its sign-ins are refused (429). Default 100. */
  signInFailuresPerIp: z.coerce.number().int().positive().default(100),
  /** The sign-in rate limit's sliding window, in seconds. Default 900 (15 minutes). */
  signInWindowSeconds: z.coerce.number().positive().default(900),
  /**
   * The operators' bearer token for GET /metrics (HANDOFF_METRICS_TOKEN): at least 32 printable
   * characters without spaces. Unset: /metrics answers 404 (metrics are off). Default unset.
   */
  metricsToken: z
    .string()
    .min(32, "HANDOFF_METRICS_TOKEN must be at least 32 characters (e.g. `openssl rand -hex 32`)")
    .max(512, "HANDOFF_METRICS_TOKEN must be at most 512 characters")
    .regex(/^[\x21-\x7e]+$/, "HANDOFF_METRICS_TOKEN must be printable ASCII without spaces")
    .optional(),
  /** How people reach this installation, for links in emails (unsubscribe). Default http://HOST:PORT. */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Destinations outbound calls may reach although the egress guard refuses them by default
   * (loopback, private, link-local …): "host", "host:port", an IP or a CIDR range, comma-separated
   * in HANDOFF_EGRESS_ALLOW. Default: none.
   */
  egressAllow: z.preprocess(
    commaList,
    z.array(z.string().refine(isAllowEntry, "not a host, host:port, IP address or CIDR range")).default([]),
  ),
  /**
   * The reverse proxies in front of Handoff whose X-Forwarded-For and X-Forwarded-Proto are
   * believed (trusted-proxies.ts): addresses and CIDR ranges, IPv4 or IPv6, comma-separated in
   * HANDOFF_TRUSTED_PROXIES. Default: none (the client is the connection's peer, the headers are ignored).
   */
  trustedProxies: z.preprocess(
    commaList,
    z
      .array(
        z.string().superRefine((entry, ctx) => {
          const problem = trustedProxyEntryProblem(entry);
          if (problem) ctx.addIssue({ code: "custom", message: problem });
        }),
      )
      .default([]),
  ),
});

function isAllowEntry(entry: string): boolean {
  try {
    parseAllowEntry(entry);
    return true;
  } catch {
    return false;
  }
}

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  const input = {
    dataDir: env.HANDOFF_DATA_DIR,
    databaseUrl: env.DATABASE_URL || undefined,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    bodyLimitBytes: env.HANDOFF_BODY_LIMIT,
    importLimitBytes: env.HANDOFF_IMPORT_LIMIT,
    sqliteBusyTimeoutMs: env.HANDOFF_SQLITE_BUSY_TIMEOUT_MS,
    workflowRateCap: env.HANDOFF_WORKFLOW_RATE_CAP,
    workflowRateWindowSeconds: env.HANDOFF_WORKFLOW_RATE_WINDOW,
    maxCausalDepth: env.HANDOFF_MAX_CAUSAL_DEPTH,
    inlineRuns: env.HANDOFF_INLINE_RUNS || undefined,
    inboundRetentionDays: env.HANDOFF_INBOUND_RETENTION_DAYS,
    masterKey: env.HANDOFF_MASTER_KEY || undefined,
    publicUrl: env.HANDOFF_PUBLIC_URL || undefined,
    sessionIdleSeconds: env.HANDOFF_SESSION_IDLE_SECONDS || undefined,
    sessionMaxSeconds: env.HANDOFF_SESSION_MAX_SECONDS || undefined,
    signInFailuresPerEmail: env.HANDOFF_SIGN_IN_FAILURES_PER_EMAIL || undefined,
    signInFailuresPerIp: env.HANDOFF_SIGN_IN_FAILURES_PER_IP || undefined,
    signInWindowSeconds: env.HANDOFF_SIGN_IN_WINDOW_SECONDS || undefined,
    egressAllow: env.HANDOFF_EGRESS_ALLOW,
    trustedProxies: env.HANDOFF_TRUSTED_PROXIES,
    metricsToken: env.HANDOFF_METRICS_TOKEN || undefined,
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export function sqliteFile(config: Config): string {
  return resolve(config.dataDir, "handoff.db");
}
