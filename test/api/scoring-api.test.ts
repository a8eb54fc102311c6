/**
 * Lead scoring over HTTP on both stores (issue 21, "Done when"): a form submission, two email
 * opens and a meeting move a lead's engagement score as the rules say; a week later (simulated
 * clock) decay lowers it at its instant; crossing the threshold starts a workflow once; the
 * ledger lists each change with its cause and sums to the score. Bad input gets a 4xx naming the
 * path; a rep cannot change a model; another workspace sees nothing.
 */
import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;
const DAY = 86_400_000;

const model = (overrides: Json = {}) => ({
  key: "lead_score",
  name: "Lead score",
  object: "lead",
  fields: { total: "score" },
  fit: {
    groups: [
      {
        key: "geo",
        label: "Country",
        rules: [{ key: "de", label: "Germany", when: { field: "country", op: "eq", value: "DE" }, points: 10 }],
      },
    ],
  },
  engagement: {
    groups: [
      { key: "forms", label: "Forms", rules: [{ key: "demo", label: "Asked for a demo", on: { external: ["demo-form"] }, points: 20 }] },
      {
        key: "email",
        label: "Email",
        cap: 30,
        rules: [{ key: "opened", label: "Opened an email", on: { activity: ["email_opened"] }, points: 5 }],
      },
      { key: "meetings", label: "Meetings", rules: [{ key: "held", label: "Meeting held", on: { activity: ["meeting"] }, points: 15 }] },
    ],
    decay: { half_life_days: 14 },
  },
  total_cap: 100,
  ...overrides,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`lead scoring over HTTP on ${kind.name}`, () => {
    let offset = 0;
    const clock = { now: () => new Date(Date.now() + offset) };
    const env = useTestServer(kind, {}, { clock, scoreDueByServiceClock: true });

    it("scores a form, two opens and a meeting; decays a week later; starts the threshold workflow once; the ledger explains it", async () => {
      const s = env.s;
      const created = await s.post("/api/v1/scoring/models", { definition: model(), note: "first cut" });
      expect(created).toMatchObject({ key: "lead_score", version: 1, enabled: true, versions: [{ version: 1, note: "first cut" }] });
      await s.post("/api/v1/forms", {
        key: "demo-form",
        title: "Book a demo",
        object: "lead",
        fields: [
          { name: "last_name", label: "Name", required: true },
          { name: "email", label: "Email" },
          { name: "country", label: "Country" },
        ],
        rate_per_min: 1000,
      });
      const flow = await s.publish({
        key: "hot-lead",
        name: "Hot lead",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "lead",
        trigger: { type: "score_threshold", field: "score", threshold: 40, direction: "up" },
        start: "t",
        steps: { t: { type: "action", action: { type: "create_task", subject: "Call the hot lead" } } },
      });
      const posted = await fetch(`${s.url}/forms/demo-form`, {
        method: "POST",
        body: new URLSearchParams({ last_name: "Lovelace", email: "ada@scoring.test", country: "DE" }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
        redirect: "manual",
      });
      expect(posted.status).toBeLessThan(400);
      await s.services.worker.drain();
      const lead = ((await s.get("/api/v1/leads?where=last_name:eq:Lovelace")).data as Json[])[0] as Json;
      expect(lead.score).toBe(30); // fit 10 (DE) + the demo form 20
      for (const subject of ["Opened: welcome", "Opened: pricing"])
        await s.post("/api/v1/activities", { type: "email_opened", subject, related_id: lead.id });
      await s.services.worker.drain();
      expect((await s.get(`/api/v1/leads/${lead.id}`)).score).toBe(40);
      await s.post("/api/v1/activities", { type: "meeting", subject: "Discovery call", related_id: lead.id });
      await s.services.worker.drain();
      const now = (await s.get(`/api/v1/leads/${lead.id}/score`)).data as Json[];
      expect(now[0]).toMatchObject({ model: { key: "lead_score" }, version: 1, total: 55, fit: 10, engagement: 45 });
      expect(now[0]?.groups.find((g: Json) => g.key === "email")).toMatchObject({ rounded: 10, rules: [{ key: "opened", hits: 2 }] });
      expect((await s.get(`/api/v1/leads/${lead.id}`)).score).toBe(55);

      // The threshold (40) was crossed once, by the second open: one run, with scoring as the cause's actor.
      const runs = ((await s.get(`/api/v1/runs?record_id=${lead.id}`)).data as Json[]).filter((r) => r.workflow_id === flow.id) as Json[];
      expect(runs).toHaveLength(1);

      // A week later: 45 engagement points at a half-life of 14 days are 45·2^(-1/2) = 31.8.
      offset = 7 * DAY;
      await s.services.worker.drain();
      const later = ((await s.get(`/api/v1/leads/${lead.id}/score`)).data as Json[])[0] as Json;
      expect(later.exact.engagement).toBeCloseTo(45 * 2 ** -0.5, 3);
      expect(later.total).toBe(Math.round(10 + 45 * 2 ** -0.5));
      const decayed = await s.get(`/api/v1/leads/${lead.id}`);
      expect(decayed.score).toBe(42);
      expect(((await s.get(`/api/v1/runs?record_id=${lead.id}`)).data as Json[]).filter((r) => r.workflow_id === flow.id)).toHaveLength(1);

      // The ledger: each change with its cause, newest first, summing to the score.
      const ledger = (await s.get(`/api/v1/leads/${lead.id}/score/ledger?limit=200`)).data as Json[];
      const oldestFirst = [...ledger].reverse();
      expect(oldestFirst.slice(0, 5).map((r) => [r.kind, r.rule, r.points])).toEqual([
        ["fit", "de", 10],
        ["engagement", "demo", 20],
        ["engagement", "opened", 5],
        ["engagement", "opened", 5],
        ["engagement", "held", 15],
      ]);
      // Each moved the total by its points (less the decay of the milliseconds since the row before).
      for (const r of oldestFirst.slice(0, 5)) expect(r.change).toBeCloseTo(r.points, 3);
      expect(oldestFirst[0]?.cause).toMatchObject({ event: "record.created", fields: [{ field: "country", new: "DE" }] });
      expect(oldestFirst[1]?.cause).toEqual({ external: "demo-form" });
      expect(oldestFirst[2]?.cause).toMatchObject({ activity: { type: "email_opened", subject: "Opened: welcome" } });
      expect(oldestFirst.slice(5).every((r) => r.kind === "decay" && r.change < 0)).toBe(true);
      expect(oldestFirst.length).toBeGreaterThan(5);
      const sum = ledger.reduce((t, r) => t + r.after - r.before, 0);
      expect(ledger[0]?.after).toBeCloseTo(sum, 9);
      // The rows sum to the total as last written (at the last instant decay changed the field):
      // it rounds to what the field holds, and the exact total now is below it by less than a point.
      expect(Math.round(sum)).toBe(decayed.score);
      expect(sum - later.exact.total).toBeGreaterThanOrEqual(0);
      expect(sum - later.exact.total).toBeLessThan(1);
      // The record's audit names the model and version that wrote the score.
      const history = (await s.get(`/api/v1/leads/${lead.id}/history`)).data as Json[];
      expect(history.some((h) => h.actor?.id === "scoring:lead_score@v1")).toBe(true);
    });

    it("refuses bad input with the path, keeps reps out of changing models and other workspaces out of everything", async () => {
      const s = env.s;
      const problems = async (definition: Json) => {
        const res = await s.api("/api/v1/scoring/models", { method: "POST", json: { definition } });
        expect(res.status).toBe(422);
        return ((await res.json()) as Json).errors.map((e: Json) => e.path);
      };
      const bad = (mutate: (d: Json) => void) => {
        const d = structuredClone(model({ key: "bad" })) as Json;
        mutate(d);
        return problems(d);
      };
      expect(await bad((d) => (d.fit.groups[0].rules[0].points = "ten"))).toContain("definition.fit.groups[0].rules[0].points");
      expect(await bad((d) => (d.engagement.groups[1].cap = -5))).toContain("definition.engagement.groups[1].cap");
      expect(await bad((d) => (d.fit.groups[0].rules[0].when.field = "contry"))).toContain("definition.fit.groups[0].rules[0].when.field");
      expect(await bad((d) => (d.engagement.decay = { half_life_days: 0 }))).toContain("definition.engagement.decay.half_life_days");
      expect(((await s.get("/api/v1/scoring/models")).data as Json[]).map((m) => m.key)).not.toContain("bad");

      // Starting again from a new model (the first test's is deleted with its scores and ledger).
      expect((await s.api("/api/v1/scoring/models/lead_score", { method: "DELETE" })).status).toBe(204);
      await s.post("/api/v1/scoring/models", { definition: model() });
      // A second enabled model may not write the same field.
      expect(await problems(model({ key: "other" }))).toContain("definition.fields.total");
      const { secret: rep } = await s.services.tokens.create(s.workspace.id, "rep token", "rep");
      expect((await s.api("/api/v1/scoring/models", { as: rep })).status).toBe(200);
      for (const [method, path, json] of [
        ["POST", "/api/v1/scoring/models/lead_score/versions", { definition: model() }],
        ["PATCH", "/api/v1/scoring/models/lead_score", { enabled: false }],
        ["DELETE", "/api/v1/scoring/models/lead_score", undefined],
      ] as const)
        expect((await s.api(path, { method, as: rep, ...(json ? { json } : {}) })).status).toBe(403);
      const other = await s.newWorkspace("scoring-other");
      expect((await s.api("/api/v1/scoring/models/lead_score", { as: other.token })).status).toBe(404);
      expect(
        (await s.api("/api/v1/scoring/models/lead_score/versions", { method: "POST", as: other.token, json: { definition: model() } }))
          .status,
      ).toBe(404);
      const lead = await s.post("/api/v1/leads", { last_name: "Hopper", country: "DE" });
      expect((await s.api(`/api/v1/leads/${lead.id}/score`, { as: other.token })).status).toBe(404);
      expect((await s.api(`/api/v1/leads/${lead.id}/score/ledger`, { as: other.token })).status).toBe(404);

      // Publishing a version rescores in the background with progress; the ledger says which version.
      await s.services.worker.drain();
      expect((await s.get(`/api/v1/leads/${lead.id}`)).score).toBe(10);
      const v2 = model();
      (v2.fit.groups[0] as Json).rules[0].points = 25;
      expect(await s.post("/api/v1/scoring/models/lead_score/versions", { definition: v2, note: "Germany matters more" })).toMatchObject({
        version: 2,
      });
      expect(await s.get("/api/v1/scoring/models/lead_score/rescores/latest")).toMatchObject({ version: 2, state: "queued" });
      await s.services.rescorer.drain();
      expect(await s.get("/api/v1/scoring/models/lead_score/rescores/latest")).toMatchObject({ version: 2, state: "done" });
      expect((await s.get(`/api/v1/leads/${lead.id}`)).score).toBe(25);
      const ledger = (await s.get(`/api/v1/leads/${lead.id}/score/ledger`)).data as Json[];
      expect(ledger[0]).toMatchObject({ kind: "rescore", version: 2, before: 10, after: 25, cause: { version: 2, from_version: 1 } });
      const preview = await s.post("/api/v1/scoring/models/lead_score/preview", { definition: model() });
      expect(preview.records).toBeGreaterThanOrEqual(2);
      expect(preview.down).toBeGreaterThanOrEqual(1);
      expect(preview.top_rules.map((r: Json) => r.rule)).toContain("de");
    });
  });
}
