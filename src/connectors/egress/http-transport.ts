/**
 * The one HTTP client of outbound calls (HTTP action, chat, webhooks). Every hop goes through the
 * egress guard and the socket connects to the address the guard checked (a pinned `lookup`), so
 * a name cannot resolve to something else between the check and the connect. One deadline covers
 * lookups, connects, redirects and the body; the body is capped while it streams in.
 *
 * node:http / node:https rather than undici: undici's current major needs Node 22 (ADR 0005).
 */
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { type CheckedAddress, type EgressGuard, EgressRefusedError, HostLookupError } from "./guard.js";
import { nextHop, type PendingRequest } from "./redirects.js";

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** The final URL, after redirects. */
  url: string;
}

export interface HttpSendOptions {
  guard: EgressGuard;
  /** One deadline for the whole call: lookups, connects, redirects and reading the body. */
  timeoutMs: number;
  /** Largest response body read; more fails the call. */
  maxResponseBytes: number;
  /** Redirects followed, each checked by the guard. Default 3; 0 follows none. */
  maxRedirects?: number;
  /** Aborting it rejects the call with the signal's reason, as fetch does. */
  signal?: AbortSignal;
}

/** No complete response within timeoutMs. Retryable. */
export class HttpTimeoutError extends Error {
  readonly retryable = true;
  override name = "HttpTimeoutError";
}

/** Connection refused or reset, TLS failure, malformed response, an allowed host that does not resolve. Retryable. */
export class HttpConnectionError extends Error {
  readonly retryable = true;
  override name = "HttpConnectionError";
}

/** The response body exceeded maxResponseBytes; reading stopped and the connection was closed. */
export class ResponseTooLargeError extends Error {
  readonly retryable = false;
  override name = "ResponseTooLargeError";
}

/** A redirect beyond maxRedirects (a loop, or redirects not wanted at all). Permanent. */
export class TooManyRedirectsError extends Error {
  readonly retryable = false;
  override name = "TooManyRedirectsError";
}

export async function sendHttp(req: HttpRequest, opts: HttpSendOptions): Promise<HttpResponse> {
  const maxRedirects = opts.maxRedirects ?? 3;
  let current: PendingRequest = {
    method: req.method.toUpperCase(),
    url: parseUrl(req.url),
    headers: Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    ...(req.body === undefined ? {} : { body: req.body }),
  };
  // One controller for both ends of the call: the deadline and the caller's signal. A listener
  // removed in `finally` rather than AbortSignal.any, which would tie every call to a long-lived
  // dispatcher signal until it is garbage-collected.
  const controller = new AbortController();
  const { signal } = controller;
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs);
  const onAbort = () => controller.abort();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  if (opts.signal?.aborted) controller.abort();
  try {
    for (let hop = 0; ; hop++) {
      const target = await untilAborted(opts.guard.check(current.url), signal);
      const res = await exchange(current, target.addresses, signal);
      const next = nextHop(current, res.statusCode ?? 0, res.headers.location);
      if (!next) {
        // A HEAD response's Content-Length describes the body a GET would get, not this one.
        const body = await readCapped(res, opts.maxResponseBytes, current.url, current.method !== "HEAD");
        return { status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body, url: current.url.href };
      }
      // The redirect's own body is of no use: close the connection instead of reading it.
      res.destroy();
      if (hop >= maxRedirects) {
        throw new TooManyRedirectsError(
          `${where(current.url)} redirected (${res.statusCode}) to ${where(next.url)}: more than ${maxRedirects} redirects`,
        );
      }
      current = next;
    }
  } catch (error) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (signal.aborted) throw new HttpTimeoutError(`${where(current.url)}: no complete response within ${opts.timeoutMs} ms`);
    if (error instanceof HostLookupError) throw new HttpConnectionError(error.message, { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onAbort);
  }
}

/** A URL for error messages, which end up in logs and the outbox: no query string (it may hold a key). */
function where(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new EgressRefusedError(url, `${url} is not a valid URL`);
  }
}

/** DNS lookups cannot be cancelled; stop waiting for one when the call is aborted. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** Answers the socket's lookup with the addresses the guard checked, whatever the name. */
function pinnedLookup(addresses: readonly CheckedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    const [first] = wanted;
    if (!first) {
      callback(Object.assign(new Error(`no checked IPv${options.family} address`), { code: "ENOTFOUND" }), "", 0);
    } else if (options.all) {
      callback(
        null,
        wanted.map((a) => ({ address: a.address, family: a.family })),
      );
    } else {
      callback(null, first.address, first.family);
    }
  };
}

/** Sends one request and resolves with the response head; the body is left to the caller. */
function exchange(pending: PendingRequest, addresses: readonly CheckedAddress[], signal: AbortSignal): Promise<http.IncomingMessage> {
  const { url } = pending;
  const headers = { ...pending.headers };
  if (pending.body !== undefined && headers["content-length"] === undefined) {
    headers["content-length"] = String(Buffer.byteLength(pending.body));
  }
  const request = url.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    // Throws synchronously for a malformed method or header: a caller's mistake, not retryable.
    const req = request({
      protocol: url.protocol,
      // An IP literal is connected to directly; a name goes through the pinned lookup.
      hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: url.port === "" ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: pending.method,
      headers,
      // A fresh connection per call: a pooled socket could outlive the check that allowed it.
      agent: false,
      // With Node's default family autoselection the socket tries every checked address in turn.
      lookup: pinnedLookup(addresses),
      signal,
    });
    req.on("response", resolve);
    req.on("error", (cause) => reject(new HttpConnectionError(`${url.host}: ${cause.message}`, { cause })));
    req.end(pending.body);
  });
}

async function readCapped(res: http.IncomingMessage, maxBytes: number, url: URL, lengthDescribesBody: boolean): Promise<Buffer> {
  const tooLarge = () => new ResponseTooLargeError(`${where(url)}: response body larger than ${maxBytes} bytes`);
  // Refuse a declared oversize body before reading any of it.
  const declared = Number(res.headers["content-length"]);
  if (lengthDescribesBody && Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      total += chunk.length;
      // Leaving the loop destroys the stream and with it the socket: no more is read.
      if (total > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (cause) {
    if (cause instanceof ResponseTooLargeError) throw cause;
    throw new HttpConnectionError(`${url.host}: response body interrupted: ${(cause as Error).message}`, { cause });
  }
  return Buffer.concat(chunks);
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}
