/**
 * `handoff connector` and `handoff secrets rekey` end to end, as an operator runs them against
 * a SQLite data directory: secrets go in and never come out, bad config names its path, and a
 * change of master key is survived by re-sealing with the old key — while the new key alone
 * fails closed.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SealedConnectorDirectory } from "../../src/app/connectors/connector-directory.js";
import { parseMasterKey, SecretBox } from "../../src/app/secrets/secret-box.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { tempDir } from "../helpers/stores.js";
import { assertBuilt, runCli } from "./process.js";

const PASSWORD = "smtp-pa55word-do-not-print";
const WEBHOOK = "https://hooks.example.com/services/T9/B9/cliSecretHookValue";

let dir: string;
const cli = (args: string[], env: Record<string, string> = {}) => runCli([...args, "--data-dir", dir], { env });

async function resolveWith(key: string, connector: string) {
  const store = openSqliteStore({ file: join(dir, "handoff.db"), now: () => new Date().toISOString() });
  try {
    const ws = await store.workspaces.getWorkspaceBySlug("demo");
    if (!ws) throw new Error("no demo workspace");
    return await new SealedConnectorDirectory(store.connectors, new SecretBox(parseMasterKey(key))).resolve(ws.id, connector);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-cli-connector-");
  const seeded = await runCli(["seed", "--data-dir", dir], { timeoutMs: 120_000 });
  expect(seeded.code, seeded.stderr).toBe(0);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("handoff connector", () => {
  it("creates, updates, lists and deletes connectors; secret values are never printed", async () => {
    // The demo workspace comes with an `email` connector (its mail catcher), which the live
    // speed-to-lead recipe sends through: it cannot be deleted while that is so.
    const seeded = await cli(["connector", "list"]);
    expect(seeded.stdout).toMatch(/^email\tsmtp\t/m);
    const refused = await cli(["connector", "delete", "email"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/connector "email" is used by live workflows: .*speed-to-lead \(step auto-reply\)/);
    expect((await cli(["connector", "list"])).stdout).toMatch(/^email\tsmtp\t/m);
    const secretFile = join(dir, "hook.txt");
    writeFileSync(secretFile, `${WEBHOOK}\n`);
    const email = await cli([
      "connector",
      "set",
      "mailer",
      "--kind",
      "smtp",
      "--config",
      '{"host":"smtp.example.com","from":"Handoff <crm@example.com>","username":"crm"}',
      "--secret",
      `password=${PASSWORD}`,
    ]);
    expect(email.code, email.stderr).toBe(0);
    expect(email.stdout).toContain('created connector "mailer" (smtp); secrets set: password');
    const chat = await cli(["connector", "set", "chat", "--kind", "chat", "--secret", `webhook_url=@${secretFile}`]);
    expect(chat.code, chat.stderr).toBe(0);

    // --config replaces the whole config: port comes back to its default.
    const port = await cli([
      "connector",
      "set",
      "mailer",
      "--config",
      '{"host":"smtp.example.com","port":2525,"from":"crm@example.com","username":"crm"}',
    ]);
    expect(port.code, port.stderr).toBe(0);
    const again = await cli([
      "connector",
      "set",
      "mailer",
      "--config",
      '{"host":"mail.example.com","from":"crm@example.com","username":"crm"}',
    ]);
    expect(again.code, again.stderr).toBe(0);

    const list = await cli(["connector", "list"]);
    expect(list.code, list.stderr).toBe(0);
    // The demo workspace has its own `email` connector (the demo mail catcher); these are ours.
    const lines = list.stdout
      .trim()
      .split("\n")
      .filter((l) => /^(chat|mailer)\t/.test(l));
    expect(lines.map((l) => l.split("\t").slice(0, 4).join(" "))).toEqual([
      "chat chat chat secrets: webhook_url",
      "mailer smtp mailer secrets: password",
    ]);
    expect(lines[1]).toContain('"host":"mail.example.com","port":587');
    for (const out of [email, chat, port, again, list]) {
      expect(out.stdout + out.stderr).not.toContain(PASSWORD);
      expect(out.stdout + out.stderr).not.toContain("cliSecretHookValue");
    }
    const key = readFileSync(join(dir, "master.key"), "utf8");
    expect((await resolveWith(key, "chat"))?.secrets).toEqual({ webhook_url: WEBHOOK });
    expect((await resolveWith(key, "mailer"))?.secrets).toEqual({ password: PASSWORD });

    const del = await cli(["connector", "delete", "chat"]);
    expect(del.code, del.stderr).toBe(0);
    expect((await cli(["connector", "list"])).stdout).not.toContain("chat");
  }, 120_000);

  it("names the path of a bad config, and a missing --kind, and exits non-zero", async () => {
    const bad = await cli([
      "connector",
      "set",
      "api",
      "--kind",
      "http",
      "--config",
      '{"base_url":"https://a.example.com","auth":{"type":"jwt"}}',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("config.auth.type: type must be one of: none, bearer, basic, hmac");
    const noKind = await cli(["connector", "set", "api", "--config", "{}"]);
    expect(noKind.code).toBe(2);
    expect(noKind.stderr).toContain("needs --kind");
    const notJson = await cli(["connector", "set", "api", "--kind", "http", "--config", "{"]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain("--config is not JSON");
  }, 120_000);
});

describe("handoff secrets rekey", () => {
  it("fails closed under a new master key until the secrets are re-sealed with the old one", async () => {
    const oldKey = readFileSync(join(dir, "master.key"), "utf8").trim();
    const newKey = randomBytes(32).toString("base64");
    const env = { HANDOFF_MASTER_KEY: newKey };
    const oldId = new SecretBox(parseMasterKey(oldKey)).keyId;
    const newId = new SecretBox(parseMasterKey(newKey)).keyId;

    // Under the new key, settings without secrets still change; the stored password cannot be opened.
    const renamed = await cli(["connector", "set", "mailer", "--name", "Mail"], env);
    expect(renamed.code, renamed.stderr).toBe(0);
    await expect(resolveWith(newKey, "mailer")).rejects.toThrow(new RegExp(`master key ${oldId}.*key ${newId}`));
    await expect(resolveWith(newKey, "mailer")).rejects.toThrow(/nothing was sent/);

    const wrong = await cli(["secrets", "rekey", "--from", randomBytes(32).toString("base64")], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('connector "mailer"');

    const rekeyed = await cli(["secrets", "rekey", "--from", oldKey], env);
    expect(rekeyed.code, rekeyed.stderr).toBe(0);
    expect(rekeyed.stdout).toContain(`re-sealed the secrets of 1 connector from master key ${oldId} to ${newId}`);
    expect((await resolveWith(newKey, "mailer"))?.secrets).toEqual({ password: PASSWORD });
    await expect(resolveWith(oldKey, "mailer")).rejects.toThrow(/nothing was sent/);

    const twice = await cli(["secrets", "rekey", "--from", oldKey], env);
    expect(twice.stdout).toContain("re-sealed the secrets of 0 connectors");
    expect(twice.stdout).toContain("(1 already under it)");
  }, 120_000);
});
