/**
 * Data quality → Matching in Chromium, as the demo admin works it (issue 20), on the seeded demo
 * workspace: the page lists the two seeded match rules; a scan of the leads runs to its end and
 * links to the pairs; a bad weight is refused with the server's
 * message next to that field; the admin raises a rule's threshold and saves; then, in the review
 * queue filtered to possible duplicates, follows "Compare and merge" on one pair, merges it on
 * the merge screen, and the pair leaves the open queue (the merge resolved its item).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../../src/seed/demo.js";
import { accessibilityViolations, openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

describe("Matching and merging duplicates in Chromium (demo workspace)", () => {
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

  it("changes a rule's threshold, then merges a possible duplicate from the review queue", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, s.url, DEMO_ADMIN_EMAIL);
    const nav = page.getByRole("navigation", { name: "Sections" });
    await nav.getByRole("link", { name: "Matching" }).click();
    await page.getByRole("heading", { level: 1, name: "Matching" }).waitFor();
    const rules = page.getByRole("table", { name: "Match rules" });
    const contacts = rules.getByRole("row").filter({ hasText: "Contacts: same person" });
    await contacts.waitFor();
    expect(await rules.getByRole("row").filter({ hasText: "Leads: already a lead or a contact" }).count()).toBe(1);
    expect(await contacts.textContent()).toContain("Alert at 75 %");
    await page.getByRole("button", { name: "Scan Contact records for duplicates" }).waitFor();
    await screenshot(page, "matching");
    expect(await accessibilityViolations(page)).toEqual([]);

    // A scan of the leads: its progress, then the way to the pairs it found.
    await page.getByRole("button", { name: "Scan Lead records for duplicates" }).click();
    const done = page.getByText(/^Scan done: \d+ possible duplicate/);
    await done.waitFor({ timeout: 120_000 });
    await page.getByRole("link", { name: "Review possible duplicates" }).waitFor();
    await screenshot(page, "matching-scan-done");

    // The form: a weight below zero is the server's to refuse, shown next to that weight.
    await contacts.getByRole("link", { name: "Contacts: same person" }).click();
    await page.getByRole("heading", { level: 1, name: "Match rule “Contacts: same person”" }).waitFor();
    const threshold = page.getByLabel("Threshold (%): a pair scoring at least this is a duplicate");
    expect(await threshold.inputValue()).toBe("75");
    await page.getByLabel("Email weight").fill("-1");
    await page.getByRole("button", { name: "Save rule" }).click();
    await page.getByRole("alert").filter({ hasText: "Not saved." }).waitFor();
    const weightProblem = page.locator("#p-w0");
    await weightProblem.waitFor();
    expect((await weightProblem.textContent())?.length).toBeGreaterThan(0);
    await screenshot(page, "matching-rule-problem");
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByLabel("Email weight").fill("3");
    await threshold.fill("80");
    await page.getByRole("button", { name: "Save rule" }).click();
    await page.getByRole("heading", { level: 1, name: "Matching" }).waitFor();
    await expect.poll(() => contacts.textContent()).toContain("Alert at 80 %");
    // Saved on the server, not only on the page: read again.
    await page.reload();
    await expect.poll(() => contacts.textContent()).toContain("Alert at 80 %");

    // The review queue's possible duplicates: compare one pair and merge it.
    await nav.getByRole("link", { name: "Review queue" }).click();
    await page.getByRole("heading", { level: 1, name: "Review queue" }).waitFor();
    await page.getByRole("combobox", { name: /^Kind/ }).selectOption("duplicate");
    const compare = page.getByRole("link", { name: /^Compare and merge / }).first();
    await compare.waitFor();
    const href = (await compare.getAttribute("href")) as string;
    expect(href).toMatch(/^\/records\/(leads|contacts)\/[^/]+\/merge\?with=/);
    await screenshot(page, "review-queue-duplicates");
    await compare.click();
    await page.getByRole("heading", { level: 1, name: /^Merge two (lead|contact) records$/ }).waitFor();
    await page.getByRole("group", { name: "Which record stays?" }).waitFor();
    await screenshot(page, "merge-from-review-queue");
    await page.getByRole("button", { name: /^Merge into / }).click();
    await page.waitForURL((url) => !url.pathname.endsWith("/merge"));

    await nav.getByRole("link", { name: "Review queue" }).click();
    await page.getByRole("combobox", { name: /^Kind/ }).selectOption("duplicate");
    await page
      .getByRole("link", { name: /^Compare and merge / })
      .first()
      .waitFor();
    // The list may first show the cached page from before the merge, then the refetched one:
    // wait for the merged pair to leave rather than read the first paint.
    await expect.poll(() => page.locator(`a[href="${href}"]`).count()).toBe(0);
    await page.getByRole("combobox", { name: /^Status/ }).selectOption("resolved");
    await page.getByRole("row").filter({ hasText: "Possible duplicate" }).first().waitFor();
    expect(problems).toEqual([]);
  });
});
