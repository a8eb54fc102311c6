/**
 * The text rule at every edge, on both stores alike: a NUL (U+0000) or half of a UTF-16
 * surrogate pair anywhere — body values and keys, path segments, query values, filters, CSV
 * cells, form fields, signed inbound hooks — is refused with a 4xx that names where it is, and
 * nothing is written. (On PostgreSQL a NUL used to reach the database and fail there with a 500;
 * on both stores a lone surrogate in an email made the email validator throw.) Bodies nested
 * deeper than the limit are refused before anything recursive reads them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { signedHeaders } from "../helpers/hooks.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

// Raw JSON text, so that the escapes reach the server exactly as an attacker writes them.
const NUL = "\\u0000";
const LONE = "\\ud800";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`text and structure from outside on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: false });
    let hookSecret: string;

    const raw = (path: string, method: string, body?: string, type = "application/json", auth = true) =>
      fetch(`${env.s.url}${path}`, {
        method,
        ...(body !== undefined ? { body } : {}),
        headers: { ...(auth ? { authorization: `Bearer ${env.s.token}` } : {}), ...(body !== undefined ? { "content-type": type } : {}) },
      });
    const expect4xx = async (res: Response, status: number, path?: string) => {
      const text = await res.text();
      expect(res.status, text).toBe(status);
      const body = JSON.parse(text) as Json;
      expect(body.detail).toEqual(expect.any(String));
      if (path !== undefined) expect(body.errors.map((e: Json) => e.path)).toContain(path);
      return body;
    };
    const counts = async () => {
      const ws = env.s.workspace.id;
      return {
        leads: await env.s.services.store.records.countRecords(ws, "lead"),
        events: (await env.s.services.store.events.readEvents(0, 100_000, ws)).length,
      };
    };

    beforeAll(async () => {
      hookSecret = (
        await env.s.post("/api/v1/inbound-hooks", {
          key: "signup",
          name: "Sign-ups",
          object: "lead",
          mapping: { last_name: "/last", email: "/email" },
          rate_per_min: 1000,
        })
      ).secret;
      await env.s.post("/api/v1/forms", {
        key: "contact",
        title: "Contact",
        object: "lead",
        fields: [
          { name: "last_name", label: "Last name", required: true },
          { name: "email", label: "Email" },
        ],
        rate_per_min: 1000,
      });
    });

    it("refuses a NUL or a lone surrogate in a body value or key, naming the field, and writes nothing", async () => {
      const before = await counts();
      const nulValue = await expect4xx(await raw("/api/v1/leads", "POST", `{"last_name":"Ro${NUL}se"}`), 400, "last_name");
      expect(nulValue.errors[0].message).toContain("NUL");
      const loneEmail = await expect4xx(
        await raw("/api/v1/leads", "POST", `{"last_name":"Rose","email":"a${LONE}@example.com"}`),
        400,
        "email",
      );
      expect(loneEmail.errors[0].message).toContain("surrogate");
      await expect4xx(await raw("/api/v1/leads", "POST", `{"last_name":"Rose","x${NUL}":"1"}`), 400);
      await expect4xx(
        await raw("/api/v1/leads/bulk", "POST", `{"records":[{"last_name":"A"},{"last_name":"B","email":"${LONE}@x.com"}]}`),
        400,
        "records[1].email",
      );
      await expect4xx(await raw("/api/v1/workflows/validate", "POST", `{"key":"k${NUL}","name":"n"}`), 400, "key");
      await expect4xx(await raw("/api/v1/tokens", "POST", `{"name":"laptop${NUL}","role":"rep"}`), 400, "name");
      expect(await counts()).toEqual(before);
    });

    it("refuses them in path segments, query values and filters", async () => {
      await expect4xx(await raw("/api/v1/leads/ab%00cd", "GET"), 400, "path[4]");
      await expect4xx(await raw("/api/v1/leads/ab%00cd", "PATCH", '{"last_name":"x"}'), 400);
      await expect4xx(await raw("/api/v1/workflows/a%00b", "GET"), 400);
      await expect4xx(await raw("/api/v1/leads?where=email:eq:a%00b", "GET"), 400, "where");
      const filter = encodeURIComponent(`{"field":"email","op":"eq","value":"${LONE}@x.com"}`).replaceAll("%5C", "\\");
      await expect4xx(await raw(`/api/v1/leads?filter=${filter}`, "GET"), 400, "filter.value");
      await expect4xx(
        await raw("/api/v1/leads/search", "POST", `{"filter":{"field":"email","op":"eq","value":"${LONE}"}}`),
        400,
        "filter.value",
      );
    });

    it("refuses them on the public routes without authentication", async () => {
      await expect4xx(await raw("/hooks/sign%00up", "POST", "{}", "application/json", false), 400);
      await expect4xx(await raw("/forms/con%00tact", "GET", undefined, "", false), 400);
    });

    it("refuses them in a signed inbound hook delivery, naming the body path", async () => {
      const before = await counts();
      for (const [body, path] of [
        [`{"last":"Ro${NUL}se","email":"rose@example.com"}`, "body.last"],
        [`{"last":"Rose","email":"r${LONE}@example.com"}`, "body.email"],
      ] as const) {
        const res = await fetch(`${env.s.url}/hooks/signup`, { method: "POST", body, headers: signedHeaders(hookSecret, body).headers });
        await expect4xx(res, 400, path);
      }
      expect(await counts()).toEqual(before);
    });

    it("shows a form field holding a NUL as that field's error, and writes nothing", async () => {
      const before = await counts();
      const page = await (await fetch(`${env.s.url}/forms/contact`)).text();
      const nonce = /name="_nonce" value="([^"]+)"/.exec(page)?.[1] ?? "";
      const res = await fetch(`${env.s.url}/forms/contact`, {
        method: "POST",
        body: new URLSearchParams({ _nonce: nonce, last_name: "Ro\u0000se", email: "rose@example.com" }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
        redirect: "manual",
      });
      expect(res.status).toBe(422);
      expect(await res.text()).toMatch(/Last name: [^<]*NUL/);
      expect(await counts()).toEqual(before);
    });

    it("refuses a CSV cell holding a NUL, naming its row and column", async () => {
      const before = await counts();
      const body = await expect4xx(
        await raw("/api/v1/leads/import", "POST", "last_name,email\nRose,r@x.com\nRo\u0000se,s@x.com\n", "text/csv"),
        400,
      );
      expect(body.errors[0]).toMatchObject({ path: "row[3][1]", code: "invalid_value" });
      expect(await counts()).toEqual(before);
    });

    it("refuses a body nested deeper than the limit before parsing it further, naming where", async () => {
      const deep = `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`;
      const body = await expect4xx(await raw("/api/v1/leads", "POST", deep), 400);
      expect(body.errors[0].code).toBe("too_big");
      const conditions = `{"key":"deep","name":"Deep","object":"lead","trigger":{"type":"record_created"},"conditions":${'{"and":['.repeat(3_000)}{"field":"score","op":"gt","value":1}${"]}".repeat(3_000)},"start":"e","steps":{"e":{"type":"end"}}}`;
      await expect4xx(await raw("/api/v1/workflows/validate", "POST", conditions), 400);
      const filter = encodeURIComponent(`${'{"and":['.repeat(300)}{"field":"score","op":"gt","value":1}${"]}".repeat(300)}`);
      await expect4xx(await raw(`/api/v1/leads?filter=${filter}`, "GET"), 400);
    });

    it("still takes well-formed text: emoji (surrogate pairs), accents and tabs", async () => {
      const res = await raw("/api/v1/leads", "POST", '{"last_name":"Ros\\u00e9 \\ud83d\\ude80\\tX","email":"rose@example.com"}');
      expect(res.status).toBe(201);
      expect(((await res.json()) as Json).last_name).toBe("Rosé 🚀\tX");
    });
  });
}
