/**
 * The inbox in Chromium, on the seeded demo workspace with its worker running: a workflow the
 * admin publishes notifies the demo admin when a company is created; the header's badge counts
 * them (polled, no reload); the inbox lists each with its time and links to its record and run;
 * marking one read lowers the badge at once, without a reload; "Mark all read" empties the unread
 * filter. Screenshots and the accessibility check at each step.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../../src/seed/demo.js";
import { accessibilityViolations, openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;

/** The number the badge's words say: "3 unread notifications" → 3, "no unread notifications" → 0. */
const countIn = (label: string | null) => (label?.includes("no unread") ? 0 : Number(/(\d+) unread/.exec(label ?? "")?.[1] ?? Number.NaN));

describe("the inbox, in Chromium, on the demo workspace", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let token: string;
  let adminId: string;
  const demo = (path: string, init: Parameters<TestServer["json"]>[1] = {}): Promise<Json> => s.json(path, { ...init, as: token });

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t, {}, { worker: true });
    const { workspace } = await seedDemo(s.services);
    token = (await s.services.tokens.create(workspace.id, "browser test", "admin")).secret;
    adminId = ((await demo(`/api/v1/users?where=email:eq:${DEMO_ADMIN_EMAIL}`)).data as Json[])[0]?.id;
    expect(adminId).toBeTruthy();
    const saved = await demo("/api/v1/workflows", {
      method: "POST",
      json: {
        definition: {
          key: "tell-the-admin",
          name: "Tell the admin about new companies",
          description: "Why it exists: a test fixture (publishing needs a description).",
          object: "company",
          trigger: { type: "record_created" },
          start: "tell",
          steps: {
            tell: {
              type: "action",
              action: { type: "notify", to: { user_id: adminId }, message: "New company {{ record.name }}: check its owner" },
              next: "done",
            },
            done: { type: "end" },
          },
        },
      },
    });
    await demo(`/api/v1/workflows/${saved.id}/publish`, { method: "POST", json: {} });
    browser = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  const signInAsAdmin = async (page: Page) => {
    await signIn(page, s.url, DEMO_ADMIN_EMAIL);
    await page.getByRole("heading", { level: 1, name: "Welcome, Demo" }).waitFor();
  };
  const badge = (page: Page) => page.getByRole("banner").getByTestId("inbox-link");
  /** What a screen reader says of the badge: its accessible name, from its content. */
  const badgeName = async (page: Page) => ((await badge(page).textContent()) ?? "").replace(/\s+/g, " ").trim();
  const unread = async (page: Page) => countIn(await badgeName(page));

  it("a workflow's notification shows in the header's count without a reload, is read in the inbox, and the count goes down", async () => {
    const { page, problems } = await browser.page();
    await signInAsAdmin(page);
    await expect.poll(() => unread(page), { timeout: 15_000 }).not.toBeNaN();
    const before = await unread(page);

    // Three companies created through the API: the workflow notifies the admin of each.
    const companies: Json[] = [];
    for (const name of ["Initech", "Hooli", "Vandelay Industries"])
      companies.push(await demo("/api/v1/companies", { method: "POST", json: { name } }));
    // The header polls the count: the badge rises with no reload (the URL and page stay).
    await expect.poll(() => unread(page), { timeout: 30_000, interval: 500 }).toBe(before + 3);
    expect(await badgeName(page)).toBe(`Inbox${before + 3}, ${before + 3} unread notifications`);
    expect(await page.getByRole("link", { name: new RegExp(`^Inbox\\W+${before + 3} unread notifications$`) }).count()).toBe(1);
    await screenshot(page, "inbox-badge");

    await badge(page).click();
    await page.getByRole("heading", { level: 1, name: "Notifications" }).waitFor();
    const list = page.getByRole("list", { name: "Notifications" });
    const item = list.getByRole("listitem").filter({ hasText: "New company Hooli: check its owner" });
    await item.waitFor();
    // Its record and its run, by link.
    const hooli = companies[1] as Json;
    expect(await item.getByRole("link", { name: "Open the company" }).getAttribute("href")).toBe(`/records/companies/${hooli.id}`);
    expect(await item.getByRole("link", { name: "See the run" }).getAttribute("href")).toMatch(/^\/runs\/\S+$/);
    expect(await item.locator("time").textContent()).toMatch(/now|second|minute/);
    await screenshot(page, "inbox-list");
    expect(await accessibilityViolations(page)).toEqual([]);

    await item.getByRole("button", { name: "Mark read: New company Hooli: check its owner" }).click();
    await expect.poll(() => unread(page)).toBe(before + 2);
    await item.getByText("Read", { exact: true }).waitFor();
    expect(await item.getByRole("button").count()).toBe(0);
    // Unread only: Hooli is not among them.
    await page.getByRole("button", { name: /^Unread/ }).click();
    const unreadList = page.getByRole("list", { name: "Unread notifications" });
    await unreadList.getByText("New company Initech: check its owner").waitFor();
    expect(await unreadList.getByText("New company Hooli: check its owner").count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("mark all read empties the unread filter and the badge", async () => {
    const { page, problems } = await browser.page();
    // Still signed in (the browser keeps the session cookie).
    await page.goto(`${s.url}/`);
    await page.getByRole("heading", { level: 1, name: "Welcome, Demo" }).waitFor();
    await expect.poll(() => unread(page), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.getByRole("navigation", { name: "Sections" }).waitFor();
    await badge(page).click();
    await page.getByRole("heading", { level: 1, name: "Notifications" }).waitFor();
    await page.getByRole("button", { name: /^Unread/ }).click();
    await page.getByRole("list", { name: "Unread notifications" }).waitFor();
    await page.getByRole("button", { name: "Mark all read" }).click();
    await page.getByRole("heading", { name: "You're all caught up" }).waitFor();
    await expect.poll(() => badgeName(page)).toBe("Inbox, no unread notifications");
    expect(await page.getByTestId("unread-badge").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Mark all read" }).isDisabled()).toBe(true);
    await screenshot(page, "inbox-all-read");
    expect(await accessibilityViolations(page)).toEqual([]);

    // At 200 % zoom (a 640 px wide window) the inbox still reads and works.
    await page.setViewportSize({ width: 640, height: 800 });
    await page.getByRole("button", { name: "All", exact: true }).click();
    await page.getByRole("list", { name: "Notifications" }).getByText("New company Initech: check its owner").waitFor();
    await screenshot(page, "inbox-narrow");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
