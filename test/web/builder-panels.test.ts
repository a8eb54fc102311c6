/**
 * The builder's settings panel in Chromium, as a RevOps admin uses it (issue 15, item 3), on the
 * seeded demo workspace: open a workflow's builder, select steps on the canvas and change them
 * through the panel — a task's subject with an inserted variable and its live preview showing a
 * real lead's name, a branch's rule built in the condition editor on a field of the lead's
 * company, a wait's duration through its picker, the trigger's kind and its enrollment conditions —
 * and read what the canvas and the panel then show. Undo takes back one edit at a time. The
 * panel has no accessibility violations.
 *
 * Setup over the API (what the page starts from, not what it shows): a draft workflow with a
 * branch, a task and a wait, and a newest lead ("Zelda Newest") for the preview.
 */
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../../src/seed/demo.js";
import { accessibilityViolations, openBrowser, SCREENSHOTS, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

const ROUTE = {
  key: "route-new-leads",
  name: "Route new leads",
  description: "Hot leads get a call task at once; the others wait an hour for the morning batch.",
  object: "lead",
  trigger: { type: "record_created" },
  start: "route",
  steps: {
    route: {
      type: "branch",
      description: "Only hot leads are worth an immediate call.",
      rules: [{ when: { field: "score", op: "gt", value: 50 }, next: "call", label: "Hot" }],
      else: "later",
    },
    call: {
      type: "action",
      action: { type: "create_task", subject: "Call the lead", priority: "P2" },
      next: "done",
    },
    later: { type: "delay", duration: { hours: 1 }, next: "done" },
    done: { type: "end" },
  },
};

/** Routes a new lead through the demo's queue; the test points it at the rule set instead. */
const ASSIGN = {
  key: "route-through-rules",
  name: "Route through the rules",
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "record_created" },
  start: "assign",
  steps: {
    assign: { type: "action", action: { type: "assign_owner", to: { queue: "Inbound reps" } }, next: "done" },
    done: { type: "end" },
  },
};

/** Folds a suspected duplicate contact into the one that was there first (issue 20, item 6). */
const FOLD = {
  key: "fold-duplicate-contacts",
  name: "Fold duplicate contacts",
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "contact",
  trigger: { type: "review_queued", kinds: ["duplicate"] },
  start: "merge",
  steps: {
    merge: { type: "action", action: { type: "merge_records", into: { best_duplicate: true } }, next: "done" },
    done: { type: "end" },
  },
};

