/**
 * Lead scoring's follow-ups to issue 21, over HTTP on both stores (docs/scoring.md):
 * - a change of a lead's company that a fit rule reads rescores its leads (in the matcher's
 *   pass for a few, by a background rescore beyond REFERRERS_INLINE), the ledger naming the change;
 * - an activity's award is dated when it happened (`occurred_at`, never after it was logged), so a
 *   meeting logged days later has decayed already — and a rescore derives the same;
 * - a change by hand of a field an enabled model writes (PATCH, bulk) is refused with the field
 *   and the model named, and nothing written; a workflow's update goes through; a create's value
 *   is a starting value the model replaces.
 */
import { describe, expect, it } from "vitest";
import { REFERRERS_INLINE } from "../../src/runtime/scoring/hook.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;
const DAY = 86_400_000;

const model = () => ({
  key: "lead_score",
  name: "Lead score",
  object: "lead",
  fields: { total: "score" },
  fit: {
    groups: [
      {
        key: "industry",
        label: "Industry",
        rules: [
          { key: "software", label: "Software company", when: { field: "company_id.industry", op: "eq", value: "Software" }, points: 10 },
        ],
      },
      {
        key: "size",
        label: "Company size",
        rules: [
          { key: "big", label: "Over 200 employees", when: { field: "company_id.employee_count", op: "gt", value: 200 }, points: 15 },
        ],
      },
    ],
  },
  engagement: {
    groups: [
      { key: "meetings", label: "Meetings", rules: [{ key: "held", label: "Meeting held", on: { activity: ["meeting"] }, points: 20 }] },
    ],
    decay: { half_life_days: 14 },
  },
});

