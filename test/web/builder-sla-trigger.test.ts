/**
 * The builder's panel for the `sla` trigger (issue 17), in Chromium as an admin uses it: on a
 * ticket workflow, choose "When an SLA warns, is breached or escalates"; with no policy chosen the
 * server's problem at `trigger.policy` shows on the field; the policy picker offers the ticket
 * policies only (not the lead's); ticking milestones and a level changes the words on the trigger
 * node; then it publishes.
 *
 * Setup (what the page starts from): the demo's calendars and SLA policies (seedCalendars,
 * seedSlaPolicies), an admin who signs in, a draft ticket workflow started by record creation.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/app/auth/passwords.js";
import { systemContext } from "../../src/app/context.js";
import { seedCalendars } from "../../src/seed/demo-calendars.js";
import { seedSlaPolicies } from "../../src/seed/demo-sla.js";
import { accessibilityViolations, openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

const PASSWORD = "sla-trigger-test-password";
const ADMIN = "admin@sla-trigger.test";

const DRAFT = {
  key: "p1-breach-page",
  name: "Page someone on a P1 breach",
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "ticket",
  trigger: { type: "record_created" },
  start: "tell",
  steps: {
    tell: {
      type: "action",
      action: { type: "notify", to: { field: "assignee_id" }, message: "{{ record.subject }} needs you" },
      next: "done",
    },
    done: { type: "end" },
  },
};

describe("the sla trigger's panel in the builder", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let workflowId: string;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const ctx = systemContext(s.workspace.id, "seed");
    await seedCalendars(s.services, ctx, s.workspace);
    await seedSlaPolicies(s.services, ctx);
    const [admin] = await s.services.writer.createMany(ctx, "user", [{ name: "Ada Admin", email: ADMIN, role: "admin" }]);
    const hash = await hashPassword(PASSWORD);
    await s.services.store.transaction((tx) =>
      tx.credentials.setPasswordHash(s.workspace.id, admin?.id ?? "", hash, new Date().toISOString()),
    );
    workflowId = (await s.post("/api/v1/workflows", { definition: DRAFT })).id;
    browser = await openBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  const trigger = (page: Page) => page.locator('.react-flow__node[data-id="__trigger"]');
  const toolbar = (page: Page) => page.getByRole("toolbar", { name: "Edit" });

  it("chooses the sla trigger, a policy of the object and its milestones, reads them on the trigger node, and publishes", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, s.url, ADMIN, { password: PASSWORD, path: `/workflows/${workflowId}/edit` });
    const inspector = page.getByRole("complementary", { name: "Settings of the selection" });
    await inspector.getByRole("button", { name: "Trigger & conditions" }).click();
    await inspector.getByLabel("What starts it").selectOption({ label: "When an SLA warns, is breached or escalates" });

    // No policy yet: the server's problem at trigger.policy, on the field.
    const policy = inspector.getByLabel("SLA policy", { exact: true });
    await expect.poll(() => policy.getAttribute("aria-invalid")).toBe("true");
    const describedBy = ((await policy.getAttribute("aria-describedby")) ?? "").split(" ").filter(Boolean);
    const said = await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(said.join(" ")).toMatch(/\w/);
    expect(
      await toolbar(page)
        .getByRole("button", { name: /^[1-9]\d* problems?$/ })
        .count(),
    ).toBe(1);

    // Only the ticket's policies are offered.
    await expect
      .poll(() => policy.locator("option").allTextContents())
      .toEqual(["Choose a policy…", "P1 resolution", "Ticket first response"]);
    await policy.selectOption("Ticket first response");
    await expect.poll(() => trigger(page).textContent()).toContain("When the Ticket first response SLA is breached");
    await expect.poll(() => policy.getAttribute("aria-invalid")).toBeNull();

    const milestones = inspector.getByRole("group", { name: "When its clock" });
    await milestones.getByLabel("warns").check();
    await expect.poll(() => trigger(page).textContent()).toContain("When the Ticket first response SLA warns or is breached");
    await milestones.getByLabel("is breached").uncheck();
    await milestones.getByLabel("escalates").check();
    await inspector.getByLabel("Only this level (empty: any)").fill("2");
    await expect.poll(() => trigger(page).textContent()).toContain("When the Ticket first response SLA warns or escalates to level 2");
    // The published one: the P1 resolution breach.
    await policy.selectOption("P1 resolution");
    await milestones.getByLabel("warns").uncheck();
    await milestones.getByLabel("escalates").uncheck();
    await milestones.getByLabel("is breached").check();
    await inspector.getByLabel("Only this level (empty: any)").fill("");
    await expect.poll(() => trigger(page).textContent()).toContain("When the P1 resolution SLA is breached");
    await toolbar(page).getByRole("button", { name: "0 problems", exact: true }).waitFor();
    await screenshot(page, "builder-sla-trigger");
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByText(/^Draft v\d+ saved \d/).waitFor();
    await toolbar(page).getByRole("button", { name: "Publish…" }).click();
    const dialog = page.getByRole("dialog", { name: /^Publish version \d+$/ });
    await expect.poll(() => dialog.getByRole("button", { name: "Publish", exact: true }).isEnabled()).toBe(true);
    await dialog.getByLabel("What changed and why").fill("Page the assignee when a P1 breaches its resolution SLA.");
    await dialog.getByRole("button", { name: "Publish", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByText(/^Published v\d+ at .*: it is live now/).waitFor();
    const live = await s.get(`/api/v1/workflows/${workflowId}`);
    const version = (live.versions as Array<Record<string, any>>).find((v) => v.version === live.live_version);
    expect(version?.definition?.trigger).toEqual({ type: "sla", policy: "P1 resolution", milestones: ["breach"] });
    expect(problems).toEqual([]);
  }, 90_000);
});
