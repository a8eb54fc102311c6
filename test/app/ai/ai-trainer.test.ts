/**
 * The background trainer (docs/ai.md "Training"), on both stores: one training of a model at a
 * time (a second asked for meanwhile is a 409, nothing queued), a rep cannot start one, and a
 * process stopping fails its running training instead of leaving it "running" — the model keeps
 * what it had. A training that succeeds moves through the phases in order, its progress never
 * going back, and makes the next version.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INTERRUPTED, type TrainingJobView } from "../../../src/app/ai/ai-trainer.js";
import { type CallContext, systemContext } from "../../../src/app/context.js";
import { AppError } from "../../../src/app/errors.js";
import { buildServices, type Services } from "../../../src/composition/root.js";
import { labelledTickets } from "../../../src/seed/demo-ticket-texts.js";
import { STORES, type TestStore } from "../../helpers/stores.js";

const MODEL = {
  name: "Ticket category",
  description: "",
  object: "ticket",
  target: "category",
  text_fields: ["subject", "description"],
  value_fields: [],
  threshold: 0.6,
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`the AI trainer, on ${kind.name}`, () => {
    let t: TestStore;
    let s: Services;
    let ctx: CallContext;

    beforeAll(async () => {
      t = await kind.open();
      s = buildServices(t.store);
      ctx = systemContext((await s.workspaces.create("trainer", "Trainer")).id, "test");
      const tickets = labelledTickets(600, 3).map(({ subject, description, category }) => ({ subject, description, category }));
      await s.writer.createMany(ctx, "ticket", tickets);
      await s.aiModels.create(ctx, MODEL);
    }, 60_000);
    afterAll(async () => {
      await s?.aiTraining.stop();
      await t?.dispose();
    });

    it("trains one at a time: a second training asked for meanwhile is refused; a rep cannot start one", async () => {
      const asked = await Promise.allSettled([s.aiTraining.start(ctx, MODEL.name), s.aiTraining.start(ctx, MODEL.name)]);
      const started = asked.filter((a): a is PromiseFulfilledResult<TrainingJobView> => a.status === "fulfilled");
      const refused = asked.filter((a): a is PromiseRejectedResult => a.status === "rejected");
      expect(started).toHaveLength(1);
      expect(refused).toHaveLength(1);
      const why = refused[0]?.reason as AppError;
      expect(why).toBeInstanceOf(AppError);
      expect(why.kind).toBe("conflict");
      expect(why.message).toMatch(/is already training/);

      expect(await s.aiTraining.wait(ctx, started[0]?.value.id as string)).toMatchObject({ state: "succeeded", version: 1 });

      // Followed from its start: every phase, in order, the progress never going back.
      const seen: TrainingJobView[] = [];
      const done = await s.aiTraining.wait(ctx, (await s.aiTraining.start(ctx, MODEL.name)).id, (j) => seen.push(j));
      expect(done).toMatchObject({ state: "succeeded", phase: "done", progress: 1, version: 2 });
      const order = ["queued", "reading records", "learning", "measuring", "saving", "done"];
      const phases = seen.map((j) => order.indexOf(j.phase));
      expect(phases).not.toContain(-1);
      expect(phases).toEqual([...phases].sort((a, b) => a - b));
      expect(seen.map((j) => j.progress)).toEqual([...seen.map((j) => j.progress)].sort((a, b) => a - b));
      // Every phase of the work was seen by a waiter in this process.
      for (const phase of ["reading records", "learning", "measuring", "saving"]) expect(seen.map((j) => j.phase)).toContain(phase);
      expect((await s.aiTraining.jobs(ctx, MODEL.name)).map((j) => j.state)).toEqual(["succeeded", "succeeded"]);

      const rep: CallContext = { ...ctx, role: "rep" };
      await expect(s.aiTraining.start(rep, MODEL.name)).rejects.toMatchObject({ kind: "forbidden" });
    });

    it("a process that stops fails its running training, and the model keeps the version it had", async () => {
      const before = await s.aiModels.get(ctx, MODEL.name);
      const job = await s.aiTraining.start(ctx, MODEL.name);
      await s.aiTraining.stop();
      const ended = await s.aiTraining.wait(ctx, job.id);
      expect(ended).toMatchObject({ state: "failed", phase: "failed", error: INTERRUPTED, version: null });
      const after = await s.aiModels.get(ctx, MODEL.name);
      expect(after.training?.model_version).toBe(2);
      expect(after.version).toBe(before.version);
      expect(after.training_job).toMatchObject({ id: job.id, state: "failed" });
      expect((await s.aiTraining.versions(ctx, MODEL.name)).map((v) => v.version)).toEqual([2, 1]);
      // Nothing left unfinished for the next start to fail.
      expect(await s.aiTraining.failInterrupted()).toBe(0);
    });
  });
}
