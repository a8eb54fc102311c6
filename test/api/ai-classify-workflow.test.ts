/**
 * The classify step over real HTTP on both stores (issue 24; docs/ai.md "The classify step"): a
 * trained ticket-category model on, a workflow classifies each new ticket and routes it through a
 * rule set by the predicted category — the reason shown on the ticket, in the run log and in the
 * routing record — while a ticket the model is unsure of is left uncategorised and goes to the
 * triage queue. A person correcting the category records an override (a workflow's write does
 * not); publishing names a missing, mismatched or switched-off model by path; a model a live
 * workflow uses cannot be deleted; a rep cannot read another workspace's predictions.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { labelledTickets } from "../../src/seed/demo-ticket-texts.js";
import { eventually } from "../helpers/eventually.js";
import { replayRun } from "../helpers/replay.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const settled = (what: string, check: () => Promise<void>) =>
  eventually(what, async () => {
    try {
      await check();
      return true;
    } catch {
      return undefined;
    }
  });

const ALWAYS = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]]));
const FIXTURE = "Why it exists: a test fixture (publishing needs a description).";

const MODEL = {
  name: "Ticket category",
  object: "ticket",
  target: "category",
  text_fields: ["subject", "description"],
  threshold: 0.7,
};

const classifying = (extra: Json = {}) => ({
  key: "classify-new-tickets",
  name: "Classify new tickets",
  description: FIXTURE,
  object: "ticket",
  trigger: { type: "record_created" },
  start: "classify",
  steps: {
    classify: { type: "classify", model: "Ticket category", field: "category", next: "route", low_confidence: "triage", ...extra },
    route: { type: "action", action: { type: "assign_owner", field: "assignee_id", to: { rule_set: "Tickets by category" } } },
    triage: { type: "action", action: { type: "assign_owner", field: "assignee_id", to: { queue: "Triage" } } },
  },
});

const BILLING = {
  subject: "Charged twice for the same invoice, please refund",
  description: "My card was billed twice this month for one invoice. I need a refund of the duplicate charge.",
};
const VAGUE = { subject: "Hello", description: "Can someone get back to me?" };

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`the classify step over HTTP, on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: true });
    const users: Record<string, string> = {};
    const ticket = async (id: string) => env.s.get(`/api/v1/tickets/${id}`);
    const predictions = async (id: string) => (await env.s.get(`/api/v1/tickets/${id}/predictions`)).data as Json[];

    beforeAll(async () => {
      for (const name of ["Ada", "Ben", "Tia"])
        users[name] = (
          await env.s.post("/api/v1/users", { name, email: `${name.toLowerCase()}@acme.test`, role: "rep", working_hours: ALWAYS })
        ).id;
      await env.s.post("/api/v1/routing/queues", { name: "Triage", members: [{ user_id: users.Tia }], fallback: { hold: true } });
      await env.s.post("/api/v1/routing/rule-sets", {
        name: "Tickets by category",
        object: "ticket",
        field: "assignee_id",
        rules: [
          {
            id: "billing",
            name: "Billing to Ada",
            when: { field: "category", op: "eq", value: "billing" },
            target: { user_id: users.Ada },
          },
        ],
        default_target: { user_id: users.Ben },
      });
      const history = labelledTickets(700, 11).map(({ subject, description, category }) => ({ subject, description, category }));
      await env.s.services.writer.createMany(systemContext(env.s.workspace.id, "history"), "ticket", history);
      await env.s.post("/api/v1/ai/models", MODEL);
    });

    it("refuses at publish a model that is missing, predicts another field, or is off — naming the step's path", async () => {
      const problems = async (def: Json) => ((await env.s.post("/api/v1/workflows/validate", { definition: def })).errors as Json[]) ?? [];
      expect((await problems(classifying({ model: "Ticket categry" })))[0]).toMatchObject({
        path: "steps.classify.model",
        code: "invalid_reference",
        message: 'no AI model "Ticket categry" in this workspace',
        expected: ["Ticket category"],
      });
      expect((await problems(classifying({ field: "priority" })))[0]).toMatchObject({
        path: "steps.classify.field",
        message: 'AI model "Ticket category" predicts "category", not "priority"',
      });
      expect((await problems(classifying()))[0]).toMatchObject({
        path: "steps.classify.model",
        message: expect.stringMatching(/is turned off: train it and turn it on/),
      });
      expect((await problems(classifying({ low_confidence: "nowhere" })))[0]).toMatchObject({ path: "steps.classify.low_confidence" });
    });

    it("classifies a new ticket and routes it with the reason shown; an unsure one stays uncategorised and goes to triage", async () => {
      // Trained in the background: 202 with the job, the model read until its training has ended.
      const job = await env.s.api("/api/v1/ai/models/Ticket%20category/train", { method: "POST" });
      expect(job.status).toBe(202);
      await settled("trained", async () =>
        expect((await env.s.get("/api/v1/ai/models/Ticket%20category")).training_job.state).toBe("succeeded"),
      );
      const trained = await env.s.get("/api/v1/ai/models/Ticket%20category");
      expect(trained.training.ready).toBe(true);
      await env.s.json("/api/v1/ai/models/Ticket%20category", { method: "PATCH", json: { enabled: true } });
      await env.s.publish(classifying());
      // What the model says of each, asked beforehand: the test's expectations follow from it.
      const sure = await env.s.post("/api/v1/ai/models/Ticket%20category/predict", { record: BILLING });
      const unsure = await env.s.post("/api/v1/ai/models/Ticket%20category/predict", { record: VAGUE });
      expect(sure).toMatchObject({ value: "billing", low_confidence: false });
      expect(unsure.low_confidence).toBe(true);

      const billing = await env.s.post("/api/v1/tickets", BILLING);
      const vague = await env.s.post("/api/v1/tickets", VAGUE);
      await settled("both tickets assigned", async () => {
        expect((await ticket(billing.id)).assignee_id).toBe(users.Ada);
        expect((await ticket(vague.id)).assignee_id).toBe(users.Tia);
      });
      expect((await ticket(billing.id)).category).toBe("billing");
      expect((await ticket(vague.id)).category ?? null).toBeNull();

      // The ticket's predictions say what, how sure and why.
      const [p] = await predictions(billing.id);
      expect(p).toMatchObject({ model: "Ticket category", field: "category", value: "billing", applied: true, overridden: null });
      expect(p?.confidence).toBe(sure.confidence);
      expect(p?.reasons.map((r: Json) => r.text)).toEqual(sure.reasons.map((r: Json) => r.text));
      expect(p?.reasons.length).toBeGreaterThan(0);
      const [q] = await predictions(vague.id);
      expect(q).toMatchObject({ applied: false, value: unsure.value });
      // The routing record names the rule the predicted category matched.
      const [routed] = (await env.s.get(`/api/v1/routing/assignments?record_id=${billing.id}`)).data as Json[];
      expect(routed).toMatchObject({ matched_rule: "Billing to Ada", user_id: users.Ada });
      // The run log: the classify step's sentence and its kept prediction.
      const run = ((await env.s.get(`/api/v1/runs?record_id=${billing.id}`)).data as Json[])[0];
      const steps = (await env.s.get(`/api/v1/runs/${run?.id}`)).steps as Json[];
      const step = steps.find((s) => s.step === "classify");
      expect(step).toMatchObject({ type: "classify", outcome: "classified" });
      expect(step?.why).toMatch(/^category = "billing", \d+ % sure: /);
      expect(step?.effects).toContainEqual(expect.objectContaining({ command: "record_prediction", value: "billing", applied: true }));
      const vagueRun = ((await env.s.get(`/api/v1/runs?record_id=${vague.id}`)).data as Json[])[0];
      const vagueSteps = (await env.s.get(`/api/v1/runs/${vagueRun?.id}`)).steps as Json[];
      expect(vagueSteps.find((s) => s.step === "classify")).toMatchObject({
        outcome: "low_confidence",
        why: expect.stringMatching(/left unwritten/),
      });
      // Both runs replay to the same decisions from what their steps kept (the prediction included).
      for (const r of [run, vagueRun]) await replayRun(env.t.store, r?.id, env.s.workspace.id);
    });

    it("a person's correction of the category is an override, counted by week, once; setting the same value is not", async () => {
      const billing = await env.s.post("/api/v1/tickets", { ...BILLING, subject: `${BILLING.subject} (again)` });
      await settled("classified", async () => expect((await predictions(billing.id))[0]?.applied).toBe(true));
      // Setting the value it already has corrects nothing.
      await env.s.json(`/api/v1/tickets/${billing.id}`, { method: "PATCH", json: { category: "billing", priority: "P2" } });
      expect((await predictions(billing.id))[0]?.overridden).toBeNull();
      await env.s.json(`/api/v1/tickets/${billing.id}`, { method: "PATCH", json: { category: "bug" } });
      const [p] = await predictions(billing.id);
      expect(p?.overridden).toMatchObject({ value: "bug", at: expect.any(String) });
      // Once: a later change does not move it.
      await env.s.json(`/api/v1/tickets/${billing.id}`, { method: "PATCH", json: { category: "outage" } });
      expect((await predictions(billing.id))[0]?.overridden?.value).toBe("bug");
      const weeks = await env.s.get("/api/v1/ai/models/Ticket%20category/overrides?weeks=2");
      expect(weeks.weeks).toHaveLength(2);
      const now = weeks.weeks[1];
      expect(now.applied).toBeGreaterThanOrEqual(2);
      expect(now.overridden).toBe(1);
      expect(now.rate).toBeCloseTo(1 / now.applied, 4);
      // The KPI counts the same predictions and the one correction, over the object's records.
      const today = new Date().toISOString().slice(0, 10);
      const kpi = (await env.s.get(`/api/v1/kpis/prediction_overrides?object=ticket&from=${today}&to=${today}`)).data;
      expect(kpi).toMatchObject({ key: "prediction_overrides", unit: "percent", count: now.applied });
      expect(kpi.value).toBeCloseTo((100 * 1) / now.applied, 1);
      expect((await env.s.get(`/api/v1/kpis/prediction_overrides?object=lead&from=${today}&to=${today}`)).data).toMatchObject({
        value: null,
        count: 0,
      });
      const bad = await env.s.api("/api/v1/ai/models/Ticket%20category/overrides?weeks=0");
      expect(bad.status).toBe(422);
      expect(((await bad.json()) as Json).errors[0].path).toBe("weeks");
    });

    it("keeps a model a live workflow uses from deletion and renaming; off, the step sends tickets to triage saying why", async () => {
      const del = await env.s.api("/api/v1/ai/models/Ticket%20category", { method: "DELETE" });
      expect(del.status).toBe(409);
      expect(((await del.json()) as Json).detail).toMatch(/classify-new-tickets \(step classify\)/);
      const model = await env.s.get("/api/v1/ai/models/Ticket%20category");
      const rename = await env.s.api("/api/v1/ai/models/Ticket%20category", {
        method: "PATCH",
        json: { name: "Other" },
        headers: { "if-match": `"${model.version}"` },
      });
      expect(rename.status).toBe(409);
      await env.s.json("/api/v1/ai/models/Ticket%20category", { method: "PATCH", json: { enabled: false } });
      const t = await env.s.post("/api/v1/tickets", BILLING);
      await settled("sent to triage", async () => expect((await ticket(t.id)).assignee_id).toBe(users.Tia));
      const run = ((await env.s.get(`/api/v1/runs?record_id=${t.id}`)).data as Json[])[0];
      const steps = (await env.s.get(`/api/v1/runs/${run?.id}`)).steps as Json[];
      expect(steps.find((s) => s.step === "classify")).toMatchObject({
        outcome: "no_prediction",
        why: 'AI model "Ticket category" made no prediction: it is turned off',
      });
      expect(await predictions(t.id)).toEqual([]);
    });

    it("shows a ticket's predictions to another workspace as not found", async () => {
      const t = (await env.s.get("/api/v1/tickets?limit=1")).data[0] as Json;
      const other = await env.s.newWorkspace(`ai-classify-other-${kind.name}`);
      expect((await env.s.api(`/api/v1/tickets/${t.id}/predictions`, { as: other.token })).status).toBe(404);
      expect((await env.s.api("/api/v1/ai/models/Ticket%20category/overrides", { as: other.token })).status).toBe(404);
    });
  });
}
