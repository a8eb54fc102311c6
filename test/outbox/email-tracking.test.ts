/**
 * Email engagement tracking end to end, on both stores (issue 21): a workflow's email goes out
 * over real SMTP (smtp-server in this process) with the open pixel and its links rewritten to
 * signed redirects; fetching the pixel and following a link — as a mail client would, over real
 * HTTP — records one `email_opened` and one `email_clicked` activity on the lead however often
 * they are repeated, and starts the `email_engaged` workflow once. A forged or altered link, a
 * link to a URL the email did not carry, and a token naming another workspace are refused with a
 * page that redirects nowhere; garbage and huge tokens get a 4xx, never a 500. With the
 * workspace's switch off, emails carry no pixel and their links are untouched, and links sent
 * before it was turned off still lead where they did but record nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TrackingTokens } from "../../src/app/email/tracking-tokens.js";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { parseMail, startSmtp, type TestSmtp } from "../helpers/smtp.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const CALENDAR = "https://cal.example.com/bo-rep?src=email&lang=en";
const PRICING = "https://acme.example/pricing";

const welcome = {
  key: "welcome-email",
  name: "Welcome email",
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "record_created" },
  start: "reply",
  steps: {
    reply: {
      type: "action",
      action: {
        type: "send_email",
        to: { record_email: true },
        subject: "Welcome, {{ record.first_name }}",
        text: "Book a time: {{ owner.calendar_link }}",
        html:
          '<html><body><p>Hi {{ record.first_name }},</p><p><a href="{{ owner.calendar_link }}">Book a time</a>, see <a class="x" href=\'https://acme.example/pricing\'>pricing</a>' +
          ' or <a href="mailto:bo@acme.test">write</a>.</p><!-- <a href="https://hidden.example/">not a link</a> --></body></html>',
      },
      next: "done",
    },
    done: { type: "end" },
  },
};

const onOpen = {
  key: "on-open",
  name: "Call whoever opens",
  description: "Why it exists: the seed's 'email opened' trigger, as a test fixture.",
  object: "lead",
  trigger: { type: "email_engaged", on: ["opened"] },
  start: "task",
  steps: {
    task: { type: "action", action: { type: "create_task", subject: "Call {{ record.first_name }}: opened our email" }, next: "done" },
    done: { type: "end" },
  },
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`email engagement tracking over real SMTP and HTTP on ${kind.name}`, () => {
    let smtp: TestSmtp;
    let rep: Json;
    let onOpenId: string;
    beforeAll(async () => {
      smtp = await startSmtp();
    });
    afterAll(async () => {
      await smtp?.close();
    });
    const env = useTestServer(kind, () => [
      {},
      { worker: true, egressAllow: [`127.0.0.1:${smtp.port}`], dispatcher: { idleMs: 20, policy: { baseDelayMs: 50, maxDelayMs: 250 } } },
    ]);

    const setTracking = (email_tracking: Json) => env.s.json("/api/v1/workspace/settings", { method: "PATCH", json: { email_tracking } });
    const mailTo = (address: string) =>
      eventually(`the email to ${address}`, async () => {
        const [m] = smtp.to(address);
        return m ? parseMail(m.raw) : undefined;
      });
    /** The links of a tracked email, pointed at the test server (the public URL is the default one). */
    const local = (url: string) => `${env.s.url}${new URL(url).pathname}`;
    const hrefs = (html: string) => [...html.matchAll(/<a\b[^>]*?href=["']([^"']*)["']/g)].map((m) => (m[1] ?? "").replace(/&amp;/g, "&"));
    const pixelOf = (html: string) => /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(html)?.[1];
    const activities = async (leadId: string, type: string) =>
      (await env.s.get(`/api/v1/activities?where=related_id:eq:${leadId}&limit=100`)).data.filter((a: Json) => a.type === type);
    const tasks = async (leadId: string) => (await env.s.get(`/api/v1/tasks?where=related_id:eq:${leadId}&limit=100`)).data;
    const lead = (first: string, email: string) =>
      env.s.post("/api/v1/leads", { first_name: first, last_name: "Test", email, owner_id: rep.id });
    const click = (url: string, method = "GET") => fetch(local(url), { method, redirect: "manual" });

    beforeAll(async () => {
      await env.s.post("/api/v1/connectors", {
        key: "email",
        kind: "smtp",
        name: "Mail",
        config: { host: "127.0.0.1", port: smtp.port, from: "hello@acme.test" },
      });
      rep = await env.s.post("/api/v1/users", { name: "Bo Rep", email: "bo@acme.test", role: "rep", calendar_link: CALENDAR });
      await env.s.publish(welcome);
      onOpenId = (await env.s.publish(onOpen)).id;
    });

    it("is off by default: no pixel, links as written, and says so in the settings", async () => {
      expect((await env.s.get("/api/v1/workspace/settings")).email_tracking).toEqual({ opens: false, clicks: false });
      const l = await lead("Off", "off@example.com");
      const mail = await mailTo("off@example.com");
      expect(pixelOf(mail.html ?? "")).toBeUndefined();
      expect(hrefs(mail.html ?? "")).toEqual([CALENDAR, PRICING, "mailto:bo@acme.test", "https://hidden.example/"]);
      expect(mail.html).not.toContain("/t/");
      // Nothing of it is kept to be tracked.
      const item = (await env.s.get("/api/v1/outbox?limit=200")).data.find((o: Json) => o.record_id === l.id);
      expect(await env.s.services.store.emailTracking.getTrackedMessage(env.s.workspace.id, item.id)).toBeUndefined();
    });

    it("records one open and one click per link from a real email, however often they repeat, and starts the email_engaged workflow once", async () => {
      expect(await setTracking({ opens: true, clicks: true })).toMatchObject({ email_tracking: { opens: true, clicks: true } });
      const l = await lead("Ada", "ada@example.com");
      const mail = await mailTo("ada@example.com");
      const html = mail.html ?? "";
      const pixel = pixelOf(html);
      expect(pixel).toMatch(/^http:\/\/127\.0\.0\.1:3000\/t\/o\/[\w-]+\.[\w-]+$/);
      const links = hrefs(html);
      // The two http(s) links go through Handoff; mailto and the commented-out link do not.
      expect(links[0]).toMatch(/\/t\/c\//);
      expect(links[1]).toMatch(/\/t\/c\//);
      expect(links.slice(2)).toEqual(["mailto:bo@acme.test", "https://hidden.example/"]);
      expect(html).toContain('class="x"');
      // The plain-text part is sent as written.
      expect(mail.text).toBe(`Book a time: ${CALENDAR}`);

      for (let i = 0; i < 3; i++) {
        const res = await fetch(local(pixel as string));
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toBe("image/gif");
        expect(res.headers.get("cache-control")).toContain("no-store");
        expect(
          Buffer.from(await res.arrayBuffer())
            .subarray(0, 6)
            .toString(),
        ).toBe("GIF89a");
      }
      for (let i = 0; i < 3; i++) {
        const res = await click(links[0] as string);
        expect(res.status).toBe(302);
        expect(res.headers.get("location")).toBe(CALENDAR);
      }
      // A link checker's HEAD is redirected and records nothing.
      const head = await click(links[1] as string, "HEAD");
      expect(head.status).toBe(302);
      expect(head.headers.get("location")).toBe(PRICING);

      const opened = await activities(l.id, "email_opened");
      expect(opened).toHaveLength(1);
      expect(opened[0]).toMatchObject({ subject: "Welcome, Ada", made_by: "contact", related_id: l.id });
      const clicked = await activities(l.id, "email_clicked");
      expect(clicked).toHaveLength(1);
      expect(clicked[0]).toMatchObject({ subject: "Welcome, Ada", body: CALENDAR, made_by: "contact" });

      // The second link's first click is its own.
      expect((await click(links[1] as string)).headers.get("location")).toBe(PRICING);
      expect((await activities(l.id, "email_clicked")).map((a: Json) => a.body).sort()).toEqual([CALENDAR, PRICING].sort());

      // The "email opened" trigger started its workflow once, on the lead.
      const task = await eventually("the on-open task", async () =>
        (await tasks(l.id)).find((t: Json) => /opened our email/.test(t.subject)),
      );
      expect(task.subject).toBe("Call Ada: opened our email");
      const runs = (await env.s.get(`/api/v1/runs?record_id=${l.id}`)).data.filter((r: Json) => r.workflow_id === onOpenId);
      expect(runs).toHaveLength(1);
      expect((await tasks(l.id)).filter((t: Json) => /opened our email/.test(t.subject))).toHaveLength(1);
    });

    it("refuses forged and altered links, links to URLs the email did not carry, and tokens of another workspace — redirecting nowhere", async () => {
      await setTracking({ opens: true, clicks: true });
      const l = await lead("Bea", "bea@example.com");
      const html = (await mailTo("bea@example.com")).html ?? "";
      const genuine = hrefs(html)[0] as string;
      const token = new URL(genuine).pathname.slice("/t/c/".length);
      const [body = "", mac = ""] = token.split(".");
      const expectRefused = async (path: string) => {
        const res = await fetch(`${env.s.url}${path}`, { redirect: "manual" });
        expect(res.status, path.slice(0, 80)).toBe(404);
        expect(res.headers.get("location")).toBeNull();
        expect(res.headers.get("content-type")).toContain("text/html");
        expect(await res.text()).toContain("Link not valid");
      };
      // The target swapped inside the token, the MAC kept.
      const parts = JSON.parse(Buffer.from(body, "base64url").toString()) as string[];
      const evil = Buffer.from(JSON.stringify([parts[0], parts[1], parts[2], "https://evil.example/"])).toString("base64url");
      await expectRefused(`/t/c/${evil}.${mac}`);
      // One character of the MAC changed.
      await expectRefused(`/t/c/${body}.${mac.startsWith("A") ? "B" : "A"}${mac.slice(1)}`);
      // An open token is not a click token.
      const pixel = pixelOf(html) as string;
      await expectRefused(`/t/c/${new URL(pixel).pathname.slice("/t/o/".length)}`);
      // Signed with the installation's real key, but to a URL this email did not carry.
      const tokens = TrackingTokens.from(env.s.services.secretBox);
      const messageId = parts[2] as string;
      const sign = (workspaceId: string, url: string) => tokens.sign({ kind: "click", workspaceId, messageId, url }) as string;
      await expectRefused(`/t/c/${sign(env.s.workspace.id, "https://evil.example/")}`);
      // This message named under another workspace (its rows are not there).
      const other = await env.s.newWorkspace("other-co");
      await expectRefused(`/t/c/${sign(other.workspace.id, CALENDAR)}`);
      expect(await activities(l.id, "email_clicked")).toEqual([]);
      // The genuine one still works.
      expect((await click(genuine)).headers.get("location")).toBe(CALENDAR);
      expect(await activities(l.id, "email_clicked")).toHaveLength(1);
    });

    it("answers garbage and huge tokens with a 4xx (the pixel: the same GIF), never a 500", async () => {
      for (const path of ["/t/c/x", "/t/c/..", "/t/c/a.b.c", `/t/c/${"A".repeat(5_000)}.${"B".repeat(43)}`, "/t/c/%E0%A4%A", "/t/c/%00"]) {
        const res = await fetch(`${env.s.url}${path}`, { redirect: "manual" });
        expect(res.status, path.slice(0, 40)).toBeGreaterThanOrEqual(400);
        expect(res.status, path.slice(0, 40)).toBeLessThan(500);
        expect(res.headers.get("location")).toBeNull();
      }
      for (const path of ["/t/o/x", `/t/o/${"A".repeat(5_000)}`, "/t/o/a.b"]) {
        const res = await fetch(`${env.s.url}${path}`);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toBe("image/gif");
      }
      const huge = await fetch(`${env.s.url}/t/c/${"A".repeat(100_000)}`, { redirect: "manual" });
      expect(huge.status).toBeGreaterThanOrEqual(400);
      expect(huge.status).toBeLessThan(500);
    });

    it("with the switch off, records nothing from links already sent and sends the next emails untracked", async () => {
      await setTracking({ opens: true, clicks: true });
      const l = await lead("Cy", "cy@example.com");
      const html = (await mailTo("cy@example.com")).html ?? "";
      const before = { pixel: pixelOf(html) as string, link: hrefs(html)[0] as string };
      // Only clicks off: opens still recorded, links still lead where they did but record nothing.
      expect(await setTracking({ clicks: false })).toMatchObject({ email_tracking: { opens: true, clicks: false } });
      expect((await click(before.link)).headers.get("location")).toBe(CALENDAR);
      expect(await activities(l.id, "email_clicked")).toEqual([]);
      await setTracking({ opens: false });
      expect((await fetch(local(before.pixel))).status).toBe(200);
      expect(await activities(l.id, "email_opened")).toEqual([]);
      // Turned on again, the same pixel records its (first) open: nothing was claimed while off.
      await setTracking({ opens: true });
      await fetch(local(before.pixel));
      expect(await activities(l.id, "email_opened")).toHaveLength(1);

      await setTracking({ opens: false, clicks: false });
      await lead("Dot", "dot@example.com");
      const next = (await mailTo("dot@example.com")).html ?? "";
      expect(pixelOf(next)).toBeUndefined();
      expect(hrefs(next).slice(0, 2)).toEqual([CALENDAR, PRICING]);
    });

    it("refuses a bad setting with the path named, and only admins change it", async () => {
      const bad = await env.s.api("/api/v1/workspace/settings", { method: "PATCH", json: { email_tracking: { opens: "yes" } } });
      expect(bad.status).toBe(422);
      expect(JSON.stringify(await bad.json())).toContain("email_tracking.opens");
      const extra = await env.s.api("/api/v1/workspace/settings", { method: "PATCH", json: { email_tracking: { pixels: true } } });
      expect(extra.status).toBe(422);
      expect(JSON.stringify(await extra.json())).toContain("email_tracking.pixels");
      const { token } = await env.s.newWorkspace("rep-co", "rep");
      const asRep = await env.s.api("/api/v1/workspace/settings", {
        method: "PATCH",
        json: { email_tracking: { opens: true } },
        as: token,
      });
      expect(asRep.status).toBe(404);
    });
  });
}
