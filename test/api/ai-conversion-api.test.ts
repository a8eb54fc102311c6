/**
 * Conversion models and the lead score that reads them, over HTTP on both stores (issue 24, item
 * 4; docs/ai.md "Conversion models", docs/scoring.md "AI prediction rules"): an admin makes a
 * model of the chance a lead converts from its source and its meetings, trains it on the
 * workspace's converted and disqualified leads, cannot turn it on below 120 conversions, can at
 * 120; a prediction says why ("2 meetings logged"); a scoring model's prediction rule gives the
 * chance × its points, and a meeting logged on a lead raises it. Bad input is a 4xx naming the
 * path — a model that does not exist, a classifier, a value not among the target's options; a
 * model a scoring model reads cannot be deleted; a classify step cannot use one; a rep cannot make one.
 */
import { describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const MODEL = {
  kind: "conversion",
  name: "Lead conversion",
  object: "lead",
  target: "status",
  converted: ["converted"],
  lost: ["unqualified"],
  value_fields: ["source"],
  activity_types: ["meeting", "call"],
  threshold: 0.5,
};

const scoring = (prediction: unknown, extra: Json = {}) => ({
  key: "lead_score",
  name: "Lead score",
  object: "lead",
  fields: { total: "score" },
  fit: {
    groups: [{ key: "ai", label: "AI", rules: [{ key: "predicted", label: "Predicted to convert", prediction, points: 20, ...extra }] }],
  },
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`conversion models and prediction rules over HTTP, on ${kind.name}`, () => {
    const env = useTestServer(kind);
    const base = "/api/v1/ai/models";
    const problem = async (res: Response) => ({ status: res.status, body: (await res.json()) as Json });

    /**
     * Closed leads: those that converted mostly came by referral and took two meetings; those
     * disqualified mostly came from outbound and took none — one in ten the other way round (with
     * one in seven and ~55 held out, which ones the ids hold out moved the margin over the
     * baseline below 20 points in about one run in ten).
     */
    async function writeHistory(converted: number, lost: number, from = 0) {
      const ctx = systemContext(env.s.workspace.id, "ai-test");
      const rows = [
        ...Array.from({ length: converted }, (_, i) => ({ won: true, odd: i % 10 === 0 })),
        ...Array.from({ length: lost }, (_, i) => ({ won: false, odd: i % 10 === 0 })),
      ].map(({ won, odd }, i) => ({
        last_name: `History ${from + i}`,
        source: won !== odd ? "referral" : "outbound",
        status: won ? "converted" : "unqualified",
        meetings: won !== odd ? 2 : 0,
      }));
      // Worked while open, then closed: training counts what a lead had when it reached its outcome.
      const leads = await env.s.services.writer.createMany(
        ctx,
        "lead",
        rows.map(({ meetings: _m, status: _s, ...fields }) => ({ ...fields, status: "working" })),
      );
      const activities = leads.flatMap((l, i) =>
        Array.from({ length: rows[i]?.meetings ?? 0 }, () => ({ type: "meeting", subject: "Demo", related_id: l.id })),
      );
      if (activities.length > 0) await env.s.services.writer.createMany(ctx, "activity", activities);
      await env.s.services.writer.updateMany(
        ctx,
        "lead",
        leads.map((l, i) => ({ id: l.id, fields: { status: rows[i]?.status } })),
      );
      await env.s.services.worker.drain();
    }

    async function train(id: string): Promise<Json> {
      const res = await env.s.api(`${base}/${id}/train`, { method: "POST" });
      expect(res.status, await res.clone().text()).toBe(202);
      for (let i = 0; i < 600; i++) {
        const model = await env.s.get(`${base}/${id}`);
        if (model.training_job.state === "succeeded" || model.training_job.state === "failed") return model;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error("the training did not end");
    }

    it("refuses bad conversion models with the path of each problem, and nothing is saved", async () => {
      const bad = async (patch: Json) => problem(await env.s.api(base, { method: "POST", json: { ...MODEL, ...patch } }));
      const cases: Array<[Json, string, string]> = [
        [{ target: "source" }, "target", "invalid_value"],
        [{ converted: ["won"] }, "converted[0]", "not_in_options"],
        [{ converted: [] }, "converted", "required"],
        [{ lost: ["unqualified", "converted"] }, "lost[1]", "invalid_value"],
        [{ activity_types: ["fax"] }, "activity_types[0]", "invalid_value"],
        [{ kind: "oracle" }, "kind", "invalid_value"],
        [{ kind: "classifier", target: "source", text_fields: ["title"] }, "converted", "invalid_value"],
        [{ value_fields: [], activity_types: [] }, "text_fields", "required"],
      ];
      for (const [patch, path, code] of cases) {
        const r = await bad(patch);
        expect(r.status, JSON.stringify(patch)).toBe(422);
        expect(r.body.errors, JSON.stringify(r.body)).toContainEqual(expect.objectContaining({ path }));
        if (code !== "invalid_value") expect(r.body.errors.find((e: Json) => e.path === path).code).toBe(code);
      }
      const rep = (await env.s.services.tokens.create(env.s.workspace.id, "rep", "rep")).secret;
      expect((await env.s.api(base, { method: "POST", json: MODEL, as: rep })).status).toBe(403);
      expect((await env.s.get(base)).data).toEqual([]);
    });

    it("learns the chance to convert, holds it back below 120 conversions, explains it, and scores leads with it", async () => {
      const made = await env.s.post(base, MODEL);
      expect(made).toMatchObject({ kind: "conversion", converted: ["converted"], lost: ["unqualified"], enabled: false, training: null });
      // Nothing converted yet: refused at once, naming what is missing.
      const empty = await problem(await env.s.api(`${base}/${made.id}/train`, { method: "POST" }));
      expect(empty.status).toBe(422);
      expect(empty.body.errors[0].path).toBe("converted");

      await writeHistory(100, 150);
      const first = await train(made.id);
      expect(first.training_job.state, first.training_job.error).toBe("succeeded");
      expect(first.training).toMatchObject({ records: 250, label_counts: { converted: 100, lost: 150 }, ready: false });
      expect(first.training.shortfalls).toEqual([{ label: "converted", have: 100, more: 20 }]);
      const refused = await problem(
        await env.s.api(`${base}/${made.id}`, { method: "PATCH", json: { enabled: true }, headers: { "if-match": `"${first.version}"` } }),
      );
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain("converted needs 20 more");

      await writeHistory(150, 150, 1000);
      const second = await train(made.id);
      expect(second.training).toMatchObject({ label_counts: { converted: 250, lost: 300 }, ready: true, shortfalls: [] });
      expect(second.training.quality.accuracy).toBeGreaterThan(second.training.quality.baseline + 0.2);
      await env.s.json(`${base}/${made.id}`, { method: "PATCH", json: { enabled: true }, headers: { "if-match": `"${second.version}"` } });

      const hopeful = await env.s.post("/api/v1/leads", { last_name: "Hopeful", source: "referral", status: "working" });
      await env.s.post("/api/v1/activities", { type: "meeting", subject: "Discovery", related_id: hopeful.id });
      await env.s.post("/api/v1/activities", { type: "meeting", subject: "Demo", related_id: hopeful.id });
      const p = await env.s.post(`${base}/${made.id}/predict`, { record_id: hopeful.id });
      expect(p).toMatchObject({ field: "status", value: "converted" });
      expect(p.probabilities.converted).toBeGreaterThan(0.7);
      expect(p.reasons.map((r: Json) => r.text)).toContain("2 meetings logged");
      const cold = await env.s.post(`${base}/${made.id}/predict`, { record: { source: "outbound" } });
      expect(cold).toMatchObject({ value: "lost" });
      expect(cold.probabilities.converted).toBeLessThan(0.2);
      // A described lead may be said to have activities: the same as the saved one with its two meetings.
      const saidMet = await env.s.post(`${base}/${made.id}/predict`, {
        record: { last_name: "Hopeful", source: "referral", status: "working" },
        activities: { meeting: 2 },
      });
      expect(saidMet.probabilities.converted).toBe(p.probabilities.converted);
      expect(saidMet.reasons.map((r: Json) => r.text)).toContain("2 meetings logged");
      for (const [json, path, detail] of [
        [{ record: {}, activities: { email: 1 } }, "activities.email", "it counts meeting, call"],
        [{ record: {}, activities: { meeting: -1 } }, "activities.meeting", ""],
        [{ record: {}, activities: { meeting: 1.5 } }, "activities.meeting", "a whole number of activities"],
        [{ record: {}, activities: { fax: 1 } }, "activities.fax", "it counts meeting, call"],
        // An attacker's keys are refused by name, not assigned: nothing reaches an object's prototype.
        [{ record: {}, activities: JSON.parse('{"__proto__": 9}') }, "activities.__proto__", "does not count __proto__ activities"],
        [{ record: {}, activities: { constructor: 1 } }, "activities.constructor", "does not count constructor activities"],
        [{ record_id: hopeful.id, activities: { meeting: 9 } }, "activities", "a saved record's own activities are counted"],
      ] as const) {
        const r = await problem(await env.s.api(`${base}/${made.id}/predict`, { method: "POST", json }));
        expect(r.status, JSON.stringify(json)).toBe(422);
        expect(r.body.errors[0].path, JSON.stringify(json)).toBe(path);
        expect(r.body.errors[0].message).toContain(detail);
      }

      // A scoring rule naming no model, a classifier, or both a condition and a model is refused with its path.
      await env.s.post(base, { name: "Source guess", object: "lead", target: "source", text_fields: ["title"] });
      const path = "definition.fit.groups[0].rules[0].prediction";
      for (const [prediction, extra] of [
        ["Nope", {}],
        ["Source guess", {}],
      ] as const) {
        const r = await problem(
          await env.s.api("/api/v1/scoring/models", { method: "POST", json: { definition: scoring(prediction, extra) } }),
        );
        expect(r.status, prediction).toBe(422);
        expect(r.body.errors[0]).toMatchObject({ path, code: "invalid_reference", expected: ["Lead conversion"] });
      }
      const both = await problem(
        await env.s.api("/api/v1/scoring/models", {
          method: "POST",
          json: { definition: scoring("Lead conversion", { when: { field: "source", op: "eq", value: "referral" } }) },
        }),
      );
      expect(both.status).toBe(422);
      expect(both.body.errors[0].path).toBe(path);

      await env.s.post("/api/v1/scoring/models", { definition: scoring("Lead conversion") });
      await env.s.services.rescorer.drain();
      const scoreOf = async (id: string) => ((await env.s.get(`/api/v1/leads/${id}/score`)).data as Json[])[0] as Json;
      const warm = await scoreOf(hopeful.id);
      const warmRule = warm.groups[0].rules[0];
      expect(warmRule).toMatchObject({ key: "predicted", points: 20, hits: 1 });
      expect(warmRule.current).toBeCloseTo(Math.round(p.probabilities.converted * 200) / 10, 1);

      // A new lead from outbound is scored low; each meeting logged on it raises its chance, and its score.
      const lead = await env.s.post("/api/v1/leads", { last_name: "Cold", source: "outbound", status: "working" });
      await env.s.services.worker.drain();
      const before = (await scoreOf(lead.id)).exact.total;
      expect(before).toBeLessThan(5);
      for (const subject of ["Discovery", "Demo"])
        await env.s.post("/api/v1/activities", { type: "meeting", subject, related_id: lead.id });
      await env.s.services.worker.drain();
      const after = await scoreOf(lead.id);
      expect(after.exact.total).toBeGreaterThan(before + 3);
      expect((await env.s.get(`/api/v1/leads/${lead.id}`)).score).toBe(Math.round(after.exact.total));
      const ledger = (await env.s.get(`/api/v1/leads/${lead.id}/score/ledger?limit=50`)).data as Json[];
      expect(ledger.filter((r) => r.kind === "fit" && r.rule === "predicted").length).toBeGreaterThanOrEqual(2);
      const oldestFirst = [...ledger].reverse();
      expect(oldestFirst.reduce((sum, r) => sum + (r.after - r.before), 0)).toBeCloseTo(after.exact.total, 6);
      // Each row keeps what the model said when the points moved: the chance, its version, what raised it.
      const latest = ledger.find((r) => r.kind === "fit" && r.rule === "predicted") as Json;
      const said = latest.cause.prediction;
      expect(said).toMatchObject({ model: "Lead conversion", version: (await env.s.get(`${base}/${made.id}`)).version });
      expect(latest.points).toBe(Math.round(said.chance * 200) / 10);
      const now = await env.s.post(`${base}/${made.id}/predict`, { record_id: lead.id });
      expect(said.chance).toBe(now.probabilities.converted);
      expect(said.reasons).toContain("2 meetings logged");
      // (Both meetings may be counted at the first one's turn: the chance is read as the store stands.)
      expect(latest.cause.activity).toMatchObject({ type: "meeting" });

      // Read by a scoring model: not deleted, not renamed; a classify step cannot use it.
      const del = await problem(await env.s.api(`${base}/${made.id}`, { method: "DELETE" }));
      expect(del.status).toBe(409);
      expect(del.body.detail).toContain("scoring model lead_score");
      const draft = await env.s.post("/api/v1/workflows", {
        definition: {
          key: "guess",
          name: "Guess",
          description: "A test fixture.",
          object: "lead",
          trigger: { type: "record_created" },
          start: "c",
          steps: { c: { type: "classify", model: "Lead conversion", field: "status" } },
        },
      });
      const published = await problem(await env.s.api(`/api/v1/workflows/${draft.id}/publish`, { method: "POST", json: {} }));
      expect(published.status).toBe(422);
      expect(published.body.errors).toContainEqual(expect.objectContaining({ path: "steps.c.model", expected: ["Source guess"] }));

      // Turned off, the model gives no chance: the lead's next change takes the rule's points away.
      const current = await env.s.get(`${base}/${made.id}`);
      await env.s.json(`${base}/${made.id}`, {
        method: "PATCH",
        json: { enabled: false },
        headers: { "if-match": `"${current.version}"` },
      });
      await env.s.json(`/api/v1/leads/${lead.id}`, { method: "PATCH", json: { first_name: "Still" } });
      await env.s.services.worker.drain();
      expect((await scoreOf(lead.id)).groups[0].rules[0]).toMatchObject({ current: 0, hits: 0 });
    });
  });
}
