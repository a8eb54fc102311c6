/**
 * The builder's Test panel beyond one run (issue 19), in Chromium as the demo admin clicks, on the
 * seeded demo workspace with a "call within 15 minutes" workflow published into it: step by step,
 * the wait for a call is answered "it happens after 5 minutes" and the run goes on through the
 * called path, the answer listed as it happened; saved as a test case, the *Test cases* tab runs
 * it against the draft; the case is edited in its dialog (the path changed, so it fails and says
 * which step differed), and a message kind the server refuses is shown next to the field that
 * holds it, with focus moved there.
 *
 * Screenshots go beside the other tests' (SCREENSHOTS); with HANDOFF_DOCS_SCREENSHOTS=1 into
 * docs/screenshots.
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

async function shot(page: Page | Locator, name: string) {
  mkdirSync(DOCS, { recursive: true });
  await page.screenshot({ path: `${DOCS}${name}.png` });
}

const callWait = {
  key: "call-within-15",
  name: "Call within 15 minutes",
  description: "A lead nobody calls within 15 minutes is marked unqualified, so that it goes back to the pool.",
  object: "lead",
  trigger: { type: "manual" },
  start: "wait-for-call",
  steps: {
    "wait-for-call": {
      type: "wait_for",
      event: { object: "activity", kind: "created", link: "related_id", where: { field: "type", op: "eq", value: "call" } },
      timeout: { minutes: 15 },
      next: "called",
      on_timeout: "not-called",
    },
    called: { type: "action", action: { type: "update_fields", fields: { status: "working" } }, next: "done" },
    "not-called": { type: "action", action: { type: "update_fields", fields: { status: "unqualified" } }, next: "done" },
    done: { type: "end" },
  },
};

describe("answering waits, and test cases in the builder, in Chromium (demo workspace)", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let workflowId: string;
  let demo: (path: string, init?: { method?: string; json?: unknown }) => Promise<Record<string, any>>;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const { workspace } = await seedDemo(s.services);
    const token = (await s.services.tokens.create(workspace.id, "browser test setup", "admin")).secret;
    demo = (path, init = {}) => s.json(path, { ...init, as: token });
    const saved = await demo("/api/v1/workflows", { method: "POST", json: { definition: callWait } });
    await demo(`/api/v1/workflows/${saved.id}/publish`, { method: "POST", json: { acknowledge_conflicts: true } });
    workflowId = saved.id as string;
    browser = await openBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  it("answers a wait for a call step by step, saves the run as a case, runs and edits it from the builder", async () => {
    const { page } = await browser.page();
    await page.setViewportSize({ width: 1400, height: 1000 });
    await signIn(page, s.url, DEMO_ADMIN_EMAIL, { path: `/workflows/${workflowId}/edit` });
    await page.getByRole("heading", { level: 1, name: "Call within 15 minutes" }).waitFor();
    await page.getByRole("button", { name: "Test", exact: true }).click();
    const panel = page.getByRole("complementary", { name: "Test" });
    await panel.getByRole("heading", { name: "Test run" }).waitFor();
    await panel.getByLabel("Last name").fill("Lovelace");
    await panel.getByRole("button", { name: "Step by step" }).click();
    await panel.getByRole("button", { name: "Run test" }).click();

    // Waiting at the wait for a call: say when it happens.
    const result = panel.getByRole("region", { name: "Test result" });
    const answer = result.getByRole("region", { name: "Answer step wait-for-call" });
    await answer.waitFor();
    expect(await answer.textContent()).toContain("Say when it happens, or let the wait time out");
    expect(await answer.getByRole("button", { name: "Nothing arrives: time out" }).count()).toBe(1);
    await answer.getByLabel("After how many minutes (simulated)").fill("5");
    await answer.getByRole("button", { name: "It happens after 5 min" }).click();
    await panel.getByText("Answers so far: wait-for-call: Happens after 5 min.").waitFor();
    await result.getByText(/^Ended: completed/).waitFor();
    const path = await result.getByRole("list", { name: "Path taken" }).getByRole("listitem").allTextContents();
    expect(path.map((p) => p.split(" ").at(-1))).toEqual(["wait-for-call", "called", "done"]);
    const answered = await result.getByRole("list", { name: "Answers carried out" }).textContent();
    expect(answered).toContain("an activity (type: call) created for the record, 5 min later");
    await result.getByRole("list", { name: "Answers carried out" }).scrollIntoViewIfNeeded();
    await shot(panel, "builder-test-answers");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Saved as a test case: the answer goes with it.
    const save = panel.getByRole("form", { name: "Save as test case" });
    await save.getByLabel("Test case name").fill("Called after 5 minutes");
    await save.getByRole("button", { name: "Save test case" }).click();
    await save.getByText("Saved “Called after 5 minutes”.", { exact: false }).waitFor();

    // The Test cases tab runs it against the draft.
    await panel.getByRole("button", { name: "Test cases" }).click();
    const cases = panel.getByRole("region", { name: "Test cases" });
    await cases.getByRole("rowheader", { name: "Called after 5 minutes" }).waitFor();
    expect(await panel.getByRole("heading", { name: "Test run" }).isVisible()).toBe(false);
    await cases.getByRole("button", { name: "Run all" }).click();
    await cases.getByRole("status").getByText("1 case: 1 passed, 0 failed.").waitFor();

    // Edit it: the path now expects the call not to come; it fails and says which step differed.
    await cases.getByRole("button", { name: "Edit Called after 5 minutes" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit the test case “Called after 5 minutes”" });
    await dialog.waitFor();
    // Focus lands in the dialog, on its first field.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("id"))).toBe(
      await dialog.getByLabel("Case name", { exact: true }).getAttribute("id"),
    );
    expect(await dialog.getByLabel("Answers at waits (JSON, optional)").inputValue()).toContain('"event_after_minutes": 5');
    await dialog.getByLabel("Path (step ids, in order)").fill("wait-for-call, not-called, done");
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await dialog.waitFor({ state: "hidden" });
    await cases.getByRole("button", { name: "Run Called after 5 minutes" }).click();
    await cases.getByRole("status").getByText("1 case: 0 passed, 1 failed.").waitFor();
    expect(await cases.getByRole("row").nth(1).textContent()).toContain("step 2: expected not-called, got called");

    // A message kind the server refuses is shown next to the field that holds it, and focused.
    await cases.getByRole("button", { name: "Edit Called after 5 minutes" }).click();
    await dialog.waitFor();
    const messages = dialog.getByLabel("Messages sent (JSON)");
    await messages.fill('[{"kind": "pigeon"}]');
    await dialog.getByLabel("Case name", { exact: true }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => messages.getAttribute("aria-invalid")).toBe("true");
    const describedBy = ((await messages.getAttribute("aria-describedby")) ?? "").split(" ");
    const error = await page.locator(`[id="${describedBy.at(-1)}"]`).textContent();
    expect(error).toMatch(/^expect\.messages\[0\]\.kind: /);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-invalid"))).toBe("true");
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(dialog, "test-case-edit");
    // Escape closes it without saving.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    const saved = (await demo(`/api/v1/workflows/${workflowId}/test-cases`)).data as { expect: { messages?: unknown } }[];
    expect(saved[0]?.expect.messages).not.toEqual([{ kind: "pigeon" }]);
    await shot(page, "builder-test-cases");
  }, 180_000);
});
