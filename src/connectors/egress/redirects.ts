/**
 * What to send after a redirect. Pure, so the rules can be read in one place; the transport asks
 * the egress guard about every hop before it connects.
 */

export interface PendingRequest {
  method: string;
  url: URL;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string | Buffer;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Describe the body; meaningless once the body is dropped. */
const BODY_HEADERS = ["content-type", "content-length", "content-encoding", "content-language", "transfer-encoding"];

/** Credentials meant for the first origin only (the Fetch standard drops Authorization; we drop its kin too). */
const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "cookie"];

/**
 * The request to send next, or undefined when the response is final (not a redirect, or a
 * redirect without a usable Location).
 */
export function nextHop(current: PendingRequest, status: number, location: string | undefined): PendingRequest | undefined {
  if (!REDIRECTS.has(status) || !location) return undefined;
  let url: URL;
  try {
    url = new URL(location, current.url);
  } catch {
    return undefined;
  }
  url.hash = "";
  const headers = { ...current.headers };
  let { method, body } = current;
  // 303 means "see other with GET"; browsers also turn a POST into GET on 301/302 (Fetch §4.4).
  const verb = method.toUpperCase();
  if ((status === 303 && verb !== "GET" && verb !== "HEAD") || ((status === 301 || status === 302) && verb === "POST")) {
    method = "GET";
    body = undefined;
    for (const name of BODY_HEADERS) delete headers[name];
  }
  if (url.origin !== current.url.origin) {
    for (const name of CREDENTIAL_HEADERS) delete headers[name];
    // A Host set by the caller names the first origin; the next one gets its own.
    delete headers.host;
  }
  return { method, url, headers, ...(body === undefined ? {} : { body }) };
}
