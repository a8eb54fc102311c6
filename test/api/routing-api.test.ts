/**
 * Routing over real HTTP on both stores (issue 16): a rule set with territory, industry and size
 * rules routes new leads on create; a weighted queue skips a member on PTO and says why; the
 * simulation writes nothing; a held record is assigned once someone is available again; a
 * workflow assigns through a queue; bad input gets a 4xx naming the path and nothing is saved.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

/** Retries `check` (expectations) until it passes, for what the worker does after a write. */
const settled = (what: string, check: () => Promise<void>) =>
  eventually(what, async () => {
    try {
      await check();
      return true;
    } catch {
      return undefined;
    }
  });

const WEEKDAYS_ALL = {
  mon: [["00:00", "24:00"]],
  tue: [["00:00", "24:00"]],
  wed: [["00:00", "24:00"]],
  thu: [["00:00", "24:00"]],
  fri: [["00:00", "24:00"]],
  sat: [["00:00", "24:00"]],
  sun: [["00:00", "24:00"]],
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`routing over HTTP on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: true });
    const users: Record<string, string> = {};
    let software: string;

    const user = async (name: string, extra: Json = {}) =>
      (users[name] = (
        await env.s.post("/api/v1/users", {
          name,
          email: `${name.toLowerCase()}@acme.test`,
          role: "rep",
          working_hours: WEEKDAYS_ALL,
          ...extra,
        })
      ).id);
    const lead = (fields: Json) => env.s.post("/api/v1/leads", { last_name: "Lead", ...fields });
    const ownerOf = async (id: string) => ((await env.s.get(`/api/v1/leads/${id}`)).owner_id ?? null) as string | null;
    const reasons = async (id: string) => (await env.s.get(`/api/v1/routing/assignments?record_id=${id}`)).data as Json[];

    beforeAll(async () => {
      await user("Ada");
      await user("Ben");
      await user("Cleo", { pto: [{ start: "2020-01-01T00:00:00Z", end: "2099-12-12T00:00:00Z" }] });
      await user("Dana");
      await user("Emil");
      software = (await env.s.post("/api/v1/companies", { name: "Softworks", industry: "software" })).id;
      await env.s.post("/api/v1/routing/queues", {
        name: "EMEA SDRs",
        strategy: "weighted_round_robin",
        members: [
          { user_id: users.Ada, weight: 3 },
          { user_id: users.Ben, weight: 1 },
          { user_id: users.Cleo, weight: 2 },
        ],
        fallback: { user_id: users.Emil },
      });
      await env.s.post("/api/v1/routing/queues", { name: "Night desk", members: [{ user_id: users.Dana }], fallback: { hold: true } });
      await env.s.post("/api/v1/routing/rule-sets", {
        name: "Inbound leads",
        object: "lead",
        on_create: true,
        rules: [
          {
            id: "enterprise",
            name: "Enterprise (1,000+ employees)",
            when: { field: "employee_count", op: "gte", value: 1000 },
            target: { user_id: users.Emil },
          },
          {
            id: "software",
            name: "Software companies",
            when: { field: "company_id.industry", op: "eq", value: "software" },
            target: { user_id: users.Dana },
          },
          {
            id: "emea",
            name: "EMEA territory",
            when: { field: "country", op: "in", value: ["DE", "FR", "GB"] },
            target: { queue: "EMEA SDRs" },
          },
        ],
        default_target: { queue: "Night desk" },
      });
    });

    it("routes new leads by size, industry and territory, first match winning, and keeps why", async () => {
      const big = await lead({ employee_count: 5000, country: "DE", company_id: software });
      const soft = await lead({ employee_count: 50, country: "DE", company_id: software });
      const de = await lead({ employee_count: 50, country: "DE" });
      await settled("the leads routed", async () => {
        for (const l of [big, soft, de]) expect(await ownerOf(l.id)).not.toBeNull();
      });
      expect(await ownerOf(big.id)).toBe(users.Emil);
      expect(await ownerOf(soft.id)).toBe(users.Dana);
      expect([users.Ada, users.Ben]).toContain(await ownerOf(de.id));
      const [why] = await reasons(de.id);
      expect(why?.outcome).toBe("assigned");
      expect(why?.source.kind).toBe("on_create");
      expect(why?.rule_set.name).toBe("Inbound leads");
      expect(why?.rules.map((r: Json) => [r.id, r.matched])).toEqual([
        ["enterprise", false],
        ["software", false],
        ["emea", true],
      ]);
      expect(why?.queue.name).toBe("EMEA SDRs");
      const cleo = why?.candidates.find((c: Json) => c.name === "Cleo");
      expect(cleo).toMatchObject({ eligible: false, reason_code: "pto" });
      expect(cleo.reason).toContain("PTO until");
    });

    it("gives a weighted queue's members shares that match their weights among the eligible", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) ids.push((await lead({ employee_count: 10, country: "FR" })).id);
      await settled("the leads routed", async () => {
        for (const id of ids) expect(await ownerOf(id)).not.toBeNull();
      });
      const owners = await Promise.all(ids.map(ownerOf));
      // Ada 3 : Ben 1, Cleo on PTO: 8 picks are 6 and 2 exactly (smooth weighted round-robin).
      expect(owners.filter((o) => o === users.Ada)).toHaveLength(6);
      expect(owners.filter((o) => o === users.Ben)).toHaveLength(2);
      const dist = await env.s.get("/api/v1/routing/distribution?days=30");
      const emea = dist.queues.find((q: Json) => q.queue_name === "EMEA SDRs");
      expect(emea.members.map((m: Json) => m.name)).toEqual(["Ada", "Ben"]);
    });

    it("holds a record nobody can take and assigns it, in order, once someone is available", async () => {
      await env.s.json(`/api/v1/routing/availability/${users.Dana}`, { method: "PATCH", json: { available_now: false } });
      const first = await lead({ country: "US" });
      const second = await lead({ country: "US" });
      await settled("the second lead held", async () => expect((await reasons(second.id))[0]?.outcome).toBe("held"));
      const holds = (await env.s.get("/api/v1/routing/queues/Night%20desk/holds")).data as Json[];
      expect(holds.map((h) => h.record_id)).toEqual([first.id, second.id]);
      expect(holds.map((h) => h.record_object)).toEqual(["lead", "lead"]);
      expect((await reasons(first.id))[0]?.candidates[0]).toMatchObject({ eligible: false, reason_code: "unavailable" });
      await env.s.json(`/api/v1/routing/availability/${users.Dana}`, { method: "PATCH", json: { available_now: true } });
      expect(await ownerOf(first.id)).toBe(users.Dana);
      expect(await ownerOf(second.id)).toBe(users.Dana);
      expect((await reasons(second.id))[0]?.source.kind).toBe("hold_released");
      expect((await env.s.get("/api/v1/routing/queues/Night%20desk/holds")).data).toEqual([]);
    });

    it("simulates the rule set over recent leads without writing a row", async () => {
      const count = async () => ({
        assignments: (await env.s.get("/api/v1/routing/assignments?limit=200")).data.length,
        owners: JSON.stringify((await env.s.get("/api/v1/leads?limit=200")).data.map((l: Json) => [l.id, l.owner_id, l.version])),
        state: JSON.stringify(await env.s.get("/api/v1/routing/queues")),
      });
      const before = await count();
      const sim = await env.s.post("/api/v1/routing/rule-sets/Inbound%20leads/simulate", { last: 50 });
      expect(sim.records).toBeGreaterThanOrEqual(13);
      const total = sim.per_member.reduce((n: number, m: Json) => n + m.count, 0);
      expect(total + sim.fallback.filter((d: Json) => d.outcome !== "assigned").length).toBe(sim.records);
      expect(sim.per_rule.map((r: Json) => r.rule)).toContain("EMEA territory");
      expect(await count()).toEqual(before);
    });

    it("applies the rule set now to the recent records without an owner, and leaves owned ones alone", async () => {
      // Created with an owner (the on-create rule set skips it), then the owner is taken away.
      const orphan = await lead({ country: "DE", employee_count: 5, owner_id: users.Ben });
      await env.s.json(`/api/v1/leads/${orphan.id}`, { method: "PATCH", json: { owner_id: null } });
      const owned = await lead({ country: "DE", employee_count: 5, owner_id: users.Dana });
      const before = (await reasons(owned.id)).length;
      const { secret } = await env.s.services.tokens.create(env.s.workspace.id, "rep for apply", "rep");
      expect((await env.s.api("/api/v1/routing/rule-sets/Inbound%20leads/apply", { method: "POST", as: secret, json: {} })).status).toBe(
        403,
      );
      const bad = await env.s.api("/api/v1/routing/rule-sets/Inbound%20leads/apply", { method: "POST", json: { last: 0 } });
      expect(bad.status).toBe(422);
      expect(((await bad.json()) as Json).errors.map((e: Json) => e.path)).toEqual(["last"]);
      expect(await ownerOf(orphan.id)).toBeNull();

      const applied = await env.s.post("/api/v1/routing/rule-sets/Inbound%20leads/apply", { last: 5 });
      expect(applied).toMatchObject({ assigned: 1, held: 0, failed: 0 });
      expect(applied.decisions).toEqual([expect.objectContaining({ record_id: orphan.id, source: { kind: "rule_set_applied" } })]);
      expect(await ownerOf(orphan.id)).toBe(applied.decisions[0].user_id);
      expect((await reasons(orphan.id))[0]).toMatchObject({ matched_rule: "EMEA territory", source: { kind: "rule_set_applied" } });
      expect(await ownerOf(owned.id)).toBe(users.Dana);
      expect(await reasons(owned.id)).toHaveLength(before);
    });

    it("assigns through a queue from a workflow, excluding the current owner on reassignment", async () => {
      await env.s.publish({
        key: "escalate-to-queue",
        name: "Escalate to queue",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "lead",
        trigger: { type: "record_updated", fields: ["status"] },
        conditions: { field: "status", op: "eq", value: "working" },
        start: "reassign",
        steps: {
          reassign: { type: "action", action: { type: "assign_owner", to: { queue: "EMEA SDRs" }, exclude_current: true }, next: "done" },
          done: { type: "end" },
        },
      });
      const l = await lead({ country: "GB", employee_count: 5 });
      await settled("the lead routed", async () => expect(await ownerOf(l.id)).not.toBeNull());
      const before = await ownerOf(l.id);
      await env.s.json(`/api/v1/leads/${l.id}`, { method: "PATCH", json: { status: "working" } });
      await settled("the workflow reassigned", async () => expect((await reasons(l.id))[0]?.source.kind).toBe("workflow"));
      const [latest] = await reasons(l.id);
      expect(latest?.user_id).not.toBe(before);
      expect(latest?.previous_user_id).toBe(before);
      expect(latest?.candidates.find((c: Json) => c.user_id === before)).toMatchObject({ eligible: false, reason_code: "excluded" });
      expect(await ownerOf(l.id)).toBe(latest?.user_id);
    });

    it("checks at publish the queues, rule sets and teams a workflow names, and keeps a used queue or rule set from deletion", async () => {
      const assigning = (key: string, to: Json, object = "lead") => ({
        key,
        name: key,
        description: "Why it exists: a test fixture (publishing needs a description).",
        object,
        trigger: { type: "record_created" },
        start: "assign",
        steps: { assign: { type: "action", action: { type: "assign_owner", to }, next: "done" }, done: { type: "end" } },
      });
      const problems = async (def: Json) => ((await env.s.post("/api/v1/workflows/validate", { definition: def })).errors as Json[]) ?? [];
      expect(await problems(assigning("typo", { queue: "EMEA SDR" }))).toEqual([
        expect.objectContaining({
          path: "steps.assign.action.to.queue",
          code: "invalid_reference",
          message: 'no queue "EMEA SDR" in this workspace',
        }),
      ]);
      expect((await problems(assigning("no-team", { round_robin_team: "Nobody" })))[0]).toMatchObject({
        path: "steps.assign.action.to.round_robin_team",
        message: 'no team "Nobody" in this workspace',
      });
      expect((await problems(assigning("no-set", { rule_set: "Outbound" })))[0]).toMatchObject({
        path: "steps.assign.action.to.rule_set",
        message: 'no rule set "Outbound" in this workspace',
      });
      // A rule set assigns records of one object: a deal workflow cannot use the lead rule set.
      expect((await problems(assigning("wrong-object", { rule_set: "Inbound leads" }, "deal")))[0]).toMatchObject({
        path: "steps.assign.action.to.rule_set",
        message: 'rule set "Inbound leads" assigns lead records; this workflow runs on deal',
      });
      expect(await problems(assigning("fine", { queue: "Night desk" }))).toEqual([]);

      // Publishing is refused the same way; nothing goes live.
      const draft = await env.s.post("/api/v1/workflows", { definition: assigning("typo", { queue: "EMEA SDR" }) });
      const refused = await env.s.api(`/api/v1/workflows/${draft.id}/publish`, { method: "POST", json: {} });
      expect(refused.status).toBe(422);
      expect((await env.s.get(`/api/v1/workflows/${draft.id}`)).live_version ?? null).toBeNull();

      // A live workflow names "EMEA SDRs" (the escalation above) and one names the rule set: neither can be deleted.
      await env.s.publish(assigning("route-by-rules", { rule_set: "Inbound leads" }));
      const queueDelete = await env.s.api("/api/v1/routing/queues/EMEA%20SDRs", { method: "DELETE" });
      expect(queueDelete.status).toBe(409);
      expect(((await queueDelete.json()) as Json).detail).toContain("workflow escalate-to-queue (step reassign)");
      const setDelete = await env.s.api("/api/v1/routing/rule-sets/Inbound%20leads", { method: "DELETE" });
      expect(setDelete.status).toBe(409);
      expect(((await setDelete.json()) as Json).detail).toContain("workflow route-by-rules (step assign)");
      expect((await env.s.get("/api/v1/routing/queues/EMEA%20SDRs")).name).toBe("EMEA SDRs");
      expect((await env.s.get("/api/v1/routing/rule-sets/Inbound%20leads")).name).toBe("Inbound leads");
      // Archived, the workflow no longer holds the rule set.
      const live = await env.s.get("/api/v1/workflows/route-by-rules");
      expect((await env.s.api(`/api/v1/workflows/${live.id}/archive`, { method: "POST", json: {} })).status).toBe(200);
      expect(await env.s.get("/api/v1/workflows/route-by-rules")).toMatchObject({ status: "archived" });
    });

    it("saves a queue or rule set only over the version it was read at (If-Match), so two admins do not overwrite each other", async () => {
      const read = await env.s.get("/api/v1/routing/rule-sets/Inbound%20leads");
      const patch = (body: Json, version: number) =>
        env.s.api("/api/v1/routing/rule-sets/Inbound%20leads", { method: "PATCH", json: body, headers: { "if-match": `"${version}"` } });
      const first = await patch({ description: "Saved by the first admin." }, read.version);
      expect(first.status).toBe(200);
      // The second admin read the same version: their save is refused, the first one's stays.
      const second = await patch({ description: "Saved by the second admin." }, read.version);
      expect(second.status).toBe(412);
      expect(((await second.json()) as Json).detail).toContain(`is at version ${read.version + 1}, not ${read.version}; read it again`);
      expect(await env.s.get("/api/v1/routing/rule-sets/Inbound%20leads")).toMatchObject({
        description: "Saved by the first admin.",
        version: read.version + 1,
      });
      const queue = await env.s.get("/api/v1/routing/queues/Night%20desk");
      const stale = await env.s.api("/api/v1/routing/queues/Night%20desk", {
        method: "PATCH",
        json: { description: "late" },
        headers: { "if-match": `"${queue.version - 1}"` },
      });
      expect(stale.status).toBe(412);
      const bad = await env.s.api("/api/v1/routing/queues/Night%20desk", { method: "PATCH", json: {}, headers: { "if-match": "v1" } });
      expect(bad.status).toBe(400);
      expect((await env.s.get("/api/v1/routing/queues/Night%20desk")).version).toBe(queue.version);
    });

    it("refuses bad routing input with the path of each problem, and saves nothing", async () => {
      const bad = async (path: string, body: Json, method = "POST") => {
        const res = await env.s.api(path, { method, json: body });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        return ((await res.json()) as Json).errors as Json[];
      };
      const paths = (issues: Json[]) => issues.map((i) => i.path as string);
      expect(paths(await bad("/api/v1/routing/queues", { name: "Zero", members: [{ user_id: users.Ada, weight: 0 }] }))).toContain(
        "members[0].weight",
      );
      expect(paths(await bad("/api/v1/routing/queues", { name: "Empty", members: [] }))).toContain("members");
      expect(
        paths(
          await bad("/api/v1/routing/rule-sets", {
            name: "Typo",
            object: "lead",
            rules: [{ name: "x", when: { field: "contry", op: "eq", value: "DE" }, target: { user_id: users.Ada } }],
          }),
        ),
      ).toContain("rules[0].when.field");
      expect(paths(await bad("/api/v1/routing/queues/EMEA%20SDRs", { fallback: { queue: "Loop" } }, "PATCH"))).toContain("fallback.queue");
      await env.s.post("/api/v1/routing/queues", { name: "Loop", members: [{ user_id: users.Ben }], fallback: { queue: "EMEA SDRs" } });
      const cycle = await bad("/api/v1/routing/queues/EMEA%20SDRs", { fallback: { queue: "Loop" } }, "PATCH");
      expect(cycle.find((i) => i.path === "fallback.queue")?.message).toContain("circle");
      const names = ((await env.s.get("/api/v1/routing/queues")).data as Json[]).map((q) => q.name);
      expect(names).toEqual(["EMEA SDRs", "Loop", "Night desk"]);
      expect((await env.s.get("/api/v1/routing/queues/EMEA%20SDRs")).fallback).toEqual({ user_id: users.Emil });
      expect(((await env.s.get("/api/v1/routing/rule-sets")).data as Json[]).map((r) => r.name)).toEqual(["Inbound leads"]);
    });

    it("lets a rep change only their own availability, and read but not change queues", async () => {
      const { secret } = await env.s.services.tokens.create(env.s.workspace.id, "rep token", "rep");
      const rep = await env.s.api("/api/v1/routing/queues", {
        method: "POST",
        as: secret,
        json: { name: "Mine", members: [{ user_id: users.Ben }] },
      });
      expect(rep.status).toBe(403);
      expect((await env.s.api("/api/v1/routing/queues", { as: secret })).status).toBe(200);
      expect(
        (await env.s.api(`/api/v1/routing/availability/${users.Ada}`, { method: "PATCH", as: secret, json: { available_now: false } }))
          .status,
      ).toBe(403);
      // Refused before any lookup: an id that is no user is a 403 too, not a 404 that would tell it apart.
      const unknown = await env.s.api("/api/v1/routing/availability/01nosuchuser000000000000000", {
        method: "PATCH",
        as: secret,
        json: { available_now: false },
      });
      expect(unknown.status).toBe(403);
    });
  });
}
