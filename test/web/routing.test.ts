/**
 * Routing in Chromium (issue 16): an admin's rule set with territory (country), industry
 * (company's industry) and size (employee count) rules running on every new lead, a weighted
 * queue that respects availability, one member on PTO. A lead created over the API is routed
 * at once; the record page's "Why this owner" names the rule and shows the PTO member excluded
 * with the reason. Move up reorders the rules, and the order holds after a reload. A rep reads
 * the rule set without the buttons.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, openBrowser, screenshot, type TestBrowser } from "../helpers/browser.js";
import { eventually } from "../helpers/eventually.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;
const PASSWORD = "routing-test-password-1";
const DAY = 86_400_000;

describe("routing pages in Chromium", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let ruleSet: Json;
  let lead: Json;
  const people: Record<string, Json> = {};

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t, {}, { worker: true });
    const person = async (name: string, role: string, extra: Json = {}) => {
      const u = await s.post("/api/v1/users", { name, email: `${name.toLowerCase()}@routing.test`, role, time_zone: "UTC", ...extra });
      await s.json(`/api/v1/users/${u.id}/password`, { method: "PUT", json: { password: PASSWORD } });
      people[name] = u;
      return u;
    };
    await person("Ada", "admin");
    await person("Rita", "rep");
    await person("Omar", "rep", {
      pto: [{ start: new Date(Date.now() - DAY).toISOString(), end: new Date(Date.now() + 10 * DAY).toISOString() }],
    });
    await person("Kenji", "rep");
    const queue = await s.post("/api/v1/routing/queues", {
      name: "Inbound",
      strategy: "weighted_round_robin",
      members: [
        { user_id: people.Rita?.id, weight: 2 },
        { user_id: people.Omar?.id, weight: 1 },
      ],
    });
    ruleSet = await s.post("/api/v1/routing/rule-sets", {
      name: "New leads",
      object: "lead",
      on_create: true,
      rules: [
        {
          id: "territory",
          name: "Japan territory",
          when: { field: "country", op: "in", value: ["JP"] },
          target: { user_id: people.Kenji?.id },
        },
        {
          id: "industry",
          name: "Software companies",
          when: { field: "company_id.industry", op: "eq", value: "Software" },
          target: { queue: queue.id },
        },
        { id: "size", name: "Large companies", when: { field: "employee_count", op: "gte", value: 200 }, target: { queue: queue.id } },
      ],
      default_target: { queue: queue.id },
    });
    lead = await s.post("/api/v1/leads", { last_name: "Bigco", country: "US", employee_count: 500 });
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  const signIn = async (page: Page, who: string, path: string) => {
    await browser.context.clearCookies();
    await page.goto(`${s.url}/sign-in?redirect=${encodeURIComponent(path)}`);
    await page.getByLabel("Email").fill(`${who.toLowerCase()}@routing.test`);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${s.url}${path}`);
  };

  it("the record page says why this owner: the rule that matched and the member on PTO excluded", async () => {
    // The create-time rule set runs in the worker, just after the create.
    const routed = await eventually("the lead routed", async () => (await s.get(`/api/v1/leads/${lead.id}`)).owner_id, 20_000);
    expect(routed).toBe(people.Rita?.id);
    const { page, problems } = await browser.page();
    await signIn(page, "Ada", `/records/leads/${lead.id}`);
    const panel = page.getByRole("region", { name: "Why this owner" });
    await panel.waitFor();
    const rules = panel.getByRole("list", { name: "Rules checked" });
    expect(await rules.textContent()).toContain("Matched: Large companies");
    expect(await rules.textContent()).toContain("Did not match: Japan territory");
    const omar = panel.getByRole("row", { name: /Omar/ });
    expect(await omar.textContent()).toMatch(/Excluded.*PTO/);
    expect(await panel.getByRole("row", { name: /Rita/ }).textContent()).toContain("Eligible");
    expect(await panel.textContent()).toContain("Weighted round-robin");
    await screenshot(page, "routing-why-owner");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("an admin moves a rule up with the keyboard and the new order holds after a reload", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Ada", `/routing/rule-sets/${ruleSet.id}`);
    const order = async () => await page.getByRole("list", { name: "Rules, in priority order" }).getByRole("heading").allTextContents();
    await page.getByRole("button", { name: "Move Large companies up" }).waitFor();
    expect(await order()).toEqual(["Japan territory", "Software companies", "Large companies"]);
    await page.getByRole("button", { name: "Move Large companies up" }).focus();
    await page.keyboard.press("Enter");
    await page.getByText(/Saved as version 2/).waitFor();
    await page.reload();
    await page.getByRole("button", { name: "Move Large companies up" }).waitFor();
    expect(await order()).toEqual(["Japan territory", "Large companies", "Software companies"]);
    expect(((await s.get(`/api/v1/routing/rule-sets/${ruleSet.id}`)).rules as Json[]).map((r) => r.id)).toEqual([
      "territory",
      "size",
      "industry",
    ]);
    await screenshot(page, "routing-rule-set");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("the simulation shows who would get the last N leads, and writes nothing", async () => {
    const jp = await s.post("/api/v1/leads", { last_name: "Tanaka", country: "JP", employee_count: 20 });
    const big = await s.post("/api/v1/leads", { last_name: "Megacorp", country: "US", employee_count: 300 });
    for (const l of [jp, big]) await eventually("routed", async () => (await s.get(`/api/v1/leads/${l.id}`)).owner_id, 20_000);
    // What the simulation must leave as it was: the assignment reasons, and each lead's owner and version.
    const snapshot = async () => ({
      assignments: ((await s.get("/api/v1/routing/assignments?limit=200")).data as Json[]).length,
      leads: ((await s.get("/api/v1/leads?limit=100")).data as Json[]).map((l) => [l.id, l.owner_id, l.version]),
    });
    const before = await snapshot();
    const { page, problems } = await browser.page();
    await signIn(page, "Ada", `/routing/rule-sets/${ruleSet.id}`);
    await page.getByLabel("How many recent leads").fill("3");
    await page.getByRole("button", { name: "Simulate on the last 3 leads" }).click();
    const note = page.getByText(/Nothing was written/);
    await note.waitFor();
    expect(await note.textContent()).toContain("Simulated on 3 leads");
    const counts = Object.fromEntries(
      (await page.getByRole("table", { name: "Would get" }).getByRole("row").allInnerTexts()).slice(1).map((row) => {
        const [name, n] = row.split("\t");
        return [name?.trim(), Number(n)];
      }),
    );
    expect(counts).toEqual({ Rita: 2, Kenji: 1 });
    expect(await page.getByRole("table", { name: "Decided by" }).textContent()).toContain("Japan territory");
    expect(await snapshot()).toEqual(before);
    await screenshot(page, "routing-simulation");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("a rep switches themself unavailable, adds PTO and sees it saved after a reload", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Kenji", "/routing/availability");
    const now = page.getByRole("checkbox", { name: "Available for new records now" });
    expect(await now.isChecked()).toBe(true);
    await now.uncheck();
    await page.getByLabel("First day off").fill("2031-03-02");
    await page.getByLabel("Back on").fill("2031-03-09");
    await page.getByRole("button", { name: "Add PTO" }).click();
    await page.getByRole("button", { name: "Save availability" }).click();
    await page.getByText("Saved.").waitFor();
    await page.reload();
    await page.getByRole("list", { name: "PTO periods" }).getByRole("listitem").first().waitFor();
    expect(await page.getByRole("checkbox", { name: "Available for new records now" }).isChecked()).toBe(false);
    const saved = await s.get(`/api/v1/routing/availability/${people.Kenji?.id}`);
    expect(saved.available_now).toBe(false);
    expect(saved.pto).toEqual([{ start: "2031-03-02T00:00:00.000Z", end: "2031-03-09T00:00:00.000Z" }]);
    // A time zone the server refuses is shown next to its field.
    await page.getByLabel("Time zone").fill("Mars/Olympus");
    await page.getByRole("button", { name: "Save availability" }).click();
    const tz = page.getByLabel("Time zone");
    await page.locator("#time-zone-error").waitFor();
    expect(await tz.getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "routing-my-availability");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("a rep reads the rule set without the buttons to change it", async () => {
    const { page } = await browser.page();
    await signIn(page, "Rita", `/routing/rule-sets/${ruleSet.id}`);
    await page.getByText("Only admins and managers change rule sets").waitFor();
    expect(await page.getByRole("button", { name: /Move .* up/ }).count()).toBe(0);
    expect(await page.getByRole("checkbox", { name: /Run on every new lead/ }).isDisabled()).toBe(true);
    // Queues: members, weights and the strategy, to read.
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Queues" }).click();
    const members = page.getByRole("table", { name: "Members of Inbound" });
    await members.waitFor();
    // Member, weight, cap; then the records each got in the last 30 days (the queue card's distribution).
    expect((await members.getByRole("row", { name: /Rita/ }).getByRole("cell").allTextContents()).slice(0, 3)).toEqual([
      "Rita",
      "2",
      "their own capacity",
    ]);
    expect(await page.getByRole("region", { name: "Inbound" }).textContent()).toContain("Weighted round-robin");
    expect(await page.getByRole("textbox").count()).toBe(0);
    await screenshot(page, "routing-queues");
  });
});
