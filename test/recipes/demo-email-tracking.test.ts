/**
 * The demo tracks email engagement on first start (issue 21): its workspace has opens and clicks
 * on, so a workflow email to one of its leads is prepared with the open pixel and tracked links.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { SecretBox } from "../../src/app/secrets/secret-box.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import { seedDemo } from "../../src/seed/demo.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

describe("the seeded demo's email tracking", () => {
  let t: TestStore;
  let s: Services;
  let ws: string;
  beforeAll(async () => {
    t = await sqliteTestStore();
    s = buildServices(t.store, undefined, undefined, { secretBox: new SecretBox(randomBytes(32)), publicUrl: "http://demo.test" });
    ws = (await seedDemo(s)).workspace.id;
  }, 180_000);
  afterAll(async () => t?.dispose());

  it("has opens and clicks on, and its workflow emails to leads carry the pixel and tracked links", async () => {
    const ctx = systemContext(ws);
    expect((await s.workspaces.settings(ctx)).email_tracking).toEqual({ opens: true, clicks: true });
    const lead = (await s.records.list(ctx, "lead", { limit: 1 })).items[0]?.record;
    const prepared = await t.store.transaction((tx) =>
      s.emailTracking.prepare(tx, {
        workspaceId: ws,
        messageId: "demo-message",
        recordId: lead?.id ?? "",
        runId: null,
        payload: {
          to: "x@example.com",
          subject: "Hi",
          html: '<p><a href="https://cal.demo.handoff.test/rep1">Book</a></p>',
          messageId: "<m@handoff>",
        },
        at: new Date().toISOString(),
      }),
    );
    expect(prepared.message?.links).toEqual(["https://cal.demo.handoff.test/rep1"]);
    expect(prepared.payload.html).toMatch(/href="http:\/\/demo\.test\/t\/c\/[\w-]+\.[\w-]+"/);
    expect(prepared.payload.html).toMatch(/<img src="http:\/\/demo\.test\/t\/o\/[\w-]+\.[\w-]+"/);
  });
});
