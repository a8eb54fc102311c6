/**
 * The data-quality KPIs over HTTP on both stores (issue 22; docs/kpis.md "Data quality"), on a
 * history built by hand with a simulated clock, each answer worked out here:
 *
 * - leads L1 (qualified, owned, with an email), L2 (qualified, no owner, no email), L3 (new); then
 *   the admin adds a gate "qualified needs an email" and a required custom field `segment`, and
 *   L4 is created with a segment while L3 is given one: L1 lacks the segment, L2 the segment and
 *   the gate's email → completion 2 of 4 = 50 %;
 * - the status rule "qualified leads have an owner": L2 breaks it → accuracy 3 of 4 = 75 %; cut
 *   by L1's owner → 1 of 1 = 100 %;
 * - contacts C1…C4 on day 0 and C5 on day 1: C2 duplicates C1 (queued, open), C4 duplicates C3
 *   (queued, then dismissed: not a duplicate), C5 merged into C3 → duplicate rate 2 of 5 = 40 %,
 *   day 0: 1 of 4 = 25 %, day 1: 1 of 1 = 100 %.
 *
 * The records behind each number are the ones with the problem, each saying what it is. The
 * status rules' edge: bad rules are 422s naming the path, a rep may not write them, another
 * workspace's rule is a 404.
 */
import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;
const DAY = 86_400_000;
const MIN = 60_000;

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

