/**
 * SLA policies over real HTTP on both stores (issue 17): the policy of docs/sla.md is created,
 * listed with its open clocks, read by name and id, changed only over the version read (If-Match,
 * 412), switched off and on, and deleted — not while a clock of it is open. Every bad input of
 * the contract gets a 4xx naming its path and nothing is saved; a taken name is a 409; a rep and
 * an integration read but cannot write; another workspace sees nothing; an Idempotency-Key replays
 * the first answer; every change is in the configuration audit.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

const POLICY = {
  name: "Ticket first response",
  description: "Customers hear from us within 4 business hours (1 for P1)",
  object: "ticket",
  enabled: true,
  applies_when: { field: "category", op: "neq", value: "spam" },
  starts: { on: "created" },
  stops: { on: "activity", types: ["email", "call"], by: "owner" },
  target: { hours: 4 },
  targets_by: { field: "priority", values: { P1: { hours: 1 }, P2: { hours: 2 } } },
  calendar: { of: "team" },
  pause_when: { field: "status", op: "eq", value: "pending" },
  warning: { fraction: 0.75 },
  escalations: [{ after: { hours: 1 } }, { after: { hours: 4 } }],
};

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`SLA policies over HTTP on ${kind.name}`, () => {
    const env = useTestServer(kind);
    let created: Json;
    const names = async () => ((await env.s.get("/api/v1/sla/policies")).data as Json[]).map((p) => p.name as string);

    beforeAll(async () => {
      const res = await env.s.api("/api/v1/sla/policies", { method: "POST", json: POLICY });
      expect(res.status).toBe(201);
      expect(res.headers.get("etag")).toBe('"1"');
      created = (await res.json()) as Json;
    });

    it("creates the policy of the doc as written, and reads it back by name and by id", async () => {
      expect(created).toMatchObject({ ...POLICY, open_clocks: 0, version: 1 });
      expect(created.id).toEqual(expect.any(String));
      const byName = await env.s.api("/api/v1/sla/policies/Ticket%20first%20response");
      expect(byName.headers.get("etag")).toBe('"1"');
      expect(await byName.json()).toEqual(created);
      expect(await env.s.get(`/api/v1/sla/policies/${created.id}`)).toEqual(created);
      expect((await env.s.get("/api/v1/sla/policies")).data).toEqual([created]);
    });

    it("fills the defaults of a smallest policy: enabled, the workspace's calendar, no escalations", async () => {
      const p = await env.s.post("/api/v1/sla/policies", {
        name: "Deal stuck in proposal",
        object: "deal",
        starts: { on: "field_changed", field: "stage", to: ["proposal"] },
        stops: { on: "field_changed", field: "stage" },
        target: { days: 5 },
        warning: { before: { days: 1 } },
      });
      expect(p).toMatchObject({
        description: "",
        enabled: true,
        applies_when: null,
        targets_by: null,
        calendar: { of: "workspace" },
        pause_when: null,
        escalations: [],
      });
      const resolution = await env.s.post("/api/v1/sla/policies", {
        name: "Ticket resolution",
        object: "ticket",
        starts: { on: "field_changed", field: "status", to: ["open"] },
        stops: { on: "field_value", field: "status", in: ["resolved", "closed"] },
        target: { days: 2, hours: 4 },
      });
      expect(resolution.stops).toEqual({ on: "field_value", field: "status", in: ["resolved", "closed"] });
      expect(await names()).toEqual(["Deal stuck in proposal", "Ticket first response", "Ticket resolution"]);
    });

    it("saves a change only over the version it was read at (If-Match), each save a new version", async () => {
      const patch = (body: Json, ifMatch?: string) =>
        env.s.api("/api/v1/sla/policies/Ticket%20resolution", {
          method: "PATCH",
          json: body,
          ...(ifMatch ? { headers: { "if-match": ifMatch } } : {}),
        });
      const first = await patch({ target: { days: 3 } }, '"1"');
      expect(first.status).toBe(200);
      expect(first.headers.get("etag")).toBe('"2"');
      // The second admin read version 1 too: refused, the first one's change stays.
      const second = await patch({ target: { days: 1 } }, '"1"');
      expect(second.status).toBe(412);
      expect(((await second.json()) as Json).detail).toContain("is at version 2, not 1; read it again");
      expect((await patch({}, "v2")).status).toBe(400);
      // Switched off and on (no If-Match: last write wins), null unsets an optional part.
      expect(await (await patch({ enabled: false })).json()).toMatchObject({ enabled: false, version: 3 });
      expect(await (await patch({ enabled: true, warning: { fraction: 0.5 } })).json()).toMatchObject({ enabled: true, version: 4 });
      expect(await (await patch({ warning: null })).json()).toMatchObject({ warning: null, version: 5, target: { days: 3 } });
      // The object is the policy's for life.
      const object = await patch({ object: "deal" });
      expect(object.status).toBe(422);
      expect(((await object.json()) as Json).errors[0].path).toBe("object");
      expect((await env.s.get("/api/v1/sla/policies/Ticket%20resolution")).version).toBe(5);
    });

    it("measures on a named calendar only if the workspace has it, and keeps that calendar from being deleted or renamed", async () => {
      const named = { ...POLICY, name: "On Support EU", calendar: { name: "Support EU" } };
      const missing = await env.s.api("/api/v1/sla/policies", { method: "POST", json: named });
      expect(missing.status).toBe(422);
      expect(((await missing.json()) as Json).errors.map((i: Json) => [i.path, i.message])).toEqual([
        ["calendar.name", 'no calendar is called "Support EU"; this workspace has no calendars yet'],
      ]);
      await env.s.post("/api/v1/calendars", { name: "Support EU", time_zone: "Europe/Paris", hours: { mon: [["09:00", "17:00"]] } });
      const p = await env.s.post("/api/v1/sla/policies", named);
      expect(p.calendar).toEqual({ name: "Support EU" });
      const typo = await env.s.api("/api/v1/sla/policies/On%20Support%20EU", {
        method: "PATCH",
        json: { calendar: { name: "Support US" } },
      });
      expect(((await typo.json()) as Json).errors[0]).toMatchObject({
        path: "calendar.name",
        message: expect.stringContaining("Support EU"),
      });
      for (const [method, json] of [
        ["DELETE", undefined],
        ["PATCH", { name: "Support Europe" }],
      ] as const) {
        const res = await env.s.api("/api/v1/calendars/Support%20EU", { method, ...(json ? { json } : {}) });
        expect(res.status).toBe(409);
        expect(((await res.json()) as Json).detail).toContain("SLA policy On Support EU");
      }
      // Measuring on the workspace's calendar instead, the policy no longer holds it.
      await env.s.json("/api/v1/sla/policies/On%20Support%20EU", { method: "PATCH", json: { calendar: { of: "workspace" } } });
      expect((await env.s.api("/api/v1/calendars/Support%20EU", { method: "DELETE" })).status).toBe(204);
      expect((await env.s.api("/api/v1/sla/policies/On%20Support%20EU", { method: "DELETE" })).status).toBe(204);
    });

    it("refuses a name taken in the workspace (409), on create and on rename", async () => {
      const dup = await env.s.api("/api/v1/sla/policies", { method: "POST", json: { ...POLICY, description: "again" } });
      expect(dup.status).toBe(409);
      expect(((await dup.json()) as Json).errors[0].path).toBe("name");
      const rename = await env.s.api("/api/v1/sla/policies/Ticket%20resolution", { method: "PATCH", json: { name: POLICY.name } });
      expect(rename.status).toBe(409);
      expect(await names()).toEqual(["Deal stuck in proposal", "Ticket first response", "Ticket resolution"]);
    });

    it("refuses each bad input with the path of the problem, and saves nothing", async () => {
      const refused = async (body: Json, status = 422) => {
        const res = await env.s.api("/api/v1/sla/policies", { method: "POST", json: { ...POLICY, name: "Bad", ...body } });
        expect(res.status, JSON.stringify(body)).toBe(status);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
        return (((await res.json()) as Json).errors as Json[]).map((i) => i.path as string);
      };
      expect(await refused({ object: "invoice" })).toContain("object");
      expect(await refused({ pause_when: { field: "stauts", op: "eq", value: "pending" } })).toEqual(["pause_when.field"]);
      expect(await refused({ pause_when: { field: "status", op: "eq", value: "sleeping" } })).toEqual(["pause_when.value"]);
      expect(await refused({ applies_when: { field: "company_id.industy", op: "eq", value: "x" } })).toEqual(["applies_when.field"]);
      expect(await refused({ starts: { on: "field_changed", field: "stage" } })).toEqual(["starts.field"]);
      expect(await refused({ starts: { on: "field_changed", field: "status", to: ["open", "reopened"] } })).toEqual(["starts.to[1]"]);
      expect(await refused({ starts: { on: "assigned" } })).toContain("starts.on");
      expect(await refused({ stops: { on: "activity", types: ["email", "fax"], by: "owner" } })).toEqual(["stops.types[1]"]);
      expect(await refused({ object: "user", applies_when: undefined, pause_when: undefined, targets_by: undefined })).toEqual([
        "stops.on",
      ]);
      expect(await refused({ stops: { on: "field_value", field: "status", in: ["done"] } })).toEqual(["stops.in[0]"]);
      expect(await refused({ stops: { on: "field_changed", field: "stage" } })).toEqual(["stops.field"]);
      expect(await refused({ targets_by: { field: "tier", values: { gold: { hours: 1 } } } })).toEqual(["targets_by.field"]);
      expect(await refused({ targets_by: { field: "priority", values: { P9: { hours: 1 } } } })).toEqual(["targets_by.values.P9"]);
      expect(await refused({ targets_by: { field: "priority", values: { P1: { minutes: 0 } } } })).toEqual(["targets_by.values.P1"]);
      expect(await refused({ target: { hours: 0 } })).toEqual(["target"]);
      expect(await refused({ target: { hours: 0, minutes: 0, days: 0 }, targets_by: undefined })).toEqual(["target"]);
      expect(await refused({ target: {} })).toContain("target");
      expect(await refused({ target: { hours: -1 } })).toContain("target.hours");
      expect(await refused({ target: { weeks: 1 } })).toContain("target");
      // The warning falls before the smallest target (P1: 1 h): 1 h before is at the start, not before the target.
      expect(await refused({ warning: { before: { hours: 1 } } })).toEqual(["warning"]);
      expect(await refused({ warning: { before: { minutes: 0 } } })).toEqual(["warning"]);
      expect(await refused({ warning: { fraction: 1 } })).toEqual(["warning.fraction"]);
      expect(await refused({ warning: { fraction: 0 } })).toEqual(["warning.fraction"]);
      expect(await refused({ escalations: [{ after: { hours: 1 } }, { after: { minutes: 0 } }] })).toEqual(["escalations[1].after"]);
      expect(await refused({ escalations: Array.from({ length: 11 }, () => ({ after: { hours: 1 } })) })).toEqual(["escalations"]);
      expect(await refused({ calendar: { name: "Support EU" } })).toEqual(["calendar.name"]);
      expect(await refused({ calendar: { of: "moon" } })).toContain("calendar.of");
      expect(await refused({ extra: true })).toEqual(["extra"]);
      // Text Handoff never accepts, named by field, as everywhere.
      expect(await refused({ name: "Bad\u0000name" }, 400)).toEqual(["name"]);
      expect(await refused({ description: "half \ud800 pair" }, 400)).toEqual(["description"]);
      // Several problems at once, each with its own path.
      expect(
        await refused({ pause_when: { field: "nope", op: "eq", value: 1 }, target: { minutes: 0 }, calendar: { name: "Nowhere" } }),
      ).toEqual(["pause_when.field", "target", "calendar.name"]);
      // A change is checked the same way, and refused whole.
      const patch = await env.s.api("/api/v1/sla/policies/Ticket%20first%20response", {
        method: "PATCH",
        json: { description: "changed", pause_when: { field: "stauts", op: "eq", value: "x" } },
      });
      expect(patch.status).toBe(422);
      expect(((await patch.json()) as Json).errors.map((i: Json) => i.path)).toEqual(["pause_when.field"]);
      const kept = await env.s.get("/api/v1/sla/policies/Ticket%20first%20response");
      expect(kept).toMatchObject({ description: POLICY.description, version: 1 });
      expect(await names()).toEqual(["Deal stuck in proposal", "Ticket first response", "Ticket resolution"]);
    });

    it("lets a rep and an integration read policies but not change them", async () => {
      for (const role of ["rep", "manager", "integration"]) {
        const { secret } = await env.s.services.tokens.create(env.s.workspace.id, `${role} token`, role);
        expect((await env.s.api("/api/v1/sla/policies", { as: secret })).status).toBe(200);
        expect((await env.s.api("/api/v1/sla/policies/Ticket%20resolution", { as: secret })).status).toBe(200);
        const post = await env.s.api("/api/v1/sla/policies", { method: "POST", as: secret, json: { ...POLICY, name: `By ${role}` } });
        expect(post.status, role).toBe(403);
        const patch = await env.s.api("/api/v1/sla/policies/Ticket%20resolution", {
          method: "PATCH",
          as: secret,
          json: { enabled: false },
        });
        expect(patch.status, role).toBe(403);
        expect((await env.s.api("/api/v1/sla/policies/Ticket%20resolution", { method: "DELETE", as: secret })).status, role).toBe(403);
      }
      expect(await names()).toEqual(["Deal stuck in proposal", "Ticket first response", "Ticket resolution"]);
      expect((await env.s.get("/api/v1/sla/policies/Ticket%20resolution")).version).toBe(5);
    });

    it("shows another workspace none of them, by name or by id", async () => {
      const other = await env.s.newWorkspace("globex");
      expect((await env.s.json("/api/v1/sla/policies", { as: other.token })).data).toEqual([]);
      for (const ref of ["Ticket%20first%20response", created.id]) {
        expect((await env.s.api(`/api/v1/sla/policies/${ref}`, { as: other.token })).status).toBe(404);
        expect(
          (await env.s.api(`/api/v1/sla/policies/${ref}`, { method: "PATCH", as: other.token, json: { enabled: false } })).status,
        ).toBe(404);
        expect((await env.s.api(`/api/v1/sla/policies/${ref}`, { method: "DELETE", as: other.token })).status).toBe(404);
      }
      // The same name is free there.
      expect((await env.s.api("/api/v1/sla/policies", { method: "POST", as: other.token, json: POLICY })).status).toBe(201);
      expect((await env.s.get("/api/v1/sla/policies/Ticket%20first%20response")).id).toBe(created.id);
    });

    it("replays an Idempotency-Key: one policy, the same answer; another body with that key is refused", async () => {
      const send = (json: Json) => env.s.api("/api/v1/sla/policies", { method: "POST", json, headers: { "idempotency-key": "sla-1" } });
      const body = { ...POLICY, name: "Once" };
      const first = await send(body);
      const again = await send(body);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(await again.json()).toEqual(await first.json());
      expect((await send({ ...body, name: "Twice" })).status).toBe(422);
      expect((await names()).filter((n) => n === "Once" || n === "Twice")).toEqual(["Once"]);
    });

    it("refuses to delete a policy while a clock of it is open; then deletes it with its stopped clocks", async () => {
      const store = env.s.services.store;
      const ws = env.s.workspace.id;
      const target = await env.s.get("/api/v1/sla/policies/Once");
      const clock = (id: string, phase: "running" | "stopped") => ({
        workspaceId: ws,
        id,
        policyId: target.id,
        policyVersion: 1,
        recordId: `ticket-${id}`,
        phase,
        plan: { targetMs: 3_600_000, escalationsAfterMs: [] },
        calendar: { ref: { of: "team" as const }, id: null, name: null },
        consumedMs: 0,
        since: "2026-01-01T00:00:00.000Z",
        startedAt: "2026-01-01T00:00:00.000Z",
        stoppedAt: phase === "stopped" ? "2026-01-01T01:00:00.000Z" : null,
        fired: [],
        nextDueAt: null,
        version: 1,
      });
      await store.transaction(async (tx) => {
        await tx.sla.insertSlaClock(clock("open-1", "running"));
        await tx.sla.insertSlaClock(clock("done-1", "stopped"));
      });
      expect((await env.s.get("/api/v1/sla/policies/Once")).open_clocks).toBe(1);
      // A new version: the clock keeps the one it started on.
      await env.s.json("/api/v1/sla/policies/Once", { method: "PATCH", json: { target: { hours: 8 } } });
      expect((await store.sla.getSlaClock(ws, "open-1"))?.policyVersion).toBe(1);
      const refused = await env.s.api("/api/v1/sla/policies/Once", { method: "DELETE" });
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as Json).detail).toContain("1 open clock(s); disable it");
      expect(await store.sla.getSlaClock(ws, "done-1")).toBeDefined();
      // A policy whose clocks have all stopped goes, and they with it.
      const other = await env.s.post("/api/v1/sla/policies", { ...POLICY, name: "Only stopped" });
      await store.transaction((tx) => tx.sla.insertSlaClock({ ...clock("done-2", "stopped"), policyId: other.id }));
      expect((await env.s.api("/api/v1/sla/policies/Only%20stopped", { method: "DELETE" })).status).toBe(204);
      expect((await env.s.api("/api/v1/sla/policies/Only%20stopped")).status).toBe(404);
      expect(await store.sla.getSlaClock(ws, "done-2")).toBeUndefined();
      expect((await env.s.api("/api/v1/sla/policies/Only%20stopped", { method: "DELETE" })).status).toBe(404);

      const audit = (await store.configAudit.readConfigAudit(ws, 100)).filter((e) => e.entity === "sla_policy");
      expect(audit.find((e) => e.action === "delete")?.summary).toMatchObject({ name: "Only stopped", stopped_clocks_forgotten: 1 });
      expect(audit.filter((e) => e.entityId === created.id).map((e) => e.action)).toEqual(["create"]);
      const updates = audit.filter((e) => e.action === "update" && e.summary.name === "Ticket resolution").map((e) => e.summary.changed);
      expect(updates.reverse()).toEqual([["target"], ["enabled"], ["enabled", "warning"], ["warning"]]);
    });
  });
}
