/**
 * send_email end to end, on both stores: a workflow's email step goes on the outbox, the
 * dispatcher sends it over real SMTP to an smtp-server in this process (let through the egress
 * allow-list), through the workspace's `email` connector created with the API like an admin
 * would. The mail arrives rendered, with the Message-ID of its outbox key, and becomes an activity
 * on the lead's timeline; a server that is down and then up gets every email once per Message-ID;
 * a 550 suppresses the address, marks the lead bouncing and sends the run to on_failure, and the
 * address is never mailed again; a dead letter replays once its cause is fixed. The retry policy
 * is shortened through options; nothing asserts an upper bound on time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../cli/process.js";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { messageIdOf, parseMail, startSmtp, type TestSmtp } from "../helpers/smtp.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const reply = (connector: string) => ({
  type: "action",
  action: {
    type: "send_email",
    connector,
    to: { record_email: true },
    subject: "Thanks, {{ record.first_name }}: {{ company.name }} is in good hands",
    text: "Hi {{ record.first_name }},\nI'm {{ owner.name }}. Book a time: {{ owner.calendar_link }}\n{{ company.name }} has {{ record.employee_count }} people.",
    html: '<p>Hi {{ record.first_name }},</p><p><a href="{{ owner.calendar_link }}">Book a time</a> with {{ owner.name }} about {{ company.name }}.</p>',
    reply_to_owner: true,
  },
  next: "follow-up",
  on_failure: "by-hand",
});

const workflow = {
  key: "welcome-email",
  name: "Welcome email",
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "record_created" },
  start: "pick",
  steps: {
    // Leads of "Down Co" are mailed through a connector whose server is not up yet.
    pick: {
      type: "branch",
      rules: [{ when: { field: "company_name", op: "eq", value: "Down Co" }, next: "reply-later", label: "down" }],
      else: "reply",
    },
    reply: reply("email"),
    "reply-later": reply("later"),
    "follow-up": { type: "action", action: { type: "create_task", subject: "Follow up {{ record.first_name }}" }, next: "done" },
    "by-hand": { type: "action", action: { type: "create_task", subject: "Email {{ record.first_name }} by hand" }, next: "done" },
    done: { type: "end" },
  },
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`send_email through the outbox over real SMTP on ${kind.name}`, () => {
    let smtp: TestSmtp;
    let downPort: number;
    let rep: Json;
    let company: Json;
    const later: TestSmtp[] = [];
    // Registered before useTestServer: the SMTP servers are up before the test server starts,
    // and stop only after it is closed (afterAll hooks run in reverse).
    beforeAll(async () => {
      smtp = await startSmtp();
      downPort = await freePort();
    });
    afterAll(async () => {
      for (const x of later) await x.close();
      await smtp?.close();
    });
    const env = useTestServer(kind, () => [
      {},
      {
        worker: true,
        egressAllow: [`127.0.0.1:${smtp.port}`, `127.0.0.1:${downPort}`],
        dispatcher: {
          idleMs: 20,
          // Fast retries, and enough of them to outlast a server that is down for a while.
          policy: { baseDelayMs: 50, maxDelayMs: 250, maxAttempts: 1_000, breakerCooldownMs: 300 },
        },
      },
    ]);

    const lead = (first: string, email: string, extra: Json = {}) =>
      env.s.post("/api/v1/leads", {
        first_name: first,
        last_name: "Test",
        email,
        owner_id: rep.id,
        company_id: company.id,
        employee_count: 42,
        ...extra,
      });
    const outboxOf = (recordId: string) =>
      eventually(`an outbox item for ${recordId}`, async () =>
        (await env.s.get("/api/v1/outbox?limit=200")).data.find((o: Json) => o.record_id === recordId && o.kind === "email"),
      );
    const outboxWhen = (id: string, what: string, test: (o: Json) => boolean) =>
      eventually(
        `outbox item ${id} ${what}`,
        async () => {
          const o = await env.s.get(`/api/v1/outbox/${id}`);
          return test(o) ? o : undefined;
        },
        30_000,
      );
    const finishedRun = (recordId: string) =>
      eventually(`a finished run of ${recordId}`, async () =>
        (await env.s.get(`/api/v1/runs?record_id=${recordId}`)).data.find((r: Json) => ["completed", "failed"].includes(r.status)),
      );
    const stepsOf = async (runId: string) => (await env.s.get(`/api/v1/runs/${runId}`)).steps.map((x: Json) => [x.step, x.outcome]);

    beforeAll(async () => {
      for (const [key, port] of [
        ["email", smtp.port],
        ["later", downPort],
      ] as const) {
        const created = await env.s.post("/api/v1/connectors", {
          key,
          kind: "smtp",
          name: `Mail ${key}`,
          config: { host: "127.0.0.1", port, from: "hello@acme.test" },
        });
        expect(created).toMatchObject({ key, kind: "smtp", config: { port, secure: false } });
      }
      rep = await env.s.post("/api/v1/users", {
        name: "Bo Rep",
        email: "bo@acme.test",
        role: "rep",
        calendar_link: "https://cal.example.com/bo-rep",
      });
      company = await env.s.post("/api/v1/companies", { name: "Initech", domain: "initech.example" });
      const saved = await env.s.post("/api/v1/workflows", { definition: workflow });
      expect((await env.s.post(`/api/v1/workflows/${saved.id}/publish`, {})).live_version).toBe(1);
    });

    it("sends the rendered email with the outbox key's Message-ID, continues the run and logs an email activity", async () => {
      const l = await lead("Ada", "ada@example.com");
      const item = await outboxOf(l.id);
      const delivered = await outboxWhen(item.id, "delivered", (o) => o.status === "delivered");
      expect(delivered).toMatchObject({ attempts: 1, connector: "email", last_error: null });

      const [mail, ...more] = smtp.to("ada@example.com");
      expect(more).toEqual([]);
      expect(mail?.messageId).toBe(messageIdOf(item.key));
      const m = parseMail(mail?.raw ?? "");
      expect(m.header("Subject")).toBe("Thanks, Ada: Initech is in good hands");
      expect(m.text).toBe("Hi Ada,\nI'm Bo Rep. Book a time: https://cal.example.com/bo-rep\nInitech has 42 people.");
      expect(m.html).toBe('<p>Hi Ada,</p><p><a href="https://cal.example.com/bo-rep">Book a time</a> with Bo Rep about Initech.</p>');
      expect(m.header("From")).toBe("Bo Rep <hello@acme.test>");
      expect(m.header("Reply-To")).toBe("bo@acme.test");
      expect(m.header("To")).toBe("ada@example.com");

      const run = await finishedRun(l.id);
      expect(run.status).toBe("completed");
      expect(await stepsOf(run.id)).toEqual([
        ["pick", "→ reply (else)"],
        ["reply", "enqueued"],
        ["reply", "succeeded"],
        ["follow-up", "applied"],
        ["done", "completed"],
      ]);
      const timeline = await env.s.get(`/api/v1/leads/${l.id}/timeline`);
      const emails = timeline.data.filter((i: Json) => i.kind === "activity" && i.activity.type === "email");
      expect(emails).toHaveLength(1);
      expect(emails[0].activity).toMatchObject({
        subject: "Thanks, Ada: Initech is in good hands",
        body: "Hi Ada,\nI'm Bo Rep. Book a time: https://cal.example.com/bo-rep\nInitech has 42 people.",
        related_id: l.id,
        user_id: rep.id,
        made_by: "handoff",
      });
      // Handoff's own email is not the lead's activity (by default): no inactivity clock restarts,
      // no `last_activity_at is_set` goal is met by the auto-reply itself (issue 12, item 3).
      expect((await env.s.get(`/api/v1/leads/${l.id}`)).last_activity_at ?? null).toBeNull();
    });

    it("delivers every email once per Message-ID when the server is down while they are enqueued and then comes up", async () => {
      const leads = [];
      for (const name of ["Dee", "Eve", "Fay", "Gus"])
        leads.push(await lead(name, `${name.toLowerCase()}@example.com`, { company_name: "Down Co" }));
      const items = await Promise.all(leads.map((l) => outboxOf(l.id)));
      expect(items.every((o) => o.connector === "later")).toBe(true);
      // Every one of them has failed at least once against the closed port before the server starts.
      for (const o of items) {
        const failed = await outboxWhen(o.id, "tried while down", (x) => x.last_error !== null);
        expect(failed.status).toBe("pending");
        expect(failed.last_error).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
      }
      const up = await startSmtp(downPort);
      later.push(up);
      for (const o of items) await outboxWhen(o.id, "delivered after the server came up", (x) => x.status === "delivered");
      const ids = up.messages.map((m) => m.messageId);
      expect(ids.sort()).toEqual(items.map((o) => messageIdOf(o.key)).sort());
      expect(new Set(ids).size).toBe(items.length);
      for (const l of leads) expect((await finishedRun(l.id)).status).toBe("completed");
    });

    it("does not retry a 550: the address is suppressed, the lead bounces, the run falls back; it is never mailed again", async () => {
      smtp.rejectRcpt("gone@example.com", { code: 550, message: "5.1.1 <gone@example.com>: no such user" });
      const l = await lead("Hal", "Gone@Example.com");
      const item = await outboxOf(l.id);
      const dead = await outboxWhen(item.id, "dead", (o) => o.status === "dead");
      expect(dead).toMatchObject({ attempts: 1, last_status: 550 });
      expect(dead.last_error).toContain("permanent failure: bounced: 550");
      expect(smtp.rcpts.get("gone@example.com")).toBe(1);
      expect(smtp.to("gone@example.com")).toEqual([]);

      const suppressed = (await env.s.get("/api/v1/email-suppressions")).data.find((x: Json) => x.email === "gone@example.com");
      expect(suppressed).toMatchObject({ reason: "bounce", detail: expect.stringContaining("550") });
      expect((await env.s.get(`/api/v1/leads/${l.id}`)).email_status).toBe("bouncing");
      const run = await finishedRun(l.id);
      expect(run.status).toBe("completed");
      expect(await stepsOf(run.id)).toEqual([
        ["pick", "→ reply (else)"],
        ["reply", "enqueued"],
        ["reply", "fallback"],
        ["by-hand", "applied"],
        ["done", "completed"],
      ]);
      expect((await env.s.get(`/api/v1/tasks?where=related_id:eq:${l.id}`)).data.map((x: Json) => x.subject)).toEqual([
        "Email Hal by hand",
      ]);

      // The server would take it now; the address is suppressed, so nothing is even tried.
      smtp.rejectRcpt("gone@example.com", null);
      const again = await lead("Ian", "gone@example.com");
      const second = await outboxOf(again.id);
      const refused = await outboxWhen(second.id, "dead", (o) => o.status === "dead");
      expect(refused).toMatchObject({ attempts: 1, last_error: "permanent failure: suppressed (bounce)" });
      expect(smtp.rcpts.get("gone@example.com")).toBe(1);
      expect(smtp.to("gone@example.com")).toEqual([]);
      const run2 = await finishedRun(again.id);
      expect((await stepsOf(run2.id)).slice(2, 4)).toEqual([
        ["reply", "fallback"],
        ["by-hand", "applied"],
      ]);
      const deadList = (await env.s.get("/api/v1/outbox?status=dead")).data.map((o: Json) => o.id);
      expect(deadList).toEqual(expect.arrayContaining([item.id, second.id]));
    });

    it("replays a dead email once its cause is fixed, and it is delivered once", async () => {
      smtp.rejectData("jo@example.com", { code: 554, message: "5.7.1 message refused by policy" });
      const l = await lead("Jo", "jo@example.com");
      const item = await outboxOf(l.id);
      const dead = await outboxWhen(item.id, "dead", (o) => o.status === "dead");
      expect(dead).toMatchObject({ attempts: 1, last_status: 554 });
      expect(dead.last_error).toContain("refused: 554");
      expect(smtp.to("jo@example.com")).toEqual([]);
      const run = await finishedRun(l.id);
      expect(run.status).toBe("completed");
      const stepsBefore = await stepsOf(run.id);
      expect(stepsBefore.slice(2, 4)).toEqual([
        ["reply", "fallback"],
        ["by-hand", "applied"],
      ]);
      // A refused message is not a bounce: the address is not suppressed.
      expect((await env.s.get("/api/v1/email-suppressions")).data.map((x: Json) => x.email)).not.toContain("jo@example.com");

      smtp.rejectData("jo@example.com", null);
      const replay = await env.s.api(`/api/v1/outbox/${item.id}/replay`, { method: "POST" });
      expect(replay.status).toBe(202);
      const delivered = await outboxWhen(item.id, "delivered after replay", (o) => o.status === "delivered");
      expect(delivered).toMatchObject({ attempts: 1, key: item.key });
      expect(smtp.to("jo@example.com").map((m) => m.messageId)).toEqual([messageIdOf(item.key)]);
      const timeline = await env.s.get(`/api/v1/leads/${l.id}/timeline`);
      expect(timeline.data.filter((i: Json) => i.kind === "activity" && i.activity.type === "email")).toHaveLength(1);
      // The run took its fallback long ago; the replayed delivery does not move it again.
      await eventually("the worker to have handled the replayed outcome", async () =>
        (await env.s.services.store.work.pendingWorkCount()) === 0 ? true : undefined,
      );
      expect(await stepsOf(run.id)).toEqual(stepsBefore);
      expect((await env.s.get(`/api/v1/runs/${run.id}`)).status).toBe("completed");
    });

    it("the email's one-click unsubscribe link suppresses the address: the next email to it is never sent", async () => {
      const first = await lead("Kay", "kay@example.com");
      const item = await outboxOf(first.id);
      await outboxWhen(item.id, "delivered", (o) => o.status === "delivered");
      const [mail] = smtp.to("kay@example.com");
      const m = parseMail(mail?.raw ?? "");
      expect(m.header("List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
      const link = new URL(/^<(.+)>$/.exec(m.header("List-Unsubscribe") ?? "")?.[1] ?? "");
      expect(link.pathname).toMatch(/^\/unsubscribe\/./);
      // Links are built from HANDOFF_PUBLIC_URL; this test server listens elsewhere.
      const target = `${env.s.url}${link.pathname}`;
      expect((await fetch(target)).status).toBe(200);
      expect((await env.s.get("/api/v1/email-suppressions")).data.map((x: Json) => x.email)).not.toContain("kay@example.com");
      const clicked = await fetch(target, { method: "POST", body: "List-Unsubscribe=One-Click" });
      expect(clicked.status).toBe(200);
      expect((await env.s.get("/api/v1/email-suppressions")).data.find((x: Json) => x.email === "kay@example.com")).toMatchObject({
        reason: "unsubscribe",
      });
      expect((await env.s.get(`/api/v1/leads/${first.id}`)).email_status).toBe("unsubscribed");

      const again = await lead("Kay", "kay@example.com");
      const second = await outboxOf(again.id);
      const refused = await outboxWhen(second.id, "dead", (o) => o.status === "dead");
      expect(refused.last_error).toBe("permanent failure: suppressed (unsubscribe)");
      expect(smtp.to("kay@example.com")).toHaveLength(1);
      expect(smtp.rcpts.get("kay@example.com")).toBe(1);
    });
  });
}