describe("the builder's settings panel in Chromium (demo workspace)", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let workflowId: string;
  let assignId: string;
  let foldId: string;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const { workspace } = await seedDemo(s.services);
    const token = (await s.services.tokens.create(workspace.id, "browser test setup", "admin")).secret;
    const saved = await s.json("/api/v1/workflows", { method: "POST", json: { definition: ROUTE }, as: token });
    workflowId = saved.id;
    assignId = (await s.json("/api/v1/workflows", { method: "POST", json: { definition: ASSIGN }, as: token })).id;
    foldId = (await s.json("/api/v1/workflows", { method: "POST", json: { definition: FOLD }, as: token })).id;
    await s.json("/api/v1/leads", {
      method: "POST",
      json: { first_name: "Zelda", last_name: "Newest", email: "zelda@hyrule.example", score: 12 },
      as: token,
    });
    browser = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  const panel = (page: Page) => page.getByRole("complementary", { name: "Settings of the selection" });
  /** A node of the canvas by its accessible name ("Step call: Create P2 task, …"). */
  const node = (page: Page, name: RegExp) => page.locator(".react-flow").getByRole("group", { name });

  it("changes a task, a branch, a wait and the trigger through the panel, as the canvas then shows", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, s.url, DEMO_ADMIN_EMAIL, { path: `/workflows/${workflowId}/edit` });
    const inspector = panel(page);

    // Nothing selected: the workflow's own settings, key and object fixed.
    await expect.poll(() => inspector.getByRole("heading", { level: 2 }).textContent()).toBe("Workflow settings");
    expect(await inspector.getByLabel("Why this workflow exists").inputValue()).toMatch(/Hot leads get a call task/);
    expect(await inspector.getByText("route-new-leads").isVisible()).toBe(true);

    // The task: its subject with an inserted variable, previewed against the newest lead.
    await node(page, /^Step call:/).click();
    await expect.poll(() => inspector.getByRole("heading", { level: 2 }).textContent()).toBe("Create P2 task");
    const subject = inspector.getByLabel("Task subject", { exact: true });
    await subject.fill("Call ");
    await inspector.getByLabel("Insert a variable into task subject").selectOption("record.first_name");
    await expect.poll(() => subject.inputValue()).toBe("Call {{ record.first_name }}");
    const preview = inspector.getByRole("region", { name: "Preview of task subject" });
    await expect.poll(() => preview.textContent(), { timeout: 10_000 }).toContain("Preview for Zelda Newest:Call Zelda");
    // A template the engine refuses says so instead of a preview.
    await subject.fill("Call {% include 'x' %}");
    await expect.poll(() => preview.textContent(), { timeout: 10_000 }).toMatch(/cannot be used: the tag \{% include %\} is not allowed/);
    await subject.fill("Call {{ record.first_name }} now");
    await expect.poll(() => preview.textContent(), { timeout: 10_000 }).toContain("Call Zelda now");
    await screenshot(page, "builder-panels-task");
    await inspector.getByLabel("Priority").selectOption("P1");
    await expect.poll(() => node(page, /^Step call:/).textContent()).toContain("Create P1 task");

    // The branch: its rule now asks about the lead's company, built in the condition editor.
    await node(page, /^Step route:/).click();
    await expect.poll(() => inspector.getByRole("heading", { level: 2 }).textContent()).toBe("Branch");
    const rule = inspector.getByRole("group", { name: "Rule 1" });
    await rule.getByLabel("About").selectOption({ label: "Company › Industry" });
    expect(await rule.getByLabel("Comparison").inputValue()).toBe("gt");
    await rule.getByLabel("Comparison").selectOption({ label: "is" });
    await rule.getByLabel("Value").fill("Software");
    await rule.getByLabel("Label").fill("");
    await expect.poll(() => page.locator(".react-flow").textContent()).toContain("company's industry = Software");
    await screenshot(page, "builder-panels-branch");
    // The paths stay on the canvas; the panel says where each leads.
    expect(await inspector.getByText("Otherwise:").locator("..").textContent()).toBe("Otherwise: Wait 1 h (later)");

    // The wait: its duration through the number-and-unit picker; undo takes back the unit only.
    await node(page, /^Step later:/).click();
    const howLong = inspector.getByLabel("How long", { exact: true });
    await howLong.fill("2");
    await inspector.getByLabel("Unit of how long").selectOption("days");
    await expect.poll(() => node(page, /^Step later:/).textContent()).toContain("Wait 2 days");
    await page.getByRole("button", { name: "Undo" }).click();
    await expect.poll(() => node(page, /^Step later:/).textContent()).toContain("Wait 2 h");
    await page.getByRole("button", { name: "Redo" }).click();
    await expect.poll(() => node(page, /^Step later:/).textContent()).toContain("Wait 2 days");
    await inspector.getByLabel("Why this step exists").fill("Cold leads wait for the morning batch.");

    // The trigger: another kind, its settings, and an enrollment condition.
    await inspector.getByRole("button", { name: "Trigger & conditions" }).click();
    await expect.poll(() => inspector.getByRole("heading", { level: 2 }).textContent()).toBe("Trigger");
    await inspector.getByLabel("What starts it").selectOption({ label: "When a score crosses a threshold" });
    await inspector.getByLabel("Threshold").fill("70");
    await expect.poll(() => inspector.getByText(/When score goes above 70/).count()).toBe(1);
    const enrollment = inspector.getByRole("group", { name: /Enrollment conditions/ });
    await enrollment.getByRole("button", { name: "Add a condition" }).click();
    await enrollment.getByLabel("About").selectOption({ label: "Status" });
    await enrollment.getByLabel("Value").selectOption({ label: "New" });
    await expect.poll(() => page.locator(".react-flow").textContent()).toContain("status = new");
    await screenshot(page, "builder-panels-trigger");

    // Back to the workflow's own settings, where its goal is.
    await inspector.getByRole("button", { name: "Workflow settings" }).click();
    expect(await inspector.getByRole("button", { name: "Workflow settings" }).getAttribute("aria-pressed")).toBe("true");
    await expect.poll(() => inspector.getByRole("heading", { level: 2 }).textContent()).toBe("Workflow settings");
    expect(await inspector.getByRole("group", { name: /^Goal/ }).textContent()).toContain("No goal");

    await screenshot(page, "builder-panels");
    copyFileSync(join(SCREENSHOTS, "builder-panels.png"), "/tmp/builder-panels.png");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 90_000);

  it("assigns through a routing queue or a rule set, chosen by name; only the workflow's object's rule sets are offered", async () => {
    // Signed out first: the browser's context is shared with the test above.
    await browser.context.clearCookies();
    const { page, problems } = await browser.page();
    await signIn(page, s.url, DEMO_ADMIN_EMAIL, { path: `/workflows/${assignId}/edit` });
    const inspector = panel(page);
    await node(page, /^Step assign:/).click();
    await expect.poll(() => inspector.getByRole("heading", { level: 2 }).textContent()).toBe("Assign owner");
    expect(await node(page, /^Step assign:/).textContent()).toContain("next in queue Inbound reps");
    const queue = inspector.getByLabel("Queue", { exact: true });
    await expect.poll(() => queue.inputValue()).toBe("Inbound reps");
    const queues = await queue.locator("option").allTextContents();
    expect(queues).toEqual(expect.arrayContaining(["Inbound reps", "After-hours desk", "APAC inbound"]));

    await inspector.getByLabel("New owner", { exact: true }).selectOption({ label: "Whoever a rule set chooses" });
    const ruleSet = inspector.getByLabel("Rule set", { exact: true });
    await expect.poll(() => ruleSet.locator("option").allTextContents()).toEqual(["Choose a rule set…", "Inbound lead routing"]);
    // Nothing chosen yet: the builder says what is missing before anything is published.
    await page.getByRole("button", { name: /^[1-9]\d* problems?$/ }).waitFor();
    await ruleSet.selectOption({ label: "Inbound lead routing" });
    await expect.poll(() => node(page, /^Step assign:/).textContent()).toContain("by rule set Inbound lead routing");
    await page.getByRole("button", { name: "0 problems", exact: true }).waitFor();
    expect(problems).toEqual([]);
  }, 90_000);

  it("merges into the best suspected duplicate above a score, or into a record named by a template", async () => {
    await browser.context.clearCookies();
    const { page, problems } = await browser.page();
    await signIn(page, s.url, DEMO_ADMIN_EMAIL, { path: `/workflows/${foldId}/edit` });
    const inspector = panel(page);
    await node(page, /^Step merge:/).click();
    await expect.poll(() => inspector.getByRole("heading", { level: 2 }).textContent()).toBe("Merge into another record");
    expect(await node(page, /^Step merge:/).textContent()).toContain("into its best suspected duplicate");
    await inspector.getByLabel("Lowest score to merge (%)").fill("90");
    await expect.poll(() => node(page, /^Step merge:/).textContent()).toContain("scored 90% or more");
    await screenshot(page, "builder-panels-merge");

    await inspector.getByLabel("Merge into", { exact: true }).selectOption({ label: "A record named by its id" });
    const id = inspector.getByLabel("Id of the record to merge into", { exact: true });
    // Nothing named yet: the builder says what is missing before anything is published.
    await page.getByRole("button", { name: /^[1-9]\d* problems?$/ }).waitFor();
    await id.fill("{{ record.company_id }}");
    await expect.poll(() => node(page, /^Step merge:/).textContent()).toContain("into {{ record.company_id }}");
    await page.getByRole("button", { name: "0 problems", exact: true }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 90_000);
});
