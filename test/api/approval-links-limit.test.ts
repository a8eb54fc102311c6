/**
 * The approval email links' public edge, tried as an attacker would (docs/security.md): an address
 * that sends refused link after refused link — forged tokens, a malformed body — is answered 429
 * with Retry-After once it reaches the limit, for either endpoint, before the token is even
 * looked up; the window passing lets it try again. Its own server, so that the count starts at
 * nothing and no other test shares it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LINK_FAILURES_PER_ADDRESS } from "../../src/api/routes/approval-links.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

describe("rate limit of refused approval links", () => {
  let t: TestStore;
  let s: TestServer;
  let at = Date.parse("2026-03-02T10:00:00.000Z");
  const clock = { now: () => new Date(at) };

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t, {}, { clock });
  });
  afterAll(async () => {
    await s?.close();
    await t?.dispose();
  });

  const post = (what: "inspect" | "decide", body: unknown) =>
    fetch(`${s.url}/approval-links/${what}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("answers 429 with Retry-After after the limit of refused links from one address, until the window passes", async () => {
    for (let i = 0; i < LINK_FAILURES_PER_ADDRESS; i++) {
      const res = i % 3 === 0 ? await post("decide", { token: "" }) : await post("inspect", { token: `forged-${i}` });
      expect(res.status, `attempt ${i}`).not.toBe(429);
      expect([404, 422]).toContain(res.status);
    }
    for (const what of ["inspect", "decide"] as const) {
      const res = await post(what, { token: "forged-again" });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      const problem = (await res.json()) as { detail: string };
      expect(problem.detail).toMatch(/too many refused approval links from this address: try again in \d+ s/);
    }
    // Fifteen minutes on, the oldest failures have aged out.
    at += 15 * 60_000 + 1_000;
    expect([404, 422]).toContain((await post("inspect", { token: "forged-later" })).status);
  });
});
