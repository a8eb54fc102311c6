/**
 * Workflows and the recipe gallery in Chromium, as a RevOps admin uses them (issue 14, item 6),
 * on the seeded demo workspace. The demo installs every recipe at seed (thirteen published, the
 * enrichment one left a draft: the demo has no `enrichment` connector), so the gallery test first
 * archives two of them through their pages, as an admin retiring a workflow would, and installs
 * those again: one as a draft, one published. Then publishing the enrichment recipe is refused
 * and the card names the missing connector.
 *
 * Setup over the API (what the runtime does, not what the pages show): three fitting leads for
 * speed-to-lead's 7-day count, and a small workflow whose own write would re-trigger it, so that
 * its log holds a real loop stop.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, seedDemo } from "../../src/seed/demo.js";
import { SPEED_TO_LEAD_V2_NOTE } from "../../src/seed/demo-kpis.js";
import { accessibilityViolations, openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;

const LOOPING = {
  key: "tidy-lead-source",
  name: "Tidy lead source",
  description: "Leads updated by hand get their source set, so that reports group them.",
  object: "lead",
  trigger: { type: "record_updated" },
  start: "tidy",
  steps: {
    tidy: { type: "action", action: { type: "update_fields", fields: { source: "manual" } }, next: "done" },
    done: { type: "end" },
  },
};

describe("workflows and the recipe gallery in Chromium (demo workspace)", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let demoToken: string;
  let speedRuns: number;
  const demo = (path: string, init: Parameters<TestServer["json"]>[1] = {}): Promise<Json> => s.json(path, { ...init, as: demoToken });

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const { workspace } = await seedDemo(s.services);
    demoToken = (await s.services.tokens.create(workspace.id, "browser test setup", "admin")).secret;
    for (const [first, last] of [
      ["Dana", "Scully"],
      ["Fox", "Mulder"],
      ["Walter", "Skinner"],
    ])
      await demo("/api/v1/leads", {
        method: "POST",
        json: { first_name: first, last_name: last, email: `${first?.toLowerCase()}@fbi.example.com`, score: 80, employee_count: 120 },
      });
    const saved = await demo("/api/v1/workflows", { method: "POST", json: { definition: LOOPING } });
    await demo(`/api/v1/workflows/${saved.id}/publish`, { method: "POST", json: {} });
    await s.services.worker.drain();
    const lead = (await demo("/api/v1/leads?limit=1")).data[0] as Json;
    await demo(`/api/v1/leads/${lead.id}`, {
      method: "PATCH",
      json: { title: "Head of Ops" },
      headers: { "if-match": `"${lead.version}"` },
    });
    await s.services.worker.drain();
    const speed = ((await demo("/api/v1/workflows")).data as Json[]).find((w) => w.key === "speed-to-lead") as Json;
    speedRuns = speed.runs_7d;
    // The seed's six inbound leads (speed-to-lead runs on first start) and the three made here.
    expect(speedRuns).toBe(9);
    browser = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  const signInAsAdmin = (page: Page, path: string) => signIn(page, s.url, DEMO_ADMIN_EMAIL, { path });

  const row = (page: Page, name: string) => page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });

  it("the list shows each workflow's status and 7-day counts; filters by status; a workflow's page tells why, how, versions, graph, runs and suppressions", async () => {
    const { page, problems } = await browser.page();
    await signInAsAdmin(page, "/workflows");
    await page.getByRole("heading", { level: 1, name: "Workflows" }).waitFor();
    const speed = row(page, "Speed to lead");
    await speed.waitFor();
    const cells = await speed.getByRole("cell").allTextContents();
    expect(cells[0]).toContain("A lead that fits (score over 40");
    // Live on its second version (the demo's KPI history: v1 without the auto-reply, 110 days ago).
    expect(cells.slice(1, 5)).toEqual(["Published", "v2", String(speedRuns), "0"]);
    expect(cells[5]).toContain("by Handoff (seed)");
    expect(await row(page, "Data enrichment on create").getByRole("cell").nth(1).textContent()).toBe("Draft");
    await screenshot(page, "workflows-list");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Filter: drafts only.
    await page.getByLabel("Status").selectOption("draft");
    await expect.poll(() => page.getByRole("link", { name: "Speed to lead" }).count()).toBe(0);
    expect(await page.getByRole("table").getByRole("link").allTextContents()).toEqual(["Data enrichment on create"]);
    await page.getByLabel("Status").selectOption("archived");
    await page.getByRole("heading", { name: "No archived workflows" }).waitFor();
    await page.getByLabel("Status").selectOption("all");

    // 200 % zoom: a 640 px wide window still reads (the table scrolls sideways inside its frame).
    await page.setViewportSize({ width: 640, height: 800 });
    await screenshot(page, "workflows-list-narrow");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await row(page, "Speed to lead").getByRole("cell").nth(3).textContent()).toBe(String(speedRuns));
    await page.setViewportSize({ width: 1280, height: 800 });

    // The workflow's page.
    await page.getByRole("link", { name: "Speed to lead", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Speed to lead" }).waitFor();
    const why = page.getByRole("region", { name: "Why it exists" });
    expect(await why.textContent()).toContain("worth a call within minutes");
    const how = await page.getByRole("region", { name: "What it does" }).textContent();
    expect(how).toContain("When a lead is created");
    expect(how).toContain("score > 40 and employee count > 10");
    expect(how).toContain(`${speedRuns}, of which 0 failed`);
    const versions = page.getByRole("region", { name: "Versions" }).getByRole("row");
    expect(await versions.count()).toBe(3);
    const v2 = await versions.nth(1).getByRole("cell").allTextContents();
    expect(v2[0]).toBe("v2 (live)");
    expect(v2[1]).toBe("Published");
    expect(v2[4]).toBe("Handoff (seed)");
    expect(v2[5]).toBe(SPEED_TO_LEAD_V2_NOTE);
    const v1 = await versions.nth(2).getByRole("cell").allTextContents();
    expect(v1[0]).toBe("v1");
    expect(v1[5]).toMatch(/^First version: /);
    // The graph (its own lazy chunk): the canvas and the steps as nodes.
    const graph = page.getByRole("region", { name: "Graph of version 2" });
    await graph.getByText("Loading the graph…").waitFor({ state: "detached" });
    await graph
      .getByRole("group", { name: /Graph of Speed to lead/ })
      .or(graph.getByLabel(/Graph of Speed to lead/))
      .first()
      .waitFor();
    // Runs, newest first, each linking to the run inspector.
    const runs = page.getByRole("region", { name: "Runs" });
    await expect.poll(() => runs.getByRole("link", { name: /^Run \S+ of Speed to lead$/ }).count()).toBe(speedRuns);
    const href = await runs
      .getByRole("link", { name: /^Run \S+ of Speed to lead$/ })
      .first()
      .getAttribute("href");
    expect(href).toMatch(/^\/runs\/[0-9a-z]+$/i);
    await runs.getByLabel("Run status").selectOption("failed");
    await runs.getByRole("heading", { name: "No runs match" }).waitFor();
    // At any time: the KPI history's few failures too (demo-kpis.ts), months ago.
    await runs.getByLabel("Started").selectOption("all");
    await expect.poll(() => runs.getByRole("link", { name: /^Run \S+ of Speed to lead$/ }).count()).toBeGreaterThan(0);
    await runs.getByLabel("Started").selectOption("7d");
    await runs.getByLabel("Run status").selectOption("");
    await page.getByRole("region", { name: "Log of suppressions" }).getByRole("heading", { name: "Nothing held back" }).waitFor();
    await screenshot(page, "workflow-page");
    expect(await accessibilityViolations(page)).toEqual([]);

    // A workflow whose own write came back to it: the loop stop is in its log, with why.
    await page.goto(`${s.url}/workflows`);
    await page.getByRole("link", { name: "Tidy lead source", exact: true }).click();
    const log = page.getByRole("region", { name: "Log of suppressions" });
    const stop = log.getByRole("row").nth(1);
    await stop.waitFor();
    const stopCells = await stop.getByRole("cell").allTextContents();
    expect(stopCells[1]).toBe("Stopped");
    expect(stopCells[2]).toContain("was written by this workflow itself; it does not re-trigger it");
    await screenshot(page, "workflow-page-suppressions");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("archives a workflow after the confirmation; the gallery installs one as a draft, another published, and names the enrichment recipe's missing connector", async () => {
    const { page, problems } = await browser.page();
    // Still signed in from the first test (the browser keeps the session cookie).
    await page.goto(`${s.url}/workflows`);
    await page.getByRole("heading", { level: 1, name: "Workflows" }).waitFor();

    const archive = async (name: string) => {
      await page.goto(`${s.url}/workflows`);
      await page.getByRole("link", { name, exact: true }).click();
      await page.getByRole("heading", { level: 1, name }).waitFor();
      await page.getByRole("button", { name: "Archive…" }).click();
      const dialog = page.getByRole("alertdialog", { name: `Archive ${name}?` });
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain("Runs under way finish on the version they started on");
      return dialog;
    };

    // Changing one's mind closes the dialog with nothing done.
    let dialog = await archive("Win/loss post-mortem");
    await screenshot(page, "workflow-archive-dialog");
    expect(await accessibilityViolations(page)).toEqual([]);
    // A confirmation asks for an answer: a click beside it does not close it.
    await page.mouse.click(5, 5);
    expect(await dialog.isVisible()).toBe(true);
    await dialog.getByRole("button", { name: "Keep it" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await page.getByText("Published", { exact: true }).count()).toBeGreaterThan(0);
    // Confirmed: archived, and the page says so.
    await page.getByRole("button", { name: "Archive…" }).click();
    dialog = page.getByRole("alertdialog", { name: "Archive Win/loss post-mortem?" });
    await dialog.getByRole("button", { name: "Archive workflow" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText("Archived", { exact: true }).first().waitFor();
    expect(await page.getByRole("button", { name: "Archive…" }).count()).toBe(0);
    dialog = await archive("Meeting follow-up");
    await dialog.getByRole("button", { name: "Archive workflow" }).click();
    await dialog.waitFor({ state: "detached" });

    // The gallery.
    await page.goto(`${s.url}/workflows`);
    await page.getByRole("link", { name: "Recipe gallery" }).click();
    await page.getByRole("heading", { level: 1, name: "Recipe gallery" }).waitFor();
    const cards = page.getByRole("list", { name: "Recipes" }).getByRole("article");
    await expect.poll(() => cards.count()).toBe(15);
    const card = (name: string) => page.getByRole("article", { name });

    const winLoss = card("Win/loss post-mortem");
    expect(await winLoss.textContent()).toContain("Archived");
    await winLoss.getByRole("button", { name: "Install as draft" }).click();
    await winLoss.getByRole("status").waitFor();
    expect(await winLoss.getByRole("status").textContent()).toBe("Installed as a draft.");
    await expect.poll(() => winLoss.getByText("Draft", { exact: true }).count()).toBe(1);

    const meeting = card("Meeting follow-up");
    expect(await meeting.textContent()).toContain("When an activity is created");
    await meeting.getByRole("button", { name: "Install and publish" }).click();
    await meeting.getByRole("status").waitFor();
    expect(await meeting.getByRole("status").textContent()).toBe("Installed and published.");
    await expect.poll(async () => meeting.textContent()).toContain("(v2 live)");

    // Enrichment: the card says what it needs and that it is missing; publishing is refused, naming it.
    const enrichment = card("Data enrichment on create");
    const needs = await enrichment.textContent();
    expect(needs).toContain("an HTTP connection: the connector “enrichment” — missing");
    await enrichment.getByRole("button", { name: "Install and publish" }).click();
    const refused = enrichment.getByRole("alert");
    await refused.waitFor();
    const text = await refused.textContent();
    expect(text).toContain("Not published.");
    expect(text).toContain('no connector "enrichment" in this workspace (steps.enrich.action.connector)');
    // Speed-to-lead is running: no install buttons, and the card says what to do instead.
    const speed = card("Speed to lead");
    expect(await speed.getByRole("button").count()).toBe(0);
    expect(await speed.textContent()).toContain("To install the recipe again, archive its workflow first.");
    // The win/loss draft just installed can now only be published.
    expect(await winLoss.getByRole("button").allTextContents()).toEqual(["Install and publish"]);
    await screenshot(page, "recipes-gallery");
    expect(await accessibilityViolations(page)).toEqual([]);

    // The list agrees.
    await page.goto(`${s.url}/workflows`);
    await row(page, "Meeting follow-up").waitFor();
    expect(await row(page, "Meeting follow-up").getByRole("cell").nth(1).textContent()).toBe("Published");
    expect(await row(page, "Meeting follow-up").getByRole("cell").nth(2).textContent()).toBe("v2");
    expect(await row(page, "Win/loss post-mortem").getByRole("cell").nth(1).textContent()).toBe("Draft");
    expect(await row(page, "Win/loss post-mortem").getByRole("cell").nth(5).textContent()).toContain("by Demo Admin");
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("a rep reads the gallery and a workflow's page without install or archive buttons (the API refuses them too)", async () => {
    const users = (await demo("/api/v1/users?limit=200")).data as Json[];
    const rep = users.find((u) => u.data?.role === "rep" || u.role === "rep") as Json;
    const email = (rep.data?.email ?? rep.email) as string;
    // A fresh start as the rep: the admin's session cookie is dropped.
    await browser.context.clearCookies();
    const { page, problems } = await browser.page();
    await page.goto(`${s.url}/sign-in`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${s.url}/`);
    await page.getByRole("heading", { level: 1, name: /^Welcome, / }).waitFor();
    await page.goto(`${s.url}/recipes`);
    await page.getByRole("heading", { level: 1, name: "Recipe gallery" }).waitFor();
    await page.getByRole("article", { name: "Speed to lead" }).waitFor();
    expect(await page.getByText("Admins and managers install them.").count()).toBe(1);
    expect(await page.getByRole("list", { name: "Recipes" }).getByRole("button").count()).toBe(0);
    await screenshot(page, "recipes-gallery-rep");
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole("article", { name: "Speed to lead" }).getByRole("link", { name: "Open the workflow" }).click();
    await page.getByRole("heading", { level: 1, name: "Speed to lead" }).waitFor();
    await page.getByRole("region", { name: "Versions" }).waitFor();
    expect(await page.getByRole("button", { name: "Archive…" }).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
