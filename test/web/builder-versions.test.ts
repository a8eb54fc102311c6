/**
 * Version diff and runs on the graph in Chromium, as a RevOps admin uses them (issue 15, items
 * 5 and 6), on the seeded demo workspace.
 *
 * - A workflow published twice, v2 changing only its wait (15 → 30 min): from the workflow page's
 *   Versions section, Compare (the live v2 against v1 by default) shows exactly that step as
 *   changed — in the list of changes with its changed setting, and on both graphs — and nothing
 *   else marked.
 * - A fitting lead enrolls in speed-to-lead: the workflow page's graph counts it on the step
 *   where it waits; choosing that count opens the runs list with exactly that run.
 *
 * Setup over the API (versions and the lead); the test's actions are clicks.
 */
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../../src/seed/demo.js";
import { accessibilityViolations, openBrowser, SCREENSHOTS, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;

const FOLLOW_UP = (minutes: number) => ({
  key: "demo-follow-up",
  name: "Demo follow-up",
  description: "A lead that asked for a demo gets a call task, and a nudge if nobody calls.",
  object: "lead",
  trigger: { type: "record_created" },
  conditions: { field: "source", op: "eq", value: "demo-request" },
  start: "task",
  steps: {
    task: { type: "action", action: { type: "create_task", subject: "Call about the demo" }, next: "wait" },
    wait: { type: "delay", duration: { minutes }, next: "nudge" },
    nudge: { type: "action", action: { type: "notify", to: { field: "owner_id" }, message: "Nobody has called yet" }, next: "done" },
    done: { type: "end" },
  },
});

/** Keeps a screenshot where the issue asks for it too. */
function keep(name: string, to: string) {
  copyFileSync(join(SCREENSHOTS, `${name}.png`), to);
}

describe("version diff and runs on the graph in Chromium (demo workspace)", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let demoToken: string;
  let followUp: Json;
  let lead: Json;
  const demo = (path: string, init: Parameters<TestServer["json"]>[1] = {}): Promise<Json> => s.json(path, { ...init, as: demoToken });

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const { workspace } = await seedDemo(s.services);
    demoToken = (await s.services.tokens.create(workspace.id, "browser test setup", "admin")).secret;
    // v1, then v2 with one changed setting: the wait.
    followUp = await demo("/api/v1/workflows", { method: "POST", json: { definition: FOLLOW_UP(15) } });
    await demo(`/api/v1/workflows/${followUp.id}/publish`, { method: "POST", json: {} });
    await demo("/api/v1/workflows", { method: "POST", json: { definition: FOLLOW_UP(30) } });
    await demo(`/api/v1/workflows/${followUp.id}/publish`, { method: "POST", json: {} });
    // A lead that fits speed-to-lead (score over 40, more than 10 employees).
    lead = await demo("/api/v1/leads", {
      method: "POST",
      json: { first_name: "Rosa", last_name: "Diaz", email: "rosa@nine-nine.example.com", score: 85, employee_count: 240 },
    });
    await s.services.worker.drain();
    browser = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  const signInAsAdmin = (page: Page, path: string) => signIn(page, s.url, DEMO_ADMIN_EMAIL, { path });

  it("Compare shows exactly the one changed step, with its changed setting, and nothing else marked", async () => {
    const { page, problems } = await browser.page();
    await signInAsAdmin(page, `/workflows/${followUp.id}`);
    await page.getByRole("heading", { level: 1, name: "Demo follow-up" }).waitFor();
    const versions = page.getByRole("region", { name: "Versions" });
    // The defaults: the live version and the one before it.
    expect(await versions.getByLabel("Compare version").inputValue()).toBe("1");
    expect(await versions.getByLabel("with version").inputValue()).toBe("2");
    await versions.getByRole("button", { name: "Compare" }).click();

    await page.waitForURL(`${s.url}/workflows/${followUp.id}/compare?from=1&to=2`);
    await page.getByRole("heading", { level: 1, name: "Compare versions of Demo follow-up" }).waitFor();
    const summary = page.getByRole("region", { name: "What changed" });
    expect(await summary.getByText(/steps? changed/).textContent()).toBe(
      "1 step changed, none added, none removed; the trigger, conditions and goal are the same.",
    );
    // The list of changes: one card, the wait, with its duration before and after.
    const cards = summary.getByRole("region");
    expect(await cards.count()).toBe(1);
    const wait = summary.getByRole("region", { name: "Step wait, changed" });
    expect(await wait.getByRole("listitem").allTextContents()).toEqual(["duration: 15 min → 30 min"]);

    // On both graphs exactly one node is marked, the wait, as changed in v2.
    const graphs = page.getByRole("region", { name: "On the graph" });
    await graphs.getByText("Loading the graph…").first().waitFor({ state: "detached" });
    const marked = graphs.locator(".react-flow__node").filter({ hasText: /in v2$/ });
    await expect.poll(() => graphs.locator(".react-flow__node").count()).toBeGreaterThan(8);
    expect(await marked.count()).toBe(2);
    for (const name of await marked.evaluateAll((nodes) => nodes.map((n) => n.getAttribute("aria-label") ?? "")))
      expect(name).toMatch(/^Step wait: Wait 30 min|^Step wait: Wait 15 min/);
    expect(await graphs.getByRole("group", { name: /changed in v2/ }).count()).toBe(2);
    expect(await graphs.getByRole("group", { name: /(added|removed) in v2/ }).count()).toBe(0);
    expect(await graphs.getByText("Changed in v2", { exact: true }).count()).toBe(2);
    // The legend says what the marks mean, in words.
    expect(await graphs.getByText("“Changed”: a step (or the trigger) whose settings or paths changed").count()).toBe(2);
    expect(await graphs.getByText(/^“(Added|Removed)”/).count()).toBe(0);

    await screenshot(page, "builder-diff");
    keep("builder-diff", "/tmp/builder-diff.png");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("the live graph counts the runs on the step where they wait (the seed’s and this lead’s); choosing the count opens exactly those runs", async () => {
    const speed = (await demo("/api/v1/workflows/speed-to-lead")) as Json;
    const counts = await demo(`/api/v1/workflows/${speed.id}/step-counts`);
    const waitingAt = Object.entries(counts.steps as Record<string, Json>).find(([, c]) => c.waiting > 0)?.[0];
    expect(waitingAt).toBeDefined();
    // The seed's inbound leads wait there too (speed-to-lead runs on first start), besides this test's lead.
    const waiting = (counts.steps as Record<string, Json>)[waitingAt as string]?.waiting as number;
    expect(waiting).toBe(7);
    const assigned = (counts.steps as Record<string, Json>).assign?.passed as number;
    expect(assigned).toBe(7);

    const { page, problems } = await browser.page();
    await page.goto(`${s.url}/workflows/${speed.id}`);
    await page.getByRole("heading", { level: 1, name: "Speed to lead" }).waitFor();
    // Live on its second version (the demo's KPI history published a first: demo-kpis.ts).
    const graph = page.getByRole("region", { name: "Graph of version 2 (live)" });
    expect(await graph.getByLabel("Runs started in the").inputValue()).toBe("7d");
    const node = graph.getByRole("group", { name: new RegExp(`^Step ${waitingAt}:`) });
    await node.waitFor();
    expect(await node.getAttribute("aria-label")).toContain(`runs: 0 passed, ${waiting} waiting, 0 failed`);
    expect(await node.textContent()).toContain(`0 passed · ${waiting} waiting · 0 failed`);
    // The steps they went through count them as passed.
    expect(await graph.getByRole("group", { name: /^Step assign:/ }).getAttribute("aria-label")).toContain(`${assigned} passed`);
    await screenshot(page, "builder-counts");
    keep("builder-counts", "/tmp/builder-counts.png");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Another period still counts it; then open the count.
    await graph.getByLabel("Runs started in the").selectOption("1d");
    await expect.poll(() => node.getAttribute("aria-label")).toContain(`${waiting} waiting`);
    await node.getByRole("button", { name: `${waiting} waiting: open the ${waiting} runs waiting at step ${waitingAt}` }).click();

    await page.waitForURL((url) => url.pathname === "/runs" && url.searchParams.get("step") === waitingAt);
    const url = new URL(page.url());
    expect(url.searchParams.get("step_state")).toBe("waiting");
    expect(url.searchParams.get("workflow")).toBe(speed.id);
    expect(url.searchParams.get("version")).toBe("2");
    await page.getByText(new RegExp(`^Runs of Speed to lead v2 started since .+ that are waiting at step ${waitingAt}\\.$`)).waitFor();
    const rows = page.getByRole("table").getByRole("row");
    await expect.poll(() => rows.count()).toBe(waiting + 1);
    expect(await page.getByRole("table").textContent()).toContain("Rosa Diaz");
    await screenshot(page, "builder-counts-runs");
    expect(await accessibilityViolations(page)).toEqual([]);

    // "Show all runs" leaves the step filter.
    await page.getByRole("button", { name: "Show all runs" }).click();
    await page.waitForURL(`${s.url}/runs`);
    expect(await page.getByText(/that are waiting at step/).count()).toBe(0);
    expect(lead.id).toBeTruthy();
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
