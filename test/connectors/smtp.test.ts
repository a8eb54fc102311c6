/**
 * The SMTP deliverer against a real SMTP server started in this process (smtp-server): what
 * arrives, how each kind of failure is classified, one Message-ID across an ambiguous failure,
 * bounces suppressed and marked on the records (both stores), suppressed addresses never sent to.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { emailSettledHook } from "../../src/app/email/email-settled.js";
import { UnsubscribeTokens } from "../../src/app/email/unsubscribe-tokens.js";
import { SecretBox } from "../../src/app/secrets/secret-box.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import type { DeliveryOutcome, OutboxItem, ResolvedConnector } from "../../src/connectors/contract.js";
import { EgressGuard } from "../../src/connectors/egress/guard.js";
import { buildEmailPayload } from "../../src/connectors/smtp/email-payload.js";
import { smtpConfigSchema } from "../../src/connectors/smtp/smtp-config.js";
import { type CheckedResolver, SmtpDeliverer } from "../../src/connectors/smtp/smtp-deliverer.js";
import { startMailCatcher } from "../../src/dev/mail-catcher.js";
import type { StoredRecord } from "../../src/store/ports.js";
import { parseMail } from "../helpers/smtp.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T = "2026-03-02T09:00:00.000Z";
/** A name that resolves nowhere: mail only arrives if the deliverer connects to the checked address. */
const HOST = "smtp.handoff.test";

/** Stands in for the egress guard: checks the host, answers loopback, remembers what it was asked. */
function resolver(): CheckedResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async resolveChecked(host, port) {
      asked.push(`${host}:${port}`);
      if (host !== HOST) throw Object.assign(new Error(`egress refused: ${host}`), { retryable: false });
      return { address: "127.0.0.1", family: 4 };
    },
  };
}

const connector = (port: number, extra: Record<string, unknown> = {}): ResolvedConnector => ({
  id: "conn1",
  key: "email",
  kind: "smtp",
  config: { host: HOST, port, from: "hello@acme.test", ...extra },
  secrets: {},
});

const lead = (data: Record<string, unknown>): StoredRecord => ({
  workspaceId: "ws",
  id: "lead1",
  object: "lead",
  version: 1,
  data,
  createdAt: T,
  updatedAt: T,
});

function item(payload: unknown, key = "run1:reply:3", workspaceId = "ws", recordId: string | null = "lead1"): OutboxItem {
  return {
    workspaceId,
    id: `ob-${key}`,
    key,
    kind: "email",
    connector: "email",
    subscriptionId: null,
    runId: null,
    recordId,
    payload,
    status: "pending",
    attempts: 0,
    nextAttemptAt: T,
    lastError: null,
    createdAt: T,
    updatedAt: T,
  };
}

const ctx = (attempt = 1) => ({ attempt, signal: new AbortController().signal });
const noSuppressions = { getSuppression: async () => undefined };

