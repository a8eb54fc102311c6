/**
 * A ticket's sentiment on its record page in Chromium (docs/ai.md#sentiment), as a person reads
 * it: an angry ticket shows, under "Kept by Handoff", its score, its label and the words that
 * drove it; the edit form does not offer them; after the description is calmed over the API the
 * page shows the new tone. Screenshot and axe.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/app/auth/passwords.js";
import { systemContext } from "../../src/app/context.js";
import { accessibilityViolations, openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

const ADMIN = "ada@sentiment.test";
const PASSWORD = "a long enough password";

describe("a ticket's sentiment on the record page in Chromium", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const ctx = systemContext(s.workspace.id, "seed");
    const [admin] = await s.services.writer.createMany(ctx, "user", [{ name: "Ada Admin", email: ADMIN, role: "admin" }]);
    const hash = await hashPassword(PASSWORD);
    await s.services.store.transaction((tx) =>
      tx.credentials.setPasswordHash(s.workspace.id, admin?.id ?? "", hash, new Date().toISOString()),
    );
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  it("shows the score, the label and the words under 'Kept by Handoff', and not in the edit form", async () => {
    const ticket = await s.post("/api/v1/tickets", {
      subject: "Export broken again",
      description: "I am furious. The export is broken again and this is not good enough for a paying customer!",
      priority: "P1",
    });
    expect(ticket.sentiment_label).toBe("negative");
    const { page, problems } = await browser.page();
    await signIn(page, s.url, ADMIN, { password: PASSWORD, path: `/records/tickets/${ticket.id}` });
    await page.getByRole("heading", { level: 1, name: "Export broken again" }).waitFor();
    const kept = page.locator("dl", { has: page.locator("dt", { hasText: "Sentiment words" }) });
    const value = (label: string) =>
      kept
        .locator("div", { has: page.getByText(label, { exact: true }) })
        .locator("dd")
        .textContent();
    expect(await value("Sentiment")).toBe(ticket.sentiment.toLocaleString("en-US"));
    expect(await value("Sentiment label")).toBe("negative");
    // The negated word is shown with its negation.
    expect(await value("Sentiment words")).toBe("'furious' \u22122.7, 'broken' \u22122.1, 'not good' \u22121.4");
    await screenshot(page, "record-ticket-sentiment");
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.goto(`${s.url}/records/tickets/${ticket.id}/edit`);
    await page.getByLabel("Description").waitFor();
    expect(await page.getByLabel("Sentiment", { exact: true }).count()).toBe(0);
    expect(await page.getByLabel("Sentiment label").count()).toBe(0);

    await s.json(`/api/v1/tickets/${ticket.id}`, { method: "PATCH", json: { description: "Fixed now, thanks a lot, great work!" } });
    await page.goto(`${s.url}/records/tickets/${ticket.id}`);
    await page.getByRole("heading", { level: 1, name: "Export broken again" }).waitFor();
    await kept.waitFor();
    await page.locator("dd", { hasText: "positive" }).waitFor();
    expect(problems).toEqual([]);
  });
});
