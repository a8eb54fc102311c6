/**
 * Secrets stay out of logs and error text: the process logger redacts credential headers and
 * secret-named keys at any depth it is given; scrubSecrets replaces secret values (as written,
 * URL-encoded or base64) inside free text such as a transport's error message.
 */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, REDACTED } from "../../src/composition/logger.js";
import { scrubSecrets } from "../../src/connectors/scrub.js";

const PASSWORD = "s3cr3t-Pa55/word?&=";
const TOKEN = "tok_abcdef0123456789";
const WEBHOOK = "https://hooks.example.com/services/T1/B2/ZZZZhookZZZZ";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  return { logger: createLogger("info", stream), lines };
}

describe("the process logger", () => {
  it("redacts credential headers and secret-named keys, keeping the rest of the line", () => {
    const { logger, lines } = capture();
    logger.info(
      {
        req: { headers: { authorization: `Bearer ${TOKEN}`, cookie: `sid=${TOKEN}`, "x-api-key": TOKEN, accept: "application/json" } },
        connector: { key: "email", config: { host: "smtp.example.com", password: PASSWORD }, secrets: { password: PASSWORD } },
        delivery: { chat: { webhook_url: WEBHOOK }, attempt: 2 },
        item: { auth: { hmac_secret: TOKEN, token: TOKEN } },
        token: TOKEN,
      },
      "delivering",
    );
    const line = lines.join("");
    for (const secret of [PASSWORD, TOKEN, WEBHOOK, "ZZZZhookZZZZ"]) expect(line).not.toContain(secret);
    const parsed = JSON.parse(line);
    expect(parsed.req.headers).toEqual({ authorization: REDACTED, cookie: REDACTED, "x-api-key": REDACTED, accept: "application/json" });
    expect(parsed.connector).toEqual({ key: "email", config: { host: "smtp.example.com", password: REDACTED }, secrets: REDACTED });
    expect(parsed.delivery).toEqual({ chat: { webhook_url: REDACTED }, attempt: 2 });
    expect(parsed.msg).toBe("delivering");
  });
});

describe("scrubSecrets", () => {
  const secrets = { password: PASSWORD, webhook_url: WEBHOOK, token: TOKEN };

  it("replaces each secret value by its name, also URL-encoded and base64", () => {
    const error = [
      `connect to ${WEBHOOK} failed`,
      `535 auth failed for password ${PASSWORD}`,
      `GET /x?key=${encodeURIComponent(PASSWORD)}`,
      `Authorization: Basic ${Buffer.from(TOKEN).toString("base64")}`,
    ].join("\n");
    const scrubbed = scrubSecrets(error, secrets);
    for (const form of [PASSWORD, encodeURIComponent(PASSWORD), WEBHOOK, TOKEN, Buffer.from(TOKEN).toString("base64")]) {
      expect(scrubbed).not.toContain(form);
    }
    expect(scrubbed).toContain("connect to [secret webhook_url] failed");
    expect(scrubbed).toContain("535 auth failed for password [secret password]");
    expect(scrubbed).toContain("GET /x?key=[secret password]");
  });

  it("replaces a secret that contains another one whole, and leaves text without secrets alone", () => {
    const scrubbed = scrubSecrets(`posting to ${WEBHOOK}`, { part: "ZZZZhookZZZZ", webhook_url: WEBHOOK });
    expect(scrubbed).toBe("posting to [secret webhook_url]");
    expect(scrubSecrets("timeout after 10000 ms", secrets)).toBe("timeout after 10000 ms");
  });

  it("does not mangle text over very short values", () => {
    expect(scrubSecrets("a 1 b", { pin: "1" })).toBe("a 1 b");
  });
});
