/**
 * Inactivity (and relative-date) workflows and the records already past their instant when the
 * workflow is published: a preview counts those that would enroll, `backfill: true` enrolls them
 * paced by the rate cap (here 4 a minute: 2 per minute), and a run that ends re-arms an inactivity trigger when
 * re-enrollment allows it. On both stores, with the worker running.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

/** The pending time-trigger rows of a workflow: record → due_at. */
async function pendingTriggers(t: TestStore, workflowId: string): Promise<Map<string, string>> {
  const q = "select record_id, due_at from scheduled_triggers where workflow_id = $1 and status = 'pending'";
  if (t.location.dataDir) {
    const db = new Database(join(t.location.dataDir, "handoff.db"), { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare(q.replace("$1", "?")).all(workflowId) as Array<{ record_id: string; due_at: string }>;
      return new Map(rows.map((r) => [r.record_id, r.due_at]));
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: t.location.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ record_id: string; due_at: string | Date }>(q, [workflowId]);
    return new Map(rows.map((r) => [r.record_id, new Date(r.due_at).toISOString()]));
  } finally {
    await client.end();
  }
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`backfill and re-arming of time triggers on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: true, limits: { maxRunsPerWindow: 4, windowMs: 60_000 } });
    const runsOf = async (workflowId: string) => (await env.s.get(`/api/v1/runs?workflow_id=${workflowId}`)).data as Json[];
    const contactQuietSince = async (last_name: string, days: number) => {
      const c = await env.s.post("/api/v1/contacts", { last_name });
      await env.s.post("/api/v1/activities", { type: "call", related_id: c.id, occurred_at: daysAgo(days) });
      return c;
    };

    it("counts, then enrolls the records already inactive at publish, paced by the rate cap", async () => {
      const quiet = [await contactQuietSince("Quiet", 40), await contactQuietSince("Quiet", 45), await contactQuietSince("Quiet", 50)];
      const excluded = await contactQuietSince("Excluded", 40);
      const fresh = await contactQuietSince("Fresh", 2);
      const saved = await env.s.post("/api/v1/workflows", {
        definition: {
          key: "quiet-30",
          name: "Quiet for 30 days",
          description: "Why it exists: a test fixture (publishing needs a description).",
          object: "contact",
          trigger: { type: "inactivity", days: 30 },
          conditions: { field: "last_name", op: "neq", value: "Excluded" },
          start: "done",
          steps: { done: { type: "end" } },
        },
      });
      // The count, before anything is published.
      const preview = await env.s.get(`/api/v1/workflows/${saved.id}/publish-preview`);
      expect(preview).toEqual({ version: 1, trigger: "inactivity", backfill: 3, conflicts: [] });
      expect((await env.s.get(`/api/v1/workflows/${saved.id}`)).live_version).toBeNull();

      const published = await env.s.post(`/api/v1/workflows/${saved.id}/publish`, { backfill: true });
      expect(published.backfilled).toBe(3);
      await eventually("two runs within the first minute", async () =>
        (await runsOf(saved.id)).filter((r) => r.status === "completed").length === 2 ? true : undefined,
      );
      // The third is due one rate window later: none dropped, none suppressed.
      const pending = await pendingTriggers(env.t, saved.id);
      const started = new Set((await runsOf(saved.id)).map((r) => r.record_id));
      const third = quiet.find((c) => !started.has(c.id));
      expect(third).toBeDefined();
      const due = Date.parse(pending.get(third?.id) ?? "");
      expect(due - Date.now()).toBeGreaterThan(40_000);
      expect(due - Date.now()).toBeLessThanOrEqual(60_000);
      expect(((await env.s.get(`/api/v1/workflows/${saved.id}/log`)).data as Json[]).filter((e) => e.kind === "suppressed")).toEqual([]);
      // The record not yet inactive keeps its future instant; the excluded one never enrolls.
      expect(Date.parse(pending.get(fresh.id) ?? "")).toBeGreaterThan(Date.now() + 27 * DAY);
      expect(started.has(excluded.id)).toBe(false);
    });

    it("refuses backfill where there is nothing to backfill", async () => {
      const saved = await env.s.post("/api/v1/workflows", {
        definition: {
          key: "on-create",
          name: "On create",
          description: "Why it exists: a test fixture (publishing needs a description).",
          object: "lead",
          trigger: { type: "record_created" },
          start: "done",
          steps: { done: { type: "end" } },
        },
      });
      expect((await env.s.get(`/api/v1/workflows/${saved.id}/publish-preview`)).backfill).toBeNull();
      const res = await env.s.api(`/api/v1/workflows/${saved.id}/publish`, { method: "POST", json: { backfill: true } });
      expect(res.status).toBe(422);
      expect(JSON.stringify(await res.json())).toContain("backfill");
    });

    it("re-arms an inactivity trigger after a run ends when re-enrollment allows it, not otherwise", async () => {
      const again = await contactQuietSince("Again", 40);
      const once = await contactQuietSince("Once", 40);
      const definition = (key: string, reenrollment: boolean, lastName: string) => ({
        key,
        name: key,
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "contact",
        reenrollment,
        trigger: { type: "inactivity", days: 30 },
        conditions: { field: "last_name", op: "eq", value: lastName },
        start: "done",
        steps: { done: { type: "end" } },
      });
      const rounds = await env.s.publish(definition("rounds", true, "Again"));
      const single = await env.s.publish(definition("single", false, "Once"));
      // Published without backfill: these were skipped; a manual run stands in for the first round.
      await env.s.post(`/api/v1/workflows/${rounds.id}/enroll`, { record_ids: [again.id] });
      await env.s.post(`/api/v1/workflows/${single.id}/enroll`, { record_ids: [once.id] });
      await eventually("both runs ended", async () => {
        const all = [...(await runsOf(rounds.id)), ...(await runsOf(single.id))];
        return all.length === 2 && all.every((r) => r.status === "completed") ? true : undefined;
      });
      // Another round 30 days on (the last activity is older): armed for the record.
      const due = Date.parse((await pendingTriggers(env.t, rounds.id)).get(again.id) ?? "");
      expect(Math.abs(due - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
      // Without re-enrollment nothing is armed.
      expect((await pendingTriggers(env.t, single.id)).has(once.id)).toBe(false);
    });
  });
}
