/**
 * `GET /api/v1/sign-ins` over real HTTP (both stores): an admin sees when each user of the
 * workspace last signed in, by token or by cookie; a rep's cookie and another workspace's admin
 * get nothing of it (404 / their own workspace's). The outbox list takes `status=failing` and
 * refuses an unknown status naming the parameter.
 */
import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

const PASSWORD = "correct horse battery staple";
type Json = Record<string, any>;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`last sign-ins over HTTP (${kind.name})`, () => {
    const env = useTestServer(kind);

    const person = async (name: string, email: string, role: string) => {
      const u = (await env.s.post("/api/v1/users", { name, email, role })) as Json;
      expect((await env.s.api(`/api/v1/users/${u.id}/password`, { method: "PUT", json: { password: PASSWORD } })).status).toBe(200);
      return u;
    };
    const signIn = async (email: string) => {
      const res = await fetch(`${env.s.url}/api/v1/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      expect(res.status).toBe(200);
      return (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
    };

    it("tells an admin each user's last sign-in; a rep and another workspace learn nothing", async () => {
      const ada = await person("Ada Admin", "ada@acme.test", "admin");
      const rex = await person("Rex Rep", "rex@acme.test", "rep");
      const never = await person("Nell Never", "nell@acme.test", "rep");
      const adaCookie = await signIn("ada@acme.test");
      const rexCookie = await signIn("rex@acme.test");

      const byCookie = await fetch(`${env.s.url}/api/v1/sign-ins`, { headers: { cookie: adaCookie } });
      expect(byCookie.status).toBe(200);
      const rows = ((await byCookie.json()) as Json).data as Json[];
      expect(rows.map((r) => r.user_id).sort()).toEqual([ada.id, rex.id].sort());
      expect(rows.find((r) => r.user_id === never.id)).toBeUndefined();
      for (const r of rows) expect(Date.parse(r.last_sign_in_at)).toBeLessThanOrEqual(Date.parse(r.last_seen_at));
      expect(((await env.s.get("/api/v1/sign-ins")) as Json).data).toHaveLength(2);

      const asRep = await fetch(`${env.s.url}/api/v1/sign-ins`, { headers: { cookie: rexCookie } });
      expect(asRep.status).toBe(404);
      expect(asRep.headers.get("content-type")).toContain("application/problem+json");
      const other = await env.s.newWorkspace("globex");
      expect(((await (await env.s.api("/api/v1/sign-ins", { as: other.token })).json()) as Json).data).toEqual([]);
    });

    it("lists failing outbox items on request and refuses an unknown status, naming it", async () => {
      const ok = await env.s.api("/api/v1/outbox?status=failing");
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as Json).data).toEqual([]);
      const bad = await env.s.api("/api/v1/outbox?status=failed");
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as Json).errors?.[0]?.path).toBe("status");
    });
  });
}
