/**
 * HANDOFF_TRUSTED_PROXIES over real HTTP (docs/security.md, "Behind a reverse proxy"), tried as
 * an attacker would and as a proxy would. The test's own connections come from 127.0.0.1: one
 * server trusts nothing (the default), so a client writing X-Forwarded-For itself changes
 * nothing — the sign-in and approval-link limits still hit its real address, and
 * X-Forwarded-Proto makes no cookie Secure. The other lists 127.0.0.1 (and 10.0.0.0/8 for
 * chains) as trusted, as a reverse proxy on the same machine would be: two clients it forwards
 * for are limited apart, a chain of proxies is walked to the client, a header that cannot be
 * read falls back to the proxy's own address, and `X-Forwarded-Proto: https` makes the cookie
 * Secure. The rule itself, case by case: test/composition/trusted-proxies.test.ts. The limits
 * live in the process's memory, the same on both stores: SQLite only.
 */
import { describe, expect, it } from "vitest";
import { LINK_FAILURES_PER_ADDRESS } from "../../src/api/routes/approval-links.js";
import { type TestEnv, useTestServer } from "../helpers/server.js";
import { sqliteTestStore } from "../helpers/stores.js";

const PASSWORD = "correct horse battery staple";
const PER_ADDRESS = 3;
/** The sign-in limit per address is what these tests reach; the per-email one stays out of the way. */
const LIMITS = { signInFailuresPerIp: PER_ADDRESS, signInFailuresPerEmail: 1_000 };
const SQLITE = { open: sqliteTestStore };

type Json = Record<string, any>;

function signIn(env: TestEnv, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${env.s.url}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** One failed sign-in (an email nobody has); its status: 401 while allowed, 429 once limited. */
async function failedSignIn(env: TestEnv, headers: Record<string, string> = {}) {
  const res = await signIn(env, { email: `nobody-${Math.random()}@acme.test`, password: "wrong password here" }, headers);
  await res.body?.cancel();
  return res.status;
}

let forged = 0;
/** One refused approval link (a forged token): "refused" (404 or 422) while allowed, 429 once limited. */
async function refusedLink(env: TestEnv, headers: Record<string, string> = {}) {
  const res = await fetch(`${env.s.url}/approval-links/inspect`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ token: `forged-${forged++}` }),
  });
  await res.body?.cancel();
  return res.status === 404 || res.status === 422 ? "refused" : res.status;
}

const forwardedFor = (xff: string) => ({ "x-forwarded-for": xff });

async function userWithPassword(env: TestEnv, email: string) {
  const created = await env.s.post("/api/v1/users", { name: email, email, role: "rep" });
  const res = await env.s.api(`/api/v1/users/${created.id}/password`, { method: "PUT", json: { password: PASSWORD } });
  expect(res.status, await res.clone().text()).toBe(200);
}

const cookieFlags = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";").map((s) => s.trim());

describe("without trusted proxies (the default), forwarding headers change nothing", () => {
  const env = useTestServer(SQLITE, LIMITS);

  it("makes no cookie Secure for X-Forwarded-Proto: https", async () => {
    await userWithPassword(env, "plain@acme.test");
    const res = await signIn(
      env,
      { email: "plain@acme.test", password: PASSWORD },
      { "x-forwarded-proto": "https", ...forwardedFor("198.51.100.1") },
    );
    expect(res.status).toBe(200);
    expect(cookieFlags(res)).toContain("HttpOnly");
    expect(cookieFlags(res)).not.toContain("Secure");
  });

  it("limits sign-ins by the real address, whatever X-Forwarded-For a client writes", async () => {
    for (let i = 0; i < PER_ADDRESS; i++) expect(await failedSignIn(env, forwardedFor(`198.51.100.${10 + i}`)), `attempt ${i}`).toBe(401);
    expect(await failedSignIn(env, forwardedFor("198.51.100.99"))).toBe(429);
    expect(await failedSignIn(env, forwardedFor("198.51.100.99, 127.0.0.1"))).toBe(429);
    expect(await failedSignIn(env)).toBe(429);
  });

  it("limits refused approval links by the real address, whatever X-Forwarded-For a client writes", async () => {
    for (let i = 0; i < LINK_FAILURES_PER_ADDRESS; i++)
      expect(await refusedLink(env, forwardedFor(`198.51.100.${i}`)), `link ${i}`).toBe("refused");
    expect(await refusedLink(env, forwardedFor("198.51.100.200"))).toBe(429);
    expect(await refusedLink(env)).toBe(429);
  });
});

