/**
 * How an HTTP answer or a transport error becomes a DeliveryOutcome (engineering.md §3.4):
 * 2xx delivered; 408, 429 and 5xx retried, honouring Retry-After; any other status permanent;
 * transport errors by their own `retryable`. Error text is scrubbed of the connector's secrets
 * before it leaves here (it is stored on the outbox item and shown to people).
 */
import type { DeliveryOutcome } from "./contract.js";
import { scrubSecrets } from "./scrub.js";

/** Retry-After as delta-seconds or an HTTP-date, in ms from `nowMs`; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** A short, single-line, secret-free excerpt of a response body for the error text. */
function excerpt(body: Buffer, secrets: Readonly<Record<string, string>>): string {
  const text = body.subarray(0, 300).toString("utf8").replace(/\s+/g, " ").trim();
  return scrubSecrets(text, secrets);
}

export function outcomeOfResponse(
  res: { status: number; headers: Record<string, string>; body: Buffer },
  secrets: Readonly<Record<string, string>>,
  nowMs: number,
): DeliveryOutcome {
  if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, detail: `HTTP ${res.status}` };
  const body = excerpt(res.body, secrets);
  const error = `HTTP ${res.status}${body ? `: ${body}` : ""}`;
  if (!isRetryableStatus(res.status)) return { ok: false, retryable: false, status: res.status, error };
  const after = retryAfterMs(res.headers["retry-after"], nowMs);
  return { ok: false, retryable: true, status: res.status, error, ...(after !== undefined ? { retryAfterMs: after } : {}) };
}

/**
 * A thrown transport error. Permanent only when it says so (the egress guard's refusal, an
 * oversized answer, too many redirects); timeouts, resets, lookups and anything unclassified are
 * worth another attempt — the give-up limit bounds them. A delivery interrupted because the
 * dispatcher is stopping is not the receiver's fault either.
 */
export function outcomeOfError(error: unknown, secrets: Readonly<Record<string, string>>, signal?: AbortSignal): DeliveryOutcome {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (signal?.aborted) return { ok: false, retryable: true, error: scrubSecrets(`delivery interrupted: ${message}`, secrets) };
  const retryable = !(typeof error === "object" && error !== null && (error as { retryable?: unknown }).retryable === false);
  return { ok: false, retryable, error: scrubSecrets(message, secrets) };
}
