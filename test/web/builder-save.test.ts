/**
 * Saving, checking and publishing in the builder (issue 15, items 4, 5 and 7), in Chromium as a
 * RevOps admin works, on the seeded demo workspace:
 *
 * - a new workflow from the Workflows page: the form derives the key, saves the first draft and
 *   opens the builder, which says the draft is saved; an invalid edit in the JSON view (a branch
 *   without else, on a field leads do not have) shows its problems on the right node, in the list
 *   and on Publish (refused, with the reason); fixed, it publishes with a change note, and the
 *   version with its note is in the history (the builder's and the workflow page's);
 * - leaving with an edit not saved yet asks first, and staying keeps it;
 * - a rep gets no New workflow, is refused the form, and reads the builder without Publish;
 * - every recipe opens in the builder, round-trips through the JSON view unchanged (text → parse →
 *   canvas → text identical, and equal to the recipe file) and republishes unchanged (the new
 *   version's definition equals the previous one's).
 *
 * Setup over the API: an `enrichment` HTTP connector, so that the enrichment recipe can publish.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../../src/seed/demo.js";
import { accessibilityViolations, openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;

const RECIPES_DIR = fileURLToPath(new URL("../../recipes/", import.meta.url));
const RECIPES = readdirSync(RECIPES_DIR)
  .filter((f) => f.endsWith(".json"))
  .map((f) => ({ key: f.replace(/\.json$/, ""), text: readFileSync(`${RECIPES_DIR}${f}`, "utf8") }));

/** The draft after the invalid edit: a branch on a field leads do not have, and no else path. */
const invalid = (key: string) => ({
  key,
  name: "Route hot leads",
  description: "Hot leads go to a rep at once; the rest wait for marketing.",
  object: "lead",
  trigger: { type: "record_created" },
  start: "hot",
  steps: {
    hot: { type: "branch", rules: [{ when: { field: "shoe_size", op: "gt", value: 40 }, next: "done", label: "Hot" }] },
    done: { type: "end" },
  },
});

