/**
 * Validation rules and field formats on SQLite and a real PostgreSQL (issue 20): a rule's whole
 * definition round-trips as JSON; names are unique per workspace (not across); lookups stay in
 * their workspace; a rule is saved only over the version read; formats insert once and save over
 * their version; every change of either moves the workspace's data-quality epoch — also as read
 * inside the transaction that made it — and a failed save does not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FieldFormatRow, ValidationRuleRow } from "../../src/store/data-quality-ports.js";
import type { Store } from "../../src/store/ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-01-02T00:00:00.000Z";

const gate = (workspaceId: string, id: string, name: string, extra: Partial<ValidationRuleRow> = {}): ValidationRuleRow => ({
  workspaceId,
  id,
  definition: {
    kind: "gate",
    name,
    description: "A proposal is sent only once the budget is confirmed.",
    object: "deal",
    action: "refuse",
    enabled: true,
    message: "Confirm the budget {{ record.name }} first",
    field: "stage",
    to: ["proposal", "negotiation"],
    requires: { field: "budget_confirmed", op: "eq", value: true },
    shown_on: "budget_confirmed",
  },
  version: 1,
  createdAt: T0,
  updatedAt: T0,
  updatedBy: "u1",
  ...extra,
});

const format = (workspaceId: string, field: string, extra: Partial<FieldFormatRow> = {}): FieldFormatRow => ({
  workspaceId,
  object: "contact",
  field,
  onInvalid: "warn",
  version: 1,
  updatedAt: T0,
  updatedBy: "u1",
  ...extra,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`Data-quality store: ${kind.name}`, () => {
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

    it("keeps a rule whole, by id and by name, only in its workspace; names are unique per workspace", async () => {
      expect(await store.dataQuality.dataQualityEpoch("ws-a")).toBe(0);
      expect(await store.transaction((tx) => tx.dataQuality.insertValidationRule(gate("ws-a", "r1", "Proposal needs budget")))).toBe(true);
      expect(await store.dataQuality.getValidationRule("ws-a", "r1")).toEqual(gate("ws-a", "r1", "Proposal needs budget"));
      expect(await store.dataQuality.getValidationRule("ws-a", "Proposal needs budget")).toEqual(
        gate("ws-a", "r1", "Proposal needs budget"),
      );
      expect(await store.dataQuality.getValidationRule("ws-b", "r1")).toBeUndefined();
      expect(await store.dataQuality.dataQualityEpoch("ws-a")).toBe(1);
      expect(await store.dataQuality.dataQualityEpoch("ws-b")).toBe(0);
      // Taken in ws-a, free in ws-b; the refused insert does not move the epoch.
      expect(await store.transaction((tx) => tx.dataQuality.insertValidationRule(gate("ws-a", "r2", "Proposal needs budget")))).toBe(false);
      expect(await store.dataQuality.dataQualityEpoch("ws-a")).toBe(1);
      expect(await store.transaction((tx) => tx.dataQuality.insertValidationRule(gate("ws-b", "r2", "Proposal needs budget")))).toBe(true);
      const plain: ValidationRuleRow = {
        ...gate("ws-a", "r3", "A closed ticket has a resolution"),
        definition: {
          kind: "rule",
          name: "A closed ticket has a resolution",
          description: "",
          object: "ticket",
          action: "warn",
          enabled: false,
          message: "Say how it was resolved",
          field: "resolution",
          when: { and: [{ op: "is_new" }, { field: "$previous.status", op: "neq", value: "closed" }] },
        },
      };
      await store.transaction((tx) => tx.dataQuality.insertValidationRule(plain));
      expect((await store.dataQuality.listValidationRules("ws-a")).map((r) => r.id)).toEqual(["r3", "r1"]);
      expect(await store.dataQuality.getValidationRule("ws-a", "r3")).toEqual(plain);
    });

    it("saves a rule only over the version read, and the epoch moves with each save, as the transaction itself reads it", async () => {
      const before = await store.dataQuality.dataQualityEpoch("ws-a");
      const v2 = { ...gate("ws-a", "r1", "Proposal gate"), version: 2, updatedAt: T1 };
      const seen = await store.transaction(async (tx) => {
        const first = await tx.dataQuality.dataQualityEpoch("ws-a");
        expect(await tx.dataQuality.updateValidationRule(v2)).toBe("saved");
        return [first, await tx.dataQuality.dataQualityEpoch("ws-a")];
      });
      expect(seen).toEqual([before, before + 1]);
      expect(await store.transaction((tx) => tx.dataQuality.updateValidationRule(v2))).toBe("stale");
      expect(
        await store.transaction((tx) =>
          tx.dataQuality.updateValidationRule({
            ...v2,
            version: 3,
            definition: { ...v2.definition, name: "A closed ticket has a resolution" },
          }),
        ),
      ).toBe("name_taken");
      expect(await store.dataQuality.dataQualityEpoch("ws-a")).toBe(before + 1);
      expect((await store.dataQuality.getValidationRule("ws-a", "r1"))?.definition.name).toBe("Proposal gate");
      expect(await store.transaction((tx) => tx.dataQuality.deleteValidationRule("ws-a", "r1"))).toBe(true);
      expect(await store.transaction((tx) => tx.dataQuality.deleteValidationRule("ws-a", "r1"))).toBe(false);
      expect(await store.dataQuality.dataQualityEpoch("ws-a")).toBe(before + 2);
      expect(await store.dataQuality.getValidationRule("ws-b", "r2")).toBeDefined();
    });

    it("keeps one format per field: inserted once, saved over its version, deleted; each change moves the epoch", async () => {
      const before = await store.dataQuality.dataQualityEpoch("ws-b");
      expect(await store.transaction((tx) => tx.dataQuality.saveFieldFormat(format("ws-b", "phone")))).toBe("saved");
      expect(await store.transaction((tx) => tx.dataQuality.saveFieldFormat(format("ws-b", "phone")))).toBe("stale");
      expect(await store.transaction((tx) => tx.dataQuality.saveFieldFormat(format("ws-b", "mobile", { onInvalid: "refuse" })))).toBe(
        "saved",
      );
      expect(
        await store.transaction((tx) =>
          tx.dataQuality.saveFieldFormat(format("ws-b", "phone", { onInvalid: "fix", version: 2, updatedAt: T1 })),
        ),
      ).toBe("saved");
      expect(await store.transaction((tx) => tx.dataQuality.saveFieldFormat(format("ws-b", "phone", { version: 2 })))).toBe("stale");
      expect(await store.dataQuality.listFieldFormats("ws-b")).toEqual([
        format("ws-b", "mobile", { onInvalid: "refuse" }),
        format("ws-b", "phone", { onInvalid: "fix", version: 2, updatedAt: T1 }),
      ]);
      expect(await store.dataQuality.listFieldFormats("ws-a")).toEqual([]);
      expect(await store.transaction((tx) => tx.dataQuality.deleteFieldFormat("ws-b", "contact", "mobile"))).toBe(true);
      expect(await store.transaction((tx) => tx.dataQuality.deleteFieldFormat("ws-b", "contact", "mobile"))).toBe(false);
      expect(await store.dataQuality.dataQualityEpoch("ws-b")).toBe(before + 4);
    });
  });
}
