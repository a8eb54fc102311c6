/**
 * Quotas of a workflow's external actions (engineering.md §3.10): beyond its emails or calls
 * per clock hour, an action is not put on the outbox — it fails, the run takes its on_failure
 * path, and the workflow's log says why. Both stores.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`workflow quotas on ${kind.name}`, () => {
    const env = useTestServer(kind);
    beforeAll(async () => {
      await env.s.post("/api/v1/connectors", { key: "crm-sync", kind: "http", config: { base_url: "https://sync.example.com" } });
    });

    const definition = (limits: unknown) => ({
      key: "sync-contacts",
      name: "Sync new contacts",
      description: "Why it exists: a test fixture (publishing needs a description).",
      object: "contact",
      limits,
      trigger: { type: "record_created" },
      start: "sync",
      steps: {
        sync: {
          type: "action",
          action: { type: "http_request", connector: "crm-sync", path: "/contacts", body: { name: "{{ record.last_name }}" } },
          on_failure: "note",
        },
        note: { type: "action", action: { type: "update_fields", fields: { title: "not synced" } } },
      },
    });

    it("refuses a quota that is not a positive whole number, at its path", async () => {
      const res = await env.s.api("/api/v1/workflows", { method: "POST", json: { definition: definition({ calls_per_hour: 0 }) } });
      expect(res.status).toBe(422);
      const body = (await res.json()) as Json;
      expect(body.errors.map((e: Json) => e.path)).toEqual(["limits.calls_per_hour"]);
    });

    it("puts at most calls_per_hour calls on the outbox in an hour; the next one takes on_failure and is logged", async () => {
      const saved = await env.s.publish(definition({ calls_per_hour: 2 }));
      const contacts: Json[] = [];
      for (const name of ["Ada", "Grace", "Katherine"]) contacts.push(await env.s.post("/api/v1/contacts", { last_name: name }));
      await env.s.services.worker.drain();

      const outbox = (await env.s.get("/api/v1/outbox?limit=200")).data as Json[];
      const ours = outbox.filter((o) => contacts.some((c) => c.id === o.record_id));
      expect(ours).toHaveLength(2);
      const titles = await Promise.all(contacts.map(async (c) => (await env.s.get(`/api/v1/contacts/${c.id}`)).title ?? null));
      expect(titles.filter((x) => x === "not synced")).toHaveLength(1);
      const refused = contacts[titles.indexOf("not synced")] as Json;
      expect(ours.map((o) => o.record_id)).not.toContain(refused.id);

      const log = (await env.s.get(`/api/v1/workflows/${saved.id}/log`)).data as Json[];
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ kind: "suppressed", record_id: refused.id });
      expect(log[0]?.message).toContain("quota of 2 calls per hour");
      const runs = (await env.s.get(`/api/v1/runs?record_id=${refused.id}`)).data as Json[];
      expect(runs[0]?.status).toBe("completed");
    });
  });
}