describe("saving, checking and publishing in the builder (demo workspace)", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let token: string;
  const demo = (path: string, init: Parameters<TestServer["json"]>[1] = {}): Promise<Json> => s.json(path, { ...init, as: token });

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const { workspace } = await seedDemo(s.services);
    token = (await s.services.tokens.create(workspace.id, "browser test setup", "admin")).secret;
    await demo("/api/v1/connectors", {
      method: "POST",
      json: { key: "enrichment", kind: "http", config: { base_url: "https://enrich.example.com", auth: { type: "none" } } },
    });
    browser = await openBrowser();
    // One session for every test (the browser's profile keeps its cookie), signed in as a person does.
    const { page } = await browser.page();
    await signIn(page, s.url, DEMO_ADMIN_EMAIL);
    await page.close();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  const json = (page: Page) => page.getByLabel("The workflow as JSON");
  const toolbar = (page: Page) => page.getByRole("toolbar", { name: "Edit" });

  it("a new workflow from the Workflows page: saved, checked, refused with its problems on the node, fixed, published with a note", async () => {
    const { page, problems } = await browser.page();
    await page.goto(`${s.url}/workflows`);
    await page.getByRole("link", { name: "New workflow" }).click();
    await page.getByRole("heading", { level: 1, name: "New workflow" }).waitFor();

    // The key follows the name until it is typed; a key that breaks the format is named at once.
    await page.getByLabel("Name").fill("Route hot leads");
    expect(await page.getByLabel("Key").inputValue()).toBe("route-hot-leads");
    await page.getByLabel("Key").fill("Route Hot");
    await page.getByText("A key is lower-case letters, digits and -").waitFor();
    // A key that exists already is refused next to the field, and nothing is saved.
    await page.getByLabel("Key").fill("speed-to-lead");
    await page.getByRole("button", { name: "Save and open the builder" }).click();
    await page.getByText("A workflow with this key exists already").waitFor();
    await page.getByLabel("Key").fill("route-hot-leads");
    await page.getByLabel("Object").selectOption({ label: "Lead" });
    await page.getByLabel("What starts it").selectOption({ label: "When a lead is created" });
    await page.getByLabel("Why it exists").fill("Hot leads go to a rep at once; the rest wait for marketing.");
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "builder-new-workflow");
    await page.getByRole("button", { name: "Save and open the builder" }).click();

    await page.getByRole("heading", { level: 1, name: "Route hot leads" }).waitFor();
    expect(page.url()).toMatch(/\/workflows\/[^/]+\/edit$/);
    await page.getByText(/^Draft v1 saved \d/).waitFor();
    await page.getByText("Not live: no version is published yet.").waitFor();
    await toolbar(page).getByRole("button", { name: "0 problems", exact: true }).waitFor();

    // The invalid edit, in the JSON view.
    await toolbar(page).getByRole("button", { name: "JSON" }).click();
    const first = JSON.parse(await json(page).inputValue());
    expect(first).toEqual({
      key: "route-hot-leads",
      name: "Route hot leads",
      description: "Hot leads go to a rep at once; the rest wait for marketing.",
      object: "lead",
      trigger: { type: "record_created" },
      start: "done",
      steps: { done: { type: "end" } },
    });
    // Text that is not JSON yet applies nothing and says where it stops.
    await json(page).fill('{ "key": "route-hot-leads", ');
    await page.getByText(/This is not valid JSON yet \(line 1, column \d+\)/).waitFor();
    // Leaving the view would drop that text: it asks first, and staying keeps it.
    const dropAsked = new Promise<string>((resolve) =>
      page.once("dialog", (d) => {
        resolve(d.message());
        void d.dismiss();
      }),
    );
    await toolbar(page).getByRole("button", { name: "Canvas" }).click();
    expect(await dropAsked).toBe("The JSON text has an error, so it is not applied. Show the canvas and drop that text?");
    expect(await json(page).inputValue()).toBe('{ "key": "route-hot-leads", ');
    // Another key is refused with the reason.
    await json(page).fill(JSON.stringify({ ...first, key: "other-key" }, null, 2));
    await page.getByText("The key cannot change in the builder").waitFor();
    await json(page).fill(JSON.stringify(invalid("route-hot-leads"), null, 2));
    await toolbar(page).getByRole("button", { name: "2 problems", exact: true }).waitFor();
    // The draft saves even so (a draft must parse, not validate).
    await page.getByText(/^Draft v1 saved \d/).waitFor();
    await screenshot(page, "builder-json");

    // Publish is refused, with the reason beside it.
    const publish = toolbar(page).getByRole("button", { name: "Publish…" });
    expect(await publish.isDisabled()).toBe(true);
    await toolbar(page).getByRole("button", { name: "Fix 2 problems to publish" }).click();
    const list = page.getByRole("region", { name: "2 problems to fix before publishing" });
    const items = await list.getByRole("listitem").allTextContents();
    expect(items.some((i) => i.includes("Step “hot” (branch), rule 1 › condition › field:") && i.includes("shoe_size"))).toBe(true);
    expect(items.some((i) => i.includes("Step “hot” (branch), else path: a branch needs an else path"))).toBe(true);
    // "Show the step" leaves the JSON view for the canvas, with the node selected and marked.
    await list.getByRole("button", { name: "Show the step" }).first().click();
    const node = page.locator('.react-flow__node[data-id="hot"]');
    await node.waitFor();
    expect(await node.textContent()).toContain("2 problems");
    expect(await node.getAttribute("aria-label")).toContain("2 problems: ");
    expect(await page.locator('.react-flow__node[data-id="done"]').textContent()).not.toContain("problem");
    await page
      .getByRole("complementary", { name: "Settings of the selection" })
      .getByRole("heading", { level: 2, name: "Branch" })
      .waitFor();
    // …and on the field its path names: the rule's condition field is marked invalid and reads
    // out the message; the missing else path is said in the panel too.
    const inspector = page.getByRole("complementary", { name: "Settings of the selection" });
    const invalidField = inspector.locator('[aria-invalid="true"]').first();
    await invalidField.waitFor();
    const describedBy = (await invalidField.getAttribute("aria-describedby")) ?? "";
    const described = await Promise.all(
      describedBy
        .split(" ")
        .filter(Boolean)
        .map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    expect(described.join(" ")).toContain("shoe_size");
    expect(await inspector.textContent()).toContain("a branch needs an else path");
    await page.waitForTimeout(300);
    await page.screenshot({ path: "/tmp/builder-save.png", fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // Fixed: the field leads have, and an else path.
    const fixed = invalid("route-hot-leads");
    fixed.steps.hot = {
      ...fixed.steps.hot,
      rules: [{ when: { field: "score", op: "gt", value: 40 }, next: "done", label: "Hot" }],
      else: "done",
    } as never;
    await toolbar(page).getByRole("button", { name: "JSON" }).click();
    await json(page).fill(JSON.stringify(fixed, null, 2));
    // Leaving before the edit is saved asks first; staying keeps the edit, which then saves.
    const asked = new Promise<string>((resolve) =>
      page.once("dialog", (d) => {
        resolve(d.message());
        void d.dismiss();
      }),
    );
    await page.getByRole("link", { name: "Workflows", exact: true }).first().click();
    expect(await asked).toBe("Some edits are not saved yet. Leave the builder anyway?");
    expect(page.url()).toMatch(/\/edit$/);
    await toolbar(page).getByRole("button", { name: "0 problems", exact: true }).waitFor();
    await page.getByText(/^Draft v1 saved \d/).waitFor();
    expect(await publish.isDisabled()).toBe(false);

    // Publish asks for the note; without one it says why it needs it.
    await publish.click();
    const dialog = page.getByRole("dialog", { name: "Publish version 1" });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Publish", exact: true }).click();
    await dialog.getByText("Say what changed and why").waitFor();
    const note = "First version: hot leads (score over 40) go to a rep at once.";
    await dialog.getByLabel("What changed and why").fill(note);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "builder-publish");
    await dialog.getByRole("button", { name: "Publish", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByText(/^Published v1 at .*: it is live now\.$/).waitFor();

    // The history, in the builder and on the workflow's page, with the note.
    await toolbar(page).getByRole("button", { name: "Versions" }).click();
    const versions = page.getByRole("dialog", { name: "Versions of Route hot leads" });
    await versions.getByRole("cell", { name: note }).waitFor();
    const row = await versions.getByRole("row").nth(1).getByRole("cell").allTextContents();
    expect(row[0]).toBe("v1 (live)");
    expect(row[1]).toBe("Published");
    expect(row[4]).toBe("Demo Admin");
    expect(row[5]).toBe(note);
    await versions.getByRole("button", { name: "Close" }).click();
    await page.getByRole("link", { name: "route-hot-leads" }).click();
    await page.getByRole("heading", { level: 1, name: "Route hot leads" }).waitFor();
    await page.getByRole("region", { name: "Versions" }).getByRole("cell", { name: note }).waitFor();
    const pageRow = await page.getByRole("region", { name: "Versions" }).getByRole("row").nth(1).getByRole("cell").allTextContents();
    expect(pageRow[0]).toBe("v1 (live)");
    expect(pageRow[5]).toBe(note);
    const stored = await demo("/api/v1/workflows/route-hot-leads");
    expect(stored.versions[0].definition).toEqual(fixed);
    expect(problems).toEqual([]);
  }, 90_000);

  for (const recipe of RECIPES) {
    it(`recipe ${recipe.key}: opens, round-trips through the JSON view unchanged, republishes unchanged`, async () => {
      const { page, problems } = await browser.page();
      const before = await demo(`/api/v1/workflows/${recipe.key}`);
      const latest = before.versions[0] as Json;
      // By its key, as a link from elsewhere may name it.
      await page.goto(`${s.url}/workflows/${recipe.key}/edit`);
      await page.getByRole("heading", { level: 1, name: before.name }).waitFor();
      await toolbar(page).getByRole("button", { name: "0 problems", exact: true }).waitFor();

      // text → parse → canvas → text: identical, and the recipe file's definition.
      await toolbar(page).getByRole("button", { name: "JSON" }).click();
      const text = await json(page).inputValue();
      expect(JSON.parse(text)).toEqual(JSON.parse(recipe.text));
      expect(text).toBe(JSON.stringify(JSON.parse(recipe.text), null, 2));
      await json(page).fill(text);
      await toolbar(page).getByRole("button", { name: "Canvas" }).click();
      await page.locator(".react-flow__node").first().waitFor();
      await toolbar(page).getByRole("button", { name: "JSON" }).click();
      expect(await json(page).inputValue()).toBe(text);

      // Republished unchanged: a new version whose definition equals the previous one's.
      await toolbar(page).getByRole("button", { name: "Publish…" }).click();
      const dialog = page.getByRole("dialog", { name: /^Publish version \d+$/ });
      // Date and inactivity triggers say how many records are already past their date (publish-preview).
      const backfills = ["relative_date", "inactivity"].includes(JSON.parse(recipe.text).trigger.type);
      const pastDate = dialog.getByRole("group", { name: "Records already past their date" });
      // The preview has answered once Publish is enabled (the draft saved, the count known).
      await expect.poll(() => dialog.getByRole("button", { name: "Publish", exact: true }).isEnabled()).toBe(true);
      expect(await pastDate.count()).toBe(backfills ? 1 : 0);
      await dialog.getByLabel("What changed and why").fill("Republished unchanged: checking the builder keeps everything.");
      await dialog.getByRole("button", { name: "Publish", exact: true }).click();
      await dialog.waitFor({ state: "hidden" });
      const expected = latest.state === "draft" ? latest.version : latest.version + 1;
      await page.getByText(new RegExp(`^Published v${expected} at .*: it is live now`)).waitFor();
      // The builder's history follows the publish.
      await toolbar(page).getByRole("button", { name: "Versions" }).click();
      const history = page.getByRole("dialog", { name: `Versions of ${before.name}` });
      await history.getByRole("cell", { name: `v${expected} (live)` }).waitFor();
      const after = await demo(`/api/v1/workflows/${recipe.key}`);
      expect(after.live_version).toBe(expected);
      expect(after.versions[0].definition).toEqual(latest.definition);
      expect(after.versions[0].note).toBe("Republished unchanged: checking the builder keeps everything.");
      expect(problems).toEqual([]);
      await page.close();
    }, 90_000);
  }

  it("a rep starts no workflow and changes none: no New workflow, the form refused, the builder read-only without Publish", async () => {
    const users = (await demo("/api/v1/users?limit=200")).data as Json[];
    const rep = users.find((u) => u.role === "rep" || u.data?.role === "rep") as Json;
    await browser.context.clearCookies();
    const { page, problems } = await browser.page();
    await signIn(page, s.url, (rep.email ?? rep.data?.email) as string, { path: "/workflows" });
    await page.getByRole("heading", { level: 1, name: "Workflows" }).waitFor();
    await page.getByRole("link", { name: "Speed to lead", exact: true }).waitFor();
    expect(await page.getByRole("link", { name: "New workflow" }).count()).toBe(0);
    await page.goto(`${s.url}/workflows/new`);
    await page.getByRole("heading", { name: "Only admins and managers can see this page" }).waitFor();
    await page.goto(`${s.url}/workflows/speed-to-lead/edit`);
    await page.getByRole("heading", { level: 1, name: "Speed to lead" }).waitFor();
    await toolbar(page).getByRole("button", { name: "JSON" }).click();
    expect(await json(page).getAttribute("readonly")).not.toBeNull();
    expect(await toolbar(page).getByRole("button", { name: "Publish…" }).count()).toBe(0);
    await toolbar(page).getByRole("button", { name: "Versions" }).click();
    await page.getByRole("dialog", { name: "Versions of Speed to lead" }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
