/**
 * A workflow's `merge_records` over real HTTP on both stores (issue 20, item 6): a workflow on
 * `review_queued` (kind duplicate) merges a contact that duplicates another into it — through
 * the merge service: one merge row, undoable, the new contact a tombstone resolving to the one
 * that was there first (its values win, its empty fields filled), one `record.merged` event, the
 * pair's review item resolved as merged; the run that merged ends there ("merged into …"). With
 * no open duplicate, the step merges nothing and says why, and the run goes on. Attacker's side:
 * an id naming a record of another workspace, or of another object, is refused — the run fails
 * with a clear reason and nothing is merged.
 */
import { describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const MATCH_RULE = {
  name: "Contacts by email",
  object: "contact",
  compare_with: ["contact"],
  keys: ["email"],
  fields: [
    { field: "email", weight: 3, similarity: "exact" },
    { field: "last_name", weight: 1, similarity: "jaro_winkler" },
  ],
  threshold: 0.75,
  action: "alert",
};

const FOLD = {
  key: "fold-duplicates",
  name: "Fold suspected duplicates",
  description: "A contact that duplicates another is folded into the one that was there first.",
  object: "contact",
  trigger: { type: "review_queued", kinds: ["duplicate"] },
  start: "merge",
  steps: {
    merge: { type: "action", action: { type: "merge_records", into: { best_duplicate: true, min_score: 0.9 } }, next: "after" },
    after: { type: "action", action: { type: "change_score", by: 1 } },
  },
};

const NAMED = {
  key: "merge-into-master",
  name: "Merge into the master record",
  description: "Integrations write the master record's id; the copy is folded into it.",
  object: "contact",
  trigger: { type: "manual" },
  reenrollment: true,
  start: "merge",
  steps: { merge: { type: "action", action: { type: "merge_records", into: { record_id: "{{ record.master_id }}" } } } },
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`merge_records on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: true });
    const ws = () => env.s.workspace.id;
    const runsOf = async (recordId: string) => (await env.s.get(`/api/v1/runs?record_id=${recordId}`)).data as Json[];
    const stepsOf = async (runId: string) => (await env.s.get(`/api/v1/runs/${runId}`)).steps as Json[];
    const mergesInto = (id: string) => env.s.services.store.merges.mergesInto(ws(), id, 50);
    const finished = (recordId: string, n = 1) =>
      eventually(`${n} run(s) of ${recordId} finished`, async () => {
        const runs = await runsOf(recordId);
        return runs.length >= n && runs.every((r) => ["completed", "failed", "cancelled"].includes(r.status)) ? runs : undefined;
      });

    it("a workflow on review_queued merges the suspected duplicate into the record that was there first", async () => {
      expect((await env.s.api("/api/v1/data-quality/match-rules", { method: "POST", json: MATCH_RULE })).status).toBe(201);
      const w = await env.s.publish(FOLD);
      const first = await env.s.post("/api/v1/contacts", { first_name: "Ana", last_name: "Silva", email: "ana.silva@example.com" });
      const copy = await env.s.post("/api/v1/contacts", {
        last_name: "Silva",
        email: "ana.silva@example.com",
        title: "CFO",
        phone: "+351 21 000 0000",
      });
      const [run] = await finished(copy.id);
      // The run that merged its record ends with the merge's reason: the steps after it never run on a tombstone.
      expect(run).toMatchObject({ workflow_id: w.id, status: "cancelled" });
      const steps = await stepsOf(run?.id);
      const merged = steps.find((s) => s.step === "merge");
      expect(merged?.effects).toEqual([
        {
          command: "merge_records",
          merged: true,
          merge_id: expect.any(String),
          survivor_id: first.id,
          why: expect.stringMatching(new RegExp(`^merged into contact ${first.id}, its suspected duplicate \\(score 1\\.00`)),
        },
      ]);
      expect(steps.at(-1)).toMatchObject({ outcome: "cancelled", why: `merged into contact ${first.id}` });
      expect(steps.flatMap((s) => s.effects ?? []).some((e: Json) => e.command === "change_score")).toBe(false);

      const [m] = await mergesInto(first.id);
      expect(m).toMatchObject({
        id: merged?.effects[0].merge_id,
        survivorId: first.id,
        mergedId: copy.id,
        mergedBy: `workflow:${run?.workflow_id}`,
      });
      // The survivor's values win; its empty fields are filled from the merged record.
      const survivor = await env.s.get(`/api/v1/contacts/${first.id}`);
      expect(survivor).toMatchObject({ first_name: "Ana", title: "CFO", phone: "+351210000000", email: "ana.silva@example.com" });
      const resolved = await env.s.api(`/api/v1/contacts/${copy.id}`);
      expect(resolved.headers.get("handoff-merged-into")).toBe(first.id);
      const events = await env.s.services.store.events.readEvents(0, 100_000, ws());
      expect(events.filter((e) => e.type === "record.merged").map((e) => e.recordId)).toEqual([first.id]);
      const items = await env.s.services.store.reviewQueue.listReviewItems({ workspaceId: ws(), kind: "duplicate", limit: 10 });
      expect(items.map((i) => [i.status, i.resolution])).toEqual([["resolved", "merged"]]);

      // Undoable like any merge.
      const undo = await env.s.api(`/api/v1/merges/${m?.id}/undo`, { method: "POST" });
      expect(undo.status).toBe(200);
      expect(await env.s.get(`/api/v1/contacts/${copy.id}`)).toMatchObject({ id: copy.id, title: "CFO" });
    });

    it("merges nothing when there is no open duplicate, says why, and the run goes on", async () => {
      const alone = await env.s.api("/api/v1/workflows", {
        method: "POST",
        json: { definition: { ...FOLD, key: "fold-by-hand", name: "Fold by hand", trigger: { type: "manual" } } },
      });
      const saved = (await alone.json()) as Json;
      await env.s.post(`/api/v1/workflows/${saved.id}/publish`, { acknowledge_conflicts: true });
      const lone = await env.s.post("/api/v1/contacts", { last_name: "Nobody", email: "nobody.else@example.com", score: 5 });
      await env.s.post(`/api/v1/workflows/${saved.id}/enroll`, { record_ids: [lone.id] });
      const [run] = await finished(lone.id);
      expect(run?.status).toBe("completed");
      const steps = await stepsOf(run?.id);
      expect(steps.find((s) => s.step === "merge")?.effects).toEqual([
        {
          command: "merge_records",
          merged: false,
          merge_id: null,
          survivor_id: null,
          why: "nothing merged: no open suspected duplicate of this contact in the review queue",
        },
      ]);
      expect((await env.s.get(`/api/v1/contacts/${lone.id}`)).score).toBe(6);
      expect(await mergesInto(lone.id)).toEqual([]);
    });

    it("refuses a record of another workspace or of another object, with the reason on the run, merging nothing", async () => {
      const field = await env.s.api("/api/v1/objects/contact/fields", { method: "POST", json: { name: "master_id", type: "string" } });
      expect(field.status).toBe(201);
      const w = await env.s.publish(NAMED);
      const attacker = await env.s.newWorkspace("attacker-merge-wf");
      const theirs = await env.s.json("/api/v1/contacts", { method: "POST", json: { last_name: "Mallory" }, as: attacker.token });
      const lead = await env.s.post("/api/v1/leads", { last_name: "Lead" });
      const held = async (ids: string[]) => JSON.stringify(await env.s.services.store.records.getRecords(ws(), ids));

      for (const [target, reason] of [
        [theirs.id, `no contact with id "${theirs.id}"`],
        [lead.id, `"${lead.id}" is a lead; a contact merges only with another contact`],
      ] as const) {
        const mine = await env.s.post("/api/v1/contacts", { last_name: "Copy", master_id: target });
        const before = await held([mine.id, lead.id]);
        await env.s.post(`/api/v1/workflows/${w.id}/enroll`, { record_ids: [mine.id] });
        const [run] = await finished(mine.id);
        expect(run?.status).toBe("failed");
        const why = (await stepsOf(run?.id)).at(-1)?.why as string;
        expect(why).toContain(`merge_records refused: contact ${mine.id} cannot be merged into "${target}"`);
        expect(why).toContain(reason);
        // Nothing merged: the contact is still itself, nothing points anywhere new, no merge row.
        expect(await held([mine.id, lead.id])).toBe(before);
        expect(await mergesInto(target)).toEqual([]);
      }
      // The other workspace's contact is untouched, and still its own.
      expect(await env.s.json(`/api/v1/contacts/${theirs.id}`, { as: attacker.token })).toMatchObject({
        id: theirs.id,
        version: theirs.version,
      });
    });
  });
}
