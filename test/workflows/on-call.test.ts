/**
 * A team's on-call rotation over HTTP with the worker, on both stores (docs/sla.md, "On-call"):
 * a notify step to `{ "on_call_of": "assignee_id" }` reaches whoever is on call this week in the
 * assignee's team, and the step's log says who and until when; a rotation that is not one is a
 * 422 naming the field; a team without a rotation leaves the step failed, saying why.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`on-call rotations on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: true });
    const page = (key: string) => ({
      key,
      name: key,
      description: "Why it exists: a test fixture (publishing needs a description).",
      object: "ticket",
      trigger: { type: "manual" },
      start: "page",
      steps: {
        page: { type: "action", action: { type: "notify", to: { on_call_of: "assignee_id" }, message: "P1: {{ record.subject }}" } },
      },
    });
    const finished = (workflowId: string) =>
      eventually(`a finished run of ${workflowId}`, async () =>
        ((await env.s.get(`/api/v1/runs?workflow_id=${workflowId}`)).data as Json[]).find(
          (r) => r.status === "completed" || r.status === "failed",
        ),
      );

    it("notifies whoever is on call this week in the assignee's team", async () => {
      const team = await env.s.post("/api/v1/teams", { name: "Support", time_zone: "Europe/Paris" });
      const people: Json[] = [];
      for (const name of ["Ann", "Bob", "Cleo"])
        people.push(await env.s.post("/api/v1/users", { name, email: `${name.toLowerCase()}@oncall.test`, role: "rep", team_id: team.id }));
      // Started three weeks and a day ago, handing over at midnight: this is the rotation's fourth
      // week, the first member's again.
      const starts = DateTime.now().setZone("Europe/Paris").minus({ weeks: 3, days: 1 }).toISODate() as string;
      const onCall = { members: people.map((p) => p.id), starts, handover: "00:00" };
      const saved = await env.s.api(`/api/v1/teams/${team.id}`, { method: "PATCH", json: { on_call: onCall } });
      expect(saved.status).toBe(200);
      expect(((await saved.json()) as Json).on_call).toEqual(onCall);

      const ticket = await env.s.post("/api/v1/tickets", { subject: "Site down", priority: "P1", assignee_id: people[2]?.id });
      const w = await env.s.publish(page("page-on-call"));
      await env.s.post(`/api/v1/workflows/${w.id}/enroll`, { record_ids: [ticket.id] });
      const run = await finished(w.id);
      expect(run.status).toBe("completed");
      const inbox = await env.s.services.store.notifications.listNotifications({
        workspaceId: env.s.workspace.id,
        userId: people[0]?.id,
        limit: 10,
      });
      expect(inbox.map((n) => n.message)).toEqual(["P1: Site down"]);
      const steps = (await env.s.get(`/api/v1/runs/${run.id}`)).steps as Json[];
      expect(JSON.stringify(steps)).toContain("Ann, on call for Cleo's team Support until");
    });

    it("refuses a rotation that is not one, naming the field, and saves nothing", async () => {
      const team = await env.s.post("/api/v1/teams", { name: "Night shift" });
      for (const bad of [
        { members: [], starts: "2026-01-05" },
        { members: ["u"], starts: "2026-02-30" },
        { members: ["u"], starts: "2026-01-05", handover: "25:00" },
        { members: ["u"], starts: "2026-01-05", every: "week" },
      ]) {
        const res = await env.s.api(`/api/v1/teams/${team.id}`, { method: "PATCH", json: { on_call: bad } });
        expect(res.status, JSON.stringify(bad)).toBe(422);
        expect(((await res.json()) as Json).errors[0].path).toBe("on_call");
      }
      expect((await env.s.get(`/api/v1/teams/${team.id}`)).on_call ?? null).toBeNull();
    });

    it("refuses a rotation naming someone who is not a user, at the member's path, and saves nothing", async () => {
      const team = await env.s.post("/api/v1/teams", { name: "Weekend shift" });
      const eve = await env.s.post("/api/v1/users", { name: "Eve", email: "eve@oncall.test", role: "rep", team_id: team.id });
      const res = await env.s.api(`/api/v1/teams/${team.id}`, {
        method: "PATCH",
        json: { on_call: { members: [eve.id, "no-such-user", team.id], starts: "2026-01-05" } },
      });
      expect(res.status).toBe(422);
      const errors = ((await res.json()) as Json).errors as Json[];
      expect(errors.map((e) => [e.path, e.code])).toEqual([
        ["on_call.members[1]", "invalid_reference"],
        ["on_call.members[2]", "invalid_reference"],
      ]);
      expect((await env.s.get(`/api/v1/teams/${team.id}`)).on_call ?? null).toBeNull();
    });

    it("fails the step, saying why, when the assignee's team has no rotation", async () => {
      const team = await env.s.post("/api/v1/teams", { name: "No rota" });
      const dee = await env.s.post("/api/v1/users", { name: "Dee", email: "dee@oncall.test", role: "rep", team_id: team.id });
      const ticket = await env.s.post("/api/v1/tickets", { subject: "Nobody home", assignee_id: dee.id });
      const w = await env.s.publish(page("page-nobody"));
      await env.s.post(`/api/v1/workflows/${w.id}/enroll`, { record_ids: [ticket.id] });
      const run = await finished(w.id);
      expect(run.status).toBe("failed");
      expect(run.reason ?? JSON.stringify(run)).toContain("nobody to notify");
    });
  });
}
