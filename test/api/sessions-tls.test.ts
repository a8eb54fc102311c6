/**
 * The session cookie over TLS, and the logs of signing in: a real HTTPS server (a self-signed
 * certificate made by openssl for this test) serving the same app, on both stores. Over TLS the
 * cookie is Secure; at every log level, no log line holds the password.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Writable } from "node:stream";
import { serve } from "@hono/node-server";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.js";
import { SecretBox } from "../../src/app/secrets/secret-box.js";
import { loadConfig } from "../../src/composition/config.js";
import { REDACT_PATHS, REDACTED } from "../../src/composition/logger.js";
import { buildServices } from "../../src/composition/root.js";
import { STORES, type TestStore, tempDir } from "../helpers/stores.js";

const PASSWORD = "a password for the tls test";

/** One HTTPS request that accepts the self-signed certificate. */
async function httpsJson(url: string, body: unknown): Promise<{ status: number; setCookie: string[]; text: string }> {
  const { request } = await import("node:https");
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", rejectUnauthorized: false, headers: { "content-type": "application/json" } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        text += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers["set-cookie"] ?? [], text }));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`the session cookie over TLS, and the logs (${kind.name})`, () => {
    let t: TestStore;
    let dir: string;
    let url: string;
    let close: () => Promise<void>;
    const lines: string[] = [];

    beforeAll(async () => {
      dir = tempDir("handoff-tls-");
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          join(dir, "key.pem"),
          "-out",
          join(dir, "cert.pem"),
          "-days",
          "1",
          "-subj",
          "/CN=127.0.0.1",
        ],
        { stdio: "ignore" },
      );
      t = await kind.open();
      const services = buildServices(t.store, undefined, undefined, { secretBox: new SecretBox(randomBytes(32)) });
      const workspace = await services.workspaces.create("tls", "TLS");
      const ctx = {
        workspaceId: workspace.id,
        role: "admin" as const,
        actor: { kind: "system" as const, id: "test" },
        requestId: null,
        causeId: null,
      };
      const [user] = await services.writer.createMany(ctx, "user", [{ name: "Tess", email: "tess@tls.test", role: "admin" }]);
      await services.credentials.setPassword(ctx, (user as { id: string }).id, PASSWORD);
      const sink = new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      });
      const logger = pino({ level: "trace", redact: { paths: [...REDACT_PATHS], censor: REDACTED } }, sink);
      const app = createApp(services, loadConfig({}, {}), logger);
      const server = serve({
        fetch: app.fetch,
        port: 0,
        hostname: "127.0.0.1",
        createServer,
        serverOptions: { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) },
      });
      await new Promise<void>((resolve) => server.once("listening", () => resolve()));
      url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      close = () => new Promise<void>((done) => server.close(() => done()));
    });
    afterAll(async () => {
      await close?.();
      await t?.dispose();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("sets Secure (with HttpOnly, SameSite=Lax, Path=/) when the request came over TLS", async () => {
      const res = await httpsJson(`${url}/api/v1/session`, { email: "tess@tls.test", password: PASSWORD });
      expect(res.status, res.text).toBe(200);
      const flags = (res.setCookie[0] ?? "").split(";").map((s) => s.trim());
      for (const flag of ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"]) expect(flags).toContain(flag);
      expect(res.text).not.toContain(PASSWORD);
    });

    it("writes no log line holding the password, signed in or refused", async () => {
      await httpsJson(`${url}/api/v1/session`, { email: "tess@tls.test", password: `${PASSWORD} but wrong` });
      await httpsJson(`${url}/api/v1/session`, { email: "nobody@tls.test", password: PASSWORD });
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join("\n")).not.toContain(PASSWORD);
    });
  });
}
