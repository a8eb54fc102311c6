/**
 * Workflow reviews and overrides in Chromium, as the demo admin uses them (issue 19, item 5), on
 * the seeded demo workspace: the list shows each workflow's review status and its overrides in the
 * last 30 days, and filters to those overdue for review; the overdue workflow's page shows its
 * owner and status, and marking it reviewed with a note moves it out of the overdue list and into
 * its history; speed-to-lead's page lists its latest overrides (the seed's two).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../../src/seed/demo.js";
import { accessibilityViolations, openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

describe("workflow reviews in Chromium (demo workspace)", () => {
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

  const row = (page: Page, name: string) => page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });

  it("shows review status and overrides on the list, filters to the overdue, and marks one reviewed with a note", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, s.url, DEMO_ADMIN_EMAIL, { path: "/workflows" });
    await page.getByRole("heading", { level: 1, name: "Workflows" }).waitFor();
    const stuck = row(page, "Escalation: stuck deal");
    await stuck.waitFor();
    const stuckCells = await stuck.getByRole("cell").allTextContents();
    expect(stuckCells[6]).toMatch(/^Overdue since .+Demo Admin$/);
    const speedCells = await row(page, "Speed to lead").getByRole("cell").allTextContents();
    expect(speedCells[6]).toMatch(/^Due in \d+ daysDemo Admin$/);
    expect(speedCells[7]).toBe("2");

    await page.getByLabel("Review", { exact: true }).selectOption("overdue");
    await expect.poll(() => page.getByRole("table").getByRole("link").allTextContents()).toEqual(["Escalation: stuck deal"]);
    await screenshot(page, "workflow-reviews-list");
    expect(await accessibilityViolations(page)).toEqual([]);

    // The overdue workflow's page: its review, then "Mark reviewed" with a note.
    await page.getByRole("link", { name: "Escalation: stuck deal", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Escalation: stuck deal" }).waitFor();
    const review = page.getByRole("region", { name: "Review" });
    await review.getByText(/^Overdue since /).waitFor();
    expect(await review.textContent()).toContain("Demo Admin");
    expect(await review.textContent()).toContain("Not reviewed yet.");
    // A blank note is refused in the form, naming what is missing.
    await review.getByRole("button", { name: "Mark reviewed" }).click();
    await review.getByText("Say what you checked: a review needs a note.").waitFor();
    await review.getByLabel("Review note").fill("Still needed: two deals a week get stuck in proposal. Checked with the sales managers.");
    await review.getByRole("button", { name: "Mark reviewed" }).click();
    await review.getByText(/^Marked reviewed\. The next review is /).waitFor();
    await review.getByText(/^Due in \d+ days$/).waitFor();
    const past = review.getByRole("list", { name: "Past reviews" }).getByRole("listitem");
    expect(await past.count()).toBe(1);
    expect(await past.first().textContent()).toContain("Still needed: two deals a week get stuck in proposal.");
    expect(await past.first().textContent()).toContain("Demo Admin");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Back on the list, nothing is overdue any more.
    await page.getByRole("link", { name: "Workflows", exact: true }).first().click();
    await page.getByLabel("Review", { exact: true }).selectOption("overdue");
    await page.getByRole("heading", { name: "No workflows overdue for review" }).waitFor();

    // Speed to lead: reviewed by the seed's admin, with its two overrides.
    await page.goto(`${s.url}/workflows`);
    await page.getByRole("link", { name: "Speed to lead", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Speed to lead" }).waitFor();
    const speedReview = page.getByRole("region", { name: "Review" });
    const overrides = speedReview.getByRole("table").getByRole("row");
    await expect.poll(() => overrides.count()).toBe(3);
    const first = await overrides.nth(1).getByRole("cell").allTextContents();
    expect(first[1]).toBe("owner_id");
    // The owners by name, not by id: "Rep A → Rep B".
    expect(first[2]).toMatch(/^\S.* → \S/);
    expect(first[2]).not.toMatch(/[0-9a-z]{26}/);
    expect(first[3]).toBe("Demo Admin");
    expect(await speedReview.getByRole("list", { name: "Past reviews" }).textContent()).toContain(
      "Still the fastest way to reach new leads",
    );
    await speedReview.scrollIntoViewIfNeeded();
    await screenshot(page, "workflow-reviews");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