const OWNED = {
  name: "Qualified leads have an owner",
  description: "A qualified lead nobody owns is an opportunity nobody works.",
  object: "lead",
  field: "status",
  values: ["qualified"],
  requires: { field: "owner_id", op: "is_set" },
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`data-quality KPIs over HTTP on ${kind.name}`, () => {
    const start = Math.floor(Date.now() / DAY) * DAY - 10 * DAY + 10 * 60 * MIN;
    let at = start;
    const clock = { now: () => new Date(at) };
    const env = useTestServer(kind, () => [{}, { clock }]);
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    const period = `from=${day(start - DAY)}&to=${day(start + 2 * DAY)}`;
    const kpi = async (key: string, query = "") => {
      await env.s.services.kpiRollup.catchUp();
      return (await env.s.json(`/api/v1/kpis/${key}?${period}${query}`)).data as Json;
    };
    const behind = async (key: string, query = "") =>
      ((await env.s.json(`/api/v1/kpis/${key}/records?${period}${query}`)).data as Json[]).map((r) => [r.id, r.why]);
    const problemOf = async (res: Response, status: number): Promise<Json> => {
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      return (await res.json()) as Json;
    };

    it("required-field completion and status accuracy of leads, from a hand-built history", async () => {
      const s = env.s;
      const olga = await s.post("/api/v1/users", { name: "Olga Owner", email: "olga@acme.test", role: "rep" });
      const l1 = await s.post("/api/v1/leads", { last_name: "One", status: "qualified", owner_id: olga.id, email: "one@x.test" });
      const l2 = await s.post("/api/v1/leads", { last_name: "Two", status: "qualified" });
      const l3 = await s.post("/api/v1/leads", { last_name: "Three", status: "new" });
      at += MIN;
      await s.post("/api/v1/data-quality/rules", {
        kind: "gate",
        name: "Qualified leads need an email",
        object: "lead",
        field: "status",
        to: ["qualified"],
        requires: { field: "email", op: "is_set" },
        message: "Add the email before qualifying the lead.",
      });
      await s.post("/api/v1/objects/lead/fields", { name: "segment", type: "string", required: true });
      await s.post("/api/v1/leads", { last_name: "Four", status: "new", segment: "smb" });
      await s.json(`/api/v1/leads/${l3.id}`, { method: "PATCH", json: { segment: "mid" } });
      const rule = await s.post("/api/v1/data-quality/status-rules", OWNED);
      expect(rule).toMatchObject({ name: OWNED.name, version: 1, summary: expect.stringContaining("qualified") });

      expect(await kpi("required_field_completion")).toMatchObject({
        value: 50,
        count: 4,
        unit: "percent",
        better: "higher",
        series: [{ day: day(start), value: 50, count: 4 }],
      });
      expect(await behind("required_field_completion")).toEqual([
        [l1.id, "missing segment"],
        [l2.id, "missing segment, email (Qualified leads need an email)"],
      ]);
      expect(await kpi("status_accuracy")).toMatchObject({ value: 75, count: 4 });
      expect(await behind("status_accuracy")).toEqual([[l2.id, `breaks "${OWNED.name}"`]]);
      expect(await kpi("status_accuracy", `&owner_id=${olga.id}`)).toMatchObject({ value: 100, count: 1 });

      // Fixing the record fixes the figure (it is read as the records stand now); switching the rule off leaves nothing to break.
      await s.json(`/api/v1/leads/${l2.id}`, { method: "PATCH", json: { owner_id: olga.id } });
      expect(await kpi("status_accuracy")).toMatchObject({ value: 100, count: 4 });
      await s.json(`/api/v1/leads/${l2.id}`, { method: "PATCH", json: { owner_id: null } });
      await s.json(`/api/v1/data-quality/status-rules/${rule.id}`, {
        method: "PATCH",
        json: { enabled: false },
        headers: { "if-match": '"1"' },
      });
      expect(await kpi("status_accuracy")).toMatchObject({ value: 100, count: 4 });
      // Other objects are not judged by the lead's rules; an object with no record created has nothing to measure.
      expect(await kpi("status_accuracy", "&object=ticket")).toMatchObject({ value: null, count: 0 });
      const csv = await (await s.api(`/api/v1/kpis/required_field_completion/records?${period}&format=csv`)).text();
      expect(csv.split("\n")[0]).toBe("id,object,created_at,owner_id,value,why");
      expect(csv).toContain(`${l1.id},lead,`);
    });

    it("duplicate rate of contacts: the later side of an open or resolved pair, and records merged away", async () => {
      const s = env.s;
      at = start;
      expect((await s.api("/api/v1/data-quality/match-rules", { method: "POST", json: MATCH_RULE })).status).toBe(201);
      const c1 = await s.post("/api/v1/contacts", { last_name: "Silva", email: "ana@x.test" });
      at += MIN;
      const c2 = await s.post("/api/v1/contacts", { last_name: "Silva", email: "ana@x.test" });
      const c3 = await s.post("/api/v1/contacts", { last_name: "Costa", email: "rui@y.test" });
      at += MIN;
      const c4 = await s.post("/api/v1/contacts", { last_name: "Costa", email: "rui@y.test" });
      const items = (await s.get(`/api/v1/review-queue?kind=duplicate&record_id=${c4.id}`)).data as Json[];
      expect(items).toHaveLength(1);
      await s.post(`/api/v1/review-queue/${items[0]?.id}/dismiss`, { note: "two people at one address" });
      at = start + DAY;
      const c5 = await s.post("/api/v1/contacts", { last_name: "Lone", email: "lone@z.test" });
      await s.post("/api/v1/contacts/merges", { survivor_id: c3.id, merged_id: c5.id });

      expect(await kpi("duplicate_rate", "&object=contact")).toMatchObject({
        value: 40,
        count: 5,
        better: "lower",
        series: [
          { day: day(start), value: 25, count: 4 },
          { day: day(start + DAY), value: 100, count: 1 },
        ],
      });
      expect(await behind("duplicate_rate", "&object=contact")).toEqual([
        [c2.id, `suspected duplicate of ${c1.id}`],
        [c5.id, "merged into another record"],
      ]);
      // Required fields of contacts: only last_name, always filled.
      expect(await kpi("required_field_completion", "&object=contact")).toMatchObject({ value: 100, count: 4 });
    });

    it("status rules: checked at the edge with paths, written by admins only, kept to their workspace", async () => {
      const s = env.s;
      const post = (json: unknown, as?: string) =>
        s.api("/api/v1/data-quality/status-rules", { method: "POST", json, ...(as ? { as } : {}) });
      const unknownField = await problemOf(await post({ ...OWNED, name: "x", requires: { field: "ownr_id", op: "is_set" } }), 422);
      expect(unknownField.errors[0].path).toBe("requires.field");
      const badStatus = await problemOf(await post({ ...OWNED, name: "y", values: ["qualified", "hot"] }), 422);
      expect(badStatus.errors.map((e: Json) => e.path)).toEqual(["values[1]"]);
      const onWrite = await problemOf(await post({ ...OWNED, name: "z", requires: { not: { field: "owner_id", op: "changed" } } }), 422);
      expect(onWrite.errors.map((e: Json) => e.path)).toEqual(["requires.not.op"]);
      const counted = await problemOf(
        await post({ ...OWNED, name: "w", requires: { count: { object: "task", via: "related_id" }, op: "gt", value: 0 } }),
        422,
      );
      expect(counted.errors[0].path).toMatch(/^requires/);
      const shape = await problemOf(await post({ ...OWNED, name: "v", values: [], colour: "red" }), 422);
      expect(shape.errors.map((e: Json) => e.path)).toEqual(expect.arrayContaining(["values", "colour"]));
      await problemOf(await post({ ...OWNED, name: "nul\u0000name" }), 400);
      await problemOf(await post(OWNED), 409);
      const rule = (await s.get("/api/v1/data-quality/status-rules")).data.find((r: Json) => r.name === OWNED.name) as Json;
      await problemOf(await s.api(`/api/v1/data-quality/status-rules/${rule.id}`, { method: "PATCH", json: { object: "deal" } }), 422);
      await problemOf(
        await s.api(`/api/v1/data-quality/status-rules/${rule.id}`, {
          method: "PATCH",
          json: { name: "n" },
          headers: { "if-match": '"1"' },
        }),
        412,
      );
      const rep = await s.newWorkspace(`sr-rep-${kind.name}`, "rep");
      await problemOf(await post({ ...OWNED, name: "rep's" }, rep.token), 403);
      const other = await s.newWorkspace(`sr-other-${kind.name}`);
      await problemOf(await s.api(`/api/v1/data-quality/status-rules/${rule.id}`, { as: other.token }), 404);
      await problemOf(await s.api(`/api/v1/data-quality/status-rules/${rule.id}`, { method: "DELETE", as: other.token }), 404);
      expect((await s.api(`/api/v1/data-quality/status-rules/${rule.id}`, { method: "DELETE" })).status).toBe(204);
      // A KPI's records: the data-quality KPIs list them; one without records still says which do.
      const none = await problemOf(await s.api(`/api/v1/kpis/automation_share/records?${period}`), 400);
      expect(JSON.stringify(none)).toContain("status_accuracy");
    });
  });
}
