/**
 * Routing's decisions on a record's timeline, over real HTTP on both stores (issue 16): each
 * assignment reason (assigned, held, failed) is an entry of GET /api/v1/{objects}/{id}/timeline,
 * with its whole reason, in time order among the record's changes — a held lead shows the hold,
 * then its release below the owner change it made. Every role reads every record of its own
 * workspace (crm/permissions.ts), so "a rep who cannot read the record" is a rep of another
 * workspace: they get 404 and nothing of the assignments, by the timeline as by the reasons' route.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { timelineSchema } from "../../src/api/routes/timeline-schemas.js";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const ALWAYS = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]]));
const DAY = 86_400_000;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`assignments on the record's timeline on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: true });
    const users: Record<string, string> = {};

    const timeline = async (id: string) => timelineSchema.parse(await env.s.json(`/api/v1/leads/${id}/timeline`)).data;
    const decisions = async (id: string) => (await env.s.get(`/api/v1/routing/assignments?record_id=${id}`)).data as Json[];
    const routed = (id: string, outcome: string, count = 1) =>
      eventually(`lead ${id} ${outcome}`, async () => {
        const found = await decisions(id);
        return found.length >= count && found[0]?.outcome === outcome ? found : undefined;
      });
    /** Newest first, and what happened at one instant keeps its order: the list never goes up in time. */
    const expectNewestFirst = (items: Array<{ at: string }>) => {
      for (let i = 1; i < items.length; i++) expect(items[i - 1]?.at.localeCompare(items[i]?.at ?? "")).toBeGreaterThanOrEqual(0);
    };

    beforeAll(async () => {
      const person = async (name: string, extra: Json = {}) => {
        users[name] = (
          await env.s.post("/api/v1/users", {
            name,
            email: `${name.toLowerCase()}@timeline.test`,
            role: "rep",
            working_hours: ALWAYS,
            ...extra,
          })
        ).id;
      };
      await person("Dana");
      await person("Omar", {
        pto: [{ start: new Date(Date.now() - DAY).toISOString(), end: new Date(Date.now() + 9 * DAY).toISOString() }],
      });
      await person("Aiko", { available_now: false });
      await env.s.post("/api/v1/routing/queues", {
        name: "Inbound reps",
        strategy: "weighted_round_robin",
        members: [
          { user_id: users.Dana, weight: 2 },
          { user_id: users.Omar, weight: 1 },
        ],
      });
      await env.s.post("/api/v1/routing/queues", { name: "APAC inbound", members: [{ user_id: users.Aiko }], fallback: { hold: true } });
      await env.s.post("/api/v1/routing/queues", { name: "Closed desk", members: [{ user_id: users.Aiko }] });
      await env.s.post("/api/v1/routing/rule-sets", {
        name: "New leads",
        object: "lead",
        on_create: true,
        rules: [
          { id: "apac", name: "APAC territory", when: { field: "country", op: "eq", value: "JP" }, target: { queue: "APAC inbound" } },
          { id: "closed", name: "Closed territory", when: { field: "country", op: "eq", value: "AQ" }, target: { queue: "Closed desk" } },
        ],
        default_target: { queue: "Inbound reps" },
      });
    });

    it("lists an assignment with its whole reason, below the owner change it made", async () => {
      const lead = await env.s.post("/api/v1/leads", { last_name: "Routed", country: "US" });
      const [reason] = await routed(lead.id, "assigned");
      const items = await timeline(lead.id);
      expectNewestFirst(items);
      const entries = items.filter((i) => i.kind === "assignment");
      expect(entries).toHaveLength(1);
      const entry = entries[0] as Extract<(typeof items)[number], { kind: "assignment" }>;
      // The same reason the record page's "Why this owner" reads.
      expect(entry.assignment).toEqual(reason);
      expect(entry.at).toBe(reason?.at);
      expect(entry.assignment).toMatchObject({ outcome: "assigned", user_id: users.Dana, queue: { name: "Inbound reps" } });
      expect(entry.assignment.rules.map((r) => [r.id, r.matched])).toEqual([
        ["apac", false],
        ["closed", false],
      ]);
      expect(entry.assignment.candidates.find((c) => c.user_id === users.Omar)).toMatchObject({ eligible: false, reason_code: "pto" });
      // Routing decided, then wrote the owner: the change reads above the decision, the creation below it.
      const ownerChange = items.findIndex(
        (i) => i.kind === "change" && i.changes.some((c) => c.field === "owner_id" && c.new === users.Dana),
      );
      const decision = items.indexOf(entry);
      const created = items.findIndex((i) => i.kind === "change" && i.action === "create");
      expect(ownerChange).toBeGreaterThanOrEqual(0);
      expect(ownerChange).toBeLessThan(decision);
      expect(decision).toBeLessThan(created);
    });

    it("shows a hold and its release in time order, and a failed decision with why", async () => {
      const held = await env.s.post("/api/v1/leads", { last_name: "Waiting", country: "JP" });
      await routed(held.id, "held");
      // Aiko comes on: the held lead is assigned at once (the change releases the queue's holds).
      await env.s.json(`/api/v1/routing/availability/${users.Aiko}`, { method: "PATCH", json: { available_now: true } });
      await routed(held.id, "assigned", 2);
      const items = await timeline(held.id);
      expectNewestFirst(items);
      const shown = items.flatMap((i) => (i.kind === "assignment" ? [[i.assignment.outcome, i.assignment.source.kind]] : []));
      expect(shown).toEqual([
        ["assigned", "hold_released"],
        ["held", "on_create"],
      ]);
      const heldEntry = items.find((i) => i.kind === "assignment" && i.assignment.outcome === "held");
      expect(heldEntry?.kind === "assignment" && heldEntry.assignment.candidates[0]).toMatchObject({
        user_id: users.Aiko,
        eligible: false,
        reason: "switched to unavailable",
      });
      await env.s.json(`/api/v1/routing/availability/${users.Aiko}`, { method: "PATCH", json: { available_now: false } });

      const failed = await env.s.post("/api/v1/leads", { last_name: "Nowhere", country: "AQ" });
      await routed(failed.id, "failed");
      const entry = (await timeline(failed.id)).find((i) => i.kind === "assignment");
      expect(entry?.kind === "assignment" && entry.assignment).toMatchObject({
        outcome: "failed",
        user_id: null,
        queue: { name: "Closed desk" },
      });
      expect(entry?.kind === "assignment" && entry.assignment.why).toContain("no fallback");
    });

    it("shows a lead's assignments to a rep of its workspace, and nothing to another workspace", async () => {
      const lead = await env.s.post("/api/v1/leads", { last_name: "Private", country: "US" });
      await routed(lead.id, "assigned");
      const { secret: rep } = await env.s.services.tokens.create(env.s.workspace.id, "a rep", "rep");
      const mine = timelineSchema.parse(await env.s.json(`/api/v1/leads/${lead.id}/timeline`, { as: rep }));
      expect(mine.data.filter((i) => i.kind === "assignment")).toHaveLength(1);

      const other = await env.s.newWorkspace("elsewhere", "rep");
      for (const path of [`/api/v1/leads/${lead.id}/timeline`, `/api/v1/routing/assignments?record_id=${lead.id}`]) {
        const res = await env.s.api(path, { as: other.token });
        expect(res.status).toBe(404);
        const body = await res.text();
        expect(body).not.toContain(users.Dana);
        expect(body).not.toContain("Inbound reps");
      }
      // Nor through another object's timeline in the caller's own workspace: the id names a lead.
      expect((await env.s.api(`/api/v1/contacts/${lead.id}/timeline`, { as: rep })).status).toBe(404);
    });
  });
}
