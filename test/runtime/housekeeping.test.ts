/**
 * Housekeeping forgets accepted inbound deliveries once their retention has passed, in batches,
 * and keeps the recent ones (still the idempotency guard of their hook or form). Both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Housekeeping } from "../../src/runtime/housekeeping.js";
import type { InboundDeliveryRow } from "../../src/store/inbound-ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const NOW = Date.parse("2026-06-01T12:00:00.000Z");
const DAY = 86_400_000;
const delivery = (id: string, ageMs: number): InboundDeliveryRow => ({
  workspaceId: "ws-housekeeping",
  sourceKind: "hook",
  sourceId: "hook-1",
  deliveryId: id,
  receivedAt: new Date(NOW - ageMs).toISOString(),
  recordId: `rec-${id}`,
  action: "created",
  eventId: `evt-${id}`,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`housekeeping on ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("forgets deliveries older than the retention, a batch at a time, and keeps the others", async () => {
      const old = ["a", "b", "c", "d", "e"].map((id, i) => delivery(id, 2 * DAY + i * 1000));
      const recent = ["f", "g"].map((id) => delivery(id, DAY / 2));
      await t.store.transaction(async (tx) => {
        for (const d of [...old, ...recent]) expect(await tx.inboundDeliveries.insertInboundDelivery(d)).toBe(true);
      });
      const housekeeping = new Housekeeping(t.store, { now: () => new Date(NOW) }, { inboundRetentionMs: DAY, everyMs: 60_000, batch: 2 });
      expect(await housekeeping.sweep()).toBe(5);
      for (const d of old) expect(await t.store.inboundDeliveries.getInboundDelivery("hook-1", d.deliveryId)).toBeUndefined();
      for (const d of recent)
        expect(await t.store.inboundDeliveries.getInboundDelivery("hook-1", d.deliveryId)).toMatchObject({ recordId: d.recordId });
      expect(await housekeeping.sweep()).toBe(0);
      // A delivery still remembered is refused as a duplicate; a forgotten one would be accepted again.
      await t.store.transaction(async (tx) => {
        expect(await tx.inboundDeliveries.insertInboundDelivery(delivery("f", 0))).toBe(false);
        expect(await tx.inboundDeliveries.insertInboundDelivery(delivery("a", 0))).toBe(true);
      });
    });
  });
}
