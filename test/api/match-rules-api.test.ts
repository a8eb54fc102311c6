/**
 * Duplicate detection over real HTTP on both stores (issue 20; docs/data-quality.md, "Matching
 * and duplicates", "Scan"): a lead created with the email of an existing contact is blocked (409
 * naming the contact, its object and the fields that matched; nothing written) or written and
 * queued, as its rule says; an update of a key field is checked too; match rules are versioned
 * (If-Match → 412) and audited; every bad input is a 4xx naming its path with nothing saved; reps
 * read but do not write; a scan started over HTTP queues the pairs already present. Attacker's
 * side: another workspace's records are never matched or named, its rules and scans are not seen.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const RULES = "/api/v1/data-quality/match-rules";
const LEADS_VS_CONTACTS = {
  name: "Leads vs contacts",
  object: "lead",
  compare_with: ["lead", "contact"],
  keys: ["email", "phone", "surname_phonetic"],
  fields: [
    { field: "email", weight: 4, similarity: "exact" },
    { field: "phone", weight: 2, similarity: "exact" },
    { field: "last_name", weight: 1, similarity: "jaro_winkler" },
    { field: "first_name", weight: 1, similarity: "jaro_winkler" },
  ],
  threshold: 0.8,
  action: "block",
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`duplicate detection over HTTP on ${kind.name}`, () => {
    const env = useTestServer(kind);
    const rule = (name: string) => `${RULES}/${encodeURIComponent(name)}`;
    const duplicates = async (workspaceId: string) =>
      env.s.services.store.reviewQueue.listReviewItems({ workspaceId, kind: "duplicate", limit: 100 });
    let rep: string;
    let contact: Json;

    beforeAll(async () => {
      rep = (await env.s.services.tokens.create(env.s.workspace.id, "rep", "rep")).secret;
      contact = await env.s.post("/api/v1/contacts", { first_name: "Ann", last_name: "Lee", email: "ann.lee@initech.io" });
    });

    it("blocks a lead created with the email of an existing contact, naming the contact and the fields, writing nothing", async () => {
      const created = await env.s.api(RULES, { method: "POST", json: LEADS_VS_CONTACTS });
      expect(created.status).toBe(201);
      expect(created.headers.get("etag")).toBe('"1"');
      const res = await env.s.api("/api/v1/leads", {
        method: "POST",
        json: { first_name: "Ann", last_name: "Lee", email: "ANN.LEE@initech.io" },
      });
      expect(res.status).toBe(409);
      const problem = (await res.json()) as Json;
      expect(problem.detail).toContain(`contact ${contact.id}`);
      expect(problem.detail).toContain("Leads vs contacts");
      expect(problem.errors.map((e: Json) => e.path)).toEqual(["email", "last_name", "first_name"]);
      expect((await env.s.get("/api/v1/leads")).data).toEqual([]);
      expect(await duplicates(env.s.workspace.id)).toEqual([]);
    });

    it("writes the lead and queues the pair when the rule alerts; an update of the email is checked too", async () => {
      const patched = await env.s.api(rule("Leads vs contacts"), {
        method: "PATCH",
        json: { action: "alert" },
        headers: { "if-match": '"1"' },
      });
      expect(patched.status).toBe(200);
      expect(((await patched.json()) as Json).version).toBe(2);
      const lead = await env.s.post("/api/v1/leads", { first_name: "Ann", last_name: "Lee", email: "ann.lee@INITECH.io" });
      const [item] = await duplicates(env.s.workspace.id);
      expect(item).toMatchObject({ recordId: lead.id, otherRecordId: contact.id, object: "lead", status: "open" });
      expect(item?.detail).toMatchObject({
        score: 1,
        keys: ["email", "surname_phonetic"],
        fields: expect.arrayContaining([{ name: "email", similarity: 1 }]),
      });
      expect(item?.reason).toContain(`contact ${contact.id}`);

      // Another lead, then its email changed to a contact's: the update is checked like a create.
      const bob = await env.s.post("/api/v1/contacts", { first_name: "Bob", last_name: "Ray", email: "bob@umbrella.io" });
      const other = await env.s.post("/api/v1/leads", { first_name: "Bob", last_name: "Ray", email: "robert@elsewhere.io" });
      expect(await duplicates(env.s.workspace.id)).toHaveLength(1);
      await env.s.json(`/api/v1/leads/${other.id}`, { method: "PATCH", json: { email: "Bob@Umbrella.io" } });
      const items = await duplicates(env.s.workspace.id);
      expect(items.map((i) => [i.recordId, i.otherRecordId])).toContainEqual([other.id, bob.id]);
      // A change of a field no key is made of checks nothing again (the pair stays queued once).
      await env.s.json(`/api/v1/leads/${other.id}`, { method: "PATCH", json: { title: "CTO" } });
      expect(await duplicates(env.s.workspace.id)).toHaveLength(2);
    });

    it("refuses bad rules with the path (unknown field, weight below zero, unknown key kind), saving nothing", async () => {
      const before = await env.s.get(RULES);
      const bad = async (body: Json, path: string) => {
        const res = await env.s.api(RULES, { method: "POST", json: body });
        expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        const errors = ((await res.json()) as Json).errors as Json[];
        expect(
          errors.map((e) => e.path),
          JSON.stringify(errors),
        ).toContainEqual(path);
      };
      const base = { ...LEADS_VS_CONTACTS, name: "Bad" };
      await bad({ ...base, fields: [{ field: "shoe_size", weight: 1, similarity: "exact" }] }, "fields[0].field");
      await bad({ ...base, fields: [{ field: "email", weight: -1, similarity: "exact" }] }, "fields[0].weight");
      await bad({ ...base, keys: ["email", "horoscope"] }, "keys[1]");
      await bad({ ...base, fields: [{ field: "email", weight: 1, similarity: "soundex" }] }, "fields[0].similarity");
      await bad({ ...base, action: "merge" }, "merge_above");
      await bad({ ...base, threshold: 1.5 }, "threshold");
      await bad({ ...base, object: "deal" }, "object");
      const patch = await env.s.api(rule("Leads vs contacts"), {
        method: "PATCH",
        json: { fields: [{ field: "nope", weight: 1, similarity: "exact" }] },
      });
      expect(patch.status).toBe(422);
      const stale = await env.s.api(rule("Leads vs contacts"), {
        method: "PATCH",
        json: { threshold: 0.9 },
        headers: { "if-match": '"1"' },
      });
      expect(stale.status).toBe(412);
      expect(await env.s.get(RULES)).toEqual(before);
      // Reps read rules but do not change them or start scans.
      expect((await env.s.api(RULES, { as: rep })).status).toBe(200);
      expect((await env.s.api(RULES, { method: "POST", as: rep, json: { ...base, name: "Rep's" } })).status).toBe(403);
      expect((await env.s.api("/api/v1/data-quality/scans", { method: "POST", as: rep, json: { object: "lead" } })).status).toBe(403);
      const audit = ((await env.s.get("/api/v1/config-audit")).data as Json[]).filter((e) => e.entity === "match_rule");
      expect(audit.map((e) => e.action)).toEqual(["update", "create"]);
    });

    it("never matches or names another workspace's records, and hides its rules and scans", async () => {
      const other = await env.s.newWorkspace(`globex-${kind.name}`);
      const theirs = { ...LEADS_VS_CONTACTS, action: "block" };
      expect((await env.s.api(RULES, { method: "POST", as: other.token, json: theirs })).status).toBe(201);
      // The same email as this workspace's contact and leads: not a duplicate there.
      const res = await env.s.api("/api/v1/leads", {
        method: "POST",
        as: other.token,
        json: { first_name: "Ann", last_name: "Lee", email: "ann.lee@initech.io" },
      });
      expect(res.status).toBe(201);
      expect(await duplicates(other.workspace.id)).toEqual([]);
      const mine = await env.s.get(rule("Leads vs contacts"));
      expect((await env.s.api(rule(mine.id), { as: other.token })).status).toBe(404);
      expect((await env.s.api(rule(mine.id), { method: "DELETE", as: other.token })).status).toBe(404);
      // Their scan goes through their records only.
      const scan = await env.s.json("/api/v1/data-quality/scans", { method: "POST", as: other.token, json: { object: "lead" } });
      const done = await poll(() => env.s.json(`/api/v1/data-quality/scans/${scan.id}`, { as: other.token }));
      expect(done).toMatchObject({ status: "done", pairs_found: 0 });
      expect((await env.s.api(`/api/v1/data-quality/scans/${scan.id}`)).status).toBe(404);
      expect(await duplicates(other.workspace.id)).toEqual([]);
    });

    it("scans existing records in the background and queues the pairs already present", async () => {
      await env.s.json(rule("Leads vs contacts"), { method: "PATCH", json: { enabled: false } });
      const a = await env.s.post("/api/v1/leads", { first_name: "Cy", last_name: "Dunn", phone: "+14155550123" });
      const b = await env.s.post("/api/v1/leads", { first_name: "Cy", last_name: "Dunne", phone: "+1 415 555 0123" });
      const queuedBefore = (await duplicates(env.s.workspace.id)).length;
      await env.s.json(rule("Leads vs contacts"), { method: "PATCH", json: { enabled: true } });
      const started = await env.s.api("/api/v1/data-quality/scans", { method: "POST", json: { object: "lead" } });
      expect(started.status).toBe(202);
      const scan = (await started.json()) as Json;
      const done = await poll(() => env.s.get(`/api/v1/data-quality/scans/${scan.id}`));
      expect(done).toMatchObject({ status: "done", error: null });
      expect(done.done).toBe(done.total);
      expect(done.pairs_queued).toBe(1);
      const items = await duplicates(env.s.workspace.id);
      expect(items).toHaveLength(queuedBefore + 1);
      expect(items.map((i) => [i.recordId, i.otherRecordId].sort())).toContainEqual([a.id, b.id].sort());
      expect((await env.s.get("/api/v1/data-quality/scans")).data[0].id).toBe(scan.id);
      const bad = await env.s.api("/api/v1/data-quality/scans", { method: "POST", json: { object: "deal" } });
      expect(bad.status).toBe(422);
      expect(((await bad.json()) as Json).errors[0].path).toBe("object");
    });
  });
}

async function poll(read: () => Promise<Json>): Promise<Json> {
  for (let i = 0; i < 200; i++) {
    const s = await read();
    if (s.status !== "running") return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the scan did not finish");
}