describe("behind a trusted proxy (the test's 127.0.0.1 listed), each forwarded client is itself", () => {
  const env = useTestServer(SQLITE, { ...LIMITS, trustedProxies: "127.0.0.1, ::1, 10.0.0.0/8" });

  it("makes the cookie Secure for X-Forwarded-Proto: https, and only then", async () => {
    await userWithPassword(env, "proxied@acme.test");
    const body = { email: "proxied@acme.test", password: PASSWORD };
    const https = await signIn(env, body, { "x-forwarded-proto": "https", ...forwardedFor("198.51.100.1") });
    expect(https.status).toBe(200);
    for (const flag of ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"]) expect(cookieFlags(https)).toContain(flag);
    const http = await signIn(env, body, { "x-forwarded-proto": "http", ...forwardedFor("198.51.100.1") });
    expect(cookieFlags(http)).not.toContain("Secure");
    expect(cookieFlags(await signIn(env, body, forwardedFor("198.51.100.1")))).not.toContain("Secure");

    // Signing out over the proxy clears the cookie with the same flags.
    const session = (await https.json()) as Json;
    const cookie = (https.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const out = await fetch(`${env.s.url}/api/v1/session`, {
      method: "DELETE",
      headers: { cookie, "x-csrf-token": session.csrf_token, "x-forwarded-proto": "https", ...forwardedFor("198.51.100.1") },
    });
    expect(out.status).toBe(204);
    expect(cookieFlags(out)).toContain("Secure");
  });

  it("limits two clients' sign-ins apart: one client's failures never lock out the other", async () => {
    const a = forwardedFor("203.0.113.1");
    for (let i = 0; i < PER_ADDRESS; i++) expect(await failedSignIn(env, a), `attempt ${i}`).toBe(401);
    expect(await failedSignIn(env, a)).toBe(429);
    // A client cannot step out of its limit by writing an address in front of the one the proxy adds.
    expect(await failedSignIn(env, forwardedFor("203.0.113.2, 203.0.113.1"))).toBe(429);
    expect(await failedSignIn(env, forwardedFor("203.0.113.2"))).toBe(401);
    // Nor is the proxy itself limited by its clients' failures (this is its first).
    expect(await failedSignIn(env)).toBe(401);
  });

  it("walks a chain of proxies to the client, the same client however many proxies it came through", async () => {
    const viaTwo = forwardedFor("203.0.113.50, 10.0.0.9");
    const viaThree = forwardedFor("203.0.113.50, 10.1.1.1, 10.0.0.9");
    expect(await failedSignIn(env, viaTwo)).toBe(401);
    expect(await failedSignIn(env, viaThree)).toBe(401);
    expect(await failedSignIn(env, forwardedFor("203.0.113.50"))).toBe(401);
    expect(await failedSignIn(env, viaThree)).toBe(429);
    expect(await failedSignIn(env, forwardedFor("203.0.113.51, 10.0.0.9"))).toBe(401);
  });

  it("counts a header it cannot read against the proxy's own address, never answering 500", async () => {
    const statuses: number[] = [];
    for (const xff of ["not-an-address", "203.0.113.60, garbage", "[::1"]) statuses.push(await failedSignIn(env, forwardedFor(xff)));
    // They count against the peer (127.0.0.1, the proxy), which had one failure already (above):
    // the third reaches its limit. The proxy's own address is limited now; a readable client is not.
    expect(statuses).toEqual([401, 401, 429]);
    expect(await failedSignIn(env)).toBe(429);
    expect(await failedSignIn(env, forwardedFor("203.0.113.60"))).toBe(401);
  });

  it("limits two clients' refused approval links apart", async () => {
    const a = forwardedFor("203.0.113.70");
    for (let i = 0; i < LINK_FAILURES_PER_ADDRESS; i++) expect(await refusedLink(env, a), `link ${i}`).toBe("refused");
    expect(await refusedLink(env, a)).toBe(429);
    expect(await refusedLink(env, forwardedFor("203.0.113.71"))).toBe("refused");
    expect(await refusedLink(env, forwardedFor("203.0.113.70:40000, 10.0.0.9"))).toBe(429);
  });
});
