/**
 * The workflows list and a workflow's page over real HTTP on both stores (issue 14, item 6):
 * status (draft / published / archived), description, runs and failures of the last 7 days,
 * who changed it last and who published each version; the runs filter `since`; archive retires
 * the draft too, a second archive is a 409, and a rep may not archive.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { completed, ended, type RunState, waiting } from "../../src/engine/run-state.js";
import type { RunRow } from "../../src/store/workflow-ports.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;
const DAY = 86_400_000;

const definition = (key: string, description?: string) => ({
  key,
  name: `Workflow ${key}`,
  ...(description ? { description } : {}),
  object: "lead",
  trigger: { type: "record_created" },
  start: "done",
  steps: { done: { type: "end" } },
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`workflows list and page on ${kind.name}`, () => {
    const env = useTestServer(kind);
    let published: Json;
    let draft: Json;
    let rep: string;

    /** A valid run state of each status, as the engine's constructors make it. */
    const stateOf = (status: string, at: string): RunState => {
      const paused = waiting("s1", { kind: "timer", timerId: "t1", dueAt: at, next: null }, 1);
      if (status === "waiting") return paused;
      if (status === "completed") return completed("done", 1);
      if (status === "failed") return ended(paused, "failed", "boom");
      throw new Error(`no state for ${status}`);
    };

    /** Runs as the runtime would have written them, created `ageDays` ago. */
    const runs = async (workflowId: string, list: Array<[ageDays: number, status: string]>) => {
      const now = Date.now();
      await env.s.services.store.transaction(async (tx) => {
        await tx.runs.insertRuns(
          list.map(([age, status], i): RunRow => {
            const at = new Date(now - age * DAY).toISOString();
            return {
              workspaceId: env.s.workspace.id,
              id: `01RUN${workflowId.slice(-6)}${String(i).padStart(4, "0")}`,
              workflowId,
              version: 1,
              recordId: `rec${i}`,
              triggerKey: `test:${i}`,
              state: stateOf(status, at),
              seq: 1,
              depth: 1,
              createdAt: at,
              updatedAt: at,
              finishedAt: null,
            };
          }),
        );
      });
    };

    beforeAll(async () => {
      rep = (await env.s.services.tokens.create(env.s.workspace.id, "rep", "rep")).secret;
      published = await env.s.publish(definition("alpha", "Why alpha exists."));
      draft = await env.s.post("/api/v1/workflows", { definition: definition("beta") });
      await runs(published.id, [
        [0.5, "completed"],
        [1, "failed"],
        [2, "waiting"],
        [6.5, "failed"],
        [8, "failed"],
        [40, "completed"],
      ]);
    });

    it("lists each workflow with its status, description, 7-day runs and failures, and who changed it", async () => {
      const { data } = await env.s.get("/api/v1/workflows");
      const alpha = data.find((w: Json) => w.key === "alpha");
      const beta = data.find((w: Json) => w.key === "beta");
      expect(alpha).toMatchObject({
        status: "published",
        live_version: 1,
        description: "Why alpha exists.",
        runs_7d: 4,
        failures_7d: 2,
        updated_by: { kind: "person", name: "API token “acme admin”" },
      });
      expect(beta).toMatchObject({ status: "draft", live_version: null, description: null, runs_7d: 0, failures_7d: 0 });
    });

    it("a workflow's page: the same summary, its versions with who published them, the runs filter since", async () => {
      const page = await env.s.get(`/api/v1/workflows/${published.id}`);
      expect(page).toMatchObject({ status: "published", runs_7d: 4, failures_7d: 2, description: "Why alpha exists." });
      expect(page.versions).toEqual([
        expect.objectContaining({ version: 1, state: "published", published_by: expect.objectContaining({ kind: "person" }) }),
      ]);
      expect(page.versions[0].published_at).toEqual(expect.any(String));

      const since = new Date(Date.now() - 7 * DAY).toISOString();
      const recent = await env.s.get(`/api/v1/runs?workflow_id=${published.id}&since=${encodeURIComponent(since)}`);
      expect(recent.data).toHaveLength(4);
      const failed = await env.s.get(`/api/v1/runs?workflow_id=${published.id}&since=${encodeURIComponent(since)}&status=failed`);
      expect(failed.data).toHaveLength(2);
      const bad = await env.s.api("/api/v1/runs?since=last-week");
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as Json).errors[0].path).toBe("since");
      expect((await env.s.get("/api/v1/runs?since=2020-01-01")).data.length).toBeGreaterThanOrEqual(6);
    });

    it("archive: a rep is refused, an admin retires the workflow (draft too), a second archive is a 409", async () => {
      const byRep = await env.s.api(`/api/v1/workflows/${draft.id}/archive`, { method: "POST", json: {}, as: rep });
      expect(byRep.status).toBe(404);
      const res = await env.s.api(`/api/v1/workflows/${draft.id}/archive`, { method: "POST", json: {} });
      expect(res.status).toBe(200);
      const after = await env.s.get(`/api/v1/workflows/${draft.id}`);
      expect(after.status).toBe("archived");
      expect(after.versions.map((v: Json) => v.state)).toEqual(["archived"]);
      const again = await env.s.api(`/api/v1/workflows/${draft.id}/archive`, { method: "POST", json: {} });
      expect(again.status).toBe(409);
      expect(((await again.json()) as Json).detail).toBe("beta is already archived");
      // Saving it again makes a new draft version: a draft once more.
      await env.s.post("/api/v1/workflows", { definition: definition("beta") });
      expect((await env.s.get(`/api/v1/workflows/${draft.id}`)).status).toBe("draft");
    });
  });
}
