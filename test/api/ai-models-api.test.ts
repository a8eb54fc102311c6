/**
 * AI models over HTTP on both stores (issue 24; docs/ai.md): an admin makes a ticket-category
 * model, trains it on the workspace's labelled tickets (one in five held out) — in the background:
 * 202 with the queued job, its progress read on the model until it has succeeded, each success
 * kept as a version listed newest first —, reads its honest
 * quality, cannot turn it on while a label has fewer than 50 records, can once it has them, and
 * asks what it says of a ticket — with its confidence and its reasons in words. Bad input gets a
 * 4xx naming its path; a rep may read and predict but not make, change or train; another
 * workspace's model is not found.
 */
import { describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { labelledTickets } from "../../src/seed/demo-ticket-texts.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const MODEL = {
  name: "Ticket category",
  description: "Routes new tickets to the right queue.",
  object: "ticket",
  target: "category",
  text_fields: ["subject", "description"],
  value_fields: ["priority"],
  threshold: 0.7,
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`AI models over HTTP, on ${kind.name}`, () => {
    const env = useTestServer(kind);
    const base = "/api/v1/ai/models";

    /** Labelled tickets written as the workspace's own (no plan or channel: tickets have neither). */
    async function writeTickets(count: number, seed: number) {
      const inputs = labelledTickets(count, seed).map(({ subject, description, category, priority }) => ({
        subject,
        description,
        category,
        priority,
      }));
      await env.s.services.writer.createMany(systemContext(env.s.workspace.id, "ai-test"), "ticket", inputs);
    }

    const problem = async (res: Response) => ({ status: res.status, body: (await res.json()) as Json });

    /**
     * POST …/train answers 202 with the queued job; the model's `training_job` then moves through
     * its phases, its progress never going back, until it has succeeded or failed. Returns the
     * model as it is then, with the phases seen.
     */
    async function train(id: string): Promise<Json> {
      const res = await env.s.api(`${base}/${id}/train`, { method: "POST" });
      const job = (await res.json()) as Json;
      expect(res.status, JSON.stringify(job)).toBe(202);
      expect(job).toMatchObject({ state: "queued", phase: "queued", progress: 0, error: null, version: null });
      expect(res.headers.get("location")).toBe(`${base}/${job.model_id}/trainings`);
      const phases: string[] = [];
      let last = 0;
      for (let i = 0; i < 600; i++) {
        const model = await env.s.get(`${base}/${id}`);
        const now = model.training_job as Json;
        expect(now.id).toBe(job.id);
        expect(now.progress).toBeGreaterThanOrEqual(last);
        last = now.progress;
        if (phases.at(-1) !== now.phase) phases.push(now.phase);
        if (now.state === "succeeded" || now.state === "failed") return { ...model, phases };
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`training ${job.id} did not end: ${phases.join(" → ")}`);
    }

    it("refuses bad models with the path of each problem, and nothing is saved", async () => {
      const bad = async (patch: Json) => problem(await env.s.api(base, { method: "POST", json: { ...MODEL, ...patch } }));
      const unknown = await bad({ target: "mood" });
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors).toContainEqual(expect.objectContaining({ path: "target", code: "unknown_field" }));
      const threshold = await bad({ threshold: 1.5 });
      expect(threshold.status).toBe(422);
      expect(threshold.body.errors[0].path).toBe("threshold");
      const own = await bad({ text_fields: ["subject", "category"] });
      expect(own.body.errors).toContainEqual(expect.objectContaining({ path: "text_fields[1]" }));
      expect(own.body.errors[0].message).toMatch(/what the model predicts/);
      const kindOf = await bad({ target: "company_id" });
      expect(kindOf.body.errors[0]).toMatchObject({ path: "target", message: expect.stringMatching(/reference field/) });
      const object = await bad({ object: "moon" });
      expect(object.status).toBe(422);
      expect(object.body.errors[0].path).toBe("object");
      const extra = await bad({ secret: 1 });
      expect(extra.status).toBe(422);
      expect((await env.s.get(base)).data).toEqual([]);
    });

    it("trains on labelled tickets, gates turning on by labels, and explains a prediction", async () => {
      const made = await env.s.post(base, MODEL);
      expect(made).toMatchObject({ name: "Ticket category", enabled: false, training: null, version: 1 });
      // Nothing labelled yet: nothing to learn from.
      const empty = await problem(await env.s.api(`${base}/${made.id}/train`, { method: "POST" }));
      expect(empty.status).toBe(422);
      expect(empty.body.errors[0]).toMatchObject({ path: "target", message: 'no record has a value in "category" to learn from' });
      // Untrained: no prediction, no turning on.
      expect((await env.s.api(`${base}/${made.id}/predict`, { method: "POST", json: { record: { subject: "x" } } })).status).toBe(409);

      await writeTickets(150, 7);
      const first = await train(made.id);
      expect(first.training_job).toMatchObject({ state: "succeeded", phase: "done", progress: 1, error: null, version: 1 });
      expect(first.phases.at(-1)).toBe("done");
      for (const phase of first.phases) expect(["queued", "reading records", "learning", "measuring", "saving", "done"]).toContain(phase);
      expect(first.training.records).toBe(150);
      expect(first.training.model_version).toBe(1);
      expect(first.training.held_out).toBeGreaterThan(15);
      expect(first.training.ready).toBe(false);
      const outage = first.training.shortfalls.find((s: Json) => s.label === "outage");
      expect(outage.have + outage.more).toBe(50);
      const refused = await problem(
        await env.s.api(`${base}/${made.id}`, { method: "PATCH", json: { enabled: true }, headers: { "if-match": `"${first.version}"` } }),
      );
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toMatch(/outage needs \d+ more/);

      await writeTickets(650, 8);
      const trained = await train(made.id);
      expect(trained.training_job).toMatchObject({ state: "succeeded", version: 2 });
      expect(trained.training.records).toBe(800);
      expect(trained.training.model_version).toBe(2);
      // Each training kept as a version, newest first: when, from which records, what it read, how well.
      const versions = (await env.s.get(`${base}/${made.id}/versions`)).data as Json[];
      expect(versions.map((v) => v.version)).toEqual([2, 1]);
      expect(versions.map((v) => v.data.records)).toEqual([800, 150]);
      expect(versions[0]).toMatchObject({
        features: { target: "category", text_fields: ["subject", "description"], value_fields: ["priority"] },
        records: 800,
        ready: true,
        job_id: trained.training_job.id,
        trained_at: trained.training.trained_at,
      });
      expect(versions[0]?.quality).toEqual(trained.training.quality);
      expect(versions[0]?.params).toBeUndefined();
      expect(Date.parse(versions[0]?.data.first_created_at)).toBeLessThanOrEqual(Date.parse(versions[0]?.data.last_created_at));
      expect(versions[1]?.data.last_created_at < versions[0]?.data.last_created_at).toBe(true);
      // The trainings, newest first: both succeeded.
      const jobs = (await env.s.get(`${base}/${made.id}/trainings`)).data as Json[];
      expect(jobs.map((j) => [j.state, j.version])).toEqual([
        ["succeeded", 2],
        ["succeeded", 1],
      ]);
      expect(trained.training.ready).toBe(true);
      const q = trained.training.quality;
      expect(q.accuracy - q.baseline).toBeGreaterThanOrEqual(0.2);
      expect(q.confusion.labels).toEqual(["billing", "bug", "feature-request", "how-to", "outage"]);
      const on = await env.s.json(`${base}/${made.id}`, {
        method: "PATCH",
        json: { enabled: true },
        headers: { "if-match": `"${trained.version}"` },
      });
      expect(on.enabled).toBe(true);

      const p = await env.s.post(`${base}/Ticket category/predict`, {
        record: { subject: "Refund for invoice 4411", description: "We were charged twice. Please refund the duplicate payment." },
      });
      expect(p).toMatchObject({ field: "category", value: "billing", low_confidence: false });
      expect(p.confidence).toBeGreaterThan(0.9);
      expect(p.reasons.map((r: Json) => r.text).join(" ")).toMatch(/"(refund|invoice|charged|payment)" in the (subject|description)/);
      // A vague ticket: the model is not sure, and says so.
      const vague = await env.s.post(`${base}/${made.id}/predict`, { record: { subject: "Hello", description: "Call me." } });
      expect(vague.low_confidence).toBe(true);
      // By id, a ticket of the workspace; another object's record is not found.
      const [ticket] = await env.s.services.writer.createMany(systemContext(env.s.workspace.id, "ai-test"), "ticket", [
        { subject: "Site is down", description: "Nobody can log in, 502 errors for the whole team.", priority: "P1" },
      ]);
      expect((await env.s.post(`${base}/${made.id}/predict`, { record_id: ticket?.id })).value).toBe("outage");
      const lead = await env.s.post("/api/v1/leads", { first_name: "Ada", last_name: "L", email: "ada@ai.test" });
      expect((await env.s.api(`${base}/${made.id}/predict`, { method: "POST", json: { record_id: lead.id } })).status).toBe(404);
      const badField = await problem(await env.s.api(`${base}/${made.id}/predict`, { method: "POST", json: { record: { mood: 1 } } }));
      expect(badField.status).toBe(422);
      expect(badField.body.errors[0].path).toBe("record.mood");
      const both = await problem(await env.s.api(`${base}/${made.id}/predict`, { method: "POST", json: {} }));
      expect(both.status).toBe(422);
      expect(both.body.errors[0].path).toBe("record_id");

      // Changing what it reads forgets the training and turns it off.
      const changed = await env.s.json(`${base}/${made.id}`, {
        method: "PATCH",
        json: { value_fields: [] },
        headers: { "if-match": `"${on.version}"` },
      });
      expect(changed).toMatchObject({ enabled: false, training: null });
      // Every change is in the configuration audit: made, trained twice, turned on, changed.
      const audit = await env.t.store.configAudit.readConfigAudit(env.s.workspace.id, 50);
      const mine = audit.filter((e) => e.entity === "ai_model" && e.entityId === made.id);
      expect(mine.map((e) => e.action).reverse()).toEqual(["create", "update", "update", "update", "update"]);
      expect(mine[0]?.summary).toMatchObject({ forgot_training: true, enabled: false });
    });

    it("refuses a training with nothing to tell apart (422 at target, nothing queued), and fails one a stopped server left running", async () => {
      const made = await env.s.post(base, { ...MODEL, name: "Priority only", target: "status", value_fields: [] });
      // Every ticket of this workspace has the default status "new": a single label.
      await writeTickets(20, 9);
      const single = await problem(await env.s.api(`${base}/${made.id}/train`, { method: "POST" }));
      expect(single.status).toBe(422);
      expect(single.body.errors[0]).toMatchObject({ path: "target", message: expect.stringMatching(/every labelled record says "new"/) });
      expect((await env.s.get(`${base}/${made.id}/trainings`)).data).toEqual([]);
      expect((await env.s.get(`${base}/${made.id}`)).training_job).toBeNull();
      expect((await env.s.api(`${base}/nope/train`, { method: "POST" })).status).toBe(404);
      expect((await env.s.api(`${base}/nope/versions`)).status).toBe(404);

      // A training a killed process left running: the next start marks it failed, not stuck.
      await env.t.store.transaction((tx) =>
        tx.aiModels.insertTrainingJob({
          workspaceId: env.s.workspace.id,
          id: `job-${kind.name}-stuck`,
          modelId: made.id,
          state: "running",
          phase: "learning",
          progress: 0.5,
          error: null,
          modelVersion: null,
          requestedBy: "someone",
          createdAt: new Date().toISOString(),
          startedAt: new Date().toISOString(),
          finishedAt: null,
        }),
      );
      expect((await env.s.get(`${base}/${made.id}`)).training_job).toMatchObject({ state: "running", phase: "learning" });
      expect(await env.s.services.aiTraining.failInterrupted()).toBe(1);
      const after = (await env.s.get(`${base}/${made.id}`)).training_job as Json;
      expect(after).toMatchObject({ state: "failed", phase: "failed", error: expect.stringMatching(/^interrupted: the server stopped/) });
      expect(after.finished_at).toEqual(expect.any(String));
      expect(await env.s.services.aiTraining.failInterrupted()).toBe(0);
      await env.s.api(`${base}/${made.id}`, { method: "DELETE" });
    });

    it("lets a rep read and predict but not make, change or train; another workspace sees nothing", async () => {
      const { token: rep } = await env.s.newWorkspace(`ai-rep-${kind.name}`, "rep");
      expect((await env.s.api(base, { method: "POST", json: MODEL, as: rep })).status).toBe(403);
      const rep2 = (await env.s.services.tokens.create(env.s.workspace.id, "rep", "rep")).secret;
      const list = (await (await env.s.api(base, { as: rep2 })).json()) as Json;
      expect(list.data.map((m: Json) => m.name)).toContain("Ticket category");
      expect((await env.s.api(`${base}/Ticket category/train`, { method: "POST", as: rep2 })).status).toBe(403);
      // Reading the trainings and versions is for every role.
      const versions = (await (await env.s.api(`${base}/Ticket category/versions`, { as: rep2 })).json()) as Json;
      expect(versions.data.map((v: Json) => v.version)).toEqual([2, 1]);
      expect((await env.s.api(`${base}/Ticket category/trainings`, { as: rep2 })).status).toBe(200);
      expect((await env.s.api(`${base}/Ticket category`, { method: "PATCH", json: { threshold: 0.1 }, as: rep2 })).status).toBe(403);
      expect((await env.s.api(`${base}/Ticket category`, { method: "DELETE", as: rep2 })).status).toBe(403);
      const other = await env.s.newWorkspace(`ai-other-${kind.name}`);
      expect((await env.s.api(`${base}/Ticket category`, { as: other.token })).status).toBe(404);
      expect((await env.s.api(`${base}/Ticket category/versions`, { as: other.token })).status).toBe(404);
      expect((await env.s.api(`${base}/Ticket category/train`, { method: "POST", as: other.token })).status).toBe(404);
    });
  });
}
