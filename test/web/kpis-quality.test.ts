/**
 * The data-quality KPIs and the status rules on the seeded demo workspace in Chromium (issue 22):
 * the demo admin opens KPIs and finds the "Data quality" group — required-field completion,
 * duplicate rate and status accuracy, each with the API's figure for the same cut and a chart —
 * for leads and, chosen in the filters, contacts (the demo's 5 % duplicates); drills into status
 * accuracy and reads the leads that break a rule, with the rule. Then on Data rules the admin
 * edits a status rule: a save with no status is refused with the problem next to the statuses,
 * and a save with one more status is kept (the API reads the new version). Figures read on the
 * page are checked against the API's, never against numbers written into the test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../../src/seed/demo.js";
import { accessibilityViolations, openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;
const DAY = 86_400_000;
const pct = (v: number) => v.toLocaleString("en", { maximumFractionDigits: 1 });

describe("data-quality KPIs and status rules on the demo workspace in Chromium", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let token: string;
  const api = async (path: string): Promise<Json> => (await s.api(path, { as: token })).json() as Promise<Json>;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const { workspace } = await seedDemo(s.services);
    await s.services.kpiRollup.catchUp();
    token = (await s.services.tokens.create(workspace.id, "kpi quality test", "admin")).secret;
    browser = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  /** The API's figure over the last 30 days (the page's default period). */
  const figure = async (key: string, cut: Record<string, string> = {}) => {
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY).toISOString().slice(0, 10);
    return (await api(`/api/v1/kpis/${key}?${new URLSearchParams({ from, to, ...cut })}`)).data as Json;
  };

  it("shows the Data quality group with the API's figures and charts, and the records behind status accuracy", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, s.url, DEMO_ADMIN_EMAIL);
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "KPIs" }).click();
    await page.getByRole("heading", { level: 1, name: "KPIs" }).waitFor();
    const group = page.getByRole("region", { name: "Data quality" });
    await group.waitFor();
    for (const [object, title] of [
      ["lead", "Leads"],
      ["contact", "Contacts"],
    ] as const) {
      if (object !== "lead") {
        await page.getByLabel("Records counted").selectOption({ label: title });
        await page.waitForURL(/object=contact/);
      }
      for (const [key, name] of [
        ["required_field_completion", "Required-field completion"],
        ["duplicate_rate", "Duplicate rate"],
        ["status_accuracy", "Status accuracy"],
      ] as const) {
        const kpi = await figure(key, object === "lead" ? {} : { object });
        expect(kpi.count).toBeGreaterThan(100);
        const card = group.getByRole("article", { name });
        await card
          .getByTestId("kpi-value")
          .filter({ hasText: pct(kpi.value) })
          .waitFor();
        await card.getByTestId("chart-canvas").locator("canvas").waitFor();
      }
    }
    // The demo's figures mean something: 5 % of its contacts are copies, and some qualified leads were never contacted.
    expect((await figure("duplicate_rate", { object: "contact" })).value).toBeGreaterThan(3);
    expect((await figure("status_accuracy")).value).toBeLessThan(100);
    await screenshot(page, "kpis-data-quality");
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByLabel("Records counted").selectOption({ label: "Leads" });
    const accuracy = await figure("status_accuracy");
    const broken = Math.round(accuracy.count * (1 - accuracy.value / 100));
    await group
      .getByRole("article", { name: "Status accuracy" })
      .getByRole("link", { name: "See the leads whose status contradicts their data" })
      .click();
    await page.getByRole("heading", { level: 1, name: /Status accuracy: the leads whose status contradicts their data/ }).waitFor();
    const rows = page.getByRole("table", { name: /Status accuracy/ }).getByRole("row");
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(Math.min(broken, 100) + 1);
    expect(await rows.nth(1).textContent()).toContain('breaks "Qualified leads have been contacted"');
    await screenshot(page, "kpis-data-quality-records");
    expect(problems).toEqual([]);
  });

  it("judges the leads as they stood at a past period's end, with the API's figures for the same choice", async () => {
    const { page, problems } = await browser.page();
    // A shared view of a period that has ended: 60 to 31 days ago (signed in above; alone, this one signs in).
    const dayAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);
    const [from, to] = [dayAgo(60), dayAgo(31)];
    const view = `/kpis?period=custom&from=${from}&to=${to}`;
    await page.goto(`${s.url}${view}`);
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    if (page.url().includes("/sign-in")) await signIn(page, s.url, DEMO_ADMIN_EMAIL, { path: view });
    const group = page.getByRole("region", { name: "Data quality" });
    await group.waitFor();
    await page.getByLabel("Judge the leads").selectOption({ label: "As they stood at the period's end" });
    await page.waitForURL(/judged=end/);
    await group.getByText("as they stood at the end of the period").waitFor();
    for (const [key, name] of [
      ["required_field_completion", "Required-field completion"],
      ["status_accuracy", "Status accuracy"],
    ] as const) {
      const kpi = (await api(`/api/v1/kpis/${key}?from=${from}&to=${to}&as_at=end`)).data as Json;
      expect(kpi.count).toBeGreaterThan(50);
      await group
        .getByRole("article", { name })
        .getByTestId("kpi-value")
        .filter({ hasText: pct(kpi.value) })
        .waitFor();
    }
    // The records behind a number are judged the same way.
    await group
      .getByRole("article", { name: "Status accuracy" })
      .getByRole("link", { name: /^See the leads/ })
      .click();
    await page.waitForURL(/\/kpis\/status_accuracy\/records.*judged=end/);
    const listed = (await api(`/api/v1/kpis/status_accuracy/records?from=${from}&to=${to}&as_at=end`)).data as Json[];
    const rows = page.getByRole("table", { name: /Status accuracy/ }).getByRole("row");
    if (listed.length > 0) {
      await rows.nth(1).waitFor();
      expect(await rows.count()).toBe(Math.min(listed.length, 100) + 1);
    }
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("edits a status rule on the Data rules page: a refused save shows its problem by the setting, a good one is kept", async () => {
    const { page, problems } = await browser.page();
    // The browser's context is signed in when the test above ran; alone, this one signs in.
    await page.goto(`${s.url}/data-quality/rules`);
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    if (page.url().includes("/sign-in")) await signIn(page, s.url, DEMO_ADMIN_EMAIL, { path: "/data-quality/rules" });
    const section = page.getByRole("region", { name: "Status rules" });
    await section.getByRole("table", { name: "Status rules" }).waitFor();
    await section.getByRole("button", { name: "Edit Qualified leads have been contacted" }).click();
    const form = page.getByRole("form", { name: "Edit Qualified leads have been contacted" });
    await form.getByRole("checkbox", { name: "Qualified", exact: true }).uncheck();
    await form.getByRole("button", { name: "Save status rule" }).click();
    await form.getByRole("alert").filter({ hasText: "Not saved" }).waitFor();
    // The problem is shown by the statuses it names.
    expect(await form.getByRole("group", { name: "While the status is" }).textContent()).toMatch(/at least 1|too small|1 item/i);
    await form.getByRole("checkbox", { name: "Qualified", exact: true }).check();
    await form.getByRole("checkbox", { name: "Converted", exact: true }).check();
    await form.getByRole("button", { name: "Save status rule" }).click();
    await form.waitFor({ state: "detached" });
    await section.getByRole("cell", { name: /status qualified or converted requires last_activity_at is set/ }).waitFor();
    const saved = ((await api("/api/v1/data-quality/status-rules")).data as Json[]).find(
      (r) => r.name === "Qualified leads have been contacted",
    );
    expect(saved).toMatchObject({ values: ["qualified", "converted"], version: 2 });
    await screenshot(page, "status-rules");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
