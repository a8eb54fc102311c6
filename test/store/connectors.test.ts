/**
 * Connector settings and the configuration audit, on SQLite and a real PostgreSQL: keys are
 * unique per workspace (not across), JSON round-trips, updates and deletes touch one workspace,
 * the audit is read newest first and pages back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectorRow } from "../../src/store/connector-ports.js";
import type { Store } from "../../src/store/ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-01-02T00:00:00.000Z";

const connector = (workspaceId: string, id: string, key: string, extra: Partial<ConnectorRow> = {}): ConnectorRow => ({
  workspaceId,
  id,
  key,
  kind: "http",
  name: `Connector ${key}`,
  config: { base_url: "https://api.example.com", headers: { "X-A": "1" }, timeout_ms: 10000 },
  secrets: "v1.abc.sealed",
  secretNames: ["token"],
  createdAt: T0,
  updatedAt: T0,
  ...extra,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`connector store: ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;

    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
      await store.transaction(async (tx) => {
        await tx.workspaces.insertWorkspace({ id: "ws-a", slug: "a", name: "A", timeZone: "UTC", createdAt: T0 });
        await tx.workspaces.insertWorkspace({ id: "ws-b", slug: "b", name: "B", timeZone: "UTC", createdAt: T0 });
      });
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("stores a connector and reads it back by key, config and secret names intact", async () => {
      await store.transaction((tx) => tx.connectors.insertConnector(connector("ws-a", "c1", "enrichment")));
      const got = await store.connectors.getConnectorByKey("ws-a", "enrichment");
      expect(got).toEqual(connector("ws-a", "c1", "enrichment"));
      expect(await store.connectors.getConnectorByKey("ws-b", "enrichment")).toBeUndefined();
    });

    it("refuses a second connector with the same key in a workspace, allows it in another", async () => {
      await expect(store.transaction((tx) => tx.connectors.insertConnector(connector("ws-a", "c2", "enrichment")))).rejects.toThrow();
      await store.transaction((tx) =>
        tx.connectors.insertConnector(connector("ws-b", "c3", "enrichment", { kind: "chat", secretNames: [] })),
      );
      expect((await store.connectors.listConnectors("ws-a")).map((c) => c.id)).toEqual(["c1"]);
      expect((await store.connectors.listConnectors()).map((c) => `${c.workspaceId}/${c.key}`)).toEqual([
        "ws-a/enrichment",
        "ws-b/enrichment",
      ]);
    });

    it("updates and deletes within one workspace only", async () => {
      const locked = await store.transaction(async (tx) => {
        const row = await tx.connectors.getConnectorForUpdate("ws-a", "enrichment");
        if (!row) throw new Error("missing");
        const ok = await tx.connectors.updateConnector({
          ...row,
          name: "Renamed",
          secrets: null,
          secretNames: [],
          config: { base_url: "https://x.test" },
          updatedAt: T1,
        });
        return ok;
      });
      expect(locked).toBe(true);
      expect(await store.connectors.getConnectorByKey("ws-a", "enrichment")).toMatchObject({
        name: "Renamed",
        secrets: null,
        secretNames: [],
        config: { base_url: "https://x.test" },
        createdAt: T0,
        updatedAt: T1,
      });
      expect(await store.transaction((tx) => tx.connectors.deleteConnector("ws-b", "c1"))).toBe(false);
      expect(await store.transaction((tx) => tx.connectors.deleteConnector("ws-a", "c1"))).toBe(true);
      expect(await store.connectors.getConnectorByKey("ws-a", "enrichment")).toBeUndefined();
      expect(await store.connectors.getConnectorByKey("ws-b", "enrichment")).toBeDefined();
    });

    it("appends audit entries and reads them newest first, per workspace, with paging", async () => {
      const entry = (n: number, workspaceId = "ws-a") => ({
        workspaceId,
        id: `a${n}`,
        at: T0,
        actor: { kind: "person" as const, id: "tok1" },
        requestId: n === 1 ? "req-1" : null,
        entity: "connector",
        entityId: "c1",
        action: "update" as const,
        summary: { key: "enrichment", secrets_set: ["token"], n },
      });
      await store.transaction((tx) => tx.configAudit.appendConfigAudit([entry(1), entry(2), entry(3, "ws-b"), entry(4)]));
      const all = await store.configAudit.readConfigAudit("ws-a", 10);
      expect(all.map((e) => e.id)).toEqual(["a4", "a2", "a1"]);
      expect(all[2]).toMatchObject({
        requestId: "req-1",
        actor: { kind: "person", id: "tok1" },
        summary: { secrets_set: ["token"], n: 1 },
      });
      const page = await store.configAudit.readConfigAudit("ws-a", 1, all[0]?.seq);
      expect(page.map((e) => e.id)).toEqual(["a2"]);
    });
  });
}
