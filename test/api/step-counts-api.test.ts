/**
 * Runs on the canvas over real HTTP on both stores (issue 15, item 6): GET
 * /workflows/{id}/step-counts counts the live version's runs per step (passed, waiting, failed)
 * for real runs the worker took, and GET /runs?step=&step_state= lists exactly those runs. Bad
 * input is a 400 naming its parameter; another workspace's workflow and a missing version are 404.
 */
import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const definition = {
  key: "tag-then-wait",
  name: "Tag then wait",
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "record_created" },
  start: "tag",
  steps: {
    tag: { type: "action", action: { type: "update_fields", fields: { status: "working" } }, next: "wait" },
    wait: { type: "delay", duration: { days: 2 }, next: "done" },
    done: { type: "end" },
  },
};

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const stop = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > stop) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`step counts and the runs step filter on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: true });

    it("counts the live version's runs per step, and each count opens exactly its runs", async () => {
      const wf = await env.s.publish(definition);
      const lead = await env.s.post("/api/v1/leads", { last_name: "Counted" });
      const counts = await until(
        () => env.s.json(`/api/v1/workflows/${wf.id}/step-counts`),
        (c) => c.steps.wait?.waiting === 1,
      );
      expect(counts).toMatchObject({
        workflow_id: wf.id,
        version: 1,
        steps: { tag: { passed: 1, waiting: 0, failed: 0 }, wait: { passed: 0, waiting: 1, failed: 0 } },
      });
      expect(Object.keys(counts.steps).sort()).toEqual(["tag", "wait"]);
      // The default period is the last 7 days.
      expect(Math.abs(Date.parse(counts.since) - (Date.now() - 7 * 86_400_000))).toBeLessThan(60_000);

      const opened = await env.s.json(
        `/api/v1/runs?workflow_id=${wf.id}&version=1&since=${encodeURIComponent(counts.since)}&step=wait&step_state=waiting`,
      );
      expect(opened.data.map((r: Json) => r.record_id)).toEqual([lead.id]);
      expect((await env.s.json(`/api/v1/runs?workflow_id=${wf.id}&step=wait&step_state=passed`)).data).toEqual([]);
      expect((await env.s.json(`/api/v1/runs?workflow_id=${wf.id}&step=tag&step_state=passed`)).data).toHaveLength(1);
      // By key and by version, and a period that starts after the run: nothing counted.
      expect((await env.s.json(`/api/v1/workflows/tag-then-wait/step-counts?version=1`)).steps.tag.passed).toBe(1);
      const later = new Date(Date.now() + 60_000).toISOString();
      expect((await env.s.json(`/api/v1/workflows/${wf.id}/step-counts?since=${encodeURIComponent(later)}`)).steps).toEqual({});
    });

    it("refuses what it cannot read, naming it; another workspace's workflow and a missing version are not found", async () => {
      const wf = await env.s.get("/api/v1/workflows/tag-then-wait");
      const problem = async (path: string, status: number) => {
        const res = await env.s.api(path);
        expect(res.status).toBe(status);
        return (await res.json()) as Json;
      };
      expect((await problem(`/api/v1/workflows/${wf.id}/step-counts?since=last-week`, 400)).errors[0].path).toBe("since");
      expect((await problem(`/api/v1/workflows/${wf.id}/step-counts?version=two`, 400)).errors[0].path).toBe("version");
      expect((await problem(`/api/v1/workflows/${wf.id}/step-counts?version=0`, 400)).errors[0].path).toBe("version");
      expect((await problem(`/api/v1/workflows/${wf.id}/step-counts?version=9`, 404)).errors[0].path).toBe("version");
      await problem("/api/v1/workflows/nope/step-counts", 404);
      const other = await env.s.newWorkspace("other-co");
      const res = await env.s.api(`/api/v1/workflows/${wf.id}/step-counts`, { as: other.token });
      expect(res.status).toBe(404);
      const theirs = await env.s.api(`/api/v1/runs?workflow_id=${wf.id}&step=tag&step_state=passed`, { as: other.token });
      expect(theirs.status).toBe(404);

      expect((await problem(`/api/v1/runs?step=tag&step_state=stuck`, 400)).errors[0].path).toBe("step_state");
      expect((await problem(`/api/v1/runs?step_state=failed`, 400)).errors[0].path).toBe("step");
      expect((await problem(`/api/v1/runs?workflow_id=${wf.id}&version=v1`, 400)).errors[0].path).toBe("version");
    });
  });
}
