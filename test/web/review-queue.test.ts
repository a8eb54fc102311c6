/**
 * The data review queue in Chromium, as the demo admin works it (issue 20, item 5), on the seeded
 * demo workspace: the queue lists the seed's flagged records with counts by kind; the admin takes
 * a rep's flag, resolves it with a note, and finds it under "Resolved" with the note; the record
 * page's Data quality panel shows a record's open item, and "Flag for review" puts another there.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../../src/seed/demo.js";
import { accessibilityViolations, openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

const REP_FLAG = "Company name looks like a personal address: check it before the call";
const ADMIN_FLAG = "Looks like a test entry from the website form";

describe("the review queue in Chromium (demo workspace)", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    await seedDemo(s.services);
    browser = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  const row = (page: Page, reason: string) => page.getByRole("row").filter({ hasText: reason });

  it("takes a flagged record, resolves it with a note, and flags another from its record page", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, s.url, DEMO_ADMIN_EMAIL);
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Review queue" }).click();
    await page.getByRole("heading", { level: 1, name: "Review queue" }).waitFor();
    // The demo's scan queues hundreds of possible duplicates: the flags are found by kind.
    await page.getByLabel("Kind", { exact: true }).selectOption("manual");
    const repRow = row(page, REP_FLAG);
    await repRow.waitFor();
    expect(await repRow.getByRole("cell").nth(3).textContent()).toBe("nobody");
    expect(await row(page, ADMIN_FLAG).getByRole("cell").nth(3).textContent()).toBe("Demo Admin");
    const counts = page.getByRole("list", { name: "Open items by kind" });
    expect(await counts.textContent()).toMatch(/[2-9] flagged for review|\d\d+ flagged for review/);
    await screenshot(page, "review-queue");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Take it, then resolve it with a note: it leaves the open queue.
    await repRow.getByRole("button", { name: /^Take flagged for review: / }).click();
    await expect.poll(() => repRow.getByRole("cell").nth(3).textContent()).toBe("Demo Admin");
    await repRow.getByRole("button", { name: /^Resolve / }).click();
    const dialog = page.getByRole("dialog", { name: "Mark this item resolved?" });
    await dialog.getByLabel("Note (optional)").fill("Called them: it is their company's name.");
    await screenshot(page, "review-queue-resolve");
    await dialog.getByRole("button", { name: "Mark resolved" }).click();
    await dialog.waitFor({ state: "detached" });
    await repRow.waitFor({ state: "detached" });
    await page.getByLabel("Status").selectOption("resolved");
    const resolved = row(page, REP_FLAG);
    await resolved.waitFor();
    expect(await resolved.textContent()).toContain("Note: Called them: it is their company's name.");
    expect(await resolved.textContent()).toContain("Resolved");

    // The admin's own flag, on its record's page: the Data quality panel, then another flag.
    await page.getByLabel("Status").selectOption("open");
    await page.getByLabel("Kind", { exact: true }).selectOption("manual");
    await row(page, ADMIN_FLAG).getByRole("link").first().click();
    const panel = page.getByRole("region", { name: "Data quality" });
    await panel.getByText(ADMIN_FLAG).waitFor();
    expect(await panel.textContent()).toContain("Flagged for review");
    await panel.getByRole("button", { name: "Flag for review" }).click();
    const flag = page.getByRole("dialog", { name: "Flag this record for review" });
    const submit = flag.getByRole("button", { name: "Flag for review" });
    expect(await submit.isDisabled()).toBe(true);
    await flag.getByLabel("What looks wrong").fill("Phone number has too few digits");
    await submit.click();
    await flag.waitFor({ state: "detached" });
    await panel.getByText("Phone number has too few digits").waitFor();
    await screenshot(page, "record-data-quality");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
