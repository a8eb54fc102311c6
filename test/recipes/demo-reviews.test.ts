/**
 * The demo shows reviews working on first start (issue 19, item 5): the stuck-deal escalation is
 * overdue for review with its one notification and one task for the demo admin, speed-to-lead was
 * reviewed with a note, and speed-to-lead has two overrides (the admin moved two of the leads it
 * assigned). A second due check adds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../../src/seed/demo.js";
import { OVERDUE_WORKFLOW, REVIEWED_WORKFLOW } from "../../src/seed/demo-reviews.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

describe("the seeded demo's reviews", () => {
  let t: TestStore;
  let s: Services;
  let ws: string;
  beforeAll(async () => {
    t = await sqliteTestStore();
    s = buildServices(t.store);
    ws = (await seedDemo(s)).workspace.id;
  }, 180_000);
  afterAll(async () => t?.dispose());

  it("has one workflow overdue, its notification and task for the demo admin, one reviewed with a note, and two overrides", async () => {
    const ctx = systemContext(ws);
    const admin = (await s.records.list(ctx, "user", { filter: { field: "email", op: "eq", value: DEMO_ADMIN_EMAIL }, limit: 1 })).items[0]
      ?.record;
    const overdue = await s.reviews.list(ctx, { overdue: true });
    expect(overdue.map((i) => i.workflow.key)).toEqual([OVERDUE_WORKFLOW]);
    expect(overdue[0]?.review.ownerId).toBe(admin?.id);

    expect(await s.reviewsDue.fireDue()).toBe(0);
    const notes = (await t.store.notifications.listNotifications({ workspaceId: ws, userId: admin?.id ?? "", limit: 200 })).filter((n) =>
      n.message.startsWith("Review due"),
    );
    expect(notes).toHaveLength(1);
    const tasks = (
      await s.records.list(ctx, "task", { filter: { field: "owner_id", op: "eq", value: admin?.id }, limit: 200 })
    ).items.filter((i) => String(i.record.data.subject).startsWith("Review workflow"));
    expect(tasks).toHaveLength(1);

    const reviewed = await s.reviews.detail(ctx, REVIEWED_WORKFLOW);
    expect(reviewed.history).toHaveLength(1);
    expect(reviewed.history[0]?.reviewerName).toBe("Demo Admin");
    expect(reviewed.overrides.count).toBe(2);
    expect(reviewed.overrides.latest.every((o) => o.field === "owner_id" && o.byName === "Demo Admin")).toBe(true);
  });
});
