/**
 * Conflict warnings in the builder's publish dialog (issue 19, item 4; docs/testing-workflows.md
 * "Conflicts"), in Chromium as an admin uses it: a live workflow sets a lead's status to
 * "qualified", and a live one whose score change closes a cycle with the draft; the draft sets it
 * to "nurturing" and bumps the score. Opening Publish shows both warnings in plain words — the
 * workflows named and linked, the field and the values, the cycle as A → B → A — and Publish stays
 * disabled until the acknowledgement box is ticked; then it publishes, and the version history
 * shows the acknowledgement. Screenshot: docs/screenshots/publish-conflicts.png with
 * HANDOFF_DOCS_SCREENSHOTS=1, else beside the other tests' screenshots.
 */
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/app/auth/passwords.js";
import { systemContext } from "../../src/app/context.js";
import { accessibilityViolations, openBrowser, SCREENSHOTS, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

const PASSWORD = "publish-conflicts-test-password";
const ADMIN = "admin@publish-conflicts.test";
// The docs' copy only when asked: a test run leaves the checkout as it found it.
const SCREENSHOT = process.env.HANDOFF_DOCS_SCREENSHOTS
  ? resolve(import.meta.dirname, "..", "..", "docs", "screenshots", "publish-conflicts.png")
  : resolve(SCREENSHOTS, "publish-conflicts.png");

const action = (a: unknown, next?: string) => ({ type: "action", action: a, ...(next ? { next } : {}) });
const QUALIFY = {
  key: "qualify-hot",
  name: "Qualify hot leads",
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "record_created" },
  conditions: { field: "score", op: "gt", value: 50 },
  start: "set",
  steps: { set: action({ type: "update_fields", fields: { status: "qualified" } }) },
};
const SCORE_WATCH = {
  key: "score-watch",
  name: "Work leads whose score moves",
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "field_changed", field: "score" },
  start: "set",
  steps: { set: action({ type: "update_fields", fields: { country: "US" } }) },
};
const DRAFT = {
  key: "nurture-big",
  name: "Nurture big companies",
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "record_updated", fields: ["country"] },
  conditions: { field: "employee_count", op: "gte", value: 100 },
  start: "set",
  steps: {
    set: action({ type: "update_fields", fields: { status: "nurturing" } }, "bump"),
    bump: action({ type: "change_score", by: 5 }),
  },
};

describe("conflict warnings in the publish dialog", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let workflowId: string;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const ctx = systemContext(s.workspace.id, "seed");
    const [admin] = await s.services.writer.createMany(ctx, "user", [{ name: "Ada Admin", email: ADMIN, role: "admin" }]);
    const hash = await hashPassword(PASSWORD);
    await s.services.store.transaction((tx) =>
      tx.credentials.setPasswordHash(s.workspace.id, admin?.id ?? "", hash, new Date().toISOString()),
    );
    await s.publish(QUALIFY);
    await s.publish(SCORE_WATCH);
    workflowId = (await s.post("/api/v1/workflows", { definition: DRAFT })).id;
    browser = await openBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  const toolbar = (page: Page) => page.getByRole("toolbar", { name: "Edit" });

  it("names the workflows, field and values and the cycle; Publish waits for the acknowledgement; the history keeps it", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, s.url, ADMIN, { password: PASSWORD, path: `/workflows/${workflowId}/edit` });
    await toolbar(page).getByRole("button", { name: "0 problems", exact: true }).waitFor();
    await toolbar(page).getByRole("button", { name: "Publish…" }).click();
    const dialog = page.getByRole("dialog", { name: "Publish version 1" });
    const box = dialog.getByRole("group", { name: "2 conflicts with live workflows" });
    await box.waitFor();

    // The write conflict: both workflows by name, linked to their pages, with their values.
    const write = box.getByRole("listitem").filter({ hasText: "Two workflows set status on the same lead" });
    await expect.poll(() => write.first().textContent()).toContain('Nurture big companies sets status to "nurturing"');
    expect(await write.first().textContent()).toContain('Qualify hot leads sets status to "qualified"');
    expect(await write.first().getByRole("link", { name: "Qualify hot leads" }).getAttribute("href")).toBe("/workflows/qualify-hot");
    // The cycle, drawn as A → B → A, with the field each writes.
    const cycle = box.getByRole("listitem").filter({ hasText: "Workflows trigger each other" });
    expect(await cycle.first().locator("p").first().textContent()).toBe(
      "Nurture big companies → Work leads whose score moves → Nurture big companies",
    );
    expect(await cycle.first().textContent()).toContain("Nurture big companies writes score, which can start Work leads whose score moves");
    expect(await cycle.first().textContent()).toContain(
      "Work leads whose score moves writes country, which can start Nurture big companies",
    );

    // Publish stays disabled until the warnings are acknowledged.
    await dialog.getByLabel("What changed and why").fill("Big companies get nurtured; the owners agreed.");
    const publish = dialog.getByRole("button", { name: "Publish", exact: true });
    expect(await publish.isDisabled()).toBe(true);
    const ack = dialog.getByLabel("I have read these warnings and want to publish anyway");
    await ack.check();
    await expect.poll(() => publish.isEnabled()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await publish.click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByText(/^Published v1 at .*: it is live now\.$/).waitFor();

    // The version history shows who acknowledged what.
    await toolbar(page).getByRole("button", { name: "Versions" }).click();
    const versions = page.getByRole("dialog", { name: "Versions of Nurture big companies" });
    const summary = versions.getByText(/^Published despite 2 conflicts, acknowledged by Ada Admin/);
    await summary.waitFor();
    await summary.click();
    await versions.getByText("Nurture big companies → Work leads whose score moves → Nurture big companies").waitFor();
    const stored = (await s.get(`/api/v1/workflows/${workflowId}`)).versions[0];
    expect(stored.conflicts_acknowledged.warnings.map((w: { kind: string }) => w.kind)).toEqual(["write_conflict", "trigger_cycle"]);
    expect(problems).toEqual([]);
  }, 90_000);
});
