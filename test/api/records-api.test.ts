/**
 * The REST API over real HTTP, on both stores: CRUD, optimistic concurrency, validation
 * problems that name the field and write nothing, idempotency keys, isolation and roles.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { requestFingerprint } from "../../src/api/middleware/idempotency.js";
import { runningKey } from "../helpers/idempotency.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`records API on ${kind.name}`, () => {
    const env = useTestServer(kind, { bodyLimitBytes: 64 * 1024 });
    let companyId: string;

    const counts = async () => {
      const ws = env.s.workspace.id;
      return {
        contacts: await env.s.services.store.records.countRecords(ws, "contact"),
        companies: await env.s.services.store.records.countRecords(ws, "company"),
        deals: await env.s.services.store.records.countRecords(ws, "deal"),
        events: (await env.s.services.store.events.readEvents(0, 100_000, ws)).length,
      };
    };
    /** The idempotency caller of the suite's admin token. */
    const adminCaller = async () => `token:${(await env.s.services.tokens.authenticate(env.s.token))?.id}`;
    const expectProblem = async (res: Response, status: number) => {
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const body = (await res.json()) as Json;
      expect(body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
      expect(JSON.stringify(body)).not.toMatch(/at .*\.(js|ts):\d+/); // never a stack trace
      return body;
    };

    beforeAll(async () => {
      const res = await env.s.api("/api/v1/companies", {
        method: "POST",
        json: { name: "Acme", industry: "Software", employee_count: 250 },
      });
      companyId = ((await res.json()) as Json).id;
    });

    it("creates, reads and updates with ETag / If-Match, and refuses a stale version with 412", async () => {
      const created = await env.s.api("/api/v1/contacts", {
        method: "POST",
        json: {
          first_name: "Ada",
          last_name: "Lovelace",
          email: "ADA@Example.com",
          phone: "+44 20 7946 0123",
          company_id: companyId,
          score: 42,
        },
      });
      expect(created.status).toBe(201);
      const body = (await created.json()) as Json;
      expect(body).toMatchObject({
        object: "contact",
        version: 1,
        email: "ADA@Example.com",
        phone: "+442079460123",
        score: 42,
        status: "active",
      });
      expect(created.headers.get("etag")).toBe('"1"');
      expect(created.headers.get("location")).toBe(`/api/v1/contacts/${body.id}`);

      const got = await env.s.api(`/api/v1/contacts/${body.id}?include=company_id`);
      expect(got.headers.get("etag")).toBe('"1"');
      expect(((await got.json()) as Json).related.company).toMatchObject({ id: companyId, name: "Acme" });

      const updated = await env.s.api(`/api/v1/contacts/${body.id}`, {
        method: "PATCH",
        json: { score: 60, title: "Countess" },
        headers: { "if-match": '"1"' },
      });
      expect(updated.status).toBe(200);
      expect(updated.headers.get("etag")).toBe('"2"');
      const before = await counts();
      const stale = await env.s.api(`/api/v1/contacts/${body.id}`, { method: "PATCH", json: { score: 1 }, headers: { "if-match": '"1"' } });
      const problem = await expectProblem(stale, 412);
      expect(problem.detail).toContain("version 2");
      expect(await counts()).toEqual(before);
      expect(((await (await env.s.api(`/api/v1/contacts/${body.id}`)).json()) as Json).score).toBe(60);

      const history = (await (await env.s.api(`/api/v1/contacts/${body.id}/history`)).json()) as Json;
      expect(history.data[0]).toMatchObject({
        action: "update",
        actor: { kind: "person" },
        changes: expect.arrayContaining([{ field: "score", old: 42, new: 60 }]),
      });
      expect(history.data[1]).toMatchObject({ action: "create" });

      const events = (await (await env.s.api("/api/v1/events?after=0&limit=1000")).json()) as Json;
      const mine = events.data.filter((e: Json) => e.record_id === body.id);
      expect(mine.map((e: Json) => e.type)).toEqual(["record.created", "record.updated"]);
      expect(mine[1].changes).toEqual(
        expect.arrayContaining([
          { field: "score", old: 42, new: 60 },
          { field: "title", old: null, new: "Countess" },
        ]),
      );
    });

    it("answers every kind of bad input with a 4xx problem that names it, and writes nothing", async () => {
      const before = await counts();
      const cases: Array<{ name: string; send: () => Promise<Response>; status: number; path?: string; text?: RegExp }> = [
        {
          name: "malformed JSON",
          send: () =>
            env.s.api("/api/v1/contacts", { method: "POST", body: '{"last_name": "x",', headers: { "content-type": "application/json" } }),
          status: 400,
          text: /not valid JSON/,
        },
        {
          name: "not JSON at all",
          send: () =>
            env.s.api("/api/v1/contacts", {
              method: "POST",
              body: "last_name=x",
              headers: { "content-type": "application/x-www-form-urlencoded" },
            }),
          status: 400,
          path: "content-type",
        },
        {
          name: "an array instead of an object",
          send: () => env.s.api("/api/v1/contacts", { method: "POST", json: [1, 2] }),
          status: 422,
          text: /JSON object/,
        },
        {
          name: "wrong type",
          send: () => env.s.api("/api/v1/contacts", { method: "POST", json: { last_name: "X", score: "high" } }),
          status: 422,
          path: "score",
        },
        {
          name: "unknown field",
          send: () => env.s.api("/api/v1/contacts", { method: "POST", json: { last_name: "X", shoe_size: 44 } }),
          status: 422,
          path: "shoe_size",
        },
        {
          name: "missing required field",
          send: () => env.s.api("/api/v1/contacts", { method: "POST", json: { first_name: "X" } }),
          status: 422,
          path: "last_name",
        },
        {
          name: "value outside the options",
          send: () => env.s.api("/api/v1/contacts", { method: "POST", json: { last_name: "X", lifecycle_stage: "hot" } }),
          status: 422,
          path: "lifecycle_stage",
          text: /subscriber/,
        },
        {
          name: "reference to a record that does not exist",
          send: () => env.s.api("/api/v1/contacts", { method: "POST", json: { last_name: "X", company_id: "nope" } }),
          status: 422,
          path: "company_id",
        },
        {
          name: "reference to the wrong object",
          send: () => env.s.api("/api/v1/deals", { method: "POST", json: { name: "D", company_id: companyId, owner_id: companyId } }),
          status: 422,
          path: "owner_id",
        },
        {
          name: "a managed field",
          send: () => env.s.api("/api/v1/deals", { method: "POST", json: { name: "D", stage_entered_at: "2026-01-01T00:00:00Z" } }),
          status: 422,
          path: "stage_entered_at",
        },
        {
          name: "a phone without country code",
          send: () => env.s.api("/api/v1/contacts", { method: "POST", json: { last_name: "X", phone: "555 0123" } }),
          status: 422,
          path: "phone",
        },
        {
          name: "an impossible date",
          send: () => env.s.api("/api/v1/deals", { method: "POST", json: { name: "D", close_date: "2026-02-30" } }),
          status: 422,
          path: "close_date",
        },
        {
          name: "a percentage over 100",
          send: () => env.s.api("/api/v1/deals", { method: "POST", json: { name: "D", discount_pct: 120 } }),
          status: 422,
          path: "discount_pct",
        },
        {
          name: "a body over the size limit",
          send: () => env.s.api("/api/v1/contacts", { method: "POST", json: { last_name: "x".repeat(70 * 1024) } }),
          status: 413,
        },
        {
          name: "one bad item in a bulk create",
          send: () =>
            env.s.api("/api/v1/contacts/bulk", {
              method: "POST",
              json: { records: [{ last_name: "Fine" }, { last_name: "Bad", email: "not-an-email" }] },
            }),
          status: 422,
          path: "records[1].email",
        },
        {
          name: "bulk without a records list",
          send: () => env.s.api("/api/v1/contacts/bulk", { method: "POST", json: { items: [] } }),
          status: 400,
          path: "records",
        },
        {
          name: "a bad If-Match",
          send: () =>
            env.s.api(`/api/v1/companies/${companyId}`, { method: "PATCH", json: { industry: "X" }, headers: { "if-match": "yesterday" } }),
          status: 400,
          path: "If-Match",
        },
        {
          name: "clearing a required field",
          send: () => env.s.api(`/api/v1/companies/${companyId}`, { method: "PATCH", json: { name: null } }),
          status: 422,
          path: "name",
        },
        { name: "an unknown object", send: () => env.s.api("/api/v1/widgets", { method: "POST", json: {} }), status: 404 },
        {
          name: "a filter on an unknown field",
          send: () => env.s.api("/api/v1/contacts?where=shoe_size:gt:3"),
          status: 422,
          path: "filter.and[0].field",
        },
        {
          name: "an operator that does not fit the type",
          send: () => env.s.api("/api/v1/contacts?where=score:contains:4"),
          status: 422,
          path: "filter.and[0].op",
        },
        {
          name: "a malformed filter",
          send: () => env.s.api(`/api/v1/contacts?filter=${encodeURIComponent('{"field":"score"}')}`),
          status: 400,
          path: "filter",
        },
        { name: "a page too large", send: () => env.s.api("/api/v1/contacts?limit=100000"), status: 400, path: "limit" },
        { name: "a forged cursor", send: () => env.s.api("/api/v1/contacts?cursor=abc"), status: 400, path: "cursor" },
        {
          name: "an export with an unknown filter field",
          send: () => env.s.api("/api/v1/contacts/export.csv?where=shoe_size:eq:3"),
          status: 422,
          path: "filter.and[0].field",
        },
        { name: "an unknown sort field", send: () => env.s.api("/api/v1/contacts?sort=-shoe_size"), status: 400, path: "sort" },
      ];
      for (const c of cases) {
        const body = await expectProblem(await c.send(), c.status).catch((error) => {
          throw new Error(`${c.name}: ${error}`);
        });
        if (c.path)
          expect(
            body.errors?.map((e: Json) => e.path),
            c.name,
          ).toContain(c.path);
        if (c.text) expect(JSON.stringify(body), c.name).toMatch(c.text);
      }
      expect(await counts()).toEqual(before);
    });

    it("replays an Idempotency-Key, refuses it for another body (422) or while running (409)", async () => {
      const before = await counts();
      const send = (json: Json, key = "key-1") =>
        env.s.api("/api/v1/contacts", { method: "POST", json, headers: { "idempotency-key": key } });
      const first = await send({ last_name: "Once" });
      const second = await send({ last_name: "Once" });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.headers.get("idempotent-replayed")).toBe("true");
      expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
      expect(await second.json()).toEqual(await first.json());
      expect((await counts()).contacts).toBe(before.contacts + 1);
      await expectProblem(await send({ last_name: "Other" }), 422);

      // A request still running holds the key.
      await env.s.services.store.idempotency.claimIdempotencyKey(
        runningKey({ workspaceId: env.s.workspace.id, caller: await adminCaller(), key: "key-running", fingerprint: "x" }),
        new Date(0).toISOString(),
      );
      const running = await env.s.api("/api/v1/contacts", {
        method: "POST",
        body: "x",
        headers: { "idempotency-key": "key-running", "content-type": "application/json" },
      });
      // Different body → mismatch wins; same fingerprint is not reachable from outside, so check the 409 with a matching one:
      expect([409, 422]).toContain(running.status);
      const body = JSON.stringify({ last_name: "Running" });
      const fingerprint = requestFingerprint({ method: "POST", path: "/api/v1/contacts", query: "", caller: await adminCaller(), body });
      await env.s.services.store.idempotency.claimIdempotencyKey(
        runningKey({ workspaceId: env.s.workspace.id, caller: await adminCaller(), key: "key-running-2", fingerprint }),
        new Date(0).toISOString(),
      );
      await expectProblem(
        await env.s.api("/api/v1/contacts", {
          method: "POST",
          body,
          headers: { "idempotency-key": "key-running-2", "content-type": "application/json" },
        }),
        409,
      );
      // The same key in another workspace is another key.
      const other = await env.s.newWorkspace(`idem-${kind.name}`);
      expect(
        (
          await env.s.api("/api/v1/contacts", {
            method: "POST",
            json: { last_name: "Once" },
            headers: { "idempotency-key": "key-1" },
            as: other.token,
          })
        ).status,
      ).toBe(201);
    });

    it("never applies a request twice when the first attempt's process died before answering", async () => {
      const caller = await adminCaller();
      const fingerprintOf = (body: string) => requestFingerprint({ method: "POST", path: "/api/v1/contacts", query: "", caller, body });
      const longAgo = new Date(Date.now() - 3_600_000).toISOString();
      // Attempt 1 committed its write (request "crashed-1") and died before storing the answer.
      const body = JSON.stringify({ last_name: "Crashed" });
      const committed = await env.s.services.writer.create(
        { workspaceId: env.s.workspace.id, role: "admin", actor: { kind: "person", id: "t" }, requestId: "crashed-1", causeId: null },
        "contact",
        { last_name: "Crashed" },
      );
      await env.s.services.store.idempotency.claimIdempotencyKey(
        runningKey({
          workspaceId: env.s.workspace.id,
          caller: await adminCaller(),
          key: "crash-a",
          fingerprint: fingerprintOf(body),
          createdAt: longAgo,
          requestId: "crashed-1",
        }),
        longAgo,
      );
      const before = await counts();
      const retry = await env.s.api("/api/v1/contacts", {
        method: "POST",
        body,
        headers: { "idempotency-key": "crash-a", "content-type": "application/json" },
      });
      const problem = await expectProblem(retry, 409);
      expect(problem.detail).toContain(committed.id);
      expect(await counts()).toEqual(before);
      // Attempt 1 of another key died before committing anything: the retry does the work once.
      const body2 = JSON.stringify({ last_name: "NeverCommitted" });
      await env.s.services.store.idempotency.claimIdempotencyKey(
        runningKey({
          workspaceId: env.s.workspace.id,
          caller: await adminCaller(),
          key: "crash-b",
          fingerprint: fingerprintOf(body2),
          createdAt: longAgo,
          requestId: "crashed-2",
        }),
        longAgo,
      );
      const retry2 = await env.s.api("/api/v1/contacts", {
        method: "POST",
        body: body2,
        headers: { "idempotency-key": "crash-b", "content-type": "application/json" },
      });
      expect(retry2.status).toBe(201);
      expect((await counts()).contacts).toBe(before.contacts + 1);
    });

    it("isolates workspaces: another workspace's ids are 404 everywhere", async () => {
      const other = await env.s.newWorkspace(`other-${kind.name}`);
      const mine = (await (await env.s.api("/api/v1/contacts", { method: "POST", json: { last_name: "Private" } })).json()) as Json;
      for (const [method, path, json] of [
        ["GET", `/api/v1/contacts/${mine.id}`, undefined],
        ["PATCH", `/api/v1/contacts/${mine.id}`, { last_name: "Stolen" }],
        ["DELETE", `/api/v1/contacts/${mine.id}`, undefined],
        ["GET", `/api/v1/contacts/${mine.id}/history`, undefined],
        ["GET", `/api/v1/companies/${mine.id}`, undefined],
      ] as const) {
        await expectProblem(await env.s.api(path, { method, as: other.token, ...(json ? { json } : {}) }), 404);
      }
      // Nor can the other workspace point a reference at it.
      await expectProblem(
        await env.s.api("/api/v1/deals", { method: "POST", json: { name: "D", contact_id: mine.id }, as: other.token }),
        422,
      );
      const list = (await (await env.s.api("/api/v1/contacts?limit=500", { as: other.token })).json()) as Json;
      expect(list.data).toEqual([]);
      expect(((await (await env.s.api(`/api/v1/contacts/${mine.id}`)).json()) as Json).last_name).toBe("Private");
    });

    it("checks tokens and roles", async () => {
      expect((await fetch(`${env.s.url}/api/v1/contacts`)).status).toBe(401);
      await expectProblem(await env.s.api("/api/v1/contacts", { as: "hk_forged" }), 401);
      const rep = await env.s.services.tokens.create(env.s.workspace.id, "rep", "rep");
      const c = (await (
        await env.s.api("/api/v1/contacts", { method: "POST", json: { last_name: "RepMade" }, as: rep.secret })
      ).json()) as Json;
      expect(c.id).toBeDefined();
      await expectProblem(await env.s.api(`/api/v1/contacts/${c.id}`, { method: "DELETE", as: rep.secret }), 404);
      await expectProblem(await env.s.api("/api/v1/users", { method: "POST", json: { name: "X", email: "x@x.com" }, as: rep.secret }), 404);
      await expectProblem(
        await env.s.api("/api/v1/objects/deal/fields", { method: "POST", json: { name: "tier", type: "string" }, as: rep.secret }),
        404,
      );
      await expectProblem(await env.s.api("/api/v1/events", { as: rep.secret }), 404);
      await env.s.services.tokens.revoke(
        { workspaceId: env.s.workspace.id, role: "admin", actor: { kind: "system", id: "t" }, requestId: null, causeId: null },
        rep.token.id,
      );
      await expectProblem(await env.s.api("/api/v1/contacts", { as: rep.secret }), 401);
      // Actor kind follows the token's role: integrations are not people.
      const integration = await env.s.services.tokens.create(env.s.workspace.id, "zapier", "integration");
      const made = (await (
        await env.s.api("/api/v1/contacts", { method: "POST", json: { last_name: "Synced" }, as: integration.secret })
      ).json()) as Json;
      const history = (await (await env.s.api(`/api/v1/contacts/${made.id}/history`)).json()) as Json;
      expect(history.data[0].actor).toEqual({ kind: "integration", id: integration.token.id });
    });

    it("lists with filters, sort, cursor pages and included records", async () => {
      const ws = await env.s.newWorkspace(`list-${kind.name}`);
      const call = (path: string, init: RequestInit & { json?: unknown } = {}) => env.s.api(path, { ...init, as: ws.token });
      const company = (await (await call("/api/v1/companies", { method: "POST", json: { name: "Listco" } })).json()) as Json;
      const rows = Array.from({ length: 23 }, (_, i) => ({
        last_name: `P${String(i).padStart(2, "0")}`,
        score: i % 5 === 0 ? undefined : (i * 7) % 50,
        company_id: i % 2 ? company.id : undefined,
      }));
      expect((await call("/api/v1/contacts/bulk", { method: "POST", json: { records: rows } })).status).toBe(201);

      const pageAll = async (query: string) => {
        const out: Json[] = [];
        let cursor: string | null = null;
        do {
          const res = await call(`/api/v1/contacts?limit=4&${query}${cursor ? `&cursor=${cursor}` : ""}`);
          expect(res.status).toBe(200);
          const body = (await res.json()) as Json;
          out.push(...body.data);
          cursor = body.next_cursor;
        } while (cursor);
        return out;
      };
      const bySort = await pageAll("sort=-score");
      expect(bySort).toHaveLength(23);
      const scores = bySort.map((r) => r.score ?? null);
      const set = scores.filter((x) => x !== null) as number[];
      expect(set).toEqual([...set].sort((a, b) => b - a));
      expect(scores.slice(set.length).every((x) => x === null)).toBe(true);

      const filtered = await pageAll("where=score:gte:20&where=company_id:is_set");
      expect(filtered.map((r) => r.last_name)).toEqual(
        rows.flatMap((r, i) => ((r.score ?? -1) >= 20 && r.company_id ? [`P${String(i).padStart(2, "0")}`] : [])),
      );

      const json = encodeURIComponent(
        JSON.stringify({
          or: [
            { field: "last_name", op: "in", value: ["P01", "P02"] },
            { field: "score", op: "between", value: [45, 49] },
          ],
        }),
      );
      const viaJson = (await (await call(`/api/v1/contacts?filter=${json}&include=company&limit=50`)).json()) as Json;
      const search = (await (
        await call("/api/v1/contacts/search", {
          method: "POST",
          json: { filter: JSON.parse(decodeURIComponent(json)), include: ["company_id"], limit: 50 },
        })
      ).json()) as Json;
      expect(search.data).toEqual(viaJson.data);
      expect(viaJson.data.find((r: Json) => r.last_name === "P01").related.company).toMatchObject({ name: "Listco" });
      expect(viaJson.data.find((r: Json) => r.last_name === "P02").related.company).toBeNull();
    });

    it("serialises concurrent unpinned updates instead of losing one", async () => {
      const deal = (await (await env.s.api("/api/v1/deals", { method: "POST", json: { name: "Race" } })).json()) as Json;
      const amounts = Array.from({ length: 8 }, (_, i) => (i + 1) * 100);
      const results = await Promise.all(
        amounts.map((amount) => env.s.api(`/api/v1/deals/${deal.id}`, { method: "PATCH", json: { amount } })),
      );
      expect(results.map((r) => r.status)).toEqual(amounts.map(() => 200));
      const final = (await (await env.s.api(`/api/v1/deals/${deal.id}`)).json()) as Json;
      expect(final.version).toBe(1 + amounts.length);
      const history = (await (await env.s.api(`/api/v1/deals/${deal.id}/history`)).json()) as Json;
      expect(history.data).toHaveLength(1 + amounts.length);
    });

    it("bulk-updates all or nothing", async () => {
      const a = (await (await env.s.api("/api/v1/deals", { method: "POST", json: { name: "A", amount: 100 } })).json()) as Json;
      const b = (await (await env.s.api("/api/v1/deals", { method: "POST", json: { name: "B", amount: 200 } })).json()) as Json;
      expect(a.stage).toBe("qualification");
      expect(a.stage_entered_at).toBe(a.created_at);
      const bad = await env.s.api("/api/v1/deals/bulk", {
        method: "PATCH",
        json: {
          records: [
            { id: a.id, fields: { stage: "proposal" } },
            { id: b.id, version: 7, fields: { amount: 1 } },
          ],
        },
      });
      await expectProblem(bad, 412);
      expect(((await (await env.s.api(`/api/v1/deals/${a.id}`)).json()) as Json).stage).toBe("qualification");
      const ok = await env.s.api("/api/v1/deals/bulk", {
        method: "PATCH",
        json: {
          records: [
            { id: a.id, fields: { stage: "proposal" } },
            { id: b.id, version: 1, fields: { amount: 1 } },
          ],
        },
      });
      expect(ok.status).toBe(200);
      const [ua, ub] = ((await ok.json()) as Json).data;
      expect(ua).toMatchObject({ stage: "proposal", version: 2 });
      expect(ua.stage_entered_at >= a.stage_entered_at).toBe(true);
      expect(ub).toMatchObject({ amount: 1, version: 2 });
    });

    it("keeps last activity at true and refuses to delete what is still referenced", async () => {
      const company = (await (await env.s.api("/api/v1/companies", { method: "POST", json: { name: "Active Co" } })).json()) as Json;
      const person = (await (
        await env.s.api("/api/v1/contacts", { method: "POST", json: { last_name: "Caller", company_id: company.id } })
      ).json()) as Json;
      const at = "2026-05-01T12:00:00Z";
      const activity = await env.s.api("/api/v1/activities", {
        method: "POST",
        json: { type: "call", related_id: person.id, occurred_at: at },
      });
      expect(activity.status).toBe(201);
      const after = (await (await env.s.api(`/api/v1/contacts/${person.id}`)).json()) as Json;
      expect(after.last_activity_at).toBe("2026-05-01T12:00:00.000Z");
      expect(((await (await env.s.api(`/api/v1/companies/${company.id}`)).json()) as Json).last_activity_at).toBe(
        "2026-05-01T12:00:00.000Z",
      );
      const history = (await (await env.s.api(`/api/v1/contacts/${person.id}/history`)).json()) as Json;
      expect(history.data[0]).toMatchObject({
        actor: { kind: "system", id: "last-activity" },
        changes: [{ field: "last_activity_at", old: null, new: "2026-05-01T12:00:00.000Z" }],
      });
      // An older activity does not move it back.
      await env.s.api("/api/v1/activities", {
        method: "POST",
        json: { type: "note", related_id: person.id, occurred_at: "2026-01-01T00:00:00Z" },
      });
      expect(((await (await env.s.api(`/api/v1/contacts/${person.id}`)).json()) as Json).last_activity_at).toBe("2026-05-01T12:00:00.000Z");

      const blocked = await expectProblem(await env.s.api(`/api/v1/companies/${company.id}`, { method: "DELETE" }), 409);
      expect(blocked.detail).toContain("contact");
      const lonely = (await (await env.s.api("/api/v1/companies", { method: "POST", json: { name: "Lonely" } })).json()) as Json;
      await expectProblem(await env.s.api(`/api/v1/companies/${lonely.id}`, { method: "DELETE", headers: { "if-match": '"9"' } }), 412);
      expect((await env.s.api(`/api/v1/companies/${lonely.id}`, { method: "DELETE", headers: { "if-match": '"1"' } })).status).toBe(204);
      await expectProblem(await env.s.api(`/api/v1/companies/${lonely.id}`), 404);
      const events = (await (await env.s.api("/api/v1/events?limit=1000")).json()) as Json;
      expect(events.data.find((e: Json) => e.record_id === lonely.id && e.type === "record.deleted")?.changes).toEqual([
        { field: "name", old: "Lonely", new: null },
      ]);
    });

    it("treats custom fields like built-in ones: validated, filtered, exported, imported", async () => {
      const def = await env.s.api("/api/v1/objects/deal/fields", {
        method: "POST",
        json: { name: "budget_confirmation", type: "enum", options: ["pending", "confirmed"], label: "Budget confirmation" },
      });
      expect(def.status).toBe(201);
      await expectProblem(
        await env.s.api("/api/v1/objects/deal/fields", { method: "POST", json: { name: "amount", type: "number" } }),
        422,
      );
      await expectProblem(
        await env.s.api("/api/v1/objects/deal/fields", {
          method: "POST",
          json: { name: "budget_confirmation", type: "enum", options: ["x"] },
        }),
        409,
      );
      const badType = await expectProblem(
        await env.s.api("/api/v1/objects/deal/fields", { method: "POST", json: { name: "x1", type: "blob" } }),
        422,
      );
      expect(badType.errors[0].path).toBe("type");
      const objects = (await (await env.s.api("/api/v1/objects")).json()) as Json;
      expect(objects.data.find((o: Json) => o.name === "deal").fields.find((f: Json) => f.name === "budget_confirmation")).toMatchObject({
        custom: true,
        type: "enum",
      });

      const wrong = await expectProblem(
        await env.s.api("/api/v1/deals", { method: "POST", json: { name: "C", budget_confirmation: "maybe" } }),
        422,
      );
      expect(wrong.errors[0]).toMatchObject({ path: "budget_confirmation", expected: ["pending", "confirmed"] });
      const deal = (await (
        await env.s.api("/api/v1/deals", { method: "POST", json: { name: "Custom deal", budget_confirmation: "confirmed" } })
      ).json()) as Json;
      expect(deal.budget_confirmation).toBe("confirmed");
      const found = (await (await env.s.api("/api/v1/deals?where=budget_confirmation:eq:confirmed")).json()) as Json;
      expect(found.data.map((d: Json) => d.id)).toEqual([deal.id]);
      const csv = await (await env.s.api("/api/v1/deals/export.csv?where=budget_confirmation:is_set")).text();
      expect(csv.split("\n")[0]).toContain("budget_confirmation");
      expect(csv).toContain("Custom deal");
    });

    it("imports CSV all or nothing and exports with formula prefixes neutralised", async () => {
      const ws = await env.s.newWorkspace(`csv-${kind.name}`);
      const csvCall = (path: string, body: string) =>
        env.s.api(path, { method: "POST", body, headers: { "content-type": "text/csv" }, as: ws.token });
      const bad = await csvCall(
        "/api/v1/contacts/import",
        "last_name,email,score\nGood,good@x.com,5\nBad,not-mail,5\nWorse,w@x.com,lots\n",
      );
      const problem = await expectProblem(bad, 422);
      expect(problem.errors.map((e: Json) => e.path)).toEqual(["row[3].email", "row[4].score"]);
      expect(await env.s.services.store.records.countRecords(ws.workspace.id, "contact")).toBe(0);
      await expectProblem(await csvCall("/api/v1/contacts/import", "last_name,shoe\nX,1\n"), 422);

      const good = await csvCall(
        "/api/v1/contacts/import",
        `last_name,email,score\n"=HYPERLINK(""http://x"")",a@x.com,5\n+cmd,b@x.com,\n-10,c@x.com,7\n@sum,d@x.com,1\nPlain,e@x.com,2\n`,
      );
      expect(good.status).toBe(201);
      expect(((await good.json()) as Json).imported).toBe(5);
      const res = await env.s.api("/api/v1/contacts/export.csv", { as: ws.token });
      expect(res.headers.get("content-type")).toContain("text/csv");
      const lines = (await res.text()).trim().split("\n");
      expect(lines).toHaveLength(6);
      const cells = lines.slice(1).map((l) => l.split(",").slice(4, 6).join(","));
      expect(cells).toEqual([`"'=HYPERLINK(""http://x"")",a@x.com`, "'+cmd,b@x.com", "'-10,c@x.com", "'@sum,d@x.com", "Plain,e@x.com"]);
      await expectProblem(await csvCall("/api/v1/contacts/import", ""), 400);
    });

    it("serves health, the OpenAPI 3.1 document, and 404s unknown routes as problems", async () => {
      expect(await (await fetch(`${env.s.url}/health`)).json()).toEqual({ status: "ok", store: kind.name });
      const doc = (await (await fetch(`${env.s.url}/openapi.json`)).json()) as Json;
      expect(doc.openapi).toBe("3.1.0");
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          "/api/v1/leads",
          "/api/v1/leads/{id}",
          "/api/v1/deals/bulk",
          "/api/v1/objects/{object}/fields",
          "/api/v1/events",
        ]),
      );
      expect(doc.components.schemas.LeadCreate.required).toEqual(["last_name"]);
      // An unknown server path is a 404 problem (other paths are the web app's client routes: test/web/serving.test.ts).
      await expectProblem(await fetch(`${env.s.url}/api/nowhere`), 404);
      await expectProblem(await fetch(`${env.s.url}/hooks`), 404);
    });

    it("never answers a malformed request with a 5xx", async () => {
      const values: unknown[] = [null, true, 0, -1, 1.5, "", "x".repeat(2000), [], {}, [[]], { a: { b: {} } }, "2026-13-45", "+1", "💥"];
      const objects = ["contacts", "deals", "tickets", "tasks", "activities", "users", "teams", "companies", "leads"];
      const fields = [
        "last_name",
        "name",
        "score",
        "amount",
        "due_at",
        "type",
        "related_id",
        "priority",
        "role",
        "working_hours",
        "pto",
        "time_zone",
        "subject",
      ];
      let n = 0;
      for (const object of objects) {
        for (const field of fields) {
          const value = values[n++ % values.length];
          const res = await env.s.api(`/api/v1/${object}`, { method: "POST", json: { [field]: value } });
          expect(res.status, `${object}.${field}=${JSON.stringify(value)}`).toBeLessThan(500);
          const q = await env.s.api(`/api/v1/${object}?where=${field}:gt:${encodeURIComponent(String(value))}`);
          expect(q.status, `filter ${object}.${field}`).toBeLessThan(500);
        }
      }
    });
  });
}
