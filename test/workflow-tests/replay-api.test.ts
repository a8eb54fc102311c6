/**
 * Replay with a diff over HTTP, on both stores (issue 19): speed-to-lead's triggers received in
 * production replayed against drafts. Done when: a draft whose condition moved from score > 40
 * to score > 60 lists exactly the leads that would no longer enroll and the others as unchanged;
 * nothing live is written (row counts of every table) and no connection is made (a listener on
 * every connector's address). And the attacker's tries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Json,
  type Listener,
  rowCounts,
  type SandboxWorkspace,
  seedSandboxWorkspace,
  speedToLead,
  startListener,
} from "../helpers/sandbox-workspace.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

const SCORES = [30, 45, 50, 55, 61, 70, 85];

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`replay with a diff on ${kind.name}`, () => {
    const listeners = {} as { smtp: Listener; http: Listener; chat: Listener; hook: Listener };
    beforeAll(async () => {
      for (const k of ["smtp", "http", "chat", "hook"] as const) listeners[k] = await startListener();
    });
    afterAll(async () => {
      for (const l of Object.values(listeners)) await l?.close();
    });
    const env = useTestServer(kind, () => [{}, { egressAllow: Object.values(listeners).map((l) => `127.0.0.1:${l.port}`) }]);
    let ws: SandboxWorkspace;
    let since: string;
    const leads = new Map<number, string>();

    let early: string;
    beforeAll(async () => {
      // A lead that came in before speed-to-lead went live: production never received it.
      early = (await env.s.post("/api/v1/leads", { first_name: "Early", last_name: "Bird", score: 95, employee_count: 300 })).id;
      ws = await seedSandboxWorkspace(env.s, listeners);
      since = new Date(Date.now() - 1000).toISOString();
      // Production's history: seven leads, the six over 40 enrolled by the live version; their
      // auto-reply still on the outbox (no dispatcher here), as production left them.
      for (const score of SCORES) {
        const lead = await env.s.post("/api/v1/leads", {
          first_name: "Lead",
          last_name: `Score${score}`,
          email: `score${score}@example.com`,
          score,
          employee_count: 300,
        });
        leads.set(score, lead.id);
      }
      await env.s.services.worker.drain();
    });

    const draft = async (change: (d: Json) => void) => {
      const d = speedToLead();
      change(d);
      return env.s.post("/api/v1/workflows", { definition: d });
    };
    const replay = (body: unknown, as?: string) =>
      env.s.api(`/api/v1/workflows/${ws.speedToLeadId}/replays`, { method: "POST", json: body, ...(as ? { as } : {}) });

    it("score > 40 → score > 60: exactly the leads of 45, 50 and 55 no longer enroll, the others unchanged; nothing live written, nothing sent", async () => {
      const runs = (await env.s.get(`/api/v1/runs?workflow_id=${ws.speedToLeadId}&limit=50`)).data as Json[];
      expect(runs).toHaveLength(6);
      // A person raised one lead's score since: the replay judges the trigger on the lead as it was.
      await env.s.json(`/api/v1/leads/${leads.get(45)}`, { method: "PATCH", json: { score: 90 } });
      await draft((d) => {
        d.conditions.and[0].value = 60;
      });
      const before = await rowCounts(env.t.store);
      const res = await replay({ since });
      expect(res.status).toBe(200);
      const r = (await res.json()) as Json;
      expect(await rowCounts(env.t.store)).toEqual(before);
      for (const l of Object.values(listeners)) expect(l.connections()).toBe(0);

      expect(r.read).toBe(SCORES.length);
      expect(r.counts).toEqual({ unchanged: 3, changed: 0, new: 0, no_longer_enrolled: 3 });
      const by = (verdict: string) =>
        r.triggers
          .filter((t: Json) => t.verdict === verdict)
          .map((t: Json) => t.record_id)
          .sort();
      expect(by("no_longer_enrolled")).toEqual([45, 50, 55].map((s) => leads.get(s)).sort());
      expect(by("unchanged")).toEqual([61, 70, 85].map((s) => leads.get(s)).sort());
      const kept = r.triggers.find((t: Json) => t.record_id === leads.get(85));
      // The same path as production (waiting on the auto-reply's delivery), the same owner kept.
      expect(kept.production.path).toEqual(["assign", "call-task", "auto-reply"]);
      for (const aspect of ["status", "path", "fields", "owner", "messages"]) expect(kept.draft[aspect]).toEqual(kept.production[aspect]);
      expect(kept.draft.created.map((c: Json) => c.fields.subject)).toEqual(["Call within 5 min: Lead Score85"]);
      expect(ws.reps.map((x) => x.id)).toContain(kept.draft.owner);
      expect(kept.draft.messages).toEqual([{ kind: "email", to: "score85@example.com", what: "Thanks for reaching out, Lead" }]);
      expect(r.tested).toMatchObject({ source: "draft", version: 2 });
    });

    it("a changed subject is a change, named; a lower threshold enrolls the lead of 30 as new", async () => {
      await draft((d) => {
        d.conditions.and[0].value = 20;
        d.steps["auto-reply"].action.subject = "Hello {{ record.first_name }}";
      });
      const r = (await (await replay({ since })).json()) as Json;
      expect(r.counts).toEqual({ unchanged: 0, changed: 6, new: 1, no_longer_enrolled: 0 });
      const fresh = r.triggers.find((t: Json) => t.verdict === "new");
      expect(fresh.record_id).toBe(leads.get(30));
      expect(fresh.production).toBeNull();
      // An action production never took is taken as delivered: the new run goes on to wait for the call.
      expect(fresh.draft.path).toEqual(["assign", "call-task", "auto-reply", "wait-for-call"]);
      expect(fresh.draft.status).toBe("waiting");
      // The new lead took a turn of the round-robin in the sandbox; the others keep production's owner.
      for (const t of r.triggers.filter((x: Json) => x.verdict === "changed"))
        expect(t.differences.map((d: Json) => d.aspect)).toEqual(["messages"]);
      const changed = r.triggers.find((t: Json) => t.record_id === leads.get(70));
      expect(changed.draft.messages[0].what).toBe("Hello Lead");
    });

    it("reads no trigger from before the workflow first went live", async () => {
      const r = (await (await replay({ limit: 500 })).json()) as Json;
      expect(r.read).toBe(SCORES.length);
      expect(r.triggers.map((t: Json) => t.record_id)).not.toContain(early);
    });

    it("takes the newest `limit` triggers", async () => {
      const r = (await (await replay({ since, limit: 2 })).json()) as Json;
      expect(r.read).toBe(2);
      expect(r.triggers.map((t: Json) => t.record_id).sort()).toEqual([leads.get(70), leads.get(85)].sort());
    });

    it("refuses a rep, another workspace, a limit over 500, an empty period, a workflow never live", async () => {
      const { secret } = await env.s.services.tokens.create(env.s.workspace.id, "a rep", "rep");
      expect((await replay({}, secret)).status).toBe(403);
      const other = await env.s.newWorkspace("other-replay");
      expect((await replay({}, other.token)).status).toBe(404);
      const big = await replay({ limit: 501 });
      expect(big.status).toBe(422);
      expect(JSON.stringify(await big.json())).toContain('"limit"');
      const empty = await replay({ since: "2026-01-02T00:00:00Z", until: "2026-01-01T00:00:00Z" });
      expect(empty.status).toBe(422);
      expect(JSON.stringify(await empty.json())).toContain('"until"');
      const bad = await replay({ since: "last week" });
      expect(bad.status).toBe(422);
      const never = await env.s.post("/api/v1/workflows", { definition: { ...speedToLead(), key: "never-live", name: "Never live" } });
      const res = await env.s.api(`/api/v1/workflows/${never.id}/replays`, { method: "POST", json: {} });
      expect(res.status).toBe(409);
    });
  });
}
