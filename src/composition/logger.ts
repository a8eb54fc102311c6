/**
 * The process logger (pino), with secrets redacted by path (engineering.md §4.7): credentials in
 * headers, and any key that names a secret, up to four levels deep — a connector's `secrets`,
 * a config's `password`, a payload's `webhook_url`. Values that leak inside free text (an error
 * message quoting a URL) are not found by path: the outbox scrubs those with scrubSecrets().
 */
import { type DestinationStream, type Logger, pino } from "pino";
import type { Config } from "./config.js";

const HEADER_KEYS = ["authorization", "cookie", '"set-cookie"', '"proxy-authorization"', '"x-api-key"'];
const SECRET_KEYS = ["password", "secret", "secrets", "token", "webhook_url", "hmac_secret", "api_key", "master_key", "masterKey"];

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const h of HEADER_KEYS) {
    const key = h.startsWith('"') ? `[${h}]` : `.${h}`;
    paths.push(`headers${key}`, `*.headers${key}`, `*.*.headers${key}`);
  }
  // fast-redact has no "any depth" wildcard: each depth is its own path.
  for (const k of SECRET_KEYS) paths.push(k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`);
  return paths;
}

export const REDACT_PATHS: readonly string[] = redactPaths();
export const REDACTED = "[redacted]";

export function createLogger(level: Config["logLevel"], destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: [...REDACT_PATHS], censor: REDACTED } };
  return destination ? pino(options, destination) : pino(options);
}
