/**
 * Deliveries that match on a field (an inbound hook's or form's `match_on`) and arrive at the
 * same moment with the same value: one creates the record, the others update it — never two
 * records — on both stores (PostgreSQL runs them truly concurrently).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Intake, type Source } from "../../src/app/inbound/intake.js";
import { systemClock, ulidGenerator } from "../../src/app/ports.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import { STORES, type TestStore } from "../helpers/stores.js";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`concurrent matching deliveries on ${kind.name}`, () => {
    let t: TestStore;
    let services: Services;
    let source: Source;

    beforeAll(async () => {
      t = await kind.open();
      services = buildServices(t.store);
      const ws = await services.workspaces.create("acme", "Acme");
      source = { kind: "hook", workspaceId: ws.id, id: "hook-race", key: "signups", object: "lead", matchOn: "email" };
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("creates one record for one value, however many deliveries carry it at once", async () => {
      const intake = new Intake(t.store, services.writer, systemClock, ulidGenerator());
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          intake.accept(source, `delivery-${i}`, { last_name: `Race ${i}`, email: "same@example.com" }, null),
        ),
      );
      expect(new Set(results.map((r) => r.recordId)).size).toBe(1);
      expect(results.filter((r) => r.action === "created")).toHaveLength(1);
      expect(results.filter((r) => r.action === "updated")).toHaveLength(5);
      const leads = await t.store.records.queryRecords({
        workspaceId: source.workspaceId,
        object: "lead",
        sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
        limit: 100,
      });
      expect(leads.filter((l) => l.data.email === "same@example.com")).toHaveLength(1);
    });
  });
}
