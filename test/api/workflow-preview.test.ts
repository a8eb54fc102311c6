/**
 * The builder's template preview (POST /api/v1/workflows/preview-template) over real HTTP on
 * both stores: a task subject, an email's subject and HTML body (owner and company read, record
 * values escaped), a chat message, an HTTP body, rendered as the engine renders them; and the
 * attacker's tests: another workspace's record is not found (404), a template reaching outside
 * the sandbox ({% include %}) or reading what its place may not read is refused with publish's
 * message (422), a NUL in the template is refused at the edge, a part the action does not have
 * is named.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../helpers/server.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`template preview API on ${kind.name}`, () => {
    const env = useTestServer(kind);
    let lead: Json;

    const preview = async (body: unknown, as?: string) => {
      const res = await env.s.api("/api/v1/workflows/preview-template", { method: "POST", json: body, ...(as ? { as } : {}) });
      return { status: res.status, body: (await res.json()) as Json };
    };

    beforeAll(async () => {
      const s: TestServer = env.s;
      const owner = await s.post("/api/v1/users", {
        name: "Rita Rep",
        email: "rita@acme.example",
        role: "rep",
        calendar_link: "https://cal.example/rita",
      });
      const company = await s.post("/api/v1/companies", { name: "Initech", industry: "Software" });
      lead = await s.post("/api/v1/leads", {
        first_name: "Dana",
        last_name: "<Scully>",
        email: "dana@fbi.example",
        owner_id: owner.id,
        company_id: company.id,
      });
    });

    it("renders an internal action's template over the record, as the step does", async () => {
      const { status, body } = await preview({
        object: "lead",
        record_id: lead.id,
        template: "Call {{ record.first_name }} {{ record.last_name }} now",
        action: "create_task",
        part: "subject",
      });
      expect(status).toBe(200);
      expect(body).toEqual({ text: "Call Dana <Scully> now" });
      // Without an action the template is an internal one (a notification's message).
      expect((await preview({ object: "lead", record_id: lead.id, template: "{{ record.first_name | upcase }}" })).body.text).toBe("DANA");
    });

    it("renders an email's templates with the owner and company, the HTML escaped and the subject on one line", async () => {
      const base = { object: "lead", record_id: lead.id, action: "send_email" };
      const subject = await preview({ ...base, part: "subject", template: "Hi {{ record.first_name }},\nfrom {{ owner.name }}" });
      expect(subject).toEqual({ status: 200, body: { text: "Hi Dana, from Rita Rep" } });
      const html = await preview({ ...base, part: "html", template: "<p>{{ record.last_name }} at {{ company.industry }}</p>" });
      expect(html.body.text).toBe("<p>&lt;Scully&gt; at Software</p>");
      const text = await preview({ ...base, part: "text", template: "Book: {{ owner.calendar_link }}" });
      expect(text.body.text).toBe("Book: https://cal.example/rita");
    });

    it("renders a chat message and an HTTP body through their actions' builders", async () => {
      const chat = await preview({ object: "lead", record_id: lead.id, action: "send_chat", template: "New lead {{ record.last_name }}" });
      expect(chat.body.text).toBe("New lead &lt;Scully&gt;");
      const http = await preview({
        object: "lead",
        record_id: lead.id,
        action: "http_request",
        part: "body",
        template: "{{ record.email }}",
      });
      expect(http.body.text).toBe("dana@fbi.example");
    });

    it("refuses what publish refuses, with its message (422)", async () => {
      const include = await preview({ object: "lead", record_id: lead.id, template: "{% include 'secrets' %}" });
      expect(include.status).toBe(422);
      expect(include.body.detail).toMatch(/the tag \{% include %\} is not allowed/);
      expect(include.body.errors[0].path).toBe("template");
      // An internal action's template reads only the record: the owner is for external actions.
      const owner = await preview({ object: "lead", record_id: lead.id, template: "{{ owner.name }}", action: "notify" });
      expect(owner.status).toBe(422);
      expect(owner.body.detail).toMatch(/"owner.name" is not available/);
      const unknown = await preview({ object: "lead", record_id: lead.id, template: "{{ record.shoe_size }}" });
      expect(unknown.status).toBe(422);
      expect(unknown.body.detail).toMatch(/lead has no field "shoe_size"/);
      const part = await preview({ object: "lead", record_id: lead.id, template: "x", action: "send_email", part: "footer" });
      expect(part.status).toBe(422);
      expect(part.body.errors[0].path).toBe("part");
    });

    it("refuses a NUL in the template and a malformed body, naming the field", async () => {
      const nul = await preview({ object: "lead", record_id: lead.id, template: "Hi\u0000{{ record.first_name }}" });
      expect([400, 422]).toContain(nul.status);
      expect(JSON.stringify(nul.body.errors)).toMatch(/template/);
      const missing = await preview({ object: "lead", template: "x" });
      expect(missing.status).toBe(400);
      expect(missing.body.errors[0].path).toBe("record_id");
    });

    it("does not show another workspace's record, nor a record under another object (404)", async () => {
      const other = await env.s.newWorkspace("elsewhere");
      const stolen = await preview({ object: "lead", record_id: lead.id, template: "{{ record.email }}" }, other.token);
      expect(stolen.status).toBe(404);
      expect(JSON.stringify(stolen.body)).not.toContain("dana@fbi.example");
      const wrongObject = await preview({ object: "contact", record_id: lead.id, template: "{{ record.email }}" });
      expect(wrongObject.status).toBe(404);
    });
  });
}
