/**
 * The builder's canvas in Chromium, as an admin edits a workflow (issue 15): from a new workflow
 * whose trigger leads only to an end, add steps with the "+" menu, by dragging a palette item onto
 * a "+" and by choosing an item and then a "+"; move a step by dragging it; delete a step by
 * reconnecting and with what follows; copy and paste; undo and redo with the buttons and the keys.
 * Every result is read from what the page shows: the nodes' names and the "+" of each arrow,
 * which names the two steps it joins.
 */
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../../src/seed/demo.js";
import { accessibilityViolations, openBrowser, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

const NEW_WORKFLOW = {
  key: "new-lead-follow-up",
  name: "New lead follow-up",
  description: "Why it exists: a test fixture (publishing needs a description).",
  object: "lead",
  trigger: { type: "record_created" },
  start: "end",
  steps: { end: { type: "end" } },
};

describe("the builder's canvas in Chromium (demo workspace)", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let workflowId: string;
  let speedId: string;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const { workspace } = await seedDemo(s.services);
    const token = (await s.services.tokens.create(workspace.id, "browser test setup", "admin")).secret;
    const saved = await s.json("/api/v1/workflows", { method: "POST", json: { definition: NEW_WORKFLOW }, as: token });
    workflowId = saved.id;
    const all = (await s.json("/api/v1/workflows", { as: token })).data as { id: string; key: string }[];
    speedId = all.find((w) => w.key === "speed-to-lead")?.id as string;
    browser = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  /** The arrows on the canvas as "from → to", read from the names of their "+" buttons. */
  async function arrows(canvas: Locator): Promise<string[]> {
    const names = await canvas
      .getByRole("button", { name: /^(Add a step|Put .+|Move .+) here, between / })
      .evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? ""));
    return names.map((n) => n.replace(/^.* here, between (.+?) and (.+?)( \(.*\))?$/, "$1 → $2")).sort();
  }
  /** The steps on the canvas, by the ids their names show. */
  async function steps(canvas: Locator): Promise<string[]> {
    const names = await canvas.getByRole("group").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? ""));
    return names.flatMap((n) => /^(?:Step|End) ([a-z][a-z0-9_-]*)[:,]/.exec(n)?.[1] ?? []).sort();
  }
  const plus = (canvas: Locator, from: string, to: string) =>
    canvas.getByRole("button", { name: new RegExp(`here, between ${from} and ${to}( \\(|$)`) });
  const node = (canvas: Locator, id: string) => canvas.getByRole("group", { name: new RegExp(`^(Step|End) ${id}[:,]`) });

  async function dragNodeOnto(page: Page, from: Locator, to: Locator) {
    const a = await from.boundingBox();
    const b = await to.boundingBox();
    if (!a || !b) throw new Error("not on screen");
    await page.mouse.move(a.x + a.width / 2, a.y + 20);
    await page.mouse.down();
    await page.mouse.move(a.x + a.width / 2 + 10, a.y + 30, { steps: 3 });
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
    await page.mouse.up();
  }

  it("builds from an empty workflow: insert by menu, by drag and by keyboard; move, delete, copy, paste, undo and redo", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, s.url, DEMO_ADMIN_EMAIL, { path: `/workflows/${workflowId}/edit` });
    const canvas = page.getByRole("application", { name: "Canvas of New lead follow-up" });
    await canvas.waitFor();
    expect(await arrows(canvas)).toEqual(["the trigger → end"]);

    // "+" on the only arrow → the menu → Send email.
    await plus(canvas, "the trigger", "end").click();
    const menu = page.getByRole("dialog", { name: "Add a step here" });
    await menu.getByRole("button", { name: /^End/ }).isDisabled();
    expect(await menu.getByRole("button", { name: /^End/ }).isDisabled()).toBe(true);
    await menu.getByRole("button", { name: /^Send email/ }).click();
    await node(canvas, "send-email").waitFor();
    expect(await arrows(canvas)).toEqual(["send-email → end", "the trigger → send-email"]);

    // A palette item dragged onto a "+".
    const palette = page.getByRole("navigation", { name: "Add a step" });
    await palette.getByRole("button", { name: "Delay", exact: true }).dragTo(plus(canvas, "the trigger", "send-email"));
    await node(canvas, "delay").waitFor();
    expect(await arrows(canvas)).toEqual(["delay → send-email", "send-email → end", "the trigger → delay"]);

    // By keyboard: choose an item, then a "+".
    await palette.getByRole("button", { name: "Create task", exact: true }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("status", { name: "Canvas" }).textContent()).toContain("Choose where to put Create task");
    await plus(canvas, "send-email", "end").focus();
    await page.keyboard.press("Enter");
    await node(canvas, "create-task").waitFor();
    expect(await arrows(canvas)).toEqual(["create-task → end", "delay → send-email", "send-email → create-task", "the trigger → delay"]);

    // Drag the delay onto the arrow between the email and the task.
    // (The whole workflow in view first, so that the drag does not run off the canvas.)
    await canvas.getByRole("button", { name: "Fit the whole workflow in view" }).click();
    await dragNodeOnto(page, node(canvas, "delay"), plus(canvas, "send-email", "create-task"));
    await expect
      .poll(() => arrows(canvas))
      .toEqual(["create-task → end", "delay → create-task", "send-email → delay", "the trigger → send-email"]);

    // Delete just the delay: the email now leads to the task.
    await node(canvas, "delay").click();
    await page.keyboard.press("Delete");
    const del = page.getByRole("alertdialog", { name: "Delete step “delay”?" });
    await expect.poll(() => del.textContent()).toContain("what led to it goes on to “create-task”");
    await del.getByRole("button", { name: "Delete just this step" }).click();
    await expect.poll(() => steps(canvas)).toEqual(["create-task", "end", "send-email"]);
    expect(await arrows(canvas)).toEqual(["create-task → end", "send-email → create-task", "the trigger → send-email"]);

    // Undo and redo, with the buttons and with the keys.
    await page.getByRole("button", { name: "Undo" }).click();
    await expect.poll(() => steps(canvas)).toEqual(["create-task", "delay", "end", "send-email"]);
    await page.getByRole("button", { name: "Redo" }).click();
    await expect.poll(() => steps(canvas)).toEqual(["create-task", "end", "send-email"]);
    await page.keyboard.press("Control+z");
    await expect.poll(() => steps(canvas)).toEqual(["create-task", "delay", "end", "send-email"]);
    await page.keyboard.press("Control+Shift+z");
    await expect.poll(() => steps(canvas)).toEqual(["create-task", "end", "send-email"]);

    // Copy the email and paste it after the task.
    await node(canvas, "send-email").click();
    await page.keyboard.press("Control+c");
    await node(canvas, "create-task").click();
    await page.keyboard.press("Control+v");
    await node(canvas, "send-email-2").waitFor();
    expect(await arrows(canvas)).toEqual([
      "create-task → send-email-2",
      "send-email → create-task",
      "send-email-2 → end",
      "the trigger → send-email",
    ]);

    // Move the task and what follows it to the front, by the keyboard way ("Move…", then a "+").
    await node(canvas, "create-task").click();
    await page.getByRole("checkbox", { name: /Move with what follows/ }).check();
    await page.getByRole("button", { name: "Move…" }).click();
    await plus(canvas, "the trigger", "send-email").click();
    // The part's end gave way: the pasted email now goes on to the first one, which ends the run.
    await expect
      .poll(() => arrows(canvas))
      .toEqual(["create-task → send-email-2", "send-email → the end", "send-email-2 → send-email", "the trigger → create-task"]);
    expect(await steps(canvas)).toEqual(["create-task", "send-email", "send-email-2"]);

    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: "/tmp/builder-canvas.png" });

    // Delete the first step with what follows: the workflow is back to a trigger and an end.
    await node(canvas, "create-task").click();
    await page.keyboard.press("Backspace");
    const delAll = page.getByRole("alertdialog", { name: "Delete step “create-task”?" });
    await expect.poll(() => delAll.textContent()).toMatch(/also deletes (“send-email-2”, “send-email”|“send-email”, “send-email-2”)/);
    await delAll.getByRole("button", { name: "Delete it and what follows" }).click();
    await expect.poll(() => steps(canvas)).toEqual(["end"]);
    expect(await arrows(canvas)).toEqual(["the trigger → end"]);
    await page.getByRole("button", { name: "Undo" }).click();
    await expect.poll(() => steps(canvas)).toEqual(["create-task", "send-email", "send-email-2"]);
    expect(problems).toEqual([]);
  }, 90_000);

  it("speed-to-lead: labelled arrows, the goal beside the graph, a branch inserted in the middle keeps the path; a rep reads without the +", async () => {
    await browser.context.clearCookies();
    const { page, problems } = await browser.page();
    await signIn(page, s.url, DEMO_ADMIN_EMAIL, { path: `/workflows/${speedId}/edit` });
    const canvas = page.getByRole("application", { name: "Canvas of Speed to lead" });
    await canvas.waitFor();
    await expect.poll(() => page.getByText(/Goal: a record leaves the workflow as soon as at least 1 activit/).count()).toBe(1);
    expect(await arrows(canvas)).toContain("assign → call-task");
    // A branch between two steps: its otherwise goes on to where the arrow led, its rule to a new end.
    await plus(canvas, "assign", "call-task").click();
    await page
      .getByRole("dialog", { name: "Add a step here" })
      .getByRole("button", { name: /^Branch/ })
      .click();
    await node(canvas, "branch").waitFor();
    const now = await arrows(canvas);
    expect(now).toContain("assign → branch");
    expect(now).toContain("branch → call-task");
    expect(now.some((a) => /^branch → end(-\d+)?$/.test(a))).toBe(true);
    await canvas.getByRole("button", { name: "Fit the whole workflow in view" }).click();
    await page.screenshot({ path: "/tmp/builder-speed.png" });
    expect(problems).toEqual([]);

    // The same browser signed in as a rep (the admin's session cookie cleared first).
    await browser.context.clearCookies();
    const rep = await browser.page();
    await signIn(rep.page, s.url, "rep1@demo.handoff.test", { path: `/workflows/${speedId}/edit` });
    const readOnly = rep.page.getByRole("application", { name: "Canvas of Speed to lead" });
    await readOnly.waitFor();
    await node(readOnly, "assign").waitFor();
    expect(await readOnly.getByRole("button", { name: /here, between/ }).count()).toBe(0);
    expect(await rep.page.getByRole("navigation", { name: "Add a step" }).count()).toBe(0);
  }, 90_000);
});
