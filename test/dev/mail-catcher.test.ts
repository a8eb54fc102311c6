/** The demo mail catcher: real SMTP in, .eml files out; the demo's settings around it. */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { basename, join } from "node:path";
import { createTransport } from "nodemailer";
import { afterAll, describe, expect, it } from "vitest";
import { smtpConfigSchema } from "../../src/connectors/smtp/smtp-config.js";
import { startMailCatcher } from "../../src/dev/mail-catcher.js";
import { demoEmailConnector, demoSmtpPort, egressAllowWith } from "../../src/seed/demo-email.js";
import { tempDir } from "../helpers/stores.js";

const dir = tempDir("handoff-mail-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("mail catcher", () => {
  it("keeps serving when senders drop their connections mid-conversation (a worker killed with -9)", async () => {
    const catcher = await startMailCatcher();
    try {
      for (let i = 0; i < 3; i++) {
        const socket = connect(catcher.port, catcher.host);
        await new Promise<void>((resolve) => socket.once("data", () => resolve())); // 220 greeting
        socket.write("EHLO killed.test\r\nMAIL FROM:<a@demo.test>\r\n");
        await new Promise((r) => setTimeout(r, 20));
        socket.resetAndDestroy(); // RST: the server's read fails with ECONNRESET
        await new Promise((r) => setTimeout(r, 50));
      }
      const transport = createTransport({ host: catcher.host, port: catcher.port, secure: false });
      await transport.sendMail({
        from: "a@demo.test",
        to: "lead@example.test",
        subject: "After",
        text: "hi",
        messageId: "<after@handoff>",
      });
      transport.close();
      expect(catcher.messages.map((m) => m.messageId)).toEqual(["<after@handoff>"]);
    } finally {
      await catcher.close();
    }
  });

  it("accepts every message and writes each to <timestamp>-<id>.eml", async () => {
    const catcher = await startMailCatcher({ dir: join(dir, "mail") });
    try {
      const transport = createTransport({ host: catcher.host, port: catcher.port, secure: false });
      for (const n of [1, 2]) {
        await transport.sendMail({
          from: "a@demo.test",
          to: `lead${n}@example.test`,
          subject: `Hello ${n}`,
          text: "hi",
          messageId: `<m${n}@handoff>`,
        });
      }
      transport.close();
      const files = readdirSync(join(dir, "mail")).sort();
      expect(files).toHaveLength(2);
      for (const f of files) expect(f).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-[0-9a-f]{12}\.eml$/);
      const texts = files.map((f) => readFileSync(join(dir, "mail", f), "utf8"));
      expect(texts.some((t) => t.includes("Message-ID: <m1@handoff>") && t.includes("Subject: Hello 1"))).toBe(true);
      expect(catcher.messages.map((m) => [m.messageId, m.to])).toEqual([
        ["<m1@handoff>", ["lead1@example.test"]],
        ["<m2@handoff>", ["lead2@example.test"]],
      ]);
      expect(catcher.messages.map((m) => basename(m.file ?? "")).sort()).toEqual(files);
    } finally {
      await catcher.close();
    }
  });
});

describe("demo email settings", () => {
  it("reads the port from HANDOFF_DEMO_SMTP_PORT (default 2525) and refuses nonsense", () => {
    expect(demoSmtpPort({})).toBe(2525);
    expect(demoSmtpPort({ HANDOFF_DEMO_SMTP_PORT: "2600" })).toBe(2600);
    expect(() => demoSmtpPort({ HANDOFF_DEMO_SMTP_PORT: "smtp" })).toThrow(/HANDOFF_DEMO_SMTP_PORT/);
  });

  it("adds the catcher to the egress allow-list once, keeping what was there", () => {
    const c = { host: "127.0.0.1", port: 2525 };
    expect(egressAllowWith(undefined, c)).toBe("127.0.0.1:2525");
    expect(egressAllowWith("crm.internal:443, 127.0.0.1:2525", c)).toBe("crm.internal:443,127.0.0.1:2525");
    expect(egressAllowWith("crm.internal:443", c)).toBe("crm.internal:443,127.0.0.1:2525");
  });

  it("describes an email connector the SMTP deliverer accepts", () => {
    const conn = demoEmailConnector({ host: "127.0.0.1", port: 2525 });
    expect(conn).toMatchObject({ key: "email", kind: "smtp" });
    expect(smtpConfigSchema.parse(conn.config)).toEqual({ host: "127.0.0.1", port: 2525, secure: false, from: "hello@demo.handoff.test" });
  });
});
