/**
 * The KPI pages in Chromium (issue 22, item 4), as a RevOps admin uses them, on a history built
 * over the API with a simulated clock ten days ago (as test/api/kpis-api.test.ts): a workflow
 * "Tag new leads" is published after one lead (Dee) already exists, then Ada, Brook and Cyd are
 * created and answered by a person after 2, 5 and 30 minutes; people change Ada twice and Brook
 * once; two deals close after one and three days. The rollup catches up; then the admin opens KPIs from the navigation and reads a median
 * response of 5 minutes over 3 leads, a deal cycle of 2 days, its CSV link, the workflow health table, clicks through to
 * the three leads slowest first (names, minutes, owner) by keyboard; then opens the leads most
 * touched by people, comes back by the breadcrumb, chooses the workflow and reads its records
 * handled (5 minutes, 1 touch) beside the others (Dee: none answered, 0 touches), reloads the
 * shared address with the filters kept, sees the empty state of a period with nothing in it and
 * the refusal of dates the wrong way round. A rep reads the same. axe on each page; no CSP report.
 *
 * The screenshots of docs/web.md's "KPIs" section are written to docs/screenshots only when asked
 * (HANDOFF_DOCS_SCREENSHOTS=1), so that an ordinary run leaves the committed images as they were.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, openBrowser, docsScreenshot as shot, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;
const DAY = 86_400_000;
const MIN = 60_000;
const PASSWORD = "correct horse battery staple";

describe("KPI pages in Chromium", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  // Ten days ago at 10:00 UTC while the history is built; the real time afterwards (sessions, the page's "last 30 days").
  const start = Math.floor(Date.now() / DAY) * DAY - 10 * DAY + 10 * 60 * MIN;
  let at: number | undefined = start;
  const clock = { now: () => new Date(at ?? Date.now()) };
  const day = new Date(start).toISOString().slice(0, 10);
  let flow: Json;
  let owen: Json;
  const leads: Record<string, Json> = {};

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t, {}, { worker: true, clock });
    for (const [name, email, role] of [
      ["Ada Admin", "ada@acme.example", "admin"],
      ["Owen Owner", "owen@acme.example", "rep"],
    ] as const) {
      const user = await s.post("/api/v1/users", { name, email, role });
      await s.json(`/api/v1/users/${user.id}/password`, { method: "PUT", json: { password: PASSWORD } });
      if (role === "rep") owen = user;
    }
    // Dee comes before the workflow: a lead it never handled, never answered.
    leads.Dee = await s.post("/api/v1/leads", { first_name: "Dee", last_name: "Early", status: "new", owner_id: owen.id });
    flow = await s.publish({
      key: "tag-new-leads",
      name: "Tag new leads",
      description: "Why it exists: every new lead gets its country, so routing has it.",
      object: "lead",
      trigger: { type: "record_created" },
      start: "tag",
      steps: { tag: { type: "action", action: { type: "update_fields", fields: { country: "US" } } } },
    });
    for (const name of ["Ada", "Brook", "Cyd"])
      leads[name] = await s.post("/api/v1/leads", { first_name: name, last_name: "Lead", status: "new", owner_id: owen.id });
    for (;;) {
      const runs = (await s.get(`/api/v1/runs?workflow_id=${flow.id}`)).data as Json[];
      if (runs.length === 3 && runs.every((r) => r.status === "completed")) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const activity = (minutes: number, body: Json) => {
      at = start + minutes * MIN;
      return s.post("/api/v1/activities", body);
    };
    await activity(2, { type: "call", related_id: leads.Ada?.id });
    await activity(5, { type: "email", related_id: leads.Brook?.id, subject: "Hello" });
    await activity(30, { type: "meeting", related_id: leads.Cyd?.id });
    await s.json(`/api/v1/leads/${leads.Ada?.id}`, { method: "PATCH", json: { title: "CTO" } });
    await s.json(`/api/v1/leads/${leads.Ada?.id}`, { method: "PATCH", json: { status: "working" } });
    await s.json(`/api/v1/leads/${leads.Brook?.id}`, { method: "PATCH", json: { status: "working" } });
    // Two deals, won after one day and lost after three: a median cycle of 2 days.
    const won = await s.post("/api/v1/deals", { name: "Won deal", owner_id: owen.id });
    const lost = await s.post("/api/v1/deals", { name: "Lost deal", owner_id: owen.id });
    at = start + 30 * MIN + DAY;
    await s.json(`/api/v1/deals/${won.id}`, { method: "PATCH", json: { stage: "closed_won" } });
    at = start + 30 * MIN + 3 * DAY;
    await s.json(`/api/v1/deals/${lost.id}`, { method: "PATCH", json: { stage: "closed_lost" } });
    at = undefined;
    await s.services.kpiRollup.catchUp();
    browser = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  const signIn = async (page: Page, email = "ada@acme.example", first = "Ada") => {
    await browser.context.clearCookies();
    await page.goto(`${s.url}/sign-in`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: `Welcome, ${first}` }).waitFor();
  };
  const card = (page: Page, title: string) => page.getByRole("article", { name: title });

  it("reads the response time, its CSV and the workflow health, and drills into the leads behind it, slowest first", async () => {
    const { page, problems } = await browser.page();
    await signIn(page);
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "KPIs" }).click();
    await page.getByRole("heading", { level: 1, name: "KPIs" }).waitFor();
    const response = card(page, "Lead response time");
    await response.getByTestId("kpi-value").filter({ hasText: "5" }).waitFor();
    expect(await response.getByTestId("kpi-value").textContent()).toBe("5 minutes");
    expect(await response.textContent()).toContain("over 3 leads answered by a person");
    // The trend chart: its canvas drawn, its numbers in the table under it.
    await response.getByRole("figure", { name: "Lead response time, day by day" }).waitFor();
    await response.getByTestId("chart-canvas").locator("canvas").waitFor();
    await response.getByText("Show the numbers by day").click();
    expect(await response.getByRole("table", { name: "Lead response time by day" }).getByRole("row").nth(1).textContent()).toMatch(
      /5 minutes3$/,
    );
    // People changed Ada twice and Brook once: 3 touches over the 4 leads.
    expect(await card(page, "Manual touches per record").getByTestId("kpi-value").textContent()).toBe("0.8 touches per lead");
    // Deals closed after 1 and 3 days; no SLA policy, so no target ended.
    const cycle = card(page, "Deal cycle time");
    expect(await cycle.getByTestId("kpi-value").textContent()).toBe("2 days");
    expect(await cycle.textContent()).toContain("over 2 deals closed in the period");
    expect(await cycle.getByRole("link", { name: "See the 2 deals behind it" }).count()).toBe(1);
    expect(await card(page, "SLA attainment").textContent()).toContain("No SLA target on leads was met or breached in this period.");

    // The CSV link is the chart's data over the period shown.
    const csv = response.getByRole("link", { name: "Download CSV: Lead response time" });
    const href = (await csv.getAttribute("href")) ?? "";
    const url = new URL(href, s.url);
    expect(url.pathname).toBe("/api/v1/kpis/lead_response_time");
    expect(url.searchParams.get("format")).toBe("csv");
    const to = new Date().toISOString().slice(0, 10);
    expect(url.searchParams.get("to")).toBe(to);
    expect(url.searchParams.get("from")).toBe(new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY).toISOString().slice(0, 10));
    const got = await page.request.get(`${s.url}${href}`);
    expect(got.headers()["content-type"]).toContain("text/csv");
    expect(await got.text()).toBe(`kpi,day,value,count\nlead_response_time,${day},5,3\n`);

    // Workflow health: the one workflow, version 1, three runs, none failed.
    const health = page.getByRole("table", { name: "Workflow health" });
    expect(await health.getByRole("row").nth(1).textContent()).toBe("Tag new leads1300%");
    expect(await health.getByRole("link", { name: "Tag new leads" }).getAttribute("href")).toBe(`/workflows/${flow.id}`);
    await shot(page, "kpis-overview");
    expect(await accessibilityViolations(page)).toEqual([]);

    // By keyboard: the card's link is reached and followed without a mouse.
    await response.getByRole("link", { name: "See the 3 leads behind it" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: "Lead response time: the leads behind it" }).waitFor();
    const table = page.getByRole("table", { name: "Lead response time: the leads behind it" });
    await table.getByRole("link", { name: "Cyd Lead" }).waitFor();
    const rows = await table.getByRole("row").allTextContents();
    expect(rows.length).toBe(4);
    expect(rows[1]).toMatch(/^Cyd Lead30 minutes.*Owen Owner$/);
    expect(rows[2]).toMatch(/^Brook Lead5 minutes.*Owen Owner$/);
    expect(rows[3]).toMatch(/^Ada Lead2 minutes.*Owen Owner$/);
    expect(await table.getByRole("link", { name: "Cyd Lead" }).getAttribute("href")).toBe(`/records/leads/${leads.Cyd?.id}`);
    const drillCsv = await page.getByRole("link", { name: /^Download CSV/ }).getAttribute("href");
    expect(drillCsv).toMatch(/^\/api\/v1\/kpis\/lead_response_time\/records\?.*format=csv/);
    expect((await (await page.request.get(`${s.url}${drillCsv}`)).text()).split("\n")[1]).toContain(`${leads.Cyd?.id},lead,`);
    await shot(page, "kpis-drill-down");
    expect(await accessibilityViolations(page)).toEqual([]);

    // A lead's link opens its record page inside the app.
    await table.getByRole("link", { name: "Brook Lead" }).click();
    await page.waitForURL(`${s.url}/records/leads/${leads.Brook?.id}`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("chooses the workflow: its records handled beside the others; the address keeps the filters; empty and refused periods", async () => {
    const { page, problems } = await browser.page();
    await signIn(page);
    await page.goto(`${s.url}/kpis`);
    await page.getByRole("heading", { level: 1, name: "KPIs" }).waitFor();
    // The other KPI counted over records: the leads most touched by people first, and back by the breadcrumb.
    await card(page, "Manual touches per record").getByRole("link", { name: "See the 4 leads behind it" }).click();
    const touched = page.getByRole("table", { name: "Manual touches per record: the leads behind it" });
    await touched.getByRole("link", { name: "Ada Lead" }).waitFor();
    const touchedRows = await touched.getByRole("row").allTextContents();
    expect(touchedRows.length).toBe(5);
    expect(touchedRows[1]).toMatch(/^Ada Lead2 touches/);
    expect(touchedRows[2]).toMatch(/^Brook Lead1 touch\d/);
    expect(
      touchedRows
        .slice(3)
        .map((r) => r.replace(/0 touches.*/, ""))
        .sort(),
    ).toEqual(["Cyd Lead", "Dee Early"]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "KPIs" }).click();
    await page.getByRole("heading", { level: 1, name: "KPIs" }).waitFor();
    await page.getByLabel("Workflow", { exact: true }).selectOption({ label: "Tag new leads" });
    await page.waitForURL(/workflow=/);
    const compare = page.getByRole("table", { name: "Handled by Tag new leads or not" });
    await compare.waitFor();
    const row = (name: string) => compare.getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${name}`) }) });
    expect(await row("Lead response time").getByRole("cell").allTextContents()).toEqual([
      "5 minutesover 3 leads answered by a person",
      "—no lead answered by a person",
    ]);
    expect(await row("Manual touches per record").getByRole("cell").allTextContents()).toEqual([
      "1 touchover 3 leads created in the period",
      "0 touchesover 1 lead created in the period",
    ]);
    // The cards count the records it handled; the note says so.
    await expect.poll(() => card(page, "Lead response time").getByTestId("kpi-value").textContent()).toBe("5 minutes");
    await page.getByRole("note").filter({ hasText: "that Tag new leads ran on" }).waitFor();
    await shot(page, "kpis-handled-or-not");
    expect(await accessibilityViolations(page)).toEqual([]);

    // The cards for the records it did not handle: only Dee, never answered.
    await page.getByLabel("Records", { exact: true }).selectOption({ label: "Not handled by this workflow" });
    await page.waitForURL(/handled=false/);
    await card(page, "Lead response time").getByText("No lead created in this period has been answered").waitFor();
    await expect.poll(() => card(page, "Manual touches per record").getByTestId("kpi-value").textContent()).toBe("0 touches per lead");

    // The address is the view: a reload (or a colleague opening it) shows the same filters.
    await page.getByLabel("Owner", { exact: true }).selectOption({ label: "Owen Owner" });
    await page.waitForURL(/owner=/);
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "KPIs" }).waitFor();
    // The lists of workflows and people load after the page: their choices show once they are there.
    await expect.poll(() => page.getByLabel("Workflow", { exact: true }).inputValue()).toBe(flow.id);
    await expect.poll(() => page.getByLabel("Owner", { exact: true }).inputValue()).toBe(owen.id);
    await expect.poll(() => page.getByLabel("Records", { exact: true }).inputValue()).toBe("false");

    // The last 7 days hold nothing (the history is ten days old): said in words.
    await page.getByLabel("Workflow", { exact: true }).selectOption({ label: "Any (no workflow chosen)" });
    await page.getByLabel("Period", { exact: true }).selectOption({ label: "Last 7 days" });
    await page.getByRole("heading", { name: "Nothing to measure in this period" }).waitFor();
    expect(new URL(page.url()).searchParams.get("period")).toBe("7");
    await shot(page, "kpis-empty");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Dates the wrong way round: the server's refusal, named by the filter.
    await page.getByLabel("Period", { exact: true }).selectOption({ label: "Choose dates…" });
    await page.getByLabel("From", { exact: true }).fill("2026-03-10");
    await page.getByLabel("To (included)").fill("2026-03-01");
    const alert = page.getByRole("alert").filter({ hasText: "Could not count the KPIs with these filters" });
    await alert.waitFor();
    expect(await alert.textContent()).toContain("From: from is after to");
    await shot(page, "kpis-refused");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("draws a point per hour for a short period: the hour's numbers, its CSV; longer periods only by day", async () => {
    const { page, problems } = await browser.page();
    await signIn(page);
    await page.goto(`${s.url}/kpis`);
    await page.getByRole("heading", { level: 1, name: "KPIs" }).waitFor();
    // The last 30 days are too long to be drawn by hour: the choice is there, not open, and says why.
    const points = page.getByLabel("Chart points");
    expect(await points.locator('option[value="hour"]').isDisabled()).toBe(true);
    await page.getByText("A point per hour needs a period of at most 7 days.").waitFor();

    // The day of the history, by hour: the three leads were created and answered in the 10:00 hour.
    await page.getByLabel("Period", { exact: true }).selectOption({ label: "Choose dates…" });
    await page.getByLabel("From", { exact: true }).fill(day);
    await page.getByLabel("To (included)").fill(day);
    await expect.poll(() => points.locator('option[value="hour"]').isDisabled()).toBe(false);
    await points.selectOption({ label: "One per hour" });
    await page.waitForURL(/by=hour/);
    const response = card(page, "Lead response time");
    await response.getByRole("figure", { name: "Lead response time, hour by hour" }).waitFor();
    await response.getByText("Show the numbers by hour").click();
    const table = response.getByRole("table", { name: "Lead response time by hour" });
    expect(await table.getByRole("columnheader").first().textContent()).toBe("Hour (UTC)");
    expect(await table.getByRole("row").nth(1).textContent()).toMatch(/, 10:00 UTC5 minutes3$/);
    const href = (await response.getByRole("link", { name: "Download CSV: Lead response time" }).getAttribute("href")) ?? "";
    expect(new URL(href, s.url).searchParams.get("granularity")).toBe("hour");
    expect(await (await page.request.get(`${s.url}${href}`)).text()).toBe(`kpi,day,hour,value,count\nlead_response_time,${day},10,5,3\n`);
    await shot(page, "kpis-by-hour");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Back to a long period: the charts are by day again, the choice kept in the address for when it fits.
    await page.getByLabel("Period", { exact: true }).selectOption({ label: "Last 30 days" });
    await response.getByRole("figure", { name: "Lead response time, day by day" }).waitFor();
    expect(await points.inputValue()).toBe("day");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("a rep reads the same KPIs and the filter lists (people, teams, workflows) from the navigation", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "owen@acme.example", "Owen");
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "KPIs" }).click();
    await page.getByRole("heading", { level: 1, name: "KPIs" }).waitFor();
    expect(await card(page, "Lead response time").getByTestId("kpi-value").textContent()).toBe("5 minutes");
    await page.getByLabel("Owner", { exact: true }).getByRole("option", { name: "Owen Owner" }).waitFor({ state: "attached" });
    await page.getByLabel("Workflow", { exact: true }).getByRole("option", { name: "Tag new leads" }).waitFor({ state: "attached" });
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
