/**
 * Conflict detection at publish over real HTTP on both stores (issue 19, item 4; docs/testing-
 * workflows.md "Conflicts"): the preview lists the draft's warnings against the live workflows;
 * publishing without acknowledging them is refused with a 409 naming the workflows and the field
 * (nothing published); a stale list of ids is refused too; with the acknowledgement it publishes
 * and the version keeps who acknowledged what, and when. Workflows that cannot both write
 * (stage = closed_won vs closed_lost) publish without a warning. A malformed acknowledgement is a
 * 400 naming it; a rep sees no preview and cannot publish.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const setsStatus = (key: string, name: string, status: string, conditions?: unknown) => ({
  key,
  name,
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "record_created" },
  ...(conditions ? { conditions } : {}),
  start: "set",
  steps: { set: { type: "action", action: { type: "update_fields", fields: { status } } } },
});
const dealNote = (key: string, stage: string, next: string) => ({
  key,
  name: `On ${stage}`,
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "deal",
  trigger: { type: "field_changed", field: "stage", to: stage },
  start: "set",
  steps: { set: { type: "action", action: { type: "update_fields", fields: { name: next } } } },
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`conflicts at publish on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: false });
    let draftId: string;
    const publish = (id: string, json: unknown, as?: string) =>
      env.s.api(`/api/v1/workflows/${id}/publish`, { method: "POST", json, ...(as ? { as } : {}) });
    const states = async (id: string) => ((await env.s.get(`/api/v1/workflows/${id}`)).versions as Json[]).map((v) => v.state);

    beforeAll(async () => {
      const live = await env.s.post("/api/v1/workflows", {
        definition: setsStatus("qualify-hot", "Qualify hot leads", "qualified", { field: "score", op: "gt", value: 50 }),
      });
      // The first workflow has nothing to conflict with: it publishes without acknowledging anything.
      expect((await publish(live.id, {})).status).toBe(200);
      draftId = (
        await env.s.post("/api/v1/workflows", {
          definition: setsStatus("nurture-big", "Nurture big companies", "nurturing", { field: "employee_count", op: "gte", value: 100 }),
        })
      ).id;
    });

    it("lists the warning in the preview: both workflows by key and name, the field, the values, a sentence", async () => {
      const preview = await env.s.get(`/api/v1/workflows/${draftId}/publish-preview`);
      expect(preview.conflicts).toHaveLength(1);
      expect(preview.conflicts[0]).toMatchObject({
        kind: "write_conflict",
        object: "lead",
        fields: ["status"],
        workflows: [
          { key: "nurture-big", name: "Nurture big companies" },
          { key: "qualify-hot", name: "Qualify hot leads" },
        ],
        writes: [
          { workflow: "nurture-big", field: "status", step: "set", value: '"nurturing"' },
          { workflow: "qualify-hot", field: "status", step: "set", value: '"qualified"' },
        ],
      });
      expect(preview.conflicts[0].id).toMatch(/^write-[0-9a-f]{8}$/);
    });

    it("refuses to publish without the acknowledgement (409 naming the workflows and the field), publishing nothing", async () => {
      const res = await publish(draftId, { note: "first try" });
      const body = (await res.json()) as Json;
      expect(res.status).toBe(409);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(body.detail).toContain("publishing nurture-big needs its conflicts acknowledged");
      expect(body.detail).toContain('"Nurture big companies" (nurture-big) sets status to "nurturing"');
      expect(body.detail).toContain('"Qualify hot leads" (qualify-hot) sets it to "qualified"');
      const { id } = (await env.s.get(`/api/v1/workflows/${draftId}/publish-preview`)).conflicts[0];
      expect(body.errors).toEqual([
        { path: "acknowledge_conflicts", code: "invalid_value", message: expect.stringContaining(id), expected: [id] },
      ]);
      expect(await states(draftId)).toEqual(["draft"]);
    });

    it("refuses a stale acknowledgement (other ids) and a malformed one (400 naming it)", async () => {
      const stale = await publish(draftId, { acknowledge_conflicts: ["write-00000000"] });
      expect(stale.status).toBe(409);
      expect(((await stale.json()) as Json).detail).toContain("not the current ones (write-00000000)");
      for (const bad of [["x".repeat(65)], "yes", 1, [1], {}]) {
        const res = await publish(draftId, { acknowledge_conflicts: bad });
        expect(res.status, JSON.stringify(bad)).toBe(400);
        expect(((await res.json()) as Json).errors.map((e: Json) => e.path)).toEqual(["acknowledge_conflicts"]);
      }
      expect(await states(draftId)).toEqual(["draft"]);
    });

    it("does not let a rep see the warnings or publish past them", async () => {
      const rep = (await env.s.services.tokens.create(env.s.workspace.id, "rep", "rep")).secret;
      expect((await env.s.api(`/api/v1/workflows/${draftId}/publish-preview`, { as: rep })).status).toBe(404);
      expect((await publish(draftId, { acknowledge_conflicts: true }, rep)).status).toBe(404);
      expect(await states(draftId)).toEqual(["draft"]);
    });

    it("publishes with the current ids acknowledged, and keeps who acknowledged which warnings and when", async () => {
      const [warning] = (await env.s.get(`/api/v1/workflows/${draftId}/publish-preview`)).conflicts;
      const res = await publish(draftId, { acknowledge_conflicts: [warning.id], note: "both are right" });
      expect(res.status, await res.clone().text()).toBe(200);
      const page = await env.s.get(`/api/v1/workflows/${draftId}`);
      const [v1] = page.versions;
      expect(v1).toMatchObject({ state: "published", note: "both are right" });
      expect(v1.conflicts_acknowledged.by).toEqual(v1.published_by && { kind: v1.published_by.kind, id: v1.published_by.id });
      expect(v1.conflicts_acknowledged.at).toBe(v1.published_at);
      expect(v1.conflicts_acknowledged.warnings).toEqual([warning]);
      // The next draft has none until it is published with its own.
      await env.s.post("/api/v1/workflows", {
        definition: setsStatus("nurture-big", "Nurture big companies", "nurturing", { field: "employee_count", op: "gte", value: 500 }),
      });
      const versions = (await env.s.get(`/api/v1/workflows/${draftId}`)).versions as Json[];
      expect(versions.map((v) => [v.version, v.state, v.conflicts_acknowledged?.warnings.length ?? null])).toEqual([
        [2, "draft", null],
        [1, "published", 1],
      ]);
      // `true` acknowledges whatever the warnings are now.
      expect((await publish(draftId, { acknowledge_conflicts: true })).status).toBe(200);
    });

    it("publishes without a warning two workflows writing one field under stage = closed_won vs closed_lost", async () => {
      await env.s.publish(dealNote("on-won", "closed_won", "won: send the contract"));
      const lost = await env.s.post("/api/v1/workflows", { definition: dealNote("on-lost", "closed_lost", "lost: ask why") });
      expect((await env.s.get(`/api/v1/workflows/${lost.id}/publish-preview`)).conflicts).toEqual([]);
      expect((await publish(lost.id, {})).status).toBe(200);
      const [v1] = (await env.s.get(`/api/v1/workflows/${lost.id}`)).versions;
      expect(v1.conflicts_acknowledged).toBeNull();
    });
  });
}
