/**
 * Safe change in the web app (issue 19, item 6), in Chromium as the demo admin clicks, on the
 * seeded demo workspace (speed-to-lead with three test cases run once, and a week of history):
 * the builder's Test panel runs speed-to-lead on a lead described inline (score 80, 300
 * employees) — the path, the owner and the auto-reply "Not sent — test run" with its subject, the
 * steps marked on the canvas — and saves it as a test case; the discount approval runs step by
 * step and is approved; the workflow page's cases run all and read passed / failed; and the
 * replay page replays last week's triggers against a draft whose score condition went from 40 to
 * 60: the counts in words, leads listed as no longer enrolled, one row opened side by side.
 *
 * The docs' screenshots (builder-test-panel, test-cases, replay) are written to docs/screenshots
 * only with HANDOFF_DOCS_SCREENSHOTS=1; otherwise beside the other tests' screenshots.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../../src/seed/demo.js";
import { accessibilityViolations, openBrowser, SCREENSHOTS, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

const DOCS = process.env.HANDOFF_DOCS_SCREENSHOTS ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url)) : `${SCREENSHOTS}/`;

async function shot(page: Page | Locator, name: string, fullPage = true) {
  mkdirSync(DOCS, { recursive: true });
  if ("goto" in page) await page.screenshot({ path: `${DOCS}${name}.png`, fullPage });
  else await page.screenshot({ path: `${DOCS}${name}.png` });
}

describe("test runs, test cases and replay in Chromium (demo workspace)", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let speedId: string;
  /** The demo workspace's API, as its admin (the test server's own token is another workspace's). */
  let demo: (path: string, init?: { method?: string; json?: unknown }) => Promise<Record<string, any>>;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const { workspace } = await seedDemo(s.services);
    const token = (await s.services.tokens.create(workspace.id, "browser test setup", "admin")).secret;
    demo = (path, init = {}) => s.json(path, { ...init, as: token });
    speedId = (await demo("/api/v1/workflows/speed-to-lead")).id as string;
    expect(speedId).toBeTruthy();
    browser = await openBrowser();
  }, 240_000);
  /** A page at `path`, signed in (the browser's context keeps the session cookie after the first sign-in). */
  let signedIn = false;
  async function open(path: string): Promise<Page> {
    const { page } = await browser.page();
    await page.setViewportSize({ width: 1400, height: 1000 });
    if (signedIn) await page.goto(`${s.url}${path}`);
    else await signIn(page, s.url, DEMO_ADMIN_EMAIL, { path });
    signedIn = true;
    return page;
  }
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  it("runs speed-to-lead on an inline lead in the builder, marks its path on the canvas, and saves it as a test case", async () => {
    const page = await open(`/workflows/${speedId}/edit`);
    await page.getByRole("heading", { level: 1, name: "Speed to lead" }).waitFor();
    await page.getByRole("button", { name: "Test", exact: true }).click();
    const panel = page.getByRole("complementary", { name: "Test" });
    await panel.getByRole("heading", { name: "Test run" }).waitFor();
    await panel.getByLabel("Score", { exact: true }).fill("80");
    await panel.getByLabel("Company size (employees)").fill("300");
    await panel.getByLabel("First name").fill("Ada");
    await panel.getByLabel("Last name").fill("Lovelace");
    await panel.getByLabel("Email", { exact: true }).fill("ada.lovelace@example.com");
    await panel.getByRole("button", { name: "Run test" }).click();

    const result = panel.getByRole("region", { name: "Test result" });
    await result.waitFor();
    expect(await result.getByText(/^Ended: completed/).count()).toBe(1);
    const path = await result.getByRole("list", { name: "Path taken" }).getByRole("listitem").allTextContents();
    expect(path.map((p) => p.split(" ").at(-1))).toEqual([
      "assign",
      "call-task",
      "auto-reply",
      "wait-for-call",
      "reassign",
      "alert-lead",
      "done",
    ]);
    // The owner and why, the email not sent with its subject.
    const owner = await result.getByRole("heading", { name: "Owner" }).locator("xpath=following-sibling::p[1]").textContent();
    expect(owner).toMatch(/—/);
    // Fields written, from → to; a person's id shown as their name (not the id). Who depends on the
    // hour the test runs at — the queue takes whoever is working then ("APAC Lead" at night UTC).
    const written = result.getByRole("list", { name: "Fields written" });
    await expect.poll(() => written.textContent()).toMatch(/^owner_id: \(empty\) → [A-Z][A-Za-z]* [A-Z]/);
    expect(await written.textContent()).not.toMatch(/→ [0-9a-z]{26}/);
    const messages = result.getByRole("list", { name: "Messages that would have been sent" }).getByRole("listitem");
    expect(await messages.count()).toBe(1);
    const email = (await messages.first().textContent()) ?? "";
    expect(email).toContain("Not sent — test run");
    expect(email).toContain("ada.lovelace@example.com");
    const subject = await messages.first().locator("dt:text-is('Subject') + dd").textContent();
    expect(subject?.length).toBeGreaterThan(3);

    // The canvas marks the steps taken, in words.
    const canvas = page.getByRole("application").or(page.locator(".react-flow")).first();
    await canvas.getByText("Test run · step 1", { exact: true }).waitFor();
    expect(await canvas.getByText(/^Test run · step \d/).count()).toBe(7);
    await messages.first().scrollIntoViewIfNeeded();
    await shot(page, "builder-test-panel", false);
    expect(await accessibilityViolations(page)).toEqual([]);

    // Save as test case: the expectations are pre-filled from the result.
    const save = panel.getByRole("form", { name: "Save as test case" });
    await save.getByRole("button", { name: "Save test case" }).click();
    await save.getByText(/^Name the case/).waitFor();
    await save.getByLabel("Test case name").fill("Ada, score 80: assigned and emailed");
    expect(await save.getByLabel(/Status is completed/).isChecked()).toBe(true);
    expect(await save.getByLabel(/Path is assign → call-task/).isChecked()).toBe(true);
    await save.getByRole("button", { name: "Save test case" }).click();
    await save.getByText("Saved “Ada, score 80: assigned and emailed”.", { exact: false }).waitFor();
    const cases = (await demo(`/api/v1/workflows/${speedId}/test-cases`)).data as { name: string; expect: { path?: string[] } }[];
    expect(cases.find((c) => c.name === "Ada, score 80: assigned and emailed")?.expect.path).toEqual(path.map((p) => p.split(" ").at(-1)));
  }, 120_000);

  it("runs the discount approval step by step and approves it", async () => {
    const deal = await demo("/api/v1/workflows/discount-approval");
    const page = await open(`/workflows/${deal.id}/edit`);
    await page.getByRole("heading", { level: 1, name: "Discount approval" }).waitFor();
    await page.getByRole("button", { name: "Test", exact: true }).click();
    const panel = page.getByRole("complementary", { name: "Test" });
    await panel.getByLabel("Name", { exact: true }).fill("Globex renewal");
    await panel.getByLabel("Stage", { exact: true }).selectOption("proposal");
    await panel.getByLabel("Discount %").fill("25");
    // The demo's stage gate "Proposal needs budget confirmation" holds in the sandbox too: a deal
    // described at Proposal must have its budget confirmed, or its creation is refused.
    await panel.getByLabel("More fields (JSON)").fill('{"budget_confirmed": true}');
    expect(await panel.getByLabel("Then change Stage to (the trigger)").inputValue()).toBe("negotiation");
    await panel.getByRole("button", { name: "Step by step" }).click();
    await panel.getByRole("button", { name: "Run test" }).click();

    const result = panel.getByRole("region", { name: "Test result" });
    await result.getByText("Waiting", { exact: true }).waitFor();
    const answer = result.getByRole("region", { name: "Answer step approve" });
    expect(await answer.textContent()).toContain("Waiting for a decision");
    await answer.getByRole("button", { name: "Approve" }).click();
    await panel.getByText("Answers so far: approve: Approve.").waitFor();
    await result.getByText(/^Ended: completed/).waitFor();
    const path = await result.getByRole("list", { name: "Path taken" }).getByRole("listitem").allTextContents();
    expect(path.map((p) => p.split(" ").at(-1))).toEqual(["approve", "send-quote", "done"]);
    expect(await result.getByText(/^Send the approved quote for Globex renewal/).count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
  }, 120_000);

  it("lists speed-to-lead's test cases with their last results, and runs them all", async () => {
    const page = await open(`/workflows/${speedId}`);
    const section = page.getByRole("region", { name: "Test cases" });
    await section.getByRole("heading", { name: "Test cases" }).waitFor();
    const rows = section.getByRole("row");
    await section.getByRole("rowheader", { name: "Score 30: not enrolled, nothing sent" }).waitFor();
    // The three seeded cases ran at seed time; the one saved above has not run yet.
    expect(await section.getByRole("status").textContent()).toBe("4 cases: 3 passed, 0 failed, 1 not run yet.");
    await section.getByRole("button", { name: "Run all" }).click();
    await section.getByRole("status").getByText("4 cases: 4 passed, 0 failed.").waitFor();
    expect(await rows.count()).toBe(5);
    const ran = await rows.nth(1).getByRole("cell").allTextContents();
    expect(ran[0]).toBe("Passed");
    expect(ran[1]).toMatch(/on version \d+$/);

    // A case that fails says what differed: its expected path no longer holds.
    const saved = (
      (await demo(`/api/v1/workflows/${speedId}/test-cases`)).data as {
        id: string;
        name: string;
        record: unknown;
        expect: Record<string, unknown>;
      }[]
    ).find((c) => c.name === "Ada, score 80: assigned and emailed");
    if (!saved) throw new Error("the saved case is missing");
    await demo(`/api/v1/workflows/${speedId}/test-cases/${saved.id}`, {
      method: "PUT",
      json: { name: saved.name, record: saved.record, expect: { ...saved.expect, path: ["assign", "auto-reply"] } },
    });
    await section.getByRole("button", { name: "Run Ada, score 80: assigned and emailed" }).click();
    await section.getByRole("status").getByText("4 cases: 3 passed, 1 failed.").waitFor();
    const failed = section.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "Ada, score 80: assigned and emailed" }) });
    expect(await failed.textContent()).toContain("Failed");
    expect(await failed.textContent()).toContain("step 2: expected auto-reply, got call-task");
    await shot(section, "test-cases");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Delete asks first.
    await section.getByRole("button", { name: "Delete Ada, score 80: assigned and emailed" }).click();
    await page.getByRole("button", { name: "Delete test case" }).click();
    await section.getByRole("status").getByText("3 cases: 3 passed, 0 failed.").waitFor();
  }, 120_000);

  it("replays last week's speed-to-lead triggers against a draft with score > 60", async () => {
    // The draft only through the API (the builder's condition editor has its own tests).
    const live = await demo(`/api/v1/workflows/${speedId}`);
    const def = structuredClone(live.versions.find((v: { version: number }) => v.version === live.live_version).definition);
    def.conditions.and[0].value = 60;
    await demo("/api/v1/workflows", { method: "POST", json: { definition: def } });

    const page = await open(`/workflows/${speedId}`);
    await page.getByRole("link", { name: "What would this change have done?" }).click();
    await page.getByRole("heading", { level: 1, name: "What would this change have done?" }).waitFor();
    // The period is the last 7 days by default.
    const since = await page.getByLabel("Since").inputValue();
    expect(Math.abs(Date.now() - 7 * 86_400_000 - new Date(since).getTime())).toBeLessThan(120_000);
    await page.getByLabel("At most this many triggers").fill("60");
    await page.getByRole("button", { name: "Replay against the draft" }).click();

    const counts = page.getByRole("list", { name: "Counts per verdict" });
    await counts.waitFor({ timeout: 90_000 });
    const words = await counts.getByRole("listitem").allTextContents();
    expect(words[1]).toMatch(/^\d+ would no longer enroll$/);
    const gone = Number(words[1]?.split(" ")[0]);
    expect(gone).toBeGreaterThan(0);
    // A stricter condition changes nothing else and enrolls nobody new (leads from before
    // speed-to-lead went live are not triggers production received).
    expect(words[0]).toBe("0 would change");
    expect(words).toContain("0 would newly enroll");

    await page.getByRole("button", { name: /^No longer enrolled \(\d+\)$/ }).click();
    const table = page.getByRole("table", { name: "Triggers replayed" });
    const rows = table.getByRole("row");
    expect(await rows.count()).toBe(gone + 1);
    expect(await rows.nth(1).getByRole("cell").nth(2).textContent()).toBe("No longer enrolled");
    // The record links to its page; the row opens production and the draft side by side.
    const recordLink = rows.nth(1).getByRole("link");
    expect(await recordLink.getAttribute("href")).toMatch(/^\/records\/leads\//);
    await rows
      .nth(1)
      .getByRole("button", { name: /^Compare production and the draft for / })
      .click();
    const side = page.getByRole("region", { name: /^Production and the draft for / });
    await side.getByRole("heading", { name: "Production did" }).waitFor();
    expect(await side.textContent()).toContain("Would not enroll.");
    expect(await side.textContent()).toContain("assign → call-task");
    await shot(page, "replay");
    expect(await accessibilityViolations(page)).toEqual([]);
  }, 180_000);
});
