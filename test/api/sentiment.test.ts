/**
 * Sentiment over real HTTP on both stores (docs/ai.md#sentiment): tickets and activities carry the
 * tone of their text, kept by Handoff (no caller writes it — a person, an integration or a
 * workflow), scored again when the text changes, filterable, and a workflow condition like any
 * field: an angry P1 ticket is escalated, a calm P1 or an angry P3 is not.
 */
import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const ANGRY = "I am furious. The export is broken again and this is a terrible way to treat a paying customer.";
const CALM = "Thanks for the quick help yesterday, the new report works great.";

/** "Negative sentiment on a P1 ticket → escalate": a P1 task for whoever has the ticket, with the words in it. */
const escalate = {
  key: "escalate-angry-p1",
  name: "Escalate angry P1 tickets",
  description: "Why it exists: an angry customer on an urgent ticket needs a person now (test fixture).",
  object: "ticket",
  trigger: { type: "record_created" },
  conditions: {
    and: [
      { field: "sentiment_label", op: "eq", value: "negative" },
      { field: "priority", op: "eq", value: "P1" },
    ],
  },
  start: "task",
  steps: {
    task: {
      type: "action",
      action: { type: "create_task", subject: "Angry P1: {{ record.subject }} ({{ record.sentiment_words }})", priority: "P1" },
    },
  },
};

