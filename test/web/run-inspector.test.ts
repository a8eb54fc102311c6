/**
 * The run inspector in Chromium, with the seeded demo workspace on a real server (worker and
 * dispatcher running): an admin opens speed-to-lead's run for a new lead from the runs list,
 * reads its steps and the owner's reason, and sees the run's path on the graph; a run that
 * really fails (its HTTP action's receiver answers 500 until the outbox gives up) is retried
 * from its failed step and succeeds; a waiting run's wait is skipped; a rep sees no controls and
 * the API refuses them. Screenshots in test/web/screenshots, axe on every page.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../../src/seed/demo.js";
import { accessibilityViolations, openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { eventually } from "../helpers/eventually.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { startSmtp, type TestSmtp } from "../helpers/smtp.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";
import { type Receiver, startReceiver } from "../outbox/receiver.js";

type Json = Record<string, any>;

describe("the run inspector in Chromium (demo workspace)", () => {
  let t: TestStore;
  let s: TestServer;
  let smtp: TestSmtp;
  let rx: Receiver;
  let browser: TestBrowser;
  let admin: string;
  /** The receiver answers 500 while this is true, 200 after. */
  let syncFails = true;
  /** Speed-to-lead's run of the first test, still waiting for the call. */
  let waitingRun: Json;

  const api = async (path: string, init: { method?: string; json?: unknown; as?: string } = {}) => {
    const res = await s.api(path, { as: admin, ...init });
    const body = (await res.json().catch(() => ({}))) as Json;
    return { status: res.status, body };
  };
  const ok = async (path: string, init: { method?: string; json?: unknown } = {}) => {
    const r = await api(path, init);
    expect(r.status, `${init.method ?? "GET"} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    return r.body;
  };
  const runOf = (recordId: string, want: (r: Json) => boolean, what: string) =>
    eventually(what, async () => ((await ok(`/api/v1/runs?record_id=${recordId}`)).data as Json[]).find(want), 30_000);

  /** A fitting lead (speed-to-lead takes it: score over 40, more than 10 employees). */
  const newLead = (first: string, last: string, extra: Json = {}) =>
    ok("/api/v1/leads", {
      method: "POST",
      json: {
        first_name: first,
        last_name: last,
        email: `${first.toLowerCase()}@inspector.example`,
        score: 60,
        employee_count: 80,
        ...extra,
      },
    });

  beforeAll(async () => {
    t = await sqliteTestStore();
    smtp = await startSmtp();
    rx = await startReceiver();
    rx.script("/sync", () => (syncFails ? { status: 500, body: { error: "the CRM sync is down" } } : { status: 200, body: { ok: true } }));
    s = await startTestServer(
      t,
      {},
      {
        worker: true,
        egressAllow: [`127.0.0.1:${smtp.port}`, `127.0.0.1:${rx.port}`],
        dispatcher: { idleMs: 20, policy: { baseDelayMs: 50, maxDelayMs: 100, maxAttempts: 3, breakerThreshold: 50 } },
      },
    );
    const { workspace } = await seedDemo(s.services);
    admin = (await s.services.tokens.create(workspace.id, "run inspector test", "admin")).secret;
    await ok("/api/v1/connectors/email", { method: "PATCH", json: { config: { port: smtp.port } } });
    // A small workflow whose call to another system fails for real: the receiver answers 500
    // until the outbox gives up (3 attempts), so the run ends failed at that step.
    await ok("/api/v1/connectors", {
      method: "POST",
      json: { key: "crm-sync", kind: "http", name: "CRM sync", config: { base_url: `${rx.url}` } },
    });
    const saved = await ok("/api/v1/workflows", {
      method: "POST",
      json: {
        definition: {
          key: "sync-partner-leads",
          name: "Sync partner leads",
          description: "Partner leads go to the partner CRM as soon as they arrive.",
          object: "lead",
          trigger: { type: "record_created", filter: { field: "source", op: "eq", value: "partner" } },
          start: "push",
          steps: {
            push: {
              type: "action",
              description: "The partner CRM must know the lead within minutes.",
              action: { type: "http_request", connector: "crm-sync", method: "POST", path: "/sync", body: { lead: "{{ record.id }}" } },
              next: "done",
            },
            done: { type: "end" },
          },
        },
      },
    });
    await ok(`/api/v1/workflows/${saved.id}/publish`, { method: "POST", json: {} });
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await rx?.close();
    await smtp?.close();
    await t?.dispose();
  });

  const pageSignedInAs = async (email: string): Promise<{ page: Page; problems: string[] }> => {
    // A test that failed before signing out must not leave its session to the next one.
    await browser.context.clearCookies();
    const opened = await browser.page();
    const { page } = opened;
    await signIn(page, s.url, email);
    await page.getByRole("heading", { level: 1, name: /^Welcome/ }).waitFor();
    return opened;
  };
  const signOut = async (page: Page) => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    await page.close();
  };

  it("opens speed-to-lead's run of a new lead from the runs list: its steps, the owner's reason, its path on the graph", async () => {
    const lead = await newLead("Grace", "Hopper");
    const run = await runOf(lead.id, (r) => r.status === "waiting" && r.step === "wait-for-call", "speed-to-lead waiting for the call");
    waitingRun = run;

    const { page, problems } = await pageSignedInAs(DEMO_ADMIN_EMAIL);
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Runs" }).click();
    await page.getByRole("heading", { level: 1, name: "Runs" }).waitFor();
    // Filter to speed-to-lead's waiting runs, then open this run by clicking its row's link.
    await page.getByLabel("Workflow").selectOption({ label: "Speed to lead" });
    await page.getByLabel("Status").selectOption({ label: "Waiting" });
    await page.waitForURL(/status=waiting/);
    // The run's row names its record (read with one request per object), linked to its page.
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: `Run ${run.id} of Speed to lead` }) });
    expect(await row.getByRole("link", { name: "Grace Hopper" }).getAttribute("href")).toBe(`/records/leads/${lead.id}`);
    await page.getByRole("link", { name: `Run ${run.id} of Speed to lead` }).click();
    await page.waitForURL(`${s.url}/runs/${run.id}`);

    await page.getByRole("heading", { level: 1, name: "Speed to lead on a lead" }).waitFor();
    expect(await page.getByTestId("run-status").textContent()).toBe("Waiting");
    expect(await page.getByRole("status").first().textContent()).toMatch(/^Waiting at step “wait-for-call” until /);
    expect(await page.getByRole("link", { name: "Speed to lead" }).getAttribute("href")).toBe(`/workflows/${run.workflow_id}`);
    // The record by its name, linked to its page under the object's plural.
    const recordLink = page.getByRole("link", { name: `${lead.first_name} ${lead.last_name}` });
    await recordLink.waitFor();
    expect(await recordLink.getAttribute("href")).toBe(`/records/leads/${lead.id}`);

    // The steps in order, in words; the assignment's step tells the owner's reason.
    const steps = page.getByRole("region", { name: "Steps" });
    const toggles = steps.getByRole("button");
    const names = await toggles.allTextContents();
    expect(names.slice(0, 3).map((n) => n.replace(/\s+/g, " "))).toEqual([
      expect.stringMatching(/^1\.Assign owner assign/),
      expect.stringMatching(/^2\.Create P1 task call-task/),
      expect.stringMatching(/^3\.Send an email auto-reply/),
    ]);
    const assign = steps.getByRole("button", { name: /Assign owner assign/ });
    await assign.click();
    expect(await assign.getAttribute("aria-expanded")).toBe("true");
    const body = steps.locator(`#${await assign.getAttribute("aria-controls")}`);
    expect(await body.getByText("Owner's reason").count()).toBe(1);
    const owner = await ok(`/api/v1/leads/${lead.id}`);
    const detail = (await body.textContent()) ?? "";
    expect(detail).toContain(`Set owner_id to user ${owner.owner_id}`);
    expect(detail).toContain("Weighted round-robin over the reps who are at work now");
    expect(detail).toMatch(/Owner's reason.*queue Inbound reps: .*round-robin/i);

    // The graph: the path taken so far, and where the run is now.
    const graph = page.getByRole("application", { name: "Graph of Speed to lead with this run's path" });
    await graph.waitFor();
    const node = (name: RegExp) => graph.getByRole("group", { name });
    expect(await node(/^Step assign: Assign owner, .*passed/).count()).toBe(1);
    expect(await node(/^Step auto-reply: Send an email, .*passed \(succeeded\)/).count()).toBe(1);
    expect(await node(/^Step wait-for-call: Wait 15 min, then go on, the run is here now$/).count()).toBe(1);
    expect(await node(/^Step reassign: Assign owner, next in queue Inbound reps, never the current owner$/).count()).toBe(1);
    expect(await node(/^Trigger: When a lead is created, only if score > 40 and employee count > 10, passed$/).count()).toBe(1);
    expect(await page.getByText("A record leaves the workflow as soon as at least 1 activity where type = call.").count()).toBe(1);

    // The graph's text alternative: the whole workflow in words, with where the run is.
    await page.getByText("The workflow in words, with this run's path").click();
    const inWords = page.getByRole("list", { name: "Steps of Speed to lead" });
    const entries = await inWords.locator(":scope > li").allTextContents();
    expect(entries[0]).toMatch(/^Trigger: When a lead is created — passed/);
    expect(entries).toContainEqual(
      expect.stringMatching(/^Wait 15 min \(wait-for-call\) — the run is here.*Then: Assign owner \(reassign\)/),
    );
    expect(entries).toContainEqual(
      expect.stringMatching(/^Send an email \(auto-reply\) — passed.*If it succeeds or if it fails: Wait 15 min \(wait-for-call\)/),
    );

    // By keyboard: Tab from the last step of the list reaches the graph's nodes, trigger first;
    // Enter on a node opens its step in the list and moves there.
    await toggles.last().focus();
    await page.keyboard.press("Tab");
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? "");
    expect(await focused()).toMatch(/^Trigger: When a lead is created/);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await focused()).toMatch(/^Step call-task: Create P1 task/);
    await page.keyboard.press("Enter");
    const callTask = steps.getByRole("button", { name: /Create P1 task call-task/ });
    await expect.poll(() => callTask.getAttribute("aria-expanded")).toBe("true");
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? "")).toContain("call-task");

    await screenshot(page, "run-inspector-speed-to-lead");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await signOut(page);
  }, 90_000);
  it("a run that failed at its HTTP action is retried from the failed step, after a confirmation, and succeeds", async () => {
    syncFails = true;
    const lead = await newLead("Alan", "Turing", { source: "partner", score: 5 });
    const run = await runOf(lead.id, (r) => r.status === "failed", "the partner sync failed");
    expect(rx.to("/sync").length).toBeGreaterThanOrEqual(3);

    const { page, problems } = await pageSignedInAs(DEMO_ADMIN_EMAIL);
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Runs" }).click();
    await page.getByLabel("Status").selectOption({ label: "Failed" });
    await page.waitForURL(/status=failed/);
    await page.getByRole("link", { name: `Run ${run.id} of Sync partner leads` }).click();
    await page.getByRole("heading", { level: 1, name: "Sync partner leads on a lead" }).waitFor();
    expect(await page.getByTestId("run-status").textContent()).toBe("Failed");
    expect(await page.getByRole("status").first().textContent()).toMatch(/^Failed at step “push”: .*500/);

    // The failed step: its error, and each delivery attempt of its call.
    const steps = page.getByRole("region", { name: "Steps" });
    const failedStep = steps.getByRole("button", { name: /Call another system push\s*failed/ });
    await failedStep.click();
    const body = steps.locator(`#${await failedStep.getAttribute("aria-controls")}`);
    expect(await body.textContent()).toMatch(/500/);
    const enqueued = steps.getByRole("button", { name: /Call another system push\s*enqueued/ });
    await enqueued.click();
    const delivery = steps.locator(`#${await enqueued.getAttribute("aria-controls")}`);
    expect(await delivery.textContent()).toContain("http through crm-sync: dead after 3 attempts; last error:");
    const attempts = delivery.getByRole("list", { name: "Delivery attempts" }).getByRole("listitem");
    expect(await attempts.allTextContents()).toEqual([
      expect.stringMatching(/^Attempt 1 at .*: will retry \(answered 500.*, next try /),
      expect.stringMatching(/^Attempt 2 at .*: will retry \(answered 500/),
      expect.stringMatching(/^Attempt 3 at .*: gave up \(answered 500/),
    ]);
    const graph = page.getByRole("application", { name: "Graph of Sync partner leads with this run's path" });
    expect(
      await graph.getByRole("group", { name: /^Step push: Call another system, POST crm-sync\/sync, the run failed here$/ }).count(),
    ).toBe(1);
    await screenshot(page, "run-inspector-failed");
    expect(await accessibilityViolations(page)).toEqual([]);

    // The partner CRM is back. Retry asks first and says what will happen.
    syncFails = false;
    await page.getByRole("button", { name: "Retry from the failed step" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Retry this run?" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("The run starts again at step “push”, the one that failed");
    await screenshot(page, "run-inspector-retry-dialog");
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Retry", exact: true }).click();
    await dialog.waitFor({ state: "detached" });

    // The page follows the run (polling) until it has completed.
    await expect.poll(() => page.getByTestId("run-status").textContent(), { timeout: 20_000 }).toBe("Completed");
    expect(await graph.getByRole("group", { name: /^Step push: .*passed \(succeeded\)$/ }).count()).toBe(1);
    expect(await graph.getByRole("group", { name: /^End done, the run is complete, passed/ }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Retry from the failed step" }).count()).toBe(0);
    expect(await steps.getByRole("button", { name: /push\s*succeeded/ }).count()).toBe(1);
    await screenshot(page, "run-inspector-retried");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await signOut(page);
  }, 90_000);

  it("skips a waiting run's wait, and cancels another, each after a confirmation", async () => {
    const lead = await newLead("Katherine", "Johnson");
    const run = await runOf(lead.id, (r) => r.status === "waiting" && r.step === "wait-for-call", "speed-to-lead waiting for the call");
    const { page, problems } = await pageSignedInAs(DEMO_ADMIN_EMAIL);
    await page.goto(`${s.url}/runs/${run.id}`);
    await page.getByRole("heading", { level: 1, name: "Speed to lead on a lead" }).waitFor();

    await page.getByRole("button", { name: "Skip the wait" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Skip the wait?" });
    expect(await dialog.textContent()).toMatch(/stops waiting at step “wait-for-call” now instead of in 1\d min/);
    await dialog.getByRole("button", { name: "Skip the wait" }).click();
    await expect.poll(() => page.getByTestId("run-status").textContent(), { timeout: 20_000 }).toBe("Completed");
    const steps = page.getByRole("region", { name: "Steps" });
    expect(await steps.getByRole("button", { name: /Assign owner reassign/ }).count()).toBe(1);
    expect(await steps.getByRole("button", { name: /Notify the team lead of the owner alert-lead/ }).count()).toBe(1);
    await screenshot(page, "run-inspector-wait-skipped");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Cancel: "Keep it as it is" changes nothing; confirming cancels.
    const other = await newLead("Dorothy", "Vaughan");
    const second = await runOf(other.id, (r) => r.status === "waiting" && r.step === "wait-for-call", "another run waiting for the call");
    await page.goto(`${s.url}/runs/${second.id}`);
    await page.getByRole("heading", { level: 1, name: "Speed to lead on a lead" }).waitFor();
    await page.getByRole("button", { name: "Cancel the run" }).click();
    const cancel = page.getByRole("alertdialog", { name: "Cancel this run?" });
    await cancel.getByRole("button", { name: "Keep it as it is" }).click();
    await cancel.waitFor({ state: "detached" });
    expect((await ok(`/api/v1/runs/${second.id}`)).status).toBe("waiting");
    await page.getByRole("button", { name: "Cancel the run" }).click();
    await cancel.getByRole("button", { name: "Cancel the run" }).click();
    await expect.poll(() => page.getByTestId("run-status").textContent(), { timeout: 20_000 }).toBe("Cancelled");
    expect(await page.getByRole("region", { name: "Run controls" }).count()).toBe(0);
    expect(problems).toEqual([]);
    await signOut(page);
  }, 90_000);

  it("a rep reads the run but sees no controls, and the API refuses them from the rep's session", async () => {
    const { page, problems } = await pageSignedInAs("rep1@demo.handoff.test");
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Runs" }).click();
    await page.getByRole("link", { name: `Run ${waitingRun.id} of Speed to lead` }).click();
    await page.getByRole("heading", { level: 1, name: "Speed to lead on a lead" }).waitFor();
    expect(await page.getByTestId("run-status").textContent()).toBe("Waiting");
    await page.getByRole("application", { name: /^Graph of Speed to lead/ }).waitFor();
    expect(await page.getByRole("region", { name: "Run controls" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /Skip the wait|Cancel the run|Retry/ }).count()).toBe(0);
    await screenshot(page, "run-inspector-rep");
    expect(await accessibilityViolations(page)).toEqual([]);
    // At 200 % zoom (a 640 px wide window) the graph goes under the steps and nothing is cut off.
    await page.setViewportSize({ width: 640, height: 800 });
    await page.getByRole("application", { name: /^Graph of Speed to lead/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await screenshot(page, "run-inspector-narrow");
    expect(await accessibilityViolations(page)).toEqual([]);

    // The same request the admin's button makes, from the rep's own session with its CSRF token.
    const statuses = await page.evaluate(async (id) => {
      const session = (await (await fetch("/api/v1/session")).json()) as { csrf_token: string };
      const out: number[] = [];
      for (const action of ["skip-wait", "cancel", "retry"]) {
        const res = await fetch(`/api/v1/runs/${id}/${action}`, { method: "POST", headers: { "x-csrf-token": session.csrf_token } });
        out.push(res.status);
      }
      return out;
    }, waitingRun.id);
    expect(statuses).toEqual([404, 404, 404]);
    expect((await ok(`/api/v1/runs/${waitingRun.id}`)).status).toBe("waiting");
    expect(problems).toEqual([]);
    await signOut(page);
  }, 90_000);
});
