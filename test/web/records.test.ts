/**
 * The records pages in Chromium, over the seeded demo workspace, as its admin uses them: finding
 * leads with filters (AND, OR, an empty result), sorting by a column and walking pages, choosing
 * columns (remembered after a reload), the narrow window of 200 % zoom; creating a lead through
 * the generated form with a wrong email, reading the server's message next to the field, fixing
 * it and landing on the record's URL; an edit that someone else overtook (412) and its reload;
 * exporting the filtered list as CSV and importing a file with one bad line. Each step is checked
 * against the API, saved as a screenshot and run through axe.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, seedDemo } from "../../src/seed/demo.js";
import { accessibilityViolations, openBrowser, screenshot, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;

describe("records: lists, forms and CSV in Chromium (demo workspace)", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let token: string;
  let dir: string;
  const demo = async (path: string, init: RequestInit & { json?: unknown } = {}) => s.api(path, { ...init, as: token });
  const leadsWhere = async (...where: string[]): Promise<Json[]> =>
    ((await (await demo(`/api/v1/leads?limit=500&${where.map((w) => `where=${encodeURIComponent(w)}`).join("&")}`)).json()) as Json).data;
  const nameOf = (l: Json) => [l.first_name, l.last_name].filter(Boolean).join(" ");

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const { workspace } = await seedDemo(s.services, { recipes: false });
    token = (await s.services.tokens.create(workspace.id, "records browser test", "admin")).secret;
    dir = mkdtempSync(join(tmpdir(), "handoff-records-"));
    browser = await openBrowser();
    // One sign-in for the whole file: the pages share the browser's cookie.
    const { page } = await browser.page();
    await page.goto(`${s.url}/sign-in`);
    await page.getByLabel("Email").fill(DEMO_ADMIN_EMAIL);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: /^Welcome/ }).waitFor();
    await page.close();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const table = (page: Page) => page.getByRole("table", { name: /^Leads, page/ });
  const rowNames = async (page: Page) => table(page).locator("tbody th[scope=row]").allTextContents();
  /** The cells of one column, by its header's position. */
  const column = async (page: Page, header: string) => {
    const headers = await table(page).locator("thead th").allTextContents();
    const index = headers.findIndex((h) => h.startsWith(header));
    expect(index, `column ${header} in ${headers.join(", ")}`).toBeGreaterThanOrEqual(0);
    return table(page)
      .locator(`tbody tr > :nth-child(${index + 1})`)
      .allTextContents();
  };
  const addFilter = async (page: Page, n: number, field: string, op: string, value: string) => {
    await page.getByRole("button", { name: "Add filter" }).click();
    await page.getByLabel(`Filter ${n} field`).selectOption({ label: field });
    await page.getByLabel(`Filter ${n} operator`).selectOption({ label: op });
    const input = page.getByLabel(`Filter ${n} value`);
    if ((await input.evaluate((e) => e.tagName)) === "SELECT") await input.selectOption(value);
    else await input.fill(value);
  };

  it("finds leads by filter (score > 40 and status new), with OR and an empty result, and opens one", async () => {
    const { page, problems } = await browser.page();
    await page.goto(`${s.url}/records`);
    await page.getByRole("link", { name: "Leads" }).click();
    await page.waitForURL(`${s.url}/records/leads`);
    await page.getByRole("heading", { level: 1, name: "Leads" }).waitFor();
    await table(page).waitFor();

    const expected = (await leadsWhere("score:gt:40", "status:eq:new")).map(nameOf);
    expect(expected.length).toBeGreaterThan(0);
    await addFilter(page, 1, "Score", "is greater than", "40");
    await addFilter(page, 2, "Status", "is", "new");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => rowNames(page)).toEqual(expected);
    // The filters are in the address: a shared link or a reload shows the same list.
    expect(decodeURIComponent(page.url())).toContain('"field":"score","op":"gt","value":"40"');
    await page.reload();
    await expect.poll(() => rowNames(page)).toEqual(expected);
    expect(await page.getByLabel("Filter 2 value").inputValue()).toBe("new");
    await screenshot(page, "records-leads-filtered");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Any (OR): the first page is the API's first page of the OR filter.
    await page.getByLabel("any filter (OR)").check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    const or = {
      or: [
        { field: "score", op: "gt", value: 40 },
        { field: "status", op: "eq", value: "new" },
      ],
    };
    const orPage = ((await (await demo(`/api/v1/leads?limit=25&filter=${encodeURIComponent(JSON.stringify(or))}`)).json()) as Json)
      .data as Json[];
    expect(orPage.length).toBeGreaterThan(expected.length);
    await expect.poll(() => rowNames(page)).toEqual(orPage.map(nameOf));

    // The search box: words found in names and emails, ANDed with nothing else once filters are cleared.
    await page.getByRole("button", { name: "Clear filters" }).first().click();
    await page.getByLabel("Search leads").fill("lead6.example");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    const searched = (await leadsWhere("email:contains:lead6.example")).map(nameOf);
    expect(searched).toHaveLength(1);
    await expect.poll(() => rowNames(page)).toEqual(searched);
    expect(new URL(page.url()).searchParams.get("q")).toBe("lead6.example");
    await page.goBack();
    await page.goBack();
    await expect.poll(() => rowNames(page)).toEqual(orPage.map(nameOf));

    // Nothing matches: the empty state says so and clears.
    await page.getByLabel("all filters (AND)").check();
    await page.getByLabel("Filter 1 value").fill("100");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByRole("heading", { name: "No leads match these filters — clear filters" }).waitFor();
    await screenshot(page, "records-leads-empty");
    expect(await accessibilityViolations(page)).toEqual([]);
    // Back returns to the previous list.
    await page.goBack();
    await expect.poll(() => rowNames(page)).toEqual(orPage.map(nameOf));
    await page.goBack();
    await expect.poll(() => rowNames(page)).toEqual(expected);

    // The name of a row opens its record.
    const first = (await leadsWhere("score:gt:40", "status:eq:new"))[0] as Json;
    await table(page)
      .getByRole("link", { name: nameOf(first) })
      .first()
      .click();
    await page.waitForURL(`${s.url}/records/leads/${first.id}`);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("sorts by a column header, walks pages with the cursor, remembers the chosen columns, and scrolls the table at 200 % zoom", async () => {
    const { page, problems } = await browser.page();
    await page.goto(`${s.url}/records/leads`);
    await table(page).waitFor();

    const scoreHeader = table(page).locator("thead th", { hasText: "Score" });
    expect(await scoreHeader.getAttribute("aria-sort")).toBe("none");
    await scoreHeader.getByRole("button").click();
    await expect.poll(() => scoreHeader.getAttribute("aria-sort")).toBe("ascending");
    // The scores in order, as the API sorts every lead (more than one page of 500 since the demo's closed-lead history).
    const scores = async (sort: string) =>
      (((await (await demo(`/api/v1/leads?limit=50&sort=${sort}`)).json()) as Json).data as Json[]).map((l) => l.score as number);
    const ascending = await scores("score");
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    await expect.poll(async () => (await column(page, "Score")).map(Number)).toEqual(ascending.slice(0, 25));
    // Keyboard: the header button answers Enter.
    await scoreHeader.getByRole("button").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => scoreHeader.getAttribute("aria-sort")).toBe("descending");
    const descending = await scores("-score");
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    await expect.poll(async () => (await column(page, "Score")).map(Number)).toEqual(descending.slice(0, 25));
    expect(new URL(page.url()).searchParams.get("sort")).toBe("-score");

    // Pages: Next follows the API's cursor, in the same order; Previous and Back return.
    const firstPage = await rowNames(page);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByText(/^Page 2: 25 leads/).waitFor();
    await expect.poll(async () => (await column(page, "Score")).map(Number)).toEqual(descending.slice(25, 50));
    expect(await rowNames(page)).not.toEqual(firstPage);
    await page.getByRole("button", { name: "Previous" }).click();
    await page.getByText(/^Page 1: 25 leads/).waitFor();
    expect(await rowNames(page)).toEqual(firstPage);
    await screenshot(page, "records-leads-sorted");

    // Columns: a menu of checkboxes; the choice survives a reload.
    await page.getByRole("button", { name: /^Columns/ }).click();
    const country = page.getByRole("menuitemcheckbox", { name: "Country (ISO 3166 alpha-2)" });
    expect(await country.getAttribute("aria-checked")).toBe("false");
    await country.click();
    await page.getByRole("menuitemcheckbox", { name: "Email", exact: true }).click();
    expect(await country.getAttribute("aria-checked")).toBe("true");
    await screenshot(page, "records-leads-columns-menu");
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await page.reload();
    await table(page).waitFor();
    const headers = await table(page).locator("thead th").allTextContents();
    expect(headers.some((h) => h.startsWith("Country"))).toBe(true);
    expect(headers.some((h) => h.startsWith("Email"))).toBe(false);
    // Still sorted by score, descending: the countries of the API's first page in that order.
    const byScore = ((await (await demo("/api/v1/leads?limit=25&sort=-score")).json()) as Json).data as Json[];
    expect(await column(page, "Country")).toEqual(byScore.map((l) => l.country ?? ""));
    // By keyboard: Enter opens the menu on its first box, Space ticks it, Escape closes it.
    await page.getByRole("button", { name: /^Columns/ }).focus();
    await page.keyboard.press("Enter");
    const firstName = page.getByRole("menuitemcheckbox", { name: "First name" });
    await expect.poll(() => firstName.evaluate((e) => e === document.activeElement)).toBe(true);
    await page.keyboard.press("Space");
    await expect.poll(() => firstName.getAttribute("aria-checked")).toBe("true");
    await page.keyboard.press("Escape");
    await expect
      .poll(async () => (await table(page).locator("thead th").allTextContents()).some((h) => h.startsWith("First name")))
      .toBe(true);

    // 200 % zoom on a 1280-pixel screen is a 640-pixel window: the table scrolls in its frame, not the page.
    await page.setViewportSize({ width: 640, height: 800 });
    await table(page).waitFor();
    const widths = await page.evaluate(() => {
      const frame = document.querySelector('[role="region"]') as HTMLElement;
      return {
        page: document.documentElement.scrollWidth,
        window: window.innerWidth,
        frame: frame.scrollWidth,
        frameBox: frame.clientWidth,
      };
    });
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll("body *")]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('[role="region"]'))
        .slice(0, 8)
        .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
    );
    expect(widths.page, wide.join("; ")).toBeLessThanOrEqual(widths.window);
    expect(widths.frame).toBeGreaterThan(widths.frameBox);
    await screenshot(page, "records-leads-narrow");
    expect(await accessibilityViolations(page)).toEqual([]);

    // A value the field cannot take: the API's 400 is shown above the table, naming the value.
    await page.setViewportSize({ width: 1280, height: 800 });
    await addFilter(page, 1, "Score", "is greater than", "lots");
    await page.getByRole("button", { name: "Apply filters" }).click();
    const refusal = page.getByRole("alert").filter({ hasText: "These filters cannot be used" });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/Score: .*integer.*“lots”/);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("creates a lead through the form: a wrong email is named next to its field, what was typed stays, the fix saves and opens the record", async () => {
    const { page, problems } = await browser.page();
    await page.goto(`${s.url}/records/leads`);
    await page.getByRole("link", { name: "New lead" }).click();
    await page.waitForURL(`${s.url}/records/leads/new`);
    await page.getByRole("heading", { level: 1, name: "New lead" }).waitFor();
    expect(await page.getByText("Last name (required)").count()).toBe(1);

    await page.getByLabel("First name").fill("Grace");
    await page.getByLabel(/^Last name/).fill("Hopper");
    await page.getByLabel("Email", { exact: true }).fill("grace.hopper@");
    await page.getByLabel("Company name").fill("Navy Labs");
    await page.getByLabel("Score", { exact: true }).fill("77");
    await page.getByLabel("Status", { exact: true }).selectOption({ label: "Working" });
    // The workspace's custom field is in the form too.
    expect(await page.getByText("(custom field)").count()).toBeGreaterThan(0);
    // A reference found by name: the owner's id goes into the input and the name shows under it.
    const [rep] = ((await (await demo("/api/v1/users?where=role:eq:rep&limit=1")).json()) as Json).data as Json[];
    await page.getByText(/^Find a user by name/).click();
    await page.getByLabel("Find owner", { exact: true }).fill(rep?.name);
    await page.getByRole("button", { name: "Find", exact: true }).click();
    await page
      .getByRole("list", { name: "Matches for owner" })
      .getByRole("button", { name: new RegExp(`^${rep?.name}`) })
      .click();
    expect(await page.getByLabel(/^Owner/).inputValue()).toBe(rep?.id);
    await page.getByTestId("reference-owner_id").getByText(`${rep?.name} · User`).waitFor();
    const refused = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/api/v1/leads"));
    await page.getByRole("button", { name: "Create lead" }).click();
    expect((await refused).status()).toBe(422);

    const email = page.getByLabel("Email", { exact: true });
    await expect.poll(() => email.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await email.getAttribute("aria-describedby")) ?? "";
    const message = await page.locator(`[id="${describedBy.split(" ").at(-1)}"]`).textContent();
    expect(message).toMatch(/email/i);
    expect(await page.getByRole("alert").textContent()).toContain("Email");
    expect(await page.getByLabel("First name").getAttribute("aria-invalid")).toBeNull();
    expect(await page.getByLabel("First name").inputValue()).toBe("Grace");
    expect(await page.getByLabel("Score", { exact: true }).inputValue()).toBe("77");
    expect(await leadsWhere("company_name:eq:Navy Labs")).toHaveLength(0);
    await screenshot(page, "records-lead-form-error");
    expect(await accessibilityViolations(page)).toEqual([]);

    await email.fill("grace.hopper@navy.example.com");
    const saved = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/api/v1/leads"));
    await page.getByRole("button", { name: "Create lead" }).click();
    const answer = await saved;
    expect(answer.status(), await answer.text()).toBe(201);
    await page.waitForURL(new RegExp(`${s.url}/records/leads/[0-9a-z]{26}$`));
    const [lead] = await leadsWhere("email:eq:grace.hopper@navy.example.com");
    expect(lead).toMatchObject({
      first_name: "Grace",
      last_name: "Hopper",
      company_name: "Navy Labs",
      score: 77,
      status: "working",
      owner_id: rep?.id,
    });
    expect(page.url()).toBe(`${s.url}/records/leads/${lead?.id}`);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("an edit overtaken by another change (412) says so, keeps what was typed in view, and reloads their version", async () => {
    const [lead] = await leadsWhere("status:eq:qualified");
    const id = lead?.id as string;
    const { page, problems } = await browser.page();
    await page.goto(`${s.url}/records/leads/${id}/edit`);
    await page.getByRole("heading", { level: 1, name: /^Edit lead/ }).waitFor();
    expect(await page.getByLabel("Job title").inputValue()).toBe(lead?.title ?? "");

    // Someone else saves while the form is open.
    const other = await demo(`/api/v1/leads/${id}`, { method: "PATCH", json: { title: "Chief Pirate" } });
    expect(other.status).toBe(200);

    await page.getByLabel("Company name").fill("Mine Ltd");
    const refused = page.waitForResponse((r) => r.request().method() === "PATCH");
    await page.getByRole("button", { name: "Save changes" }).click();
    const response = await refused;
    expect(response.status()).toBe(412);
    expect(response.request().headers()["if-match"]).toBe(`"${lead?.version}"`);
    const alert = page.getByRole("alert");
    await alert.getByText("Someone else changed this record since you opened it.").waitFor();
    expect(await alert.textContent()).toContain("Mine Ltd");
    expect(await page.getByLabel("Company name").inputValue()).toBe("Mine Ltd");
    expect(((await (await demo(`/api/v1/leads/${id}`)).json()) as Json).company_name).toBe(lead?.company_name);
    await screenshot(page, "records-lead-edit-conflict");
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Reload their version" }).click();
    await expect.poll(() => page.getByLabel("Job title").inputValue()).toBe("Chief Pirate");
    expect(await page.getByLabel("Company name").inputValue()).toBe(lead?.company_name ?? "");
    expect(await page.getByRole("alert").count()).toBe(0);
    await page.getByLabel("Company name").fill("Mine Ltd");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(`${s.url}/records/leads/${id}`);
    expect((await (await demo(`/api/v1/leads/${id}`)).json()) as Json).toMatchObject({ title: "Chief Pirate", company_name: "Mine Ltd" });
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("exports the filtered list as CSV and imports a file: one bad line imports nothing and is listed; the fixed file creates the leads", async () => {
    const { page, problems } = await browser.page();
    await page.goto(`${s.url}/records/leads`);
    await table(page).waitFor();
    await addFilter(page, 1, "Score", "is greater than", "40");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByText(/leads matching/).waitFor();
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV (filtered)" }).click();
    const file = join(dir, "export.csv");
    await (await download).saveAs(file);
    const lines = readFileSync(file, "utf8").trim().split("\n");
    const matching = await leadsWhere("score:gt:40");
    expect(lines[0]?.split(",").slice(0, 3)).toEqual(["id", "created_at", "updated_at"]);
    expect(lines).toHaveLength(matching.length + 1);
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(matching.map((l) => l.id));

    const bad = join(dir, "leads-bad.csv");
    writeFileSync(
      bad,
      "first_name,last_name,email,status\nAda,Lovelace,ada@engine.example,new\nAlan,Turing,not-an-email,new\nKatherine,Johnson,kj@nasa.example,new\n",
    );
    await page.getByLabel("CSV file").setInputFiles(bad);
    await page.getByRole("button", { name: "Import" }).click();
    const result = page.getByRole("alert").filter({ hasText: "Nothing was imported" });
    await result.waitFor();
    const rows = await result.getByRole("row").allTextContents();
    expect(rows[1]).toMatch(/^3email.*email/);
    expect(await result.textContent()).toContain("3 lines read · 0 created · 0 updated · 1 failed");
    expect(await leadsWhere("last_name:eq:Lovelace")).toHaveLength(0);
    await screenshot(page, "records-import-refused");
    expect(await accessibilityViolations(page)).toEqual([]);

    const good = join(dir, "leads-good.csv");
    writeFileSync(good, readFileSync(bad, "utf8").replace("not-an-email", "alan@bletchley.example"));
    await page.getByLabel("CSV file").setInputFiles(good);
    await page.getByRole("button", { name: "Import" }).click();
    await page.getByRole("status").filter({ hasText: "Created 3 leads." }).waitFor();
    expect(await page.getByRole("status").textContent()).toContain("3 lines read · 3 created · 0 updated · 0 failed");
    expect((await leadsWhere("last_name:in:Lovelace,Turing,Johnson")).map(nameOf).sort()).toEqual([
      "Ada Lovelace",
      "Alan Turing",
      "Katherine Johnson",
    ]);
    await screenshot(page, "records-import-done");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("every object has its list and its form, each passing the accessibility check", async () => {
    const { page, problems } = await browser.page();
    const objects = ((await (await demo("/api/v1/objects")).json()) as Json).data as Json[];
    for (const o of objects) {
      await page.goto(`${s.url}/records`);
      const title = (o.plural as string).charAt(0).toUpperCase() + (o.plural as string).slice(1);
      await page.getByRole("link", { name: title, exact: true }).click();
      await page.getByRole("heading", { level: 1, name: title }).waitFor();
      await page.getByRole("table", { name: new RegExp(`^${title}, page 1`) }).waitFor();
      expect(await accessibilityViolations(page), `${o.plural} list`).toEqual([]);
      await page.getByRole("link", { name: `New ${(o.label as string).toLowerCase()}` }).click();
      await page.getByRole("heading", { level: 1, name: `New ${(o.label as string).toLowerCase()}` }).waitFor();
      // Every field a person fills in has a labelled input.
      for (const f of (o.fields as Json[]).filter((x) => !x.managed)) {
        expect(await page.locator(`#field-${f.name}`).count(), `${o.name}.${f.name}`).toBe(1);
        expect(await page.locator(`label[for="field-${f.name}"]`).count(), `${o.name}.${f.name} label`).toBe(1);
      }
      expect(await accessibilityViolations(page), `${o.plural} form`).toEqual([]);
    }
    await screenshot(page, "records-new-last-object");
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it("a rep sees no import or export, and creating a user shows the API's refusal as a clear message", async () => {
    const [rep] = ((await (await demo("/api/v1/users?where=role:eq:rep&limit=1")).json()) as Json).data as Json[];
    const repBrowser = await openBrowser();
    try {
      const { page, problems } = await repBrowser.page();
      await page.goto(`${s.url}/sign-in`);
      await page.getByLabel("Email").fill(rep?.email);
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { level: 1, name: /^Welcome/ }).waitFor();
      await page.goto(`${s.url}/records/leads`);
      await table(page).waitFor();
      expect(await page.getByRole("link", { name: /^Export CSV/ }).count()).toBe(0);
      expect(await page.getByRole("heading", { name: /^Import leads/ }).count()).toBe(0);
      // The API refuses the export to a rep too, whatever the page shows.
      const refusedExport = await page.evaluate(async () => (await fetch("/api/v1/leads/export.csv")).status);
      expect(refusedExport).toBe(404);

      await page.goto(`${s.url}/records/users/new`);
      await page.getByRole("heading", { level: 1, name: "New user" }).waitFor();
      await page.getByLabel(/^Name/).fill("Sneaky Admin");
      await page.getByLabel(/^Email/).fill("sneaky@demo.example");
      await page.getByLabel(/^Role/).selectOption("admin");
      await page.getByRole("button", { name: "Create user" }).click();
      const alert = page.getByRole("alert");
      await alert.waitFor();
      expect(await alert.textContent()).toContain("Your role may not allow this change");
      expect(await page.getByLabel(/^Name/).inputValue()).toBe("Sneaky Admin");
      expect(((await (await demo("/api/v1/users?where=email:eq:sneaky@demo.example")).json()) as Json).data).toHaveLength(0);
      await screenshot(page, "records-rep-refused");
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await repBrowser.close();
    }
  }, 90_000);
});
