/**
 * Record merges over real HTTP, on both stores (issue 20, item 4): a merge moves every related
 * record to the survivor and keeps the merged id resolving; an undo restores both records exactly
 * (compared field by field with what their audit trails fold to, and with the records before the
 * merge); an undo after the window is a 409 that changes nothing; bad input — a record into itself,
 * two objects, an unknown field, a tombstone as either side — is a 4xx naming the field, with
 * nothing written; and another workspace can neither merge, read, nor undo what is not its own.
 */
import { describe, expect, it } from "vitest";
import { SimulatedClock } from "../../src/app/sandbox/simulated-clock.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const DAY = 86_400_000;

/** A record's data as its audit trail folds it (entries newest first, as served). */
function fold(history: Json[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const entry of [...history].reverse()) {
    if (entry.action === "delete") {
      for (const k of Object.keys(data)) delete data[k];
      continue;
    }
    for (const c of entry.changes as Array<{ field: string; new: unknown }>) {
      if (c.new === null) delete data[c.field];
      else data[c.field] = c.new;
    }
  }
  return data;
}

/** The stored fields of a served record (its envelope left out). */
const fieldsOf = (r: Json) => {
  const { id: _i, object: _o, version: _v, created_at: _c, updated_at: _u, related: _r, merged_from: _m, ...rest } = r;
  return rest;
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`merges API on ${kind.name}`, () => {
    const clock = new SimulatedClock(new Date());
    const env = useTestServer(kind, {}, { clock });

    const expectProblem = async (res: Response, status: number) => {
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      return (await res.json()) as Json;
    };
    const contact = (json: Json) => env.s.post("/api/v1/contacts", json);
    /** Two contacts, the second with a task, an activity, a deal and a ticket pointing at it. */
    async function pair(tag: string) {
      const a = await contact({ first_name: "Ada", last_name: `Lovelace ${tag}`, title: "Countess" });
      const b = await contact({
        first_name: "Augusta",
        last_name: `Lovelace ${tag}`,
        email: `ada.${tag}@example.com`,
        phone: "+44 20 7946 0123",
      });
      const task = await env.s.post("/api/v1/tasks", { subject: `Call ${tag}`, related_id: b.id });
      const activity = await env.s.post("/api/v1/activities", { type: "note", subject: `Met ${tag}`, related_id: b.id });
      const deal = await env.s.post("/api/v1/deals", { name: `Deal ${tag}`, contact_id: b.id });
      const ticket = await env.s.post("/api/v1/tickets", { subject: `Help ${tag}`, contact_id: b.id });
      return { a, b, task, activity, deal, ticket };
    }
    const snapshot = async (ids: string[]) => {
      const ws = env.s.workspace.id;
      const rows = await env.s.services.store.records.getRecords(ws, ids);
      return JSON.stringify(rows.sort((x, y) => x.id.localeCompare(y.id)));
    };

    it("merges: chosen values win, every related record moves, the merged id resolves to the survivor, one record.merged event", async () => {
      const { a, b, task, activity, deal, ticket } = await pair("one");
      const before = (await env.s.services.store.events.readEvents(0, 100_000, env.s.workspace.id)).length;
      const res = await env.s.api("/api/v1/contacts/merges", {
        method: "POST",
        json: { survivor_id: a.id, merged_id: b.id, fields: { first_name: "survivor", phone: "merged", title: "survivor" } },
      });
      expect(res.status).toBe(201);
      const m = (await res.json()) as Json;
      expect(m).toMatchObject({ object: "contact", survivor_id: a.id, merged_id: b.id, undone_at: null });
      // Named choices win; an empty survivor field (email) is filled from the merged record.
      expect(m.survivor).toMatchObject({
        id: a.id,
        first_name: "Ada",
        title: "Countess",
        phone: "+442079460123",
        email: "ada.one@example.com",
      });
      expect(m.moved.map((r: Json) => `${r.object}.${r.field}`).sort()).toEqual([
        "activity.related_id",
        "deal.contact_id",
        "task.related_id",
        "ticket.contact_id",
      ]);
      for (const [plural, r, field] of [
        ["tasks", task, "related_id"],
        ["activities", activity, "related_id"],
        ["deals", deal, "contact_id"],
        ["tickets", ticket, "contact_id"],
      ] as const)
        expect((await env.s.get(`/api/v1/${plural}/${r.id}`))[field]).toBe(a.id);

      const resolved = await env.s.api(`/api/v1/contacts/${b.id}`);
      expect(resolved.status).toBe(200);
      expect(resolved.headers.get("handoff-merged-into")).toBe(a.id);
      expect((await resolved.json()) as Json).toMatchObject({ id: a.id, merged_from: { id: b.id, merge_id: m.id } });
      const list = await env.s.get("/api/v1/contacts?limit=500");
      expect(list.data.map((r: Json) => r.id)).not.toContain(b.id);
      expect(list.data.map((r: Json) => r.id)).toContain(a.id);

      const events = (await env.s.services.store.events.readEvents(0, 100_000, env.s.workspace.id)).slice(before);
      expect(events.filter((e) => e.type === "record.merged").map((e) => e.recordId)).toEqual([a.id]);
      expect(events.filter((e) => e.recordId === b.id)).toEqual([]);
      // Audited: the merged record's removal, the survivor's change, each moved record.
      const bHistory = await env.s.services.store.audit.readAudit(env.s.workspace.id, b.id, 50);
      expect(bHistory.filter((e) => e.action === "delete").map((e) => e.changes.map((c) => c.field))).toEqual([
        expect.arrayContaining(["first_name", "email", "phone"]),
      ]);
      expect((await env.s.get(`/api/v1/tasks/${task.id}/history`)).data[0].changes).toEqual([
        { field: "related_id", old: b.id, new: a.id },
      ]);

      expect(await env.s.get(`/api/v1/merges/${m.id}`)).toMatchObject({ id: m.id, merged_record: { id: b.id, first_name: "Augusta" } });
      expect((await env.s.get(`/api/v1/contacts/${a.id}/merges`)).data.map((x: Json) => x.id)).toEqual([m.id]);
    });

    it("undo restores both records exactly, field by field against their audit, and moves the references back", async () => {
      const { a, b, task, activity, deal, ticket } = await pair("two");
      const aBefore = await env.s.get(`/api/v1/contacts/${a.id}`);
      const bBefore = await env.s.get(`/api/v1/contacts/${b.id}`);
      const m = await env.s.post("/api/v1/contacts/merges", { survivor_id: a.id, merged_id: b.id, fields: { first_name: "merged" } });
      clock.advance(DAY);
      const undone = await env.s.post(`/api/v1/merges/${m.id}/undo`, {});
      expect(undone).toMatchObject({
        id: m.id,
        undone_at: expect.any(String),
        undone_by: expect.stringMatching(/^integration:|^person:|^token:/),
      });

      const aAfter = await env.s.get(`/api/v1/contacts/${a.id}`);
      const bAfter = await env.s.get(`/api/v1/contacts/${b.id}`);
      expect(bAfter.merged_from).toBeUndefined();
      expect(fieldsOf(aAfter)).toEqual(fieldsOf(aBefore));
      expect(fieldsOf(bAfter)).toEqual(fieldsOf(bBefore));
      expect(bAfter.created_at).toBe(bBefore.created_at);
      expect(bAfter.version).toBeGreaterThan(bBefore.version);
      for (const r of [aAfter, bAfter]) {
        const history = (await env.s.get(`/api/v1/contacts/${r.id}/history`)).data as Json[];
        expect(fold(history)).toEqual(fieldsOf(r));
      }
      for (const [plural, r, field] of [
        ["tasks", task, "related_id"],
        ["activities", activity, "related_id"],
        ["deals", deal, "contact_id"],
        ["tickets", ticket, "contact_id"],
      ] as const)
        expect((await env.s.get(`/api/v1/${plural}/${r.id}`))[field]).toBe(b.id);

      // Undone once: a second undo is a 409.
      await expectProblem(await env.s.api(`/api/v1/merges/${m.id}/undo`, { method: "POST" }), 409);
      // And the record can be merged again.
      const again = await env.s.api("/api/v1/contacts/merges", { method: "POST", json: { survivor_id: a.id, merged_id: b.id } });
      expect(again.status).toBe(201);
    });

    it("refuses an undo after the window with a 409, and changes nothing", async () => {
      const { a, b, task } = await pair("three");
      const m = await env.s.post("/api/v1/contacts/merges", { survivor_id: a.id, merged_id: b.id });
      clock.advance(7 * DAY + 1000);
      const held = await snapshot([a.id, b.id, task.id]);
      const problem = await expectProblem(await env.s.api(`/api/v1/merges/${m.id}/undo`, { method: "POST" }), 409);
      expect(problem.detail).toMatch(/can no longer be undone.*7 days/);
      expect(await snapshot([a.id, b.id, task.id])).toBe(held);
      expect((await env.s.get(`/api/v1/merges/${m.id}`)).undone_at).toBeNull();
    });

    it("refuses an undo over a later change, naming the field, and changes nothing", async () => {
      const { a, b } = await pair("four");
      const m = await env.s.post("/api/v1/contacts/merges", { survivor_id: a.id, merged_id: b.id, fields: { phone: "merged" } });
      await env.s.json(`/api/v1/contacts/${a.id}`, { method: "PATCH", json: { phone: "+33 1 23 45 67 89" } });
      const held = await snapshot([a.id, b.id]);
      const problem = await expectProblem(await env.s.api(`/api/v1/merges/${m.id}/undo`, { method: "POST" }), 409);
      expect(JSON.stringify(problem)).toContain('"path":"survivor.phone"');
      expect(await snapshot([a.id, b.id])).toBe(held);
    });

    it("refuses bad merges with a 4xx naming the field, and writes nothing", async () => {
      const { a, b, task } = await pair("five");
      const lead = await env.s.post("/api/v1/leads", { last_name: "Byron" });
      const held = await snapshot([a.id, b.id, task.id, lead.id]);
      const merge = (json: unknown, plural = "contacts") => env.s.api(`/api/v1/${plural}/merges`, { method: "POST", json });

      const self = await expectProblem(await merge({ survivor_id: a.id, merged_id: a.id }), 422);
      expect(self.errors).toEqual([expect.objectContaining({ path: "merged_id" })]);
      const twoObjects = await expectProblem(await merge({ survivor_id: a.id, merged_id: lead.id }), 422);
      expect(twoObjects.errors).toEqual([expect.objectContaining({ path: "merged_id" })]);
      const unknown = await expectProblem(await merge({ survivor_id: a.id, merged_id: b.id, fields: { shoe_size: "merged" } }), 422);
      expect(JSON.stringify(unknown)).toContain('"path":"fields.shoe_size"');
      const badChoice = await expectProblem(await merge({ survivor_id: a.id, merged_id: b.id, fields: { phone: "both" } }), 422);
      expect(JSON.stringify(badChoice)).toContain('"path":"fields.phone"');
      await expectProblem(await merge({ survivor_id: a.id }), 400);
      await expectProblem(await merge({ survivor_id: a.id, merged_id: b.id, extra: 1 }), 400);
      await expectProblem(await merge({ survivor_id: a.id, merged_id: "nope" }), 404);
      expect(await snapshot([a.id, b.id, task.id, lead.id])).toBe(held);

      // A tombstone on either side.
      const c = await contact({ last_name: "Third five" });
      await env.s.post("/api/v1/contacts/merges", { survivor_id: a.id, merged_id: c.id });
      const tombMerged = await expectProblem(await merge({ survivor_id: b.id, merged_id: c.id }), 409);
      expect(tombMerged.errors).toEqual([expect.objectContaining({ path: "merged_id" })]);
      const tombSurvivor = await expectProblem(await merge({ survivor_id: c.id, merged_id: b.id }), 409);
      expect(tombSurvivor.errors).toEqual([expect.objectContaining({ path: "survivor_id" })]);
    });

    it("the attacker's workspace can neither merge, read, nor undo another workspace's records", async () => {
      const { a, b } = await pair("six");
      const attacker = await env.s.newWorkspace("attacker-merge");
      const own = await env.s.json("/api/v1/contacts", { method: "POST", json: { last_name: "Mallory" }, as: attacker.token });
      const held = await snapshot([a.id, b.id]);
      for (const json of [
        { survivor_id: a.id, merged_id: b.id },
        { survivor_id: own.id, merged_id: b.id },
        { survivor_id: a.id, merged_id: own.id },
      ])
        await expectProblem(await env.s.api("/api/v1/contacts/merges", { method: "POST", json, as: attacker.token }), 404);
      expect(await snapshot([a.id, b.id])).toBe(held);

      const m = await env.s.post("/api/v1/contacts/merges", { survivor_id: a.id, merged_id: b.id });
      await expectProblem(await env.s.api(`/api/v1/merges/${m.id}`, { as: attacker.token }), 404);
      await expectProblem(await env.s.api(`/api/v1/merges/${m.id}/undo`, { method: "POST", as: attacker.token }), 404);
      await expectProblem(await env.s.api(`/api/v1/contacts/${b.id}`, { as: attacker.token }), 404);
      expect((await env.s.get(`/api/v1/merges/${m.id}`)).undone_at).toBeNull();
    });

    it("a merge resolves the pair's open duplicate item as merged, and only that pair's", async () => {
      const created = await env.s.api("/api/v1/data-quality/match-rules", {
        method: "POST",
        json: {
          name: "Contacts by email",
          object: "contact",
          compare_with: ["contact"],
          keys: ["email"],
          fields: [{ field: "email", weight: 1, similarity: "exact" }],
          threshold: 0.9,
          action: "alert",
        },
      });
      expect(created.status).toBe(201);
      const a = await contact({ first_name: "Grace", last_name: "Hopper", email: "grace@navy.example" });
      const b = await contact({ first_name: "Grace", last_name: "Hopper", email: "GRACE@navy.example" });
      await contact({ first_name: "Amazing", last_name: "Grace", email: "grace@navy.example" });
      const open = async () =>
        (await env.s.get("/api/v1/review-queue?kind=duplicate&status=open")).data.map((i: Json) =>
          [i.record.id, i.other_record?.id].sort().join("+"),
        );
      const pairAB = [a.id, b.id].sort().join("+");
      expect(await open()).toContain(pairAB);
      const listed = (await env.s.get("/api/v1/review-queue?kind=duplicate&status=open")).data as Json[];
      expect(listed.every((i) => i.other_record?.object === "contact")).toBe(true);
      const others = (await open()).filter((k: string) => k !== pairAB);
      expect(others.length).toBeGreaterThan(0);

      await env.s.post("/api/v1/contacts/merges", { survivor_id: b.id, merged_id: a.id });
      expect(await open()).not.toContain(pairAB);
      // The pairs with the third contact are other questions: they stay open.
      expect(await open()).toEqual(expect.arrayContaining(others));
      const resolved = (await env.s.get("/api/v1/review-queue?kind=duplicate&status=resolved")).data as Json[];
      const item = resolved.find((i) => [i.record.id, i.other_record?.id].sort().join("+") === pairAB);
      expect(item).toMatchObject({ status: "resolved", resolution: "merged" });
    });
  });
}
