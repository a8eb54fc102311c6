/**
 * `handoff serve` serves the web app at `/`: over real HTTP with the real build (web/dist, made by
 * `npm run build`), and in-process against a small build made here for the edge cases — content
 * types, caching, the client-route fallback, the server routes it never swallows, a missing build.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.js";
import { DEFAULT_WEB_DIST } from "../../src/api/web-app.js";
import { loadConfig } from "../../src/composition/config.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

const INDEX = '<!doctype html><html lang="en"><head><title>Handoff</title></head><body><div id="root"></div></body></html>';

describe("the web app at / (a build made here)", () => {
  let t: TestStore;
  let dist: string;
  let app: ReturnType<typeof createApp>;
  let missing: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await sqliteTestStore();
    dist = mkdtempSync(join(tmpdir(), "handoff-web-"));
    mkdirSync(join(dist, "assets"));
    writeFileSync(join(dist, "index.html"), INDEX);
    writeFileSync(join(dist, "assets", "index-AbC123.js"), "console.log(1)");
    writeFileSync(join(dist, "assets", "index-AbC123.css"), "body{}");
    writeFileSync(join(dist, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    const { buildServices } = await import("../../src/composition/root.js");
    const services = buildServices(t.store);
    const config = loadConfig({}, { logLevel: "silent" });
    app = createApp(services, config, pino({ level: "silent" }), { webDist: dist });
    missing = createApp(services, config, pino({ level: "silent" }), { webDist: join(dist, "nothing-here") });
  });
  afterAll(async () => {
    rmSync(dist, { recursive: true, force: true });
    await t?.dispose();
  });

  it("answers / and every client route with index.html, never cached, with the security headers", async () => {
    for (const path of ["/", "/sign-in", "/workflows", "/records/leads?x=1", "/deep/client/route"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      const csp = res.headers.get("content-security-policy") ?? "";
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
      ]) {
        expect(csp).toContain(directive);
      }
      expect(csp).not.toContain("unsafe-inline");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
      expect(await res.text()).toBe(INDEX);
    }
  });

  it("serves files with their content type; hashed assets cached for a year, others revalidated", async () => {
    const js = await app.request("/assets/index-AbC123.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(js.headers.get("x-content-type-options")).toBe("nosniff");
    const css = await app.request("/assets/index-AbC123.css");
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    const icon = await app.request("/favicon.svg");
    expect(icon.headers.get("content-type")).toBe("image/svg+xml");
    expect(icon.headers.get("cache-control")).toBe("no-cache");
  });

  it("a missing asset is a 404 problem, not the app (an old page asking for a replaced chunk)", async () => {
    for (const path of ["/assets/index-gone.js", "/robots.txt"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("never answers a server route with the app: the API, the document, hooks, forms, unsubscribe, health, metrics", async () => {
    for (const path of [
      "/api",
      "/api/v1/nothing",
      "/api/v2/leads",
      "/hooks/nothing",
      "/forms/nothing",
      "/unsubscribe/x",
      "/metrics",
      "/healthz",
    ]) {
      const res = await app.request(path);
      // Their own answers (a 404 problem, 401, the forms' own "no such form" page), never the app.
      expect(await res.text(), path).not.toBe(INDEX);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
    }
    const doc = await app.request("/openapi.json");
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { openapi: string }).openapi).toBe("3.1.0");
    const health = await app.request("/health");
    expect(health.headers.get("content-type")).toContain("application/json");
    // The API keeps its own answers: 401 without a token, not the app.
    const leads = await app.request("/api/v1/leads");
    expect(leads.status).toBe(401);
    expect(leads.headers.get("content-type")).toContain("application/problem+json");
  });

  it("does not serve files outside the build", async () => {
    for (const path of ["/../package.json", "/%2e%2e/package.json", "/assets/..%2f..%2fpackage.json"]) {
      const res = await app.request(path);
      expect(await res.text(), path).not.toContain('"name"');
    }
  });

  it("without a build, / says to run npm run build (a problem, not a stack trace)", async () => {
    const res = await missing.request("/");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toContain("npm run build");
    expect(body.detail).not.toMatch(/\bat .*\.js:\d+/);
  });
});

describe("the real build over HTTP", () => {
  let t: TestStore;
  let s: TestServer;

  beforeAll(async () => {
    if (!existsSync(join(DEFAULT_WEB_DIST, "index.html")))
      throw new Error(`no ${DEFAULT_WEB_DIST}/index.html: run \`npm run build\` first`);
    t = await sqliteTestStore();
    s = await startTestServer(t);
  });
  afterAll(async () => {
    await s?.close();
    await t?.dispose();
  });

  it("serves index.html at / and the scripts and styles it names, all from this origin", async () => {
    const res = await fetch(`${s.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(assets.some((a) => a.endsWith(".js"))).toBe(true);
    expect(assets.some((a) => a.endsWith(".css"))).toBe(true);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script: the CSP would refuse it
    for (const asset of assets) {
      const a = await fetch(`${s.url}${asset}`);
      expect(a.status, asset).toBe(200);
      expect(a.headers.get("cache-control")).toContain("immutable");
    }
  });

  it("keeps the first route's JavaScript under 300 KB compressed", async () => {
    const { gzipSync } = await import("node:zlib");
    const html = await (await fetch(`${s.url}/`)).text();
    const entry = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
    let bytes = 0;
    for (const path of entry) bytes += gzipSync(await (await fetch(`${s.url}${path}`)).arrayBuffer()).length;
    expect(bytes).toBeLessThan(300 * 1024);
    // Pages are their own chunks, loaded when visited.
    expect(readdirSync(resolve(DEFAULT_WEB_DIST, "assets")).some((f) => f.startsWith("SignIn-"))).toBe(true);
  });
});
