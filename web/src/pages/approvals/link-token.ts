/**
 * The token of an approval email's link (`/approvals/confirm#t=<token>`): read from the fragment,
 * which no server or proxy ever receives, and then taken out of the address bar so that it is not
 * kept in the history, a bookmark or a screen share. Its shape is checked here as the server does
 * (43 base64url characters), so a mangled link is explained without a round trip.
 */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export type LinkToken = { ok: true; token: string } | { ok: false; reason: "missing" | "malformed" };

export function readLinkToken(hash: string): LinkToken {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const t = params.get("t");
  if (t === null || t === "") return { ok: false, reason: "missing" };
  return TOKEN.test(t) ? { ok: true, token: t } : { ok: false, reason: "malformed" };
}

/** Takes the fragment (the token) out of the address bar, keeping the page where it is. */
export function forgetLinkToken(): void {
  if (window.location.hash) window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
}