async function problemOf(res: Response, status: number): Promise<Json> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return (await res.json()) as Json;
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`sentiment on ${kind.name}`, () => {
    const env = useTestServer(kind, () => [{}, { worker: true }]);

    it("a ticket created with an angry description is negative, with the words that made it so; a calm one is positive", async () => {
      const angry = await env.s.post("/api/v1/tickets", { subject: "Export broken", description: ANGRY, priority: "P2" });
      expect(angry.sentiment_label).toBe("negative");
      expect(angry.sentiment).toBeLessThan(-0.7);
      expect(angry.sentiment_words).toBe("'furious' \u22122.7, 'broken' \u22122.1, 'terrible' \u22122.1");
      const calm = await env.s.post("/api/v1/tickets", { subject: "Report", description: CALM });
      expect(calm).toMatchObject({ sentiment_label: "positive" });
      expect(calm.sentiment).toBeGreaterThan(0.5);
      // Read back as stored, and found by a filter like any field.
      expect(await env.s.get(`/api/v1/tickets/${angry.id}`)).toMatchObject({
        sentiment: angry.sentiment,
        sentiment_words: angry.sentiment_words,
      });
      const negative = await env.s.post("/api/v1/tickets/search", {
        filter: {
          and: [
            { field: "sentiment_label", op: "eq", value: "negative" },
            { field: "sentiment", op: "lt", value: -0.5 },
          ],
        },
      });
      expect((negative.data as Json[]).map((t) => t.id)).toContain(angry.id);
      expect((negative.data as Json[]).map((t) => t.id)).not.toContain(calm.id);
    });

    it("is scored again when the text changes, and only then", async () => {
      const t = await env.s.post("/api/v1/tickets", { subject: "Login", description: "This is not good at all" });
      expect(t).toMatchObject({ sentiment_label: "negative", sentiment_words: "'not good' \u22121.4" });
      const moved = await env.s.json(`/api/v1/tickets/${t.id}`, { method: "PATCH", json: { priority: "P2" } });
      expect(moved).toMatchObject({ sentiment: t.sentiment, sentiment_words: t.sentiment_words });
      const fixed = await env.s.json(`/api/v1/tickets/${t.id}`, {
        method: "PATCH",
        json: { description: "Works perfectly now, thank you!" },
      });
      expect(fixed.sentiment_label).toBe("positive");
      expect(fixed.sentiment).toBeGreaterThan(0.5);
    });

    it("a merge that takes the merged ticket's text takes its tone with it (and its undo puts both back)", async () => {
      const survivor = await env.s.post("/api/v1/tickets", { subject: "Export" });
      const merged = await env.s.post("/api/v1/tickets", { subject: "Export again", description: ANGRY });
      expect(survivor.sentiment_label).toBe("neutral");
      const merge = await env.s.post("/api/v1/tickets/merges", { survivor_id: survivor.id, merged_id: merged.id });
      const after = await env.s.get(`/api/v1/tickets/${survivor.id}`);
      expect(after).toMatchObject({ description: ANGRY, sentiment_label: "negative", sentiment_words: merged.sentiment_words });
      await env.s.post(`/api/v1/merges/${merge.id}/undo`, {});
      expect(await env.s.get(`/api/v1/tickets/${survivor.id}`)).toMatchObject({ sentiment_label: "neutral", sentiment: 0 });
    });

    it("an activity's subject and body have a tone too", async () => {
      const company = await env.s.post("/api/v1/companies", { name: "Initech" });
      const note = await env.s.post("/api/v1/activities", {
        type: "call",
        related_id: company.id,
        subject: "Renewal call",
        body: "Customer is very unhappy with the outage and threatens to cancel.",
      });
      expect(note.sentiment_label).toBe("negative");
      expect(note.sentiment_words).toContain("'unhappy'");
      const bare = await env.s.post("/api/v1/activities", { type: "meeting", related_id: company.id });
      expect(bare.sentiment ?? null).toBeNull();
    });

    it("no caller writes the fields: a 422 names each one, and nothing is written", async () => {
      const created = await problemOf(
        await env.s.api("/api/v1/tickets", { method: "POST", json: { subject: "Calm", description: ANGRY, sentiment: 0.9 } }),
        422,
      );
      expect(created.errors).toEqual([expect.objectContaining({ path: "sentiment", code: "managed_field" })]);
      const t = await env.s.post("/api/v1/tickets", { subject: "Calm", description: ANGRY });
      const patched = await problemOf(
        await env.s.api(`/api/v1/tickets/${t.id}`, {
          method: "PATCH",
          json: { sentiment_label: "positive", sentiment_words: "'great' +3.1" },
        }),
        422,
      );
      expect(patched.errors.map((e: Json) => [e.path, e.code])).toEqual([
        ["sentiment_label", "managed_field"],
        ["sentiment_words", "managed_field"],
      ]);
      expect(await env.s.get(`/api/v1/tickets/${t.id}`)).toMatchObject({ version: t.version, sentiment_label: "negative" });
      // Nor through an activity, nor as a rep.
      const rep = await env.s.newWorkspace("sentiment-rep", "rep");
      const asRep = await env.s.api("/api/v1/tickets", {
        method: "POST",
        as: rep.token,
        json: { subject: "x", sentiment_label: "positive" },
      });
      expect((await problemOf(asRep, 422)).errors[0]).toMatchObject({ path: "sentiment_label", code: "managed_field" });
      const activity = await env.s.api("/api/v1/activities", {
        method: "POST",
        json: { type: "note", related_id: t.id, body: "ok", sentiment: 1 },
      });
      expect((await problemOf(activity, 422)).errors[0]).toMatchObject({ path: "sentiment", code: "managed_field" });
    });

    it("a workflow cannot write it either: publishing an update of it is refused at its path", async () => {
      const saved = await env.s.post("/api/v1/workflows", {
        definition: {
          ...escalate,
          key: "cheer-up",
          name: "Cheer up",
          conditions: undefined,
          steps: { task: { type: "action", action: { type: "update_fields", fields: { sentiment_label: "positive" } } } },
        },
      });
      const res = await env.s.api(`/api/v1/workflows/${saved.id}/publish`, { method: "POST", json: {} });
      const problem = await problemOf(res, 422);
      expect(problem.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: "steps.task.action.fields.sentiment_label", code: "managed_field" })]),
      );
    });

    it("a published workflow with a sentiment condition escalates the angry P1 ticket, not the calm P1 nor the angry P3", async () => {
      await env.s.publish(escalate);
      const angryP1 = await env.s.post("/api/v1/tickets", { subject: "Everything is down", description: ANGRY, priority: "P1" });
      const calmP1 = await env.s.post("/api/v1/tickets", { subject: "Urgent question", description: CALM, priority: "P1" });
      const angryP3 = await env.s.post("/api/v1/tickets", { subject: "Export", description: ANGRY, priority: "P3" });
      await env.s.services.worker.drain();
      const tasksOf = async (id: string) =>
        (await env.s.post("/api/v1/tasks/search", { filter: { field: "related_id", op: "eq", value: id } })).data as Json[];
      const [task, ...more] = await tasksOf(angryP1.id);
      expect(more).toEqual([]);
      expect(task).toMatchObject({
        priority: "P1",
        subject: "Angry P1: Everything is down ('furious' \u22122.7, 'broken' \u22122.1, 'terrible' \u22122.1)",
      });
      expect(await tasksOf(calmP1.id)).toEqual([]);
      expect(await tasksOf(angryP3.id)).toEqual([]);
    });
  });
}
