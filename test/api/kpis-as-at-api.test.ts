/**
 * The data-quality KPIs as at the period's end (issue 22; docs/kpis.md "As at the period's end"),
 * over HTTP on both stores, on a history built by hand with a simulated clock:
 *
 * - leads created on day 0 — L1 qualified with no owner and no segment (a required field), L2 new
 *   with a segment; on day 3 a person gives L1 an owner and a segment. Now both are complete and
 *   accurate (100 %); as at day 0's end L1 lacked the segment and broke "qualified leads have an
 *   owner" (50 %, L1 behind both numbers);
 * - contacts C1 and C2 on day 0, C2 suspected a duplicate of C1 on creation, the pair dismissed on
 *   day 2: now no duplicate (0 %); as at day 0's end C2 was one (50 %).
 *
 * A period that has not ended is judged now; `as_at` other than now or end is a 400 naming it.
 */
import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;
const DAY = 86_400_000;
const MIN = 60_000;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`data-quality KPIs as at the period's end on ${kind.name}`, () => {
    const start = Math.floor(Date.now() / DAY) * DAY - 10 * DAY + 10 * 60 * MIN;
    let at = start;
    const clock = { now: () => new Date(at) };
    const env = useTestServer(kind, () => [{}, { clock }]);
    const day0 = new Date(start).toISOString().slice(0, 10);
    const kpi = async (key: string, query = "") => {
      await env.s.services.kpiRollup.catchUp();
      return (await env.s.json(`/api/v1/kpis/${key}?from=${day0}&to=${day0}${query}`)).data as Json;
    };
    const behind = async (key: string, query = "") =>
      ((await env.s.json(`/api/v1/kpis/${key}/records?from=${day0}&to=${day0}${query}`)).data as Json[]).map((r) => [r.id, r.why]);

    it("judges the records as they stood at the period's end: their fields then, the pairs not dismissed by then", async () => {
      const s = env.s;
      const olga = await s.post("/api/v1/users", { name: "Olga Owner", email: "olga@acme.test", role: "rep" });
      await s.post("/api/v1/data-quality/status-rules", {
        name: "Qualified leads have an owner",
        description: "A qualified lead nobody owns is an opportunity nobody works.",
        object: "lead",
        field: "status",
        values: ["qualified"],
        requires: { field: "owner_id", op: "is_set" },
      });
      await s.post("/api/v1/data-quality/match-rules", {
        name: "Contacts by email",
        object: "contact",
        compare_with: ["contact"],
        keys: ["email"],
        fields: [{ field: "email", weight: 3, similarity: "exact" }],
        threshold: 0.75,
        action: "alert",
      });
      at = start + MIN;
      const l1 = await s.post("/api/v1/leads", { last_name: "One", status: "qualified" });
      // The segment becomes required after L1 was written without one (a record is checked when it is written).
      await s.post("/api/v1/objects/lead/fields", { name: "segment", type: "string", required: true });
      await s.post("/api/v1/leads", { last_name: "Two", status: "new", segment: "smb" });
      await s.post("/api/v1/contacts", { last_name: "Silva", email: "ana@x.test" });
      const c2 = await s.post("/api/v1/contacts", { last_name: "Silva", email: "ana@x.test" });
      at = start + 2 * DAY;
      const items = (await s.get(`/api/v1/review-queue?kind=duplicate&record_id=${c2.id}`)).data as Json[];
      expect(items).toHaveLength(1);
      await s.post(`/api/v1/review-queue/${items[0]?.id}/dismiss`, { note: "two people at one address" });
      at = start + 3 * DAY;
      await s.json(`/api/v1/leads/${l1.id}`, { method: "PATCH", json: { owner_id: olga.id, segment: "mid" } });
      at = start + 4 * DAY;

      // Now: every lead complete and accurate, no duplicate.
      expect(await kpi("required_field_completion")).toMatchObject({ value: 100, count: 2 });
      expect(await kpi("status_accuracy")).toMatchObject({ value: 100, count: 2 });
      expect(await kpi("duplicate_rate", "&object=contact")).toMatchObject({ value: 0, count: 2 });

      // As at day 0's end: L1 lacked its segment and its owner; C2 was a suspected duplicate.
      expect(await kpi("required_field_completion", "&as_at=end")).toMatchObject({
        value: 50,
        count: 2,
        series: [{ day: day0, value: 50, count: 2 }],
      });
      expect(await behind("required_field_completion", "&as_at=end")).toEqual([[l1.id, "missing segment"]]);
      expect(await kpi("status_accuracy", "&as_at=end")).toMatchObject({ value: 50, count: 2 });
      expect(await behind("status_accuracy", "&as_at=end")).toEqual([[l1.id, 'breaks "Qualified leads have an owner"']]);
      expect(await kpi("duplicate_rate", "&object=contact&as_at=end")).toMatchObject({ value: 50, count: 2 });
      expect(await behind("duplicate_rate", "&object=contact&as_at=end")).toEqual([
        [c2.id, expect.stringMatching(/^suspected duplicate of /)],
      ]);
      // The overview says how it judged.
      expect((await s.json(`/api/v1/kpis?from=${day0}&to=${day0}&as_at=end`)).filters.asAt).toBe("end");

      // A period that has not ended yet (to today) is judged now, whichever is asked.
      const today = new Date(at).toISOString().slice(0, 10);
      const upToNow = async (asAt: string) =>
        (await s.json(`/api/v1/kpis/required_field_completion?from=${day0}&to=${today}&as_at=${asAt}`)).data as Json;
      expect(await upToNow("end")).toMatchObject({ value: (await upToNow("now")).value, count: 2 });

      const bad = await s.api(`/api/v1/kpis?as_at=yesterday`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as Json).errors).toEqual([
        expect.objectContaining({ path: "as_at", message: expect.stringContaining("now (") }),
      ]);
    });
  });
}
