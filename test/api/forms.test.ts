/**
 * Hosted forms over real HTTP on both stores, as a browser would post them
 * (application/x-www-form-urlencoded): the admin API, HTML escaping of admin and visitor text,
 * one lead per rendered page however often it is sent, the honeypot, the rate limit, and the
 * external event that starts workflows naming the form.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const nonceOf = (html: string) => /name="_nonce" value="([^"]+)"/.exec(html)?.[1] ?? "";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`hosted forms over HTTP on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: true });
    let workflowId: string;
    const page = (key: string) => fetch(`${env.s.url}/forms/${key}`);
    const submit = (key: string, fields: Record<string, string>) =>
      fetch(`${env.s.url}/forms/${key}`, {
        method: "POST",
        body: new URLSearchParams(fields).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
        redirect: "manual",
      });
    const ticketsAbout = async (subject: string) =>
      (await env.s.get(`/api/v1/tickets?where=subject:eq:${encodeURIComponent(subject)}`)).data as Json[];

    beforeAll(async () => {
      await env.s.post("/api/v1/forms", {
        key: "support",
        title: 'Support <script>alert("t")</script>',
        intro: "We read every request & answer fast.",
        object: "ticket",
        fields: [
          { name: "subject", label: "What happened?", required: true },
          { name: "description", label: "Details" },
          { name: "priority", label: "How urgent?", options: ["P2", "P3"] },
        ],
        hidden: { category: "web" },
        rate_per_min: 1000,
      });
      workflowId = (
        await env.s.publish({
          key: "triage-web-tickets",
          name: "Triage web tickets",
          description: "Why it exists: a test fixture (publishing needs a description).",
          object: "ticket",
          trigger: { type: "external", key: "support" },
          start: "open",
          steps: {
            open: { type: "action", action: { type: "update_fields", fields: { status: "open" } }, next: "done" },
            done: { type: "end" },
          },
        })
      ).id;
    });

    it("renders a self-contained page with every admin text escaped", async () => {
      const res = await page("support");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
      const html = await res.text();
      expect(html).toContain("Support &lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;");
      expect(html).not.toContain("<script");
      expect(html).toContain("We read every request &amp; answer fast.");
      expect(html).toMatch(/<label for="f-subject">What happened\?/);
      expect(html).toContain('id="f-subject" name="subject" required aria-required="true"');
      expect(html).toContain('<option value="P2">P2</option>');
      expect(nonceOf(html)).toMatch(/^[\w-]{22}$/);
      expect(nonceOf(await (await page("support")).text())).not.toBe(nonceOf(html));
    });

    it("a submission becomes a ticket as form:<key>, fires the workflow naming the form, and redirects to the thank-you page", async () => {
      const nonce = nonceOf(await (await page("support")).text());
      const res = await submit("support", { _nonce: nonce, subject: "Printer on fire", description: "Really.", priority: "P2" });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/forms/support/thanks");
      const thanks = await fetch(`${env.s.url}/forms/support/thanks`);
      expect(await thanks.text()).toContain("Thank you. We will be in touch shortly.");

      const [ticket] = await ticketsAbout("Printer on fire");
      expect(ticket).toMatchObject({ description: "Really.", priority: "P2", category: "web" });
      const history = (await env.s.get(`/api/v1/tickets/${ticket?.id}/history`)).data as Json[];
      expect(history.at(-1)?.actor).toEqual({ kind: "integration", id: "form:support" });
      await eventually("the triage run", async () =>
        ((await env.s.get(`/api/v1/runs?record_id=${ticket?.id}`)).data as Json[]).find(
          (r) => r.workflow_id === workflowId && r.status === "completed",
        ),
      );
      expect((await env.s.get(`/api/v1/tickets/${ticket?.id}`)).status).toBe("open");
    });

    it("the same rendered page sent twice (a double click) creates one ticket", async () => {
      const nonce = nonceOf(await (await page("support")).text());
      const fields = { _nonce: nonce, subject: "Double click" };
      const [a, b] = await Promise.all([submit("support", fields), submit("support", fields)]);
      expect([a.status, b.status]).toEqual([303, 303]);
      expect((await submit("support", fields)).status).toBe(303);
      expect(await ticketsAbout("Double click")).toHaveLength(1);
    });

    it("re-renders with the problem next to the field and the entries escaped, 422, nothing written", async () => {
      const nonce = nonceOf(await (await page("support")).text());
      const res = await submit("support", { _nonce: nonce, subject: "", description: '"><script>x()</script>', priority: "P9" });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toMatch(/id="f-subject"[^>]*aria-invalid="true" aria-describedby="err-subject"/);
      expect(html).toMatch(/<p class="error" id="err-subject">Please fill in What happened\?\.<\/p>/);
      expect(html).toContain('<p class="error" id="err-priority">Choose one of the listed options for How urgent?.</p>');
      expect(html).toContain("&quot;&gt;&lt;script&gt;x()&lt;/script&gt;</textarea>");
      expect(html).not.toContain("<script");
      // The same nonce again, so fixing and sending still counts as one submission.
      expect(nonceOf(html)).toBe(nonce);
      expect((await env.s.get("/api/v1/tickets?where=category:eq:web")).data.map((x: Json) => x.subject)).not.toContain("");
    });

    it("a filled honeypot looks accepted to the bot and writes nothing", async () => {
      const nonce = nonceOf(await (await page("support")).text());
      const res = await submit("support", { _nonce: nonce, subject: "Cheap pills", _website: "http://spam.example" });
      expect(res.status).toBe(303);
      expect(await ticketsAbout("Cheap pills")).toHaveLength(0);
    });

    it("over the form's rate → 429 page with Retry-After", async () => {
      await env.s.post("/api/v1/forms", {
        key: "tiny",
        title: "Tiny",
        object: "lead",
        fields: [{ name: "last_name", label: "Name", required: true }],
        rate_per_min: 1,
      });
      expect((await submit("tiny", { last_name: "One" })).status).toBe(303);
      const res = await submit("tiny", { last_name: "Two" });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(await res.text()).toContain("Too many submissions");
      expect((await env.s.get("/api/v1/leads?where=last_name:eq:Two")).data).toHaveLength(0);
    });

    it("unknown forms are 404 pages; other content types are refused", async () => {
      expect((await page("nope")).status).toBe(404);
      const res = await fetch(`${env.s.url}/forms/support`, {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(415);
    });

    it("the admin API checks fields against the object and shares keys with hooks", async () => {
      const bad = await env.s.api("/api/v1/forms", {
        method: "POST",
        json: {
          key: "bad",
          title: "Bad",
          object: "lead",
          fields: [
            { name: "nope", label: "Nope" },
            { name: "last_name", label: "Name" },
            { name: "last_name", label: "Again" },
          ],
          hidden: { score: "high" },
        },
      });
      expect(bad.status).toBe(422);
      const paths = ((await bad.json()) as Json).errors.map((e: Json) => e.path);
      expect(paths).toEqual(expect.arrayContaining(["fields[0].name", "fields[2].name", "hidden.score"]));
      const deal = await env.s.api("/api/v1/forms", {
        method: "POST",
        json: { key: "deal", title: "D", object: "deal", fields: [{ name: "name", label: "N" }] },
      });
      expect(deal.status).toBe(422);
      await env.s.post("/api/v1/inbound-hooks", { key: "shared-key", name: "H", object: "lead" });
      const clash = await env.s.api("/api/v1/forms", {
        method: "POST",
        json: { key: "shared-key", title: "F", object: "lead", fields: [{ name: "last_name", label: "N" }] },
      });
      expect(clash.status).toBe(409);

      const patched = await env.s.api("/api/v1/forms/support", { method: "PATCH", json: { success_message: "Got it." } });
      expect(((await patched.json()) as Json).success_message).toBe("Got it.");
      expect(((await env.s.get("/api/v1/forms")).data as Json[]).map((f) => f.key)).toEqual(["support", "tiny"]);
      const other = await env.s.newWorkspace("elsewhere");
      expect((await env.s.api("/api/v1/forms/support", { as: other.token })).status).toBe(404);
      expect((await env.s.api("/api/v1/forms/tiny", { method: "DELETE" })).status).toBe(204);
      expect((await page("tiny")).status).toBe(404);
    });
  });
}