/** A scriptable SMTP server: replies to RCPT TO and DATA as the test says, counts connections. */
async function faultyServer() {
  const state = {
    connections: 0,
    rcpt: null as null | { code: number; message: string },
    dropAfterData: 0,
    received: [] as string[],
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onConnect(_session, cb) {
      state.connections += 1;
      cb();
    },
    onRcptTo(_address, _session, cb) {
      if (!state.rcpt) return cb();
      cb(Object.assign(new Error(state.rcpt.message), { responseCode: state.rcpt.code }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        state.received.push(Buffer.concat(chunks).toString("utf8"));
        if (state.dropAfterData > 0) {
          // The message is in, but the connection drops before the 250: the sender cannot know.
          state.dropAfterData -= 1;
          for (const c of server.connections) if (c.id === session.id) c._socket.destroy();
          return;
        }
        cb(null, "queued");
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { state, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe("SMTP deliverer", () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  it("sends the rendered email to the checked address with its exact subject, bodies, Message-ID and unsubscribe link", async () => {
    const catcher = await startMailCatcher();
    closers.push(catcher.close);
    const owner = {
      ...lead({ name: "Bo Rep", email: "bo@acme.test", calendar_link: "https://cal.test/bo" }),
      id: "u1",
      object: "user" as const,
    };
    const built = buildEmailPayload(
      {
        type: "send_email",
        connector: "email",
        to: { record_email: true },
        subject: "Thanks for reaching out, {{ record.first_name }}",
        text: "Hi {{ record.first_name }},\nbook a time with me: {{ owner.calendar_link }}\n{{ owner.name }}",
        html: '<p>Hi {{ record.first_name }},</p><p><a href="{{ owner.calendar_link }}">Book a time</a> with {{ owner.name }}</p>',
        reply_to_owner: true,
      },
      { record: lead({ first_name: "Ada <3", email: "ada@example.test", owner_id: "u1" }), owner },
      "01JRUN:reply:3",
    );
    const tokens = UnsubscribeTokens.from(new SecretBox(randomBytes(32)));
    const egress = resolver();
    const deliverer = new SmtpDeliverer({
      egress,
      suppressions: noSuppressions,
      unsubscribeUrl: (ws, email) => `http://handoff.test/unsubscribe/${tokens.sign(ws, email)}`,
    });
    const outcome = await deliverer.deliver(item(built.payload), connector(catcher.port), ctx());
    expect(outcome).toMatchObject({ ok: true, status: 250 });
    expect(egress.asked).toEqual([`${HOST}:${catcher.port}`]);
    expect(catcher.messages).toHaveLength(1);
    const mail = catcher.messages[0];
    expect(mail?.to).toEqual(["ada@example.test"]);
    expect(mail?.from).toBe("hello@acme.test");
    expect(mail?.messageId).toBe("<01JRUN=3Areply=3A3@handoff>");
    const m = parseMail(mail?.raw ?? "");
    expect(m.header("Subject")).toBe("Thanks for reaching out, Ada <3");
    expect(m.text).toBe("Hi Ada <3,\nbook a time with me: https://cal.test/bo\nBo Rep");
    expect(m.html).toBe('<p>Hi Ada &lt;3,</p><p><a href="https://cal.test/bo">Book a time</a> with Bo Rep</p>');
    expect(m.header("From")).toBe("Bo Rep <hello@acme.test>");
    expect(m.header("Reply-To")).toBe("bo@acme.test");
    expect(m.header("List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const link = /<http:\/\/handoff\.test\/unsubscribe\/([^>]+)>/.exec(m.header("List-Unsubscribe") ?? "")?.[1];
    expect(link && tokens.verify(link)).toEqual({ workspaceId: "ws", email: "ada@example.test" });
    expect(deliverer.destination(item(built.payload), connector(catcher.port))).toBe(`${HOST}:${catcher.port}`);
  });

  it("fails retryably while the server is down, then delivers once it is up", async () => {
    const port = await freePort();
    const deliverer = new SmtpDeliverer({ egress: resolver(), suppressions: noSuppressions });
    const payload = { to: "ada@example.test", subject: "Hi", text: "x", messageId: "<k1@handoff>" };
    const down = await deliverer.deliver(item(payload), connector(port), ctx(1));
    expect(down).toMatchObject({ ok: false, retryable: true });
    const catcher = await startMailCatcher({ port });
    closers.push(catcher.close);
    expect(await deliverer.deliver(item(payload), connector(port), ctx(2))).toMatchObject({ ok: true });
    expect(catcher.messages.map((m) => m.messageId)).toEqual(["<k1@handoff>"]);
  });

  it("sends the same Message-ID again after an ambiguous failure (data taken, reply lost)", async () => {
    const server = await faultyServer();
    closers.push(server.close);
    server.state.dropAfterData = 1;
    const deliverer = new SmtpDeliverer({ egress: resolver(), suppressions: noSuppressions });
    const payload = { to: "ada@example.test", subject: "Hi", text: "once", messageId: "<run1=3Areply=3A3@handoff>" };
    const first = await deliverer.deliver(item(payload), connector(server.port), ctx(1));
    expect(first).toMatchObject({ ok: false, retryable: true });
    expect(await deliverer.deliver(item(payload), connector(server.port), ctx(2))).toMatchObject({ ok: true });
    const ids = server.state.received.map((raw) => parseMail(raw).header("Message-ID"));
    // The server saw the message twice — with one id, so it (or the recipient) keeps it once.
    expect(ids).toEqual(["<run1=3Areply=3A3@handoff>", "<run1=3Areply=3A3@handoff>"]);
    expect(new Set(ids).size).toBe(1);
  });

  it("classifies a 4xx on RCPT TO as retryable and a 550 as a permanent bounce", async () => {
    const server = await faultyServer();
    closers.push(server.close);
    const deliverer = new SmtpDeliverer({ egress: resolver(), suppressions: noSuppressions });
    const payload = { to: "Gone@Example.test", subject: "Hi", text: "x", messageId: "<k2@handoff>" };
    for (const code of [421, 450, 451, 452]) {
      server.state.rcpt = { code, message: "try again later" };
      const outcome = await deliverer.deliver(item(payload), connector(server.port), ctx());
      expect(outcome).toMatchObject({ ok: false, retryable: true, status: code });
      expect(outcome).not.toHaveProperty("bounced");
    }
    server.state.rcpt = { code: 550, message: "5.1.1 no such user" };
    expect(await deliverer.deliver(item(payload), connector(server.port), ctx())).toEqual({
      ok: false,
      retryable: false,
      status: 550,
      error: "bounced: 550 5.1.1 no such user",
      bounced: "Gone@Example.test",
    });
    expect(server.state.received).toEqual([]);
  });

  it("presents the configured host name in TLS (SNI) while connecting to the checked address", async () => {
    const names: string[] = [];
    // No certificate at all: the handshake stops after the ClientHello, which is what is looked at.
    const server = createTlsServer({
      SNICallback: (name, cb) => {
        names.push(name);
        cb(new Error("no certificate here"));
      },
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as AddressInfo).port;
    const deliverer = new SmtpDeliverer({ egress: resolver(), suppressions: noSuppressions, connectionTimeoutMs: 3_000 });
    const payload = { to: "ada@example.test", subject: "Hi", text: "x", messageId: "<t1@handoff>" };
    const outcome = await deliverer.deliver(item(payload), connector(port, { secure: true }), ctx());
    expect(outcome).toMatchObject({ ok: false, retryable: true });
    expect(names).toEqual([HOST]);
  });

  it("refuses without connecting: a suppressed address, a host the egress guard refuses, no connector", async () => {
    const server = await faultyServer();
    closers.push(server.close);
    const deliverer = new SmtpDeliverer({
      egress: resolver(),
      suppressions: {
        getSuppression: async (ws, email) =>
          email === "left@example.test" ? { workspaceId: ws, email, reason: "unsubscribe", detail: null, createdAt: T } : undefined,
      },
    });
    const payload = { to: "left@example.test", subject: "Hi", text: "x", messageId: "<k3@handoff>" };
    expect(await deliverer.deliver(item(payload), connector(server.port), ctx())).toEqual({
      ok: false,
      retryable: false,
      error: "suppressed (unsubscribe)",
    });
    const other = { ...payload, to: "ok@example.test" };
    const refused = await deliverer.deliver(
      item(other),
      { ...connector(server.port), config: { host: "10.0.0.1", port: 25, from: "a@acme.test" } },
      ctx(),
    );
    expect(refused).toMatchObject({ ok: false, retryable: false, error: "egress refused: 10.0.0.1" });
    expect(await deliverer.deliver(item(other), undefined, ctx())).toMatchObject({ ok: false, retryable: false });
    expect(server.state.connections).toBe(0);
  });
});

describe("SMTP deliverer behind the real egress guard", () => {
  it("refuses a loopback SMTP host unless the allow-list opens it, then connects to it", async () => {
    const catcher = await startMailCatcher();
    try {
      const payload = { to: "ada@example.test", subject: "Hi", text: "x", messageId: "<g1@handoff>" };
      const local = (port: number): ResolvedConnector => ({ ...connector(port), config: { host: "127.0.0.1", port, from: "a@acme.test" } });
      const closed = new SmtpDeliverer({ egress: new EgressGuard({ allow: [] }), suppressions: noSuppressions });
      const refused = await closed.deliver(item(payload), local(catcher.port), ctx());
      expect(refused).toMatchObject({ ok: false, retryable: false, error: expect.stringMatching(/^egress refused: .*loopback/) });
      expect(catcher.messages).toEqual([]);
      const open = new SmtpDeliverer({ egress: new EgressGuard({ allow: [`127.0.0.1:${catcher.port}`] }), suppressions: noSuppressions });
      expect(await open.deliver(item(payload), local(catcher.port), ctx())).toMatchObject({ ok: true });
      expect(catcher.messages.map((m) => m.messageId)).toEqual(["<g1@handoff>"]);
    } finally {
      await catcher.close();
    }
  });

  it("sends to an SMTP host given as an IPv6 literal, bracketed or bare", async () => {
    const received: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, _session, cb) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          received.push(Buffer.concat(chunks).toString("utf8"));
          cb();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, "::1", () => r()));
    const port = (server.server.address() as AddressInfo).port;
    try {
      for (const host of ["[::1]", "::1"]) {
        const config = smtpConfigSchema.parse({ host, port, from: "a@acme.test" });
        expect(config.host).toBe("::1");
        const deliverer = new SmtpDeliverer({ egress: new EgressGuard({ allow: ["::1"] }), suppressions: noSuppressions });
        const payload = { to: "ada@example.test", subject: "Hi", text: "x", messageId: `<v6-${host.length}@handoff>` };
        const outcome = await deliverer.deliver(item(payload), { ...connector(port), config }, ctx());
        expect(outcome).toMatchObject({ ok: true });
      }
      expect(received).toHaveLength(2);
      expect(smtpConfigSchema.safeParse({ host: "[::1]:25", from: "a@acme.test" }).success).toBe(false);
      expect(smtpConfigSchema.safeParse({ host: "smtp.example.com:25", from: "a@acme.test" }).success).toBe(false);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`email settled hook on ${kind.name}`, () => {
    let t: TestStore;
    let s: Services;
    let ws: string;
    let contact: StoredRecord;
    let server: Awaited<ReturnType<typeof faultyServer>>;
    beforeAll(async () => {
      t = await kind.open();
      s = buildServices(t.store);
      ws = (await s.workspaces.create("acme", "Acme")).id;
      const rep = await s.writer.create(systemContext(ws), "user", { name: "Bo Rep", email: "bo@acme.test" });
      contact = await s.writer.create(systemContext(ws), "contact", { last_name: "Gone", email: "gone@example.test", owner_id: rep.id });
      server = await faultyServer();
    });
    afterAll(async () => {
      await server?.close();
      await t?.dispose();
    });

    it("a bounce suppresses the address and marks the contact bouncing; the address is then never sent to", async () => {
      const deliverer = new SmtpDeliverer({ egress: resolver(), suppressions: t.store.suppressions });
      const hook = emailSettledHook({ writer: s.writer, clock: s.clock });
      const payload = { to: "GONE@example.test", subject: "Hi", text: "x", messageId: "<b1@handoff>" };
      server.state.rcpt = { code: 550, message: "5.1.1 no such user" };
      const bounced = await deliverer.deliver(item(payload, "b1", ws, contact.id), connector(server.port), ctx());
      expect(bounced).toMatchObject({ ok: false, bounced: "GONE@example.test" });
      await t.store.transaction((tx) => hook(tx, item(payload, "b1", ws, contact.id), bounced, true));

      expect(await t.store.suppressions.getSuppression(ws, "gone@example.test")).toMatchObject({
        email: "gone@example.test",
        reason: "bounce",
        detail: "bounced: 550 5.1.1 no such user",
      });
      const after = await t.store.records.getRecord(ws, contact.id);
      expect(after?.data.email_status).toBe("bouncing");
      const [audit] = await t.store.audit.readAudit(ws, contact.id, 1);
      expect(audit?.changes).toEqual([{ field: "email_status", old: null, new: "bouncing" }]);

      server.state.rcpt = null;
      const before = server.state.connections;
      const again = await deliverer.deliver(item(payload, "b2", ws, contact.id), connector(server.port), ctx());
      expect(again).toEqual({ ok: false, retryable: false, error: "suppressed (bounce)" });
      expect(server.state.connections).toBe(before);
    });

    it("a delivered email becomes an email activity on the record's timeline, by the record's owner", async () => {
      const hook = emailSettledHook({ writer: s.writer, clock: s.clock });
      const payload = { to: "x@example.test", subject: "Welcome", html: "<p>Hi &amp; welcome<br>Bo</p>", messageId: "<d1@handoff>" };
      const delivered: DeliveryOutcome = { ok: true, status: 250, detail: "250 queued" };
      await t.store.transaction((tx) => hook(tx, item(payload, "d1", ws, contact.id), delivered, true));
      const activities = await t.store.records.queryRecords({
        workspaceId: ws,
        object: "activity",
        sort: { field: { name: "id", type: "string", label: "ID" }, direction: "asc" },
        limit: 10,
      });
      expect(activities.map((a) => a.data)).toEqual([
        expect.objectContaining({
          type: "email",
          subject: "Welcome",
          body: "Hi & welcome\nBo",
          related_id: contact.id,
          user_id: contact.data.owner_id,
          made_by: "handoff",
        }),
      ]);
      // Handoff's own email does not count as the contact's activity (the workspace default).
      expect((await t.store.records.getRecord(ws, contact.id))?.data.last_activity_at).toBeUndefined();
    });
  });
}
