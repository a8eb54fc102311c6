/**
 * The record page in Chromium, as a rep uses it, on the seeded demo workspace: a lead that
 * speed-to-lead takes (score > 40, more than 10 employees; created over the API, as the form or
 * an integration would) opened by its address; the rep signs in, sees the lead's name, owner and
 * status, speed-to-lead waiting for a call with its deadline in the Automation panel, why the
 * owner was chosen in the timeline, the related company and call task (and opens the company);
 * runs a manual workflow from the keyboard in the Run workflow dialog and sees it finish; a missing
 * record, an unknown object and another workspace's lead each give a clear "not found" page.
 * Screenshots and the axe check on each, at desktop width and at 200 % zoom (640 px).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, seedDemo } from "../../src/seed/demo.js";
import { accessibilityViolations, openBrowser, screenshot, type TestBrowser } from "../helpers/browser.js";
import { eventually } from "../helpers/eventually.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;
const REP_EMAIL = "rep1@demo.handoff.test";

describe("the record page in Chromium (demo workspace)", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let admin: string;
  let lead: Json;
  let company: Json;
  let otherLead: Json;
  const demo = (path: string, init: Parameters<TestServer["json"]>[1] = {}): Promise<Json> => s.json(path, { ...init, as: admin });

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t, {}, { worker: true });
    const { workspace } = await seedDemo(s.services);
    admin = (await s.services.tokens.create(workspace.id, "record page test", "admin")).secret;
    // A workflow a rep starts by hand ("Run workflow"): it logs a note on the lead.
    const saved = await demo("/api/v1/workflows", {
      method: "POST",
      json: {
        definition: {
          key: "log-nurture-note",
          name: "Log a nurture note",
          description: "Marks a lead for the nurture sequence with a note on its timeline.",
          object: "lead",
          trigger: { type: "manual" },
          start: "note",
          steps: { note: { type: "action", action: { type: "add_activity", activity_type: "note", subject: "Added to nurture" } } },
        },
      },
    });
    await demo(`/api/v1/workflows/${saved.id}/publish`, { method: "POST", json: {} });
    company = ((await demo("/api/v1/companies?limit=1")).data as Json[])[0] as Json;
    lead = await demo("/api/v1/leads", {
      method: "POST",
      json: {
        first_name: "Dana",
        last_name: "Scully",
        email: "dana.scully@fbi.example.com",
        company_id: company?.id,
        company_name: company?.name,
        employee_count: 120,
        score: 45,
        source: "web_form",
      },
    });
    await eventually(
      "speed-to-lead waiting for the call",
      async () => ((await demo(`/api/v1/runs?record_id=${lead.id}`)).data as Json[]).find((r) => r.status === "waiting"),
      30_000,
    );
    // Another workspace's lead: its id must show nothing of it to a rep of the demo.
    const other = await s.newWorkspace("elsewhere");
    otherLead = (await (await s.api("/api/v1/leads", { method: "POST", json: { last_name: "Hidden" }, as: other.token })).json()) as Json;
    browser = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  /** Opens `path` as the rep: through the sign-in page unless this browser already holds the rep's session. */
  const signIn = async (page: Page, path: string) => {
    await page.goto(`${s.url}${path}`);
    // Either page shows its one h1 once the app has decided where this visitor belongs.
    await page.getByRole("heading", { level: 1 }).waitFor();
    if (!page.url().includes("/sign-in?redirect=")) return;
    await page.getByLabel("Email").fill(REP_EMAIL);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${s.url}${path}`);
  };

  it("shows the lead, speed-to-lead waiting for a call, the owner's reason, related records; runs a workflow by keyboard", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, `/records/leads/${lead.id}`);
    await page.getByRole("heading", { level: 1, name: "Dana Scully" }).waitFor();

    // Owner and status beside the name.
    const owner = await demo(`/api/v1/users/${(await demo(`/api/v1/leads/${lead.id}`)).owner_id}`);
    const header = page.locator("header", { has: page.getByRole("heading", { level: 1 }) });
    expect(await header.textContent()).toContain(`Owner: ${owner.name}`);
    expect(await header.textContent()).toContain("Status: new");
    expect(await page.getByRole("link", { name: "Edit" }).getAttribute("href")).toBe(`/records/leads/${lead.id}/edit`);

    // The Automation panel: speed-to-lead waiting for a call, until when, and what then.
    const panel = page.getByRole("region", { name: "Automation" });
    const active = panel.getByRole("list", { name: "Active workflows" });
    await active.getByRole("link", { name: "Speed to lead", exact: true }).waitFor();
    const waiting = (await active.textContent()) ?? "";
    expect(waiting).toContain("Waiting for a call activity on this record until");
    expect(waiting).toMatch(/\(in 1[45] min\); then “reassign”\./);
    expect(waiting).toContain("Logging a call meets the goal and ends the run before this fires.");
    const run = ((await demo(`/api/v1/runs?record_id=${lead.id}`)).data as Json[])[0];
    expect(await active.getByRole("link", { name: /Open run/ }).getAttribute("href")).toBe(`/runs/${run?.id}`);
    expect(await active.getByRole("link", { name: "Speed to lead", exact: true }).getAttribute("href")).toBe(
      `/workflows/${run?.workflow_id}`,
    );

    // The timeline: why this owner, the wait's end, who changed what.
    const timeline = page.getByRole("list", { name: "Timeline, newest first" });
    const reason = await timeline.getByTestId("owner-reason").textContent();
    // Through the recipe's queue: weighted round-robin over the reps at work, or, at night in the
    // Americas, the after-hours desk it falls back to, with who was not eligible and why.
    expect(reason).toMatch(
      new RegExp(
        `^Why: queue Inbound reps: (weighted round-robin: ${owner.name} \\(weight \\d\\) has the highest running credit|nobody eligible \\(.+\\); fallback: queue After-hours desk: round-robin: ${owner.name} is next)`,
      ),
    );
    expect(await timeline.textContent()).toContain(`Assigned to ${owner.name}.`);
    expect(await timeline.textContent()).toMatch(/Waits until (\w{3} \d{1,2}(, \d{4})?, )?\d\d:\d\d( [AP]M)? \(in 1[45] min\)\./);
    expect(await timeline.textContent()).toContain("API token “record page test” created this leadFirst name: Dana");
    expect(await timeline.textContent()).toContain(`Company: ${company.name}`);
    expect(await timeline.textContent()).toContain(`Speed to lead changed this lead (workflow)Owner: — → ${owner.name}`);

    // Related records: the company it points at, the call task that points at it.
    const related = page.getByRole("region", { name: "Related records" });
    expect(await related.getByRole("link", { name: "Call within 5 min: Dana Scully" }).count()).toBe(1);
    await screenshot(page, "record-page-lead");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Run workflow, by keyboard: open, choose, confirm, read the result, close.
    const trigger = page.getByRole("button", { name: "Run workflow" });
    await trigger.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Run a workflow on this lead" });
    await dialog.waitFor();
    const choice = dialog.getByRole("radio", { name: /Log a nurture note/ });
    await choice.waitFor();
    expect(await choice.isChecked()).toBe(true);
    // Only manual workflows on leads are offered: speed-to-lead (record_created) is not.
    expect(await dialog.getByRole("radio").count()).toBe(1);
    await screenshot(page, "record-page-run-workflow");
    expect(await accessibilityViolations(page)).toEqual([]);
    await choice.focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Run Log a nurture note");
    await page.keyboard.press("Enter");
    await dialog.getByRole("status").getByText("Started Log a nurture note.").waitFor();
    await screenshot(page, "record-page-run-started");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Run workflow");

    // It finishes and the panel shows it (polled: speed-to-lead is still waiting, so every 3 s).
    const finished = panel.getByRole("list", { name: "Finished workflows" });
    await finished.getByRole("link", { name: "Log a nurture note", exact: true }).waitFor({ timeout: 15_000 });
    expect(await finished.textContent()).toContain("Completed");
    await timeline.getByRole("link", { name: "Added to nurture" }).waitFor({ timeout: 15_000 });

    // Running it again: skipped, and why (re-enrollment is off).
    await trigger.click();
    await dialog.getByRole("button", { name: "Run Log a nurture note" }).click();
    await dialog.getByRole("status").waitFor();
    expect(await dialog.getByRole("status").textContent()).toMatch(
      /^Not started: it already went through log-nurture-note .* re-enrollment is off/,
    );
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });

    // While it is open the page behind keeps still; a click beside it (on the backdrop) closes it.
    await trigger.click();
    await dialog.waitFor();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).overflow)).toBe("hidden");
    await page.mouse.click(5, 5);
    await dialog.waitFor({ state: "detached" });
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).overflow)).not.toBe("hidden");

    // The related company opens its own page, which lists this lead.
    await related.getByRole("link", { name: company.name }).click();
    await page.getByRole("heading", { level: 1, name: company.name }).waitFor();
    await page.getByRole("region", { name: "Related records" }).getByRole("link", { name: "Dana Scully" }).waitFor();
    await screenshot(page, "record-page-company");
    expect(await accessibilityViolations(page)).toEqual([]);

    // 200 % zoom: one column, still readable and accessible.
    await page.goto(`${s.url}/records/leads/${lead.id}`);
    await page.setViewportSize({ width: 640, height: 900 });
    await page.getByRole("heading", { level: 1, name: "Dana Scully" }).waitFor();
    await panel.getByRole("link", { name: "Speed to lead", exact: true }).waitFor();
    await screenshot(page, "record-page-lead-narrow");
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("a missing record, an unknown object and another workspace's lead each say clearly that there is nothing here", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "/records/leads/no-such-lead");
    await page.getByRole("heading", { level: 1, name: "Record not found" }).waitFor();
    expect(await page.getByRole("region", { name: "No lead here" }).textContent()).toContain("belongs to another workspace");
    await screenshot(page, "record-page-not-found");
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.goto(`${s.url}/records/leads/${otherLead.id}`);
    await page.getByRole("heading", { level: 1, name: "Record not found" }).waitFor();
    expect(await page.textContent("main")).not.toContain("Hidden");

    await page.goto(`${s.url}/records/widgets/${lead.id}`);
    await page.getByRole("heading", { level: 1, name: "Record not found" }).waitFor();
    await page.getByRole("region", { name: "No kind of record called “widgets” here" }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
