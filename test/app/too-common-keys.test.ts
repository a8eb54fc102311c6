/**
 * A match key shared by more than MAX_PER_KEY records blocks nothing (a switchboard number): the
 * store names it as too common instead of returning its holders, and detection remembers it, so
 * the next create holding it does not count its holders again (issue 20's creates-per-second
 * target). The other keys of that create are still looked up and still find their duplicate.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { MAX_PER_KEY } from "../../src/app/duplicates/detect.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import type { MatchKey } from "../../src/crm/dedupe/keys.js";
import { DEFAULT_MATCH_RULES } from "../../src/seed/duplicates.js";
import { SqlDuplicates } from "../../src/store/sql/ports/duplicates.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const SWITCHBOARD = "+14155550100";
const realLookup = SqlDuplicates.prototype.insertMatchKeysFinding;
for (const kind of STORES) {
  describe.skipIf(kind.skip)(`too common match keys on ${kind.name}`, () => {
    let t: TestStore;
    let s: Services;
    let ws: string;
    const ctx = () => systemContext(ws, "too-common-test");

    beforeAll(async () => {
      t = await kind.open();
      s = buildServices(t.store);
      ws = (await s.workspaces.create("common", "Common")).id;
      await s.matchRules.create(ctx(), { ...DEFAULT_MATCH_RULES[0], enabled: true });
    });
    afterAll(async () => {
      vi.restoreAllMocks();
      await t?.dispose();
    });

    it("a key over the bound is looked up once, then skipped; the create's other keys still find its duplicate", async () => {
      const people = Array.from({ length: MAX_PER_KEY }, (_, i) => ({
        first_name: `Person${i}`,
        last_name: `Unique${String.fromCharCode(97 + (i % 26))}${i}x`,
        email: `person${i}@switchboard.example`,
        phone: SWITCHBOARD,
      }));
      const seeded = await s.writer.createMany(ctx(), "contact", people, { max: 100 });
      const openItems = () => t.store.reviewQueue.listReviewItems({ workspaceId: ws, kind: "duplicate", status: "open", limit: 500 });
      const before = new Set((await openItems()).map((i) => i.id));

      const looked: MatchKey[][] = [];
      // A create writes its keys and looks up its candidates in one call to the store.
      const lookup = vi.spyOn(SqlDuplicates.prototype, "insertMatchKeysFinding");
      lookup.mockImplementation(function (this: SqlDuplicates, workspaceId, records, objects, keys, perKey) {
        if (workspaceId === ws) looked.push([...keys]);
        return realLookup.call(this, workspaceId, records, objects, keys, perKey);
      });

      // The create that makes the switchboard too common: the store counts its holders and names it.
      await s.writer.create(ctx(), "contact", { first_name: "Zed", last_name: "Qwerty", email: "zed@else.example", phone: SWITCHBOARD });
      expect(looked.at(-1)?.some((k) => k.kind === "phone")).toBe(true);

      // The next one skips it, and its email still finds Person3.
      const again = await s.writer.create(ctx(), "contact", {
        first_name: "Person3",
        last_name: "Uniqued3x",
        email: "PERSON3@switchboard.example",
        phone: SWITCHBOARD,
      });
      expect(looked.at(-1)?.some((k) => k.kind === "phone")).toBe(false);
      expect(looked.at(-1)?.some((k) => k.kind === "email")).toBe(true);
      lookup.mockRestore();

      // Zed shares only the switchboard with anyone: no pair. Person3 again is paired with Person3, by email.
      const added = (await openItems()).filter((i) => !before.has(i.id));
      expect(added.every((i) => i.recordId === again.id)).toBe(true);
      const person3 = added.find((i) => i.otherRecordId === seeded[3]?.id);
      expect(person3?.reason).toContain("email");
    });
  });
}
