/**
 * The inbox over real HTTP on both stores (issue 14, item 7): a person lists their notifications
 * (pages, unread only), counts the unread ones, marks one read (idempotent) and all read — with
 * the session cookie (and its CSRF token on POST) or a token made for them. Nobody marks another
 * user's or another workspace's notification (404, nothing changes), a rep cannot read another
 * user's inbox, and bad parameters are 400 problems naming the parameter.
 */
import { describe, expect, it } from "vitest";
import type { NotificationRow } from "../../src/store/workflow-ports.js";
import { type TestEnv, useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

const PASSWORD = "correct horse battery staple";
type Json = Record<string, any>;

async function person(env: TestEnv, name: string, email: string, role: string) {
  const created = (await env.s.post("/api/v1/users", { name, email, role })) as Json;
  const res = await env.s.api(`/api/v1/users/${created.id}/password`, { method: "PUT", json: { password: PASSWORD } });
  expect(res.status).toBe(200);
  const signIn = await fetch(`${env.s.url}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(signIn.status).toBe(200);
  const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const csrf = ((await signIn.json()) as Json).csrf_token as string;
  /** A request with this person's cookie; `csrf: false` leaves the CSRF header out. */
  const call = (path: string, init: RequestInit & { csrf?: boolean } = {}) => {
    const { csrf: withCsrf = true, headers, ...rest } = init;
    const h = new Headers(headers);
    h.set("cookie", cookie);
    if (withCsrf && rest.method && rest.method !== "GET") h.set("x-csrf-token", csrf);
    return fetch(`${env.s.url}${path}`, { ...rest, headers: h });
  };
  return { id: created.id as string, call };
}

let seq = 0;
async function notify(env: TestEnv, workspaceId: string, userId: string, message: string, recordId: string | null = null) {
  seq += 1;
  const row: NotificationRow = {
    workspaceId,
    id: `note-${String(seq).padStart(4, "0")}`,
    userId,
    message,
    recordId,
    runId: recordId ? "run-1" : null,
    createdAt: new Date(Date.parse("2026-05-01T00:00:00Z") + seq * 1000).toISOString(),
    readAt: null,
  };
  await env.s.services.store.transaction((tx) => tx.notifications.insertNotification(row));
  return row.id;
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`the inbox over HTTP (${kind.name})`, () => {
    const env = useTestServer(kind);

    it("lists my notifications with their record's object, counts and marks them read — by cookie and CSRF", async () => {
      const rita = await person(env, "Rita Rep", "rita@acme.test", "rep");
      const lead = (await env.s.post("/api/v1/leads", { last_name: "Okafor", email: "okafor@example.com" })) as Json;
      const a = await notify(env, env.s.workspace.id, rita.id, "Call Okafor within 5 minutes", lead.id);
      const b = await notify(env, env.s.workspace.id, rita.id, "Second");
      const c = await notify(env, env.s.workspace.id, rita.id, "Third");

      const count = async () => ((await (await rita.call("/api/v1/notifications/unread-count")).json()) as Json).unread;
      expect(await count()).toBe(3);
      const list = (await (await rita.call("/api/v1/notifications")).json()) as Json;
      expect(list.data.map((n: Json) => n.id)).toEqual([c, b, a]);
      expect(list.data[2]).toMatchObject({
        id: a,
        user_id: rita.id,
        message: "Call Okafor within 5 minutes",
        record_id: lead.id,
        record_object: "lead",
        run_id: "run-1",
        read_at: null,
      });
      expect(list.next_cursor).toBeNull();

      // CSRF: a cookie POST without the token is refused and changes nothing.
      expect((await rita.call(`/api/v1/notifications/${a}/read`, { method: "POST", csrf: false })).status).toBe(403);
      expect((await rita.call("/api/v1/notifications/read-all", { method: "POST", csrf: false })).status).toBe(403);
      expect(await count()).toBe(3);

      const read = await rita.call(`/api/v1/notifications/${a}/read`, { method: "POST" });
      expect(read.status).toBe(200);
      const first = (await read.json()) as Json;
      expect(first).toMatchObject({ id: a, record_object: "lead" });
      expect(Date.parse(first.read_at)).not.toBeNaN();
      // Again: the same answer, the first read_at kept.
      expect(await (await rita.call(`/api/v1/notifications/${a}/read`, { method: "POST" })).json()).toEqual(first);
      expect(await count()).toBe(2);
      const unread = (await (await rita.call("/api/v1/notifications?unread=true")).json()) as Json;
      expect(unread.data.map((n: Json) => n.id)).toEqual([c, b]);

      expect(await (await rita.call("/api/v1/notifications/read-all", { method: "POST" })).json()).toEqual({ marked: 2 });
      expect(await (await rita.call("/api/v1/notifications/read-all", { method: "POST" })).json()).toEqual({ marked: 0 });
      expect(await count()).toBe(0);
    });

    it("pages with next_cursor; refuses a bad limit, unread or cursor naming it", async () => {
      const pat = await person(env, "Pat Pager", "pat@acme.test", "rep");
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await notify(env, env.s.workspace.id, pat.id, `n${i}`));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await pat.call(`/api/v1/notifications?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
        const body = (await res.json()) as Json;
        seen.push(...body.data.map((n: Json) => n.id));
        cursor = body.next_cursor;
      } while (cursor);
      expect(seen).toEqual([...ids].reverse());

      for (const [query, param] of [
        ["limit=0", "limit"],
        ["limit=500", "limit"],
        ["limit=x", "limit"],
        ["unread=yes", "unread"],
        ["cursor=not-a-cursor", "cursor"],
      ] as const) {
        const res = await pat.call(`/api/v1/notifications?${query}`);
        expect(res.status, query).toBe(400);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
        expect(((await res.json()) as Json).errors?.[0]?.path, query).toBe(param);
      }
    });

    it("nobody marks another user's or another workspace's notification; a rep reads no other inbox", async () => {
      const owen = await person(env, "Owen Owner", "owen@acme.test", "rep");
      const mal = await person(env, "Mal Other", "mal@acme.test", "rep");
      const mine = await notify(env, env.s.workspace.id, owen.id, "for Owen");
      const other = await env.s.newWorkspace("globex");
      const elsewhere = await notify(env, other.workspace.id, mal.id, "another workspace, Mal's id");

      for (const id of [mine, elsewhere, "no-such-note"]) {
        const res = await mal.call(`/api/v1/notifications/${id}/read`, { method: "POST" });
        expect(res.status, id).toBe(404);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
      }
      expect(((await (await owen.call("/api/v1/notifications/unread-count")).json()) as Json).unread).toBe(1);
      const malRead = await mal.call("/api/v1/notifications/read-all", { method: "POST" });
      expect(await malRead.json()).toEqual({ marked: 0 });
      expect(((await (await owen.call("/api/v1/notifications/unread-count")).json()) as Json).unread).toBe(1);
      const theirs = await env.s.services.store.notifications.listNotifications({
        workspaceId: other.workspace.id,
        userId: null,
        limit: 5,
      });
      expect(theirs[0]?.readAt).toBeNull();

      // A rep may not read Owen's inbox; an admin may.
      expect((await mal.call(`/api/v1/notifications?user_id=${owen.id}`)).status).toBe(404);
      expect((await mal.call(`/api/v1/notifications/unread-count?user_id=${owen.id}`)).status).toBe(404);
      expect((await mal.call("/api/v1/notifications")).status).toBe(200);
      const admin = (await env.s.get(`/api/v1/notifications?user_id=${owen.id}`)) as Json;
      expect(admin.data.map((n: Json) => n.id)).toEqual([mine]);
    });

    it("a token made for a user is that user's inbox; a token of no user marks nothing", async () => {
      const tia = await person(env, "Tia Token", "tia@acme.test", "rep");
      const { secret } = await env.s.services.tokens.create(env.s.workspace.id, "Tia's script", "rep", tia.id);
      const note = await notify(env, env.s.workspace.id, tia.id, "for Tia");
      const res = await env.s.api(`/api/v1/notifications/${note}/read`, { method: "POST", as: secret });
      expect(res.status).toBe(200);
      expect(((await res.json()) as Json).user_id).toBe(tia.id);
      expect((await (await env.s.api("/api/v1/notifications/unread-count", { as: secret })).json()) as Json).toEqual({ unread: 0 });

      // The admin token of the test server belongs to no user: it sees the workspace's, marks none.
      const again = await notify(env, env.s.workspace.id, tia.id, "for Tia, again");
      expect((await env.s.api(`/api/v1/notifications/${again}/read`, { method: "POST" })).status).toBe(404);
      expect((await env.s.api("/api/v1/notifications/read-all", { method: "POST" })).status).toBe(404);
      expect(((await env.s.get("/api/v1/notifications?unread=true")) as Json).data.map((n: Json) => n.id)).toContain(again);
      expect(((await env.s.get("/api/v1/notifications/unread-count")) as Json).unread).toBeGreaterThanOrEqual(1);
    });
  });
}
