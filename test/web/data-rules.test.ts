/**
 * The Data rules page in Chromium, as the demo admin uses it (issue 20): the list shows the seed's
 * gates and warn rule with why each exists, and the phone formats; the admin creates the gate
 * "Closing a deal needs an amount" through the form (field that moves, the value it guards, what
 * the move needs, the message and where it is shown), a first try without a message refused with
 * the server's problem next to the Message box; then a deal's edit form that moves the deal
 * to Closed won without an amount is refused, the gate's message next to the Amount field, and
 * the deal is not changed. A rep reads the rules and gates in words, with no control to change them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../../src/seed/demo.js";
import { accessibilityViolations, openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

const GATE = "Closing a deal needs an amount";
const MESSAGE = "Enter the deal's amount before marking it won.";

describe("the Data rules page in Chromium (demo workspace)", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let dealId: string;
  let ctx: ReturnType<typeof systemContext>;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const demo = await seedDemo(s.services);
    ctx = systemContext(demo.workspace.id, "test");
    const [deal] = await s.services.writer.createMany(ctx, "deal", [{ name: "Umbrella — pilot", stage: "negotiation" }], { max: 1 });
    dealId = String(deal?.id);
    browser = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  it("lists the seeded gates, creates a gate, and a save that breaks it is refused next to the field", async () => {
    const { page } = await browser.page();
    await signIn(page, s.url, DEMO_ADMIN_EMAIL);
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Data rules" }).click();
    await page.getByRole("heading", { level: 1, name: "Data rules" }).waitFor();
    const table = page.getByRole("table", { name: "Data rules" });
    const proposal = table.getByRole("row").filter({ hasText: "Proposal needs budget confirmation" });
    await proposal.waitFor();
    expect(await proposal.textContent()).toContain("Stage gate");
    expect(await proposal.textContent()).toContain("Refused");
    expect(await proposal.textContent()).toContain("confirmed the budget");
    expect(await table.getByRole("row").filter({ hasText: "Closing a ticket needs a resolution" }).count()).toBe(1);
    const warn = table.getByRole("row").filter({ hasText: "Won deals carry an amount" });
    expect(await warn.textContent()).toContain("Saved, queued for review");
    const formats = page.getByRole("table", { name: "Phone formats" });
    await formats.getByRole("row").nth(1).waitFor();
    await screenshot(page, "data-rules");
    expect(await accessibilityViolations(page)).toEqual([]);

    // A new gate, through the form: keyboard-reachable controls found by their labels.
    await page.getByRole("link", { name: "New rule or gate" }).click();
    await page.getByRole("heading", { level: 1, name: "New data rule" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill(GATE);
    await page.getByLabel("Why this rule exists").fill("Revenue is counted from won deals; one without an amount is invisible.");
    await page.getByLabel("Records of").selectOption("deal");
    await page.getByLabel(/^Stage gate/).check();
    await page.getByLabel("Field that moves").selectOption("stage");
    await page.getByRole("group", { name: "Moving to" }).getByLabel("Closed won").check();
    await page.getByRole("group", { name: "The move needs…" }).getByRole("button", { name: "Add a condition" }).click();
    await page.getByLabel("About").selectOption({ label: "Amount" });
    await page.getByLabel("Comparison").selectOption("is_set");
    // Without a message the server refuses it: the problem is shown next to the Message box, and nothing typed is lost.
    await page.getByRole("button", { name: "Create rule" }).click();
    await page.getByRole("alert").filter({ hasText: "Not saved" }).waitFor();
    const message = page.getByLabel("Message");
    expect(await message.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#f-message-error").textContent()).not.toBe("");
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe(GATE);
    await screenshot(page, "data-rule-problem");
    await message.fill(MESSAGE);
    await page.getByLabel("Shown next to").selectOption("amount");
    await screenshot(page, "data-rule-new");
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Create rule" }).click();
    await page.getByRole("heading", { level: 1, name: "Data rules" }).waitFor();
    const created = table.getByRole("row").filter({ hasText: GATE });
    await created.waitFor();
    expect(await created.textContent()).toContain("Stage gate");

    // Phone formats: Contact phone set to warn, kept after a reload.
    const contactPhone = page.getByLabel("Contact Phone: a number that does not normalise");
    await contactPhone.selectOption("warn");
    await expect.poll(() => contactPhone.isEnabled()).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByLabel("Contact Phone: a number that does not normalise").inputValue()).toBe("warn");

    // Editing a seeded gate over its version: the why changes, the version moves on.
    await page.getByRole("link", { name: "Proposal needs budget confirmation" }).click();
    await page.getByRole("heading", { level: 1, name: "Stage gate: Proposal needs budget confirmation" }).waitFor();
    expect(await page.getByLabel("Field that moves").inputValue()).toBe("stage");
    expect(await page.getByRole("group", { name: "Moving to" }).getByLabel("Proposal").isChecked()).toBe(true);
    await page.getByLabel("Why this rule exists").fill("Finance prices proposals against a confirmed budget.");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText(/^Version 2\./).waitFor();
    await page.getByRole("link", { name: "Data rules" }).click();
    await table.getByRole("row").filter({ hasText: "Finance prices proposals against a confirmed budget." }).waitFor();

    // The gate at work: moving the deal to Closed won without an amount is refused on the Amount field.
    await page.goto(`${s.url}/records/deals/${dealId}/edit`);
    await page.getByRole("heading", { level: 1, name: /^Edit deal/ }).waitFor();
    await page.getByLabel(/^Stage( \(required\))?$/).selectOption("closed_won");
    await page.getByRole("button", { name: "Save changes" }).click();
    const amount = page.getByLabel(/^Amount( \(required\))?$/);
    await expect.poll(() => amount.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await amount.getAttribute("aria-describedby")) ?? "";
    const errorId = describedBy.split(" ").find((id) => id.endsWith("error")) ?? "";
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toContain(MESSAGE);
    await screenshot(page, "data-rule-refused");
    expect(page.url()).toBe(`${s.url}/records/deals/${dealId}/edit`);
    expect((await s.services.records.get(ctx, "deal", dealId)).record.data.stage).toBe("negotiation");
  }, 120_000);

  it("shows a rep the rules in words, with no control to change them", async () => {
    await browser.context.clearCookies();
    const { page } = await browser.page();
    await signIn(page, s.url, "rep1@demo.handoff.test", { path: "/data-quality/rules" });
    await page.getByRole("heading", { level: 1, name: "Data rules" }).waitFor();
    await page.getByText("Only admins change data rules; you can read them here.").waitFor();
    expect(await page.getByRole("link", { name: "New rule or gate" }).count()).toBe(0);
    expect(await page.getByRole("switch").count()).toBe(0);
    expect(await page.getByRole("table", { name: "Phone formats" }).getByRole("combobox").count()).toBe(0);
    await page.getByRole("link", { name: "Proposal needs budget confirmation" }).click();
    await page.getByRole("heading", { level: 1, name: "Stage gate: Proposal needs budget confirmation" }).waitFor();
    expect(await page.getByRole("textbox").count()).toBe(0);
    expect(await page.locator("dl").textContent()).toContain("Confirm the budget with the customer");
    await page.goto(`${s.url}/data-quality/rules/new`);
    await page.getByRole("heading", { name: "Only admins can see this page" }).waitFor();
  }, 60_000);
});