const problemOf = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return (await res.json()) as Json;
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`lead scoring follow-ups over HTTP on ${kind.name}`, () => {
    let offset = 0;
    const clock = { now: () => new Date(Date.now() + offset) };
    const env = useTestServer(kind, {}, { clock, scoreDueByServiceClock: true });

    it("rescores a company's leads when a field a fit rule reads on it changes, naming the change", async () => {
      const s = env.s;
      await s.post("/api/v1/scoring/models", { definition: model() });
      await s.services.rescorer.drain();
      const acme = await s.post("/api/v1/companies", { name: "Acme", industry: "Retail", employee_count: 50 });
      const other = await s.post("/api/v1/companies", { name: "Other", industry: "Retail" });
      const a = await s.post("/api/v1/leads", { last_name: "Ada", company_id: acme.id });
      const b = await s.post("/api/v1/leads", { last_name: "Bea", company_id: acme.id });
      const c = await s.post("/api/v1/leads", { last_name: "Cy", company_id: other.id });
      await s.services.worker.drain();
      expect((await s.get(`/api/v1/leads/${a.id}`)).score).toBe(0);

      // A field no rule reads: nothing scored, no ledger row.
      await s.json(`/api/v1/companies/${acme.id}`, { method: "PATCH", json: { name: "Acme Inc" } });
      await s.services.worker.drain();
      expect((await s.get(`/api/v1/leads/${a.id}/score/ledger`)).data).toEqual([]);

      await s.json(`/api/v1/companies/${acme.id}`, { method: "PATCH", json: { industry: "Software", employee_count: 250 } });
      await s.services.worker.drain();
      for (const lead of [a, b]) {
        expect((await s.get(`/api/v1/leads/${lead.id}`)).score).toBe(25);
        const score = ((await s.get(`/api/v1/leads/${lead.id}/score`)).data as Json[])[0] as Json;
        expect(score).toMatchObject({ total: 25, fit: 25 });
        const ledger = (await s.get(`/api/v1/leads/${lead.id}/score/ledger`)).data as Json[];
        expect(ledger.map((r) => [r.kind, r.rule, r.before, r.after])).toEqual([
          ["fit", "big", 10, 25],
          ["fit", "software", 0, 10],
        ]);
        for (const row of ledger) {
          expect(row.cause).toMatchObject({
            event: "record.updated",
            via: { field: "company_id", object: "company", id: acme.id },
            fields: expect.arrayContaining([
              { field: "company_id.industry", old: "Retail", new: "Software" },
              { field: "company_id.employee_count", old: 50, new: 250 },
            ]),
          });
          expect(row.cause_event_id).toEqual(expect.any(String));
        }
      }
      // A lead of another company is untouched.
      expect((await s.get(`/api/v1/leads/${c.id}`)).score).toBe(0);

      // The company falls out of the rule: its leads lose the points, with a row saying why.
      await s.json(`/api/v1/companies/${acme.id}`, { method: "PATCH", json: { industry: "Retail" } });
      await s.services.worker.drain();
      expect((await s.get(`/api/v1/leads/${a.id}`)).score).toBe(15);
      const [latest] = (await s.get(`/api/v1/leads/${a.id}/score/ledger`)).data as Json[];
      expect(latest).toMatchObject({ kind: "fit", rule: "software", points: -10, before: 25, after: 15 });
      expect(latest?.cause.fields).toEqual([{ field: "company_id.industry", old: "Software", new: "Retail" }]);
    });

    it(`hands a company with more than ${REFERRERS_INLINE} leads to a background rescore`, async () => {
      const s = env.s;
      const big = await s.post("/api/v1/companies", { name: "Big", industry: "Retail" });
      const records = Array.from({ length: REFERRERS_INLINE + 1 }, (_, i) => ({ last_name: `Lead ${i}`, company_id: big.id }));
      const created = (await s.post("/api/v1/leads/bulk", { records })).data as Json[];
      await s.services.worker.drain();
      await s.services.rescorer.drain();
      const before = await s.get("/api/v1/scoring/models/lead_score/rescores/latest");

      await s.json(`/api/v1/companies/${big.id}`, { method: "PATCH", json: { industry: "Software" } });
      await s.services.worker.drain();
      // The matcher's pass wrote none of them: the work is queued.
      expect((await s.get(`/api/v1/leads/${created[0]?.id}`)).score).toBe(0);
      const queued = await s.get("/api/v1/scoring/models/lead_score/rescores/latest");
      expect(queued.id).not.toBe(before.id);
      expect(queued).toMatchObject({ state: "queued" });

      await s.services.rescorer.drain();
      expect(await s.get("/api/v1/scoring/models/lead_score/rescores/latest")).toMatchObject({ id: queued.id, state: "done" });
      for (const lead of [created[0], created.at(-1)]) expect((await s.get(`/api/v1/leads/${lead?.id}`)).score).toBe(10);
      const [row] = (await s.get(`/api/v1/leads/${created[0]?.id}/score/ledger`)).data as Json[];
      expect(row).toMatchObject({ kind: "rescore", before: 0, after: 10 });
    });

    it("dates an activity's award when it happened, never in the future, and a rescore agrees", async () => {
      const s = env.s;
      const lead = await s.post("/api/v1/leads", { last_name: "Lamarr" });
      await s.services.worker.drain();
      const now = clock.now().getTime();
      // Held three days ago, logged now: worth 20·2^(−3/14) already.
      await s.post("/api/v1/activities", {
        type: "meeting",
        subject: "Held on Tuesday",
        related_id: lead.id,
        occurred_at: new Date(now - 3 * DAY).toISOString(),
      });
      await s.services.worker.drain();
      const score = async (at?: number) =>
        (
          (await s.get(`/api/v1/leads/${lead.id}/score${at === undefined ? "" : `?at=${new Date(at).toISOString()}`}`)).data as Json[]
        )[0] as Json;
      const first = await score();
      expect(first.exact.engagement).toBeCloseTo(20 * 2 ** (-3 / 14), 1);
      expect(first.exact.engagement).toBeLessThan(19);
      const [row] = (await s.get(`/api/v1/leads/${lead.id}/score/ledger`)).data as Json[];
      expect(row).toMatchObject({ kind: "engagement", rule: "held", points: 20 });
      expect(row?.after).toBeCloseTo(20 * 2 ** (-3 / 14), 1);

      // Dated a week ahead: counted from when it was logged, not from the future (and not 0 until then).
      const logged = clock.now().getTime();
      await s.post("/api/v1/activities", {
        type: "meeting",
        subject: "Typed the wrong week",
        related_id: lead.id,
        occurred_at: new Date(logged + 7 * DAY).toISOString(),
      });
      await s.services.worker.drain();
      const second = await score();
      expect(second.exact.engagement - first.exact.engagement).toBeGreaterThan(19.9);

      // Three days on, a new version's rescore re-derives both awards at the same instants.
      offset = 3 * DAY;
      await s.services.worker.drain();
      const at = clock.now().getTime();
      const decayed = await score(at);
      const v2 = model();
      v2.name = "Lead score (v2)";
      await s.post("/api/v1/scoring/models/lead_score/versions", { definition: v2 });
      await s.services.rescorer.drain();
      const rescored = await score(at);
      expect(rescored.version).toBe(2);
      expect(rescored.exact.engagement).toBeCloseTo(decayed.exact.engagement, 9);
      expect(rescored.exact.engagement).toBeCloseTo(20 * 2 ** (-6 / 14) + 20 * 2 ** (-3 / 14), 3);
      offset = 0;
    });

    it("refuses a person's and a bulk change of a field the model writes, naming both, writing nothing; lets a workflow's through", async () => {
      const s = env.s;
      const lead = await s.post("/api/v1/leads", { last_name: "Turing" });
      await s.services.worker.drain();
      const stored = await s.get(`/api/v1/leads/${lead.id}`);

      const patched = await problemOf(await s.api(`/api/v1/leads/${lead.id}`, { method: "PATCH", json: { score: 99, title: "CTO" } }), 422);
      expect(patched.errors).toEqual([
        expect.objectContaining({
          path: "score",
          code: "managed_field",
          message: "score is set by scoring model lead_score; change the model instead",
        }),
      ]);
      expect(patched.detail ?? patched.title).toContain("lead_score");
      const after = await s.get(`/api/v1/leads/${lead.id}`);
      expect(after).toMatchObject({ version: stored.version, score: stored.score });
      expect(after.title ?? null).toBeNull();

      const bulk = await problemOf(
        await s.api("/api/v1/leads/bulk", {
          method: "PATCH",
          json: {
            records: [
              { id: lead.id, fields: { title: "CEO" } },
              { id: lead.id, fields: { score: 5 } },
            ],
          },
        }),
        422,
      );
      expect(bulk.errors.map((e: Json) => e.path)).toEqual(["[1].fields.score"]);
      expect((await s.get(`/api/v1/leads/${lead.id}`)).version).toBe(stored.version);

      // A create may give it a starting value (what workflows deciding on the new record read);
      // the model replaces it in the pass that scores the new record. Imports are creates.
      const created = await s.post("/api/v1/leads", { last_name: "New", score: 50 });
      expect(created.score).toBe(50);
      const imported = await s.api("/api/v1/leads/import", {
        method: "POST",
        body: "last_name,score\nImported,70\n",
        headers: { "content-type": "text/csv" },
      });
      expect(imported.status).toBe(201);
      await s.services.worker.drain();
      expect((await s.get(`/api/v1/leads/${created.id}`)).score).toBe(0);
      expect(((await s.get("/api/v1/leads?where=last_name:eq:Imported")).data as Json[])[0]?.score).toBe(0);

      // A workflow's update goes through (a published workflow must not start failing the day a
      // model is switched on); it is audited as the workflow's, and the model's next write replaces it.
      const flow = await s.publish({
        key: "bump-score",
        name: "Bump the score",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "lead",
        trigger: { type: "record_updated", fields: ["status"] },
        start: "bump",
        steps: { bump: { type: "action", action: { type: "update_fields", fields: { score: 77 } } } },
      });
      await s.json(`/api/v1/leads/${lead.id}`, { method: "PATCH", json: { status: "working" } });
      await s.services.worker.drain();
      const [run] = ((await s.get(`/api/v1/runs?record_id=${lead.id}`)).data as Json[]).filter((r) => r.workflow_id === flow.id);
      expect(run?.status).toBe("completed");
      expect((await s.get(`/api/v1/leads/${lead.id}`)).score).toBe(77);
      await s.json(`/api/v1/leads/${lead.id}`, { method: "PATCH", json: { score: stored.score } }).then(
        () => expect.unreachable("a person's write of the field is refused"),
        (error: Error) => expect(error.message).toContain("score is set by scoring model lead_score"),
      );

      // A write that leaves the field alone goes through; so does any once the model is off.
      expect((await s.json(`/api/v1/leads/${lead.id}`, { method: "PATCH", json: { title: "CTO", score: 77 } })).title).toBe("CTO");
      await s.json("/api/v1/scoring/models/lead_score", { method: "PATCH", json: { enabled: false } });
      expect((await s.json(`/api/v1/leads/${lead.id}`, { method: "PATCH", json: { score: 99 } })).score).toBe(99);

      // A merge that takes the other lead's score: the model's value for the survivor replaces it.
      const survivor = await s.post("/api/v1/leads", { last_name: "Survivor" });
      const merged = await s.post("/api/v1/leads", { last_name: "Merged" });
      await s.services.worker.drain();
      await s.json(`/api/v1/leads/${merged.id}`, { method: "PATCH", json: { score: 60 } });
      await s.json("/api/v1/scoring/models/lead_score", { method: "PATCH", json: { enabled: true } });
      await s.post("/api/v1/leads/merges", { survivor_id: survivor.id, merged_id: merged.id, fields: { score: "merged" } });
      expect((await s.get(`/api/v1/leads/${survivor.id}`)).score).toBe(60);
      await s.services.worker.drain();
      expect((await s.get(`/api/v1/leads/${survivor.id}`)).score).toBe(0);
    });
  });
}
