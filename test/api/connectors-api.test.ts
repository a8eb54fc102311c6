/**
 * Connectors over real HTTP, on both stores: secrets go in and never come out (the raw bytes of
 * every response are searched), config is checked by kind with problems at their paths and
 * nothing written, every change is in the configuration audit without values, only admins
 * write, and a wrong or missing master key fails closed.
 */
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../../src/api/server.js";
import { SealedConnectorDirectory } from "../../src/app/connectors/connector-directory.js";
import { ConnectorService } from "../../src/app/connectors/connector-service.js";
import { SecretBox } from "../../src/app/secrets/secret-box.js";
import { loadConfig } from "../../src/composition/config.js";
import { createLogger } from "../../src/composition/logger.js";
import { SecretsUnavailableError } from "../../src/connectors/contract.js";
import { type TestServer, useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const TOKEN = "tok_live_9f8e7d6c5b4a39281706";
const TOKEN2 = "tok_rotated_11223344556677889900";
const HMAC = "hmac-shared-secret-abcdef0123456789";
const WEBHOOK = "https://hooks.example.com/services/T000/B000/XXXXSECRETXXXX";
const SECRETS = [TOKEN, TOKEN2, HMAC, WEBHOOK, "XXXXSECRETXXXX"];

const box = new SecretBox(randomBytes(32));

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`connectors API on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { secretBox: box });
    let rep: string;
    let manager: string;

    /** Every response's raw text, searched for any secret value or sealed text. */
    const call = async (path: string, init: Parameters<TestServer["api"]>[1] = {}) => {
      const res = await env.s.api(path, init);
      const text = await res.text();
      for (const secret of SECRETS) expect(text, `${path} leaked a secret`).not.toContain(secret);
      expect(text).not.toMatch(/v1\.[0-9a-f]{12}\./);
      return { status: res.status, type: res.headers.get("content-type") ?? "", body: (text ? JSON.parse(text) : null) as Json };
    };
    const auditCount = async () => (await env.s.services.store.configAudit.readConfigAudit(env.s.workspace.id, 1000)).length;

    beforeAll(async () => {
      rep = (await env.s.services.tokens.create(env.s.workspace.id, "rep", "rep")).secret;
      manager = (await env.s.services.tokens.create(env.s.workspace.id, "manager", "manager")).secret;
    });

    it("creates a connector: defaults filled in, secrets only as names, sealed at rest", async () => {
      const res = await call("/api/v1/connectors", {
        method: "POST",
        json: {
          key: "enrichment",
          kind: "http",
          name: "Enrichment API",
          config: { base_url: "https://api.example.com/v2", auth: { type: "bearer" } },
          secrets: { token: TOKEN },
        },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        key: "enrichment",
        kind: "http",
        name: "Enrichment API",
        config: {
          base_url: "https://api.example.com/v2",
          auth: { type: "bearer" },
          timeout_ms: 10000,
          max_response_bytes: 1048576,
          rate_per_s: 20,
          concurrency: 4,
        },
        secrets: { token: "set" },
      });
      const row = await env.s.services.store.connectors.getConnectorByKey(env.s.workspace.id, "enrichment");
      expect(row?.secrets).toMatch(new RegExp(`^v1\\.${box.keyId}\\.`));
      expect(row?.secrets).not.toContain(TOKEN);

      const list = await call("/api/v1/connectors");
      expect(list.body.data.map((c: Json) => c.key)).toEqual(["enrichment"]);
      const one = await call("/api/v1/connectors/enrichment");
      expect(one.body.secrets).toEqual({ token: "set" });
      expect((await call("/openapi.json")).body.paths["/api/v1/connectors/{key}"]).toBeDefined();
    });

    it("refuses invalid config with problems at their paths and allowed values, and writes nothing", async () => {
      const before = await auditCount();
      const res = await call("/api/v1/connectors", {
        method: "POST",
        json: {
          key: "bad",
          kind: "http",
          config: { base_url: "ftp://files.example.com", auth: { type: "oauth" }, timeout_ms: 120000, retries: 3 },
          secrets: { token: TOKEN, api_key: TOKEN2 },
        },
      });
      expect(res.status).toBe(422);
      expect(res.type).toContain("application/problem+json");
      const byPath = Object.fromEntries((res.body.errors as Json[]).map((e) => [e.path, e]));
      expect(byPath["config.base_url"]?.message).toMatch(/http:\/\/ or https:\/\//);
      expect(byPath["config.auth.type"]?.expected).toEqual(["none", "bearer", "basic", "hmac"]);
      expect(byPath["config.timeout_ms"]?.code).toBe("too_big");
      expect(byPath["config.retries"]?.code).toBe("unknown_field");
      expect(byPath["secrets.api_key"]?.expected).toEqual(["token", "password", "hmac_secret"]);

      const kindRes = await call("/api/v1/connectors", { method: "POST", json: { key: "x", kind: "ftp", config: {} } });
      expect(kindRes.status).toBe(422);
      expect(kindRes.body.errors).toEqual([expect.objectContaining({ path: "kind", expected: ["smtp", "http", "chat"] })]);

      const missing = await call("/api/v1/connectors", {
        method: "POST",
        json: { key: "hooks", kind: "http", config: { base_url: "https://h.example.com", auth: { type: "hmac" } } },
      });
      expect(missing.status).toBe(422);
      expect(missing.body.errors).toEqual([expect.objectContaining({ path: "secrets.hmac_secret", code: "required" })]);

      const smtp = await call("/api/v1/connectors", {
        method: "POST",
        json: { key: "email", kind: "smtp", config: { host: "smtp.example.com", from: "not an address", port: "587" } },
      });
      expect(smtp.status).toBe(422);
      expect((smtp.body.errors as Json[]).map((e) => e.path).sort()).toEqual(["config.from", "config.port"]);

      const notJson = await env.s.api("/api/v1/connectors", { method: "POST", body: "{", headers: { "content-type": "application/json" } });
      expect(notJson.status).toBe(400);

      expect((await call("/api/v1/connectors")).body.data.map((c: Json) => c.key)).toEqual(["enrichment"]);
      expect(await auditCount()).toBe(before);
    });

    it("refuses a second connector with the same key (409)", async () => {
      const res = await call("/api/v1/connectors", {
        method: "POST",
        json: { key: "enrichment", kind: "chat", config: {}, secrets: { webhook_url: WEBHOOK } },
      });
      expect(res.status).toBe(409);

      // At once (straight to the service, so that the transactions overlap): one wins, the others
      // are told the key is taken — never a unique-violation 500.
      const admin = {
        workspaceId: env.s.workspace.id,
        role: "admin" as const,
        actor: { kind: "system" as const, id: "t" },
        requestId: null,
        causeId: null,
      };
      const racing = await Promise.allSettled(
        Array.from({ length: 6 }, () =>
          env.s.services.connectors.create(admin, { key: "race", kind: "http", config: { base_url: "https://r.example.com" } }),
        ),
      );
      expect(racing.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of racing) if (r.status === "rejected") expect(r.reason).toMatchObject({ kind: "conflict" });
      expect((await call("/api/v1/connectors/race", { method: "DELETE" })).status).toBe(204);
    });

    it("patches config and secrets one by one: replaced, kept, removed", async () => {
      const rotated = await call("/api/v1/connectors/enrichment", {
        method: "PATCH",
        json: { config: { timeout_ms: 5000, headers: { "X-Team": "ops" } }, secrets: { token: TOKEN2 } },
      });
      expect(rotated.status).toBe(200);
      expect(rotated.body.config).toMatchObject({ timeout_ms: 5000, headers: { "X-Team": "ops" }, auth: { type: "bearer" } });
      const directory = new SealedConnectorDirectory(env.s.services.store.connectors, box);
      expect((await directory.resolve(env.s.workspace.id, "enrichment"))?.secrets).toEqual({ token: TOKEN2 });

      // Switching to HMAC: the new secret is added, the bearer token removed; the header default filled in.
      const hmac = await call("/api/v1/connectors/enrichment", {
        method: "PATCH",
        json: { config: { auth: { type: "hmac" }, headers: null }, secrets: { hmac_secret: HMAC, token: null } },
      });
      expect(hmac.status).toBe(200);
      expect(hmac.body.secrets).toEqual({ hmac_secret: "set" });
      expect(hmac.body.config.auth).toEqual({ type: "hmac", header: "X-Handoff-Signature" });
      expect(hmac.body.config.headers).toBeUndefined();
      const resolved = await directory.resolve(env.s.workspace.id, "enrichment");
      expect(resolved).toMatchObject({ kind: "http", secrets: { hmac_secret: HMAC } });
      expect(resolved?.secrets.token).toBeUndefined();

      // Removing a secret the auth still needs is refused, and the stored one stays.
      const bad = await call("/api/v1/connectors/enrichment", { method: "PATCH", json: { secrets: { hmac_secret: null }, kind: "chat" } });
      expect(bad.status).toBe(422);
      expect((bad.body.errors as Json[]).map((e) => e.path).sort()).toEqual(["kind", "secrets.hmac_secret"]);
      expect((await directory.resolve(env.s.workspace.id, "enrichment"))?.secrets).toEqual({ hmac_secret: HMAC });
      expect((await call("/api/v1/connectors/nope", { method: "PATCH", json: {} })).status).toBe(404);
    });

    it("writes every change to the configuration audit: who, what, which secrets — never a value", async () => {
      await call("/api/v1/connectors", {
        method: "POST",
        json: { key: "chat", kind: "chat", config: { username: "Handoff" }, secrets: { webhook_url: WEBHOOK } },
      });
      const del = await call("/api/v1/connectors/chat", { method: "DELETE" });
      expect(del.status).toBe(204);
      expect((await call("/api/v1/connectors/chat")).status).toBe(404);

      const audit = await call("/api/v1/config-audit");
      expect(audit.status).toBe(200);
      const entries = [...(audit.body.data as Json[])].reverse();
      expect(entries.map((e) => `${e.action} ${e.summary.key}`)).toEqual([
        "create enrichment",
        "create race",
        "delete race",
        "update enrichment",
        "update enrichment",
        "create chat",
        "delete chat",
      ]);
      expect(entries[0]).toMatchObject({ entity: "connector", actor: { kind: "person" }, summary: { secrets_set: ["token"] } });
      expect(entries[3]?.summary).toMatchObject({ config_changed: ["headers", "timeout_ms"], secrets_set: ["token"], secrets_removed: [] });
      expect(entries[4]?.summary).toMatchObject({
        config_changed: ["auth", "headers"],
        secrets_set: ["hmac_secret"],
        secrets_removed: ["token"],
      });
      expect(entries[6]?.summary).toMatchObject({ secrets_removed: ["webhook_url"] });
      expect(entries[0]?.request_id).toEqual(expect.any(String));
      const paged = await call(`/api/v1/config-audit?limit=2&before=${audit.body.data[3].seq}`);
      expect(paged.body.data.map((e: Json) => e.seq)).toEqual([audit.body.data[4].seq, audit.body.data[5].seq]);
      expect(paged.body.next_before).toBe(audit.body.data[5].seq);
    });

    it("refuses to delete a connector a live workflow uses (409 naming it), and deletes it once archived", async () => {
      const created = await call("/api/v1/connectors", {
        method: "POST",
        json: { key: "team-chat", kind: "chat", name: "Team chat", secrets: { webhook_url: WEBHOOK } },
      });
      expect(created.status).toBe(201);
      const saved = await env.s.publish({
        key: "chat-on-deal",
        name: "Tell the team about a deal",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "deal",
        trigger: { type: "record_created" },
        start: "later",
        steps: {
          later: { type: "delay", duration: { days: 1 }, next: "tell" },
          tell: { type: "action", action: { type: "send_chat", connector: "team-chat", text: "New deal" } },
        },
      });
      const refused = await call("/api/v1/connectors/team-chat", { method: "DELETE" });
      expect(refused.status).toBe(409);
      expect(refused.type).toContain("application/problem+json");
      expect(refused.body.detail).toContain("chat-on-deal (step tell)");
      expect((await call("/api/v1/connectors/team-chat")).status).toBe(200);
      // A run waiting on the archived version may still send through it.
      const deal = await env.s.post("/api/v1/deals", { name: "Big one", amount: 1000 });
      await env.s.services.worker.drain();
      const [run] = (await env.s.get(`/api/v1/runs?record_id=${deal.id}`)).data as Json[];
      expect(run?.status).toBe("waiting");
      await env.s.post(`/api/v1/workflows/${saved.id}/archive`, {});
      const stillUsed = await call("/api/v1/connectors/team-chat", { method: "DELETE" });
      expect(stillUsed.status).toBe(409);
      expect(stillUsed.body.detail).toContain("chat-on-deal v1, runs under way (step tell)");
      await env.s.post(`/api/v1/runs/${run?.id}/cancel`, {});
      await env.s.services.worker.drain();
      expect((await call("/api/v1/connectors/team-chat", { method: "DELETE" })).status).toBe(204);
    });

    it("lets only admins write; managers read, reps see nothing", async () => {
      const body = { key: "x1", kind: "chat", config: {}, secrets: { webhook_url: WEBHOOK } };
      for (const as of [rep, manager]) {
        expect((await call("/api/v1/connectors", { method: "POST", json: body, as })).status).toBe(404);
        expect((await call("/api/v1/connectors/enrichment", { method: "PATCH", json: { name: "n" }, as })).status).toBe(404);
        expect((await call("/api/v1/connectors/enrichment", { method: "DELETE", as })).status).toBe(404);
        expect((await call("/api/v1/config-audit", { as })).status).toBe(404);
      }
      expect((await call("/api/v1/connectors", { as: rep })).status).toBe(404);
      const read = await call("/api/v1/connectors/enrichment", { as: manager });
      expect(read.status).toBe(200);
      expect(read.body.secrets).toEqual({ hmac_secret: "set" });
      expect(await env.s.services.store.connectors.getConnectorByKey(env.s.workspace.id, "x1")).toBeUndefined();

      const other = await env.s.newWorkspace("globex");
      expect((await call("/api/v1/connectors/enrichment", { as: other.token })).status).toBe(404);
      expect((await call("/api/v1/connectors", { as: other.token })).body.data).toEqual([]);
    });

    it("writes request logs without secret values or the bearer token", async () => {
      const lines: string[] = [];
      const stream = new Writable({
        write(chunk, _enc, done) {
          lines.push(chunk.toString("utf8"));
          done();
        },
      });
      const config = loadConfig({}, { port: 0, host: "127.0.0.1", logLevel: "debug" });
      const logged = await startServer(env.s.services, config, createLogger("debug", stream));
      try {
        const post = (json: unknown) =>
          fetch(`${logged.url}/api/v1/connectors`, {
            method: "POST",
            headers: { authorization: `Bearer ${env.s.token}`, "content-type": "application/json" },
            body: JSON.stringify(json),
          });
        expect((await post({ key: "log-chat", kind: "chat", config: {}, secrets: { webhook_url: WEBHOOK } })).status).toBe(201);
        expect((await post({ key: "log-bad", kind: "chat", config: { colour: "red" }, secrets: { webhook_url: WEBHOOK } })).status).toBe(
          422,
        );
      } finally {
        await logged.close();
      }
      const text = lines.join("");
      expect(text).toContain("/api/v1/connectors");
      for (const secret of [...SECRETS, env.s.token]) expect(text).not.toContain(secret);
      expect((await call("/api/v1/connectors/log-chat", { method: "DELETE" })).status).toBe(204);
    });

    it("fails closed under another master key, naming both key ids", async () => {
      const other = new SecretBox(randomBytes(32));
      const directory = new SealedConnectorDirectory(env.s.services.store.connectors, other);
      const attempt = directory.resolve(env.s.workspace.id, "enrichment");
      await expect(attempt).rejects.toBeInstanceOf(SecretsUnavailableError);
      await expect(directory.resolve(env.s.workspace.id, "enrichment")).rejects.toThrow(
        new RegExp(`connector "enrichment".*master key ${box.keyId}.*key ${other.keyId}`),
      );
      expect(await directory.resolve(env.s.workspace.id, "missing")).toBeUndefined();

      // A change that must keep a stored secret cannot do it under the other key: refused, named, nothing written.
      const service = new ConnectorService(env.s.services.store, env.s.services.clock, env.s.services.ids, other);
      const admin = {
        workspaceId: env.s.workspace.id,
        role: "admin" as const,
        actor: { kind: "system" as const, id: "t" },
        requestId: null,
        causeId: null,
      };
      const before = await env.s.services.store.connectors.getConnectorByKey(env.s.workspace.id, "enrichment");
      await expect(service.patch(admin, "enrichment", { secrets: { token: TOKEN } })).rejects.toThrow(
        new RegExp(`master key ${box.keyId}.*key ${other.keyId}.*Send all of them again: hmac_secret`),
      );
      expect(await env.s.services.store.connectors.getConnectorByKey(env.s.workspace.id, "enrichment")).toEqual(before);
    });
  });

  describe.skipIf(kind.skip)(`connectors API without a master key on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { secretBox: new SecretBox(undefined) });

    it("answers 503 naming HANDOFF_MASTER_KEY for a write with secrets, and writes nothing", async () => {
      const res = await env.s.api("/api/v1/connectors", {
        method: "POST",
        json: { key: "chat", kind: "chat", config: {}, secrets: { webhook_url: WEBHOOK } },
      });
      expect(res.status).toBe(503);
      const body = (await res.json()) as Json;
      expect(body.detail).toMatch(/no master key is configured \(HANDOFF_MASTER_KEY\)/);
      expect(JSON.stringify(body)).not.toContain(WEBHOOK);
      expect(await env.s.services.store.connectors.listConnectors(env.s.workspace.id)).toEqual([]);
      expect(await env.s.services.store.configAudit.readConfigAudit(env.s.workspace.id, 10)).toEqual([]);

      // Settings without secrets need no key.
      const plain = await env.s.api("/api/v1/connectors", {
        method: "POST",
        json: { key: "open-api", kind: "http", config: { base_url: "https://open.example.com" } },
      });
      expect(plain.status).toBe(201);
    });
  });
}
