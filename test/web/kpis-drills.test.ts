/**
 * The records behind workflow adoption, notifications per record and SLA attainment in Chromium
 * (issue 22), as a RevOps admin reads them, on a history built over the API with a simulated clock
 * ten days ago: Dee arrives before any workflow; "Tell the owner" (two notifications per lead) is
 * published, then Ada and Brook arrive. Under an SLA policy "Resolve in an hour", ticket One is
 * resolved after 30 minutes (met) and ticket Two never (its breach fires).
 *
 * The admin opens KPIs, clicks adoption's "See the 3 leads behind it" and reads Dee first, reached by
 * no workflow, then Ada and Brook with their run; back by the breadcrumb, clicks notifications per
 * record and reads Ada and Brook with 2 notifications each and Dee with none; chooses Tickets and
 * clicks SLA attainment, and reads Two (0 % of its targets met) before One (100 %), the figures aligned under their heading. With a workflow
 * and "Not handled by this workflow" chosen, adoption's list still lists every lead and says so.
 * axe on each page; no CSP report.
 *
 * The screenshots of docs/web.md's "KPIs" section are written to docs/screenshots only when asked
 * (HANDOFF_DOCS_SCREENSHOTS=1), as test/web/kpis.test.ts does.
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

describe("the records behind adoption, notifications and SLA attainment in Chromium", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  const start = Math.floor(Date.now() / DAY) * DAY - 10 * DAY + 10 * 60 * MIN;
  let at: number | undefined = start;
  const clock = { now: () => new Date(at ?? Date.now()) };
  let flow: Json;
  const leads: Record<string, Json> = {};
  const tickets: Record<string, Json> = {};

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t, {}, { worker: true, clock, slaDueByServiceClock: true });
    await s
      .post("/api/v1/users", { name: "Ada Admin", email: "ada@drill.example", role: "admin" })
      .then((u) => s.json(`/api/v1/users/${u.id}/password`, { method: "PUT", json: { password: PASSWORD } }));
    const owen = await s.post("/api/v1/users", { name: "Owen Owner", email: "owen@drill.example", role: "rep" });
    leads.Dee = await s.post("/api/v1/leads", { first_name: "Dee", last_name: "Early", status: "new", owner_id: owen.id });
    const tell = (message: string) => ({ type: "action", action: { type: "notify", to: { user_id: owen.id }, message } });
    flow = await s.publish({
      key: "tell-the-owner",
      name: "Tell the owner",
      description: "Why it exists: the owner hears of a new lead at once.",
      object: "lead",
      trigger: { type: "record_created" },
      start: "first",
      steps: { first: { ...tell("A new lead"), next: "again" }, again: tell("Call it today") },
    });
    for (const name of ["Ada", "Brook"]) {
      at = (at as number) + MIN;
      leads[name] = await s.post("/api/v1/leads", { first_name: name, last_name: "Lead", status: "new", owner_id: owen.id });
    }
    for (;;) {
      const runs = (await s.get(`/api/v1/runs?workflow_id=${flow.id}`)).data as Json[];
      if (runs.length === 2 && runs.every((r) => r.status === "completed")) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // The tickets: One resolved in time, Two never — its breach fires an hour after it opened.
    const d2 = start + DAY;
    at = d2;
    await s.post("/api/v1/sla/policies", {
      name: "Resolve in an hour",
      object: "ticket",
      starts: { on: "created" },
      stops: { on: "field_value", field: "status", in: ["resolved"] },
      target: { hours: 1 },
    });
    tickets.One = await s.post("/api/v1/tickets", { subject: "Printer on fire", assignee_id: owen.id });
    tickets.Two = await s.post("/api/v1/tickets", { subject: "Cannot sign in", assignee_id: owen.id });
    await s.services.worker.drain();
    at = d2 + 30 * MIN;
    await s.json(`/api/v1/tickets/${tickets.One?.id}`, { method: "PATCH", json: { status: "resolved" } });
    for (;;) {
      await s.services.worker.drain();
      const clocks = (await s.get(`/api/v1/tickets/${tickets.One?.id}/sla`)).data as Json[];
      if (clocks.length === 1 && clocks[0]?.phase === "stopped") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    at = d2 + 70 * MIN;
    await s.services.worker.drain();
    at = undefined;
    await s.services.kpiRollup.catchUp();
    browser = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  const signIn = async (page: Page) => {
    await browser.context.clearCookies();
    await page.goto(`${s.url}/sign-in`);
    await page.getByLabel("Email").fill("ada@drill.example");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Welcome, Ada" }).waitFor();
  };
  // The page's own header (its h1 and the sentence under it), not the app's banner.
  const pageHeader = (page: Page) => page.locator("header", { has: page.getByRole("heading", { level: 1 }) });
  const card = (page: Page, title: string) => page.getByRole("article", { name: title });
  const rowsOf = async (page: Page, name: string, first: string) => {
    const table = page.getByRole("table", { name });
    await table.getByRole("link", { name: first }).waitFor();
    return table.getByRole("row").allTextContents();
  };
  const back = async (page: Page) => {
    await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "KPIs" }).click();
    await page.getByRole("heading", { level: 1, name: "KPIs" }).waitFor();
  };

  it("drills into the leads no workflow reached, the most notified leads and the tickets that missed their SLA", async () => {
    const { page, problems } = await browser.page();
    await signIn(page);
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "KPIs" }).click();
    await page.getByRole("heading", { level: 1, name: "KPIs" }).waitFor();

    // Adoption: 2 of the 3 leads had a run on them; Dee, who came before the workflow, first.
    const adoption = card(page, "Workflow adoption");
    await adoption.getByTestId("kpi-value").filter({ hasText: "66.7" }).waitFor();
    await adoption.getByRole("link", { name: "See the 3 leads behind it" }).click();
    await page.getByRole("heading", { level: 1, name: "Workflow adoption: the leads behind it" }).waitFor();
    const header = await pageHeader(page).textContent();
    expect(header).toContain("66.7% of the 3 leads created in the period had a workflow run on them.");
    expect(header).toContain("Listed those not reached first; each opens on its own page. Reached means a workflow ran on it.");
    const adopted = await rowsOf(page, "Workflow adoption: the leads behind it", "Dee Early");
    expect(adopted[0]).toMatch(/^LeadWorkflow runs on itCreatedOwner$/);
    expect(adopted.slice(1)).toEqual([
      expect.stringMatching(/^Dee Earlynot reached.*Owen Owner$/),
      expect.stringMatching(/^Ada Lead1 run.*Owen Owner$/),
      expect.stringMatching(/^Brook Lead1 run.*Owen Owner$/),
    ]);
    await shot(page, "kpis-drill-adoption");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Notifications per record: 4 over 3 leads; the most notified first.
    await back(page);
    const notified = card(page, "Notifications per record");
    expect(await notified.getByTestId("kpi-value").textContent()).toBe("1.3 notifications per lead");
    await notified.getByRole("link", { name: "See the 3 leads behind it" }).click();
    await page.getByRole("heading", { level: 1, name: "Notifications per record: the leads behind it" }).waitFor();
    expect(await pageHeader(page).textContent()).toContain(
      "1.3 notifications per lead on average, over the 3 leads created in the period.",
    );
    const told = await rowsOf(page, "Notifications per record: the leads behind it", "Ada Lead");
    expect(told[0]).toMatch(/^LeadNotifications about itCreatedOwner$/);
    expect(told.slice(1)).toEqual([
      expect.stringMatching(/^Ada Lead2 notifications/),
      expect.stringMatching(/^Brook Lead2 notifications/),
      expect.stringMatching(/^Dee Early0 notifications/),
    ]);
    await shot(page, "kpis-drill-notifications");
    expect(await accessibilityViolations(page)).toEqual([]);

    // SLA attainment on tickets: one of two targets met; the ticket that missed first.
    await back(page);
    await page.getByLabel("Records counted", { exact: true }).selectOption({ label: "Tickets" });
    await page.waitForURL(/object=ticket/);
    const sla = card(page, "SLA attainment");
    await sla.getByTestId("kpi-value").filter({ hasText: "50" }).waitFor();
    await sla.getByRole("link", { name: "See the tickets behind it" }).click();
    await page.getByRole("heading", { level: 1, name: "SLA attainment: the tickets behind it" }).waitFor();
    expect(await pageHeader(page).textContent()).toContain(
      "50% of the 2 SLA targets on tickets that ended in the period were met. Listed fewest met first",
    );
    const ended = await rowsOf(page, "SLA attainment: the tickets behind it", "Cannot sign in");
    expect(ended[0]).toMatch(/^TicketIts SLA targets metCreatedOwner$/);
    expect(ended.slice(1)).toEqual([
      expect.stringMatching(/^Cannot sign in0%.*Owen Owner$/),
      expect.stringMatching(/^Printer on fire100%.*Owen Owner$/),
    ]);
    expect(await page.getByRole("table").getByRole("link", { name: "Cannot sign in" }).getAttribute("href")).toBe(
      `/records/tickets/${tickets.Two?.id}`,
    );
    await shot(page, "kpis-drill-sla");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("adoption's list is every lead even with 'Not handled by this workflow' chosen, and says so", async () => {
    const { page, problems } = await browser.page();
    await signIn(page);
    await page.goto(`${s.url}/kpis/adoption/records?workflow=${flow.id}&handled=false`);
    await page.getByRole("heading", { level: 1, name: "Workflow adoption: the leads behind it" }).waitFor();
    const rows = await rowsOf(page, "Workflow adoption: the leads behind it", "Dee Early");
    expect(rows.length).toBe(4);
    expect(rows[1]).toMatch(/^Dee Earlynot reached/);
    expect(await pageHeader(page).textContent()).toContain(
      "Reached means the chosen workflow ran on it; every record is listed, handled or not: those it never reached come first.",
    );
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
