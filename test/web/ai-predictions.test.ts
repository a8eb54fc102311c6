/**
 * AI predictions in Chromium, on the seeded demo workspace with its worker running (issue 24;
 * docs/ai.md "Predictions on the record page"): the demo admin files new tickets through the web
 * app's form, as support does, and the live workflow "Classify and route new tickets" does the
 * rest while the record page is open —
 * - a refund ticket: the page shows the category billing (no reload), the AI predictions panel
 *   with the model, how sure it was and the words that decided it (as the API has them), and
 *   "Why this owner": the rule "Billing to finance support" that sent it to its person;
 * - a vague ticket: nothing written ("not written — unsure, below the threshold 60 %"), the
 *   category still empty, and the ticket in the Support triage queue;
 * - an invoice-download ticket the model files under billing, which the admin corrects to bug in
 *   the edit form: the panel says "Corrected by Demo Admin to “bug” on …", and the AI models page
 *   counts one more correction this week than before (read against the API's weekly figures).
 * Screenshots of each page; axe on the record page and the models page.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../../src/seed/demo.js";
import { DEMO_TICKET_MODEL, DEMO_TRIAGE_QUEUE } from "../../src/seed/demo-ai.js";
import { accessibilityViolations, openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;

const REFUND = {
  subject: "Refund for invoice 4411",
  description: "We were charged twice this month. Please refund the duplicate payment.",
};
const VAGUE = { subject: "Quick question", description: "Could someone call me back today?" };
const DOWNLOAD = {
  subject: "Invoice PDF will not download",
  description: "Clicking Download on the invoice page shows an error and nothing happens.",
};

/** "91 %", as the panel writes a confidence that is not at its threshold's rounding. */
const percent = (x: number) => `${Math.round(x * 100)} %`;

describe("AI predictions on the record page and corrections on the models page (demo workspace)", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let token: string;
  const demo = (path: string): Promise<Json> => s.json(path, { as: token });
  const thisWeek = async () =>
    ((await demo(`/api/v1/ai/models/${encodeURIComponent(DEMO_TICKET_MODEL)}/overrides?weeks=8`)).weeks as Json[]).at(-1) as Json;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t, {}, { worker: true });
    const { workspace } = await seedDemo(s.services, { recipes: false });
    token = (await s.services.tokens.create(workspace.id, "ai predictions test", "admin")).secret;
    browser = await openBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  let signedIn = false;
  /** A new tab, signed in as the demo admin (the browser keeps the session cookie after the first). */
  async function open() {
    const tab = await browser.page();
    if (!signedIn) await signIn(tab.page, s.url, DEMO_ADMIN_EMAIL);
    signedIn = true;
    return tab;
  }

  /** Files a ticket through the New ticket form as a person does; its id, from the record page it opens. */
  async function fileTicket(page: Page, ticket: { subject: string; description: string }): Promise<string> {
    await page.goto(`${s.url}/records/tickets`);
    await page.getByRole("link", { name: "New ticket" }).click();
    await page.getByRole("heading", { level: 1, name: "New ticket" }).waitFor();
    await page.getByLabel(/^Subject/).fill(ticket.subject);
    await page.getByLabel("Description").fill(ticket.description);
    await page.getByRole("button", { name: "Create ticket" }).click();
    await page.waitForURL(new RegExp(`${s.url}/records/tickets/[0-9a-z]{26}$`));
    await page.getByRole("heading", { level: 1, name: ticket.subject }).waitFor();
    return page.url().split("/").at(-1) as string;
  }

  /** The filled fields' definition list: the value shown for a label, or null when not filled. */
  const fieldShown = async (page: Page, label: string) => {
    const fields = page.getByRole("region", { name: "Fields" });
    const item = fields.locator("dl > div").filter({ has: page.locator("dt", { hasText: new RegExp(`^${label}\\s*$`) }) });
    return (await item.count()) === 0 ? null : item.locator("dd").textContent();
  };

  it("classifies a new ticket filed in the form, routes it by its category, and shows why on its page", async () => {
    const { page, problems } = await open();
    const id = await fileTicket(page, REFUND);

    // The workflow runs a moment after the save: the open page shows it without a reload.
    const panel = page.getByRole("region", { name: "AI predictions" });
    await panel.waitFor({ timeout: 20_000 });
    await expect.poll(() => fieldShown(page, "Category"), { timeout: 20_000 }).toBe("billing");
    const p = ((await demo(`/api/v1/tickets/${id}/predictions`)).data as Json[])[0] as Json;
    expect(p).toMatchObject({ model: DEMO_TICKET_MODEL, field: "category", value: "billing", applied: true, overridden: null });

    const item = panel.getByRole("listitem").filter({ has: page.getByRole("heading", { name: /^Category: “billing”/ }) });
    expect(await item.getByRole("heading").textContent()).toBe("Category: “billing”Written");
    expect(await item.getByRole("link", { name: DEMO_TICKET_MODEL }).getAttribute("href")).toBe("/ai");
    expect(await item.getByTestId("prediction-value").textContent()).toBe("“billing”, written into Category");
    expect(await item.getByTestId("prediction-confidence").textContent()).toBe(`${percent(p.confidence)} sure (writes from 60 %)`);
    const why = await item.getByRole("list", { name: "Why “billing”" }).getByRole("listitem").allTextContents();
    expect(why).toEqual(p.reasons.map((r: Json) => r.text));
    expect(why.join(" ")).toMatch(/"(invoice|refund|charged|payment)" in the (subject|description)/);
    expect(await item.locator("time").first().getAttribute("datetime")).toBe(p.created_at);
    expect(await item.getByRole("link", { name: /^the workflow run, step classify$/ }).getAttribute("href")).toBe(`/runs/${p.run_id}`);
    expect(await item.getByTestId("prediction-correction").count()).toBe(0);

    // Routed by the category: the rule set's billing rule, to its person — said on the page.
    const a = ((await demo(`/api/v1/routing/assignments?record_id=${id}`)).data as Json[])[0] as Json;
    expect(a).toMatchObject({ outcome: "assigned" });
    const ticket = await demo(`/api/v1/tickets/${id}`);
    expect(ticket.assignee_id).toBe(a.user_id);
    const whyOwner = page.getByRole("region", { name: "Why this owner" });
    await whyOwner.getByText(`Assigned to ${a.user_name}`, { exact: false }).first().waitFor({ timeout: 20_000 });
    expect(await whyOwner.textContent()).toContain("Billing to finance support");
    // The timeline's routing entry names the rule that matched, not the rule set's default target.
    await page
      .getByRole("list", { name: "Timeline, newest first" })
      .getByRole("button", { name: `Assigned to ${a.user_name} by rule “Billing to finance support” of Tickets by category`, exact: true })
      .waitFor();
    expect(await page.locator("header").getByRole("link", { name: a.user_name }).count()).toBe(1);
    await screenshot(page, "ai-predictions-classified");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it("leaves a vague ticket uncategorised in the Support triage queue, saying the model was unsure", async () => {
    const { page, problems } = await open();
    const id = await fileTicket(page, VAGUE);
    const panel = page.getByRole("region", { name: "AI predictions" });
    await panel.waitFor({ timeout: 20_000 });
    const p = ((await demo(`/api/v1/tickets/${id}/predictions`)).data as Json[])[0] as Json;
    expect(p).toMatchObject({ applied: false, threshold: 0.6 });
    expect(p.confidence).toBeLessThan(0.6);

    const item = panel.getByRole("listitem").first();
    expect(await item.getByRole("heading").textContent()).toBe(`Category: “${p.value}”Not written`);
    expect(await item.getByTestId("prediction-value").textContent()).toBe(
      `not written — unsure, below the threshold 60 % (it looked most like “${p.value}”)`,
    );
    expect(await item.getByTestId("prediction-confidence").textContent()).toBe(`${percent(p.confidence)} sure (writes from 60 %)`);
    expect(
      await item
        .getByRole("list", { name: `Why “${p.value}”` })
        .getByRole("listitem")
        .allTextContents(),
    ).toEqual(p.reasons.map((r: Json) => r.text));
    expect(await fieldShown(page, "Category")).toBeNull();
    expect(
      await page
        .getByRole("region", { name: "Fields" })
        .getByText(/^Not filled in:.*Category/)
        .count(),
    ).toBe(1);

    // In the triage queue, and the page says so.
    const queue = ((await demo("/api/v1/routing/queues")).data as Json[]).find((q) => q.name === DEMO_TRIAGE_QUEUE) as Json;
    const whyOwner = page.getByRole("region", { name: "Why this owner" });
    await whyOwner.getByText(`queue ${DEMO_TRIAGE_QUEUE}`, { exact: false }).first().waitFor({ timeout: 20_000 });
    const ticket = await demo(`/api/v1/tickets/${id}`);
    expect(ticket.category ?? null).toBeNull();
    expect(queue.members.map((m: Json) => m.user_id)).toContain(ticket.assignee_id);
    await screenshot(page, "ai-predictions-unsure");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it("a person's correction in the edit form shows on the panel and is counted on the AI models page", async () => {
    const { page, problems } = await open();
    const id = await fileTicket(page, DOWNLOAD);
    await expect.poll(() => fieldShown(page, "Category"), { timeout: 20_000 }).toBe("billing");
    const before = await thisWeek();

    await page.getByRole("link", { name: "Edit", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: /^Edit ticket/ }).waitFor();
    expect(await page.getByLabel("Category").inputValue()).toBe("billing");
    await page.getByLabel("Category").fill("bug");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(`${s.url}/records/tickets/${id}`);
    await expect.poll(() => fieldShown(page, "Category"), { timeout: 20_000 }).toBe("bug");

    const p = ((await demo(`/api/v1/tickets/${id}/predictions`)).data as Json[])[0] as Json;
    expect(p).toMatchObject({ value: "billing", applied: true, overridden: { value: "bug" } });
    const item = page.getByRole("region", { name: "AI predictions" }).getByRole("listitem").first();
    await item.getByRole("heading", { name: /^Category: “billing”\s*Corrected$/ }).waitFor();
    const correction = item.getByTestId("prediction-correction");
    expect(await correction.textContent()).toMatch(
      /^Corrected by Demo Admin to “bug” on .+\. The model learns from the corrected value when it is trained again\.$/,
    );
    expect(await correction.locator("time").getAttribute("datetime")).toBe(p.overridden.at);
    await screenshot(page, "ai-predictions-corrected");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Counted: this week's corrections on the models page, one more than before the edit.
    const after = await thisWeek();
    expect(after.overridden).toBe(before.overridden + 1);
    expect(after.applied).toBe(before.applied);
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "AI models" }).click();
    const card = page.getByRole("region", { name: DEMO_TICKET_MODEL });
    const rate = card.getByRole("region", { name: "How often people correct it" });
    const table = rate.getByRole("table", { name: `${DEMO_TICKET_MODEL}: corrections by week` });
    await table.waitFor();
    const rows = table.getByRole("row");
    expect(await rows.count()).toBe(1 + 8);
    const last = rows.last();
    expect(await last.locator("time").getAttribute("datetime")).toBe(after.week);
    const cells = await last.getByRole("cell").allTextContents();
    expect(cells.slice(0, 2)).toEqual([String(after.applied), String(after.overridden)]);
    expect(cells[2]).toBe(`${(after.rate * 100).toLocaleString("en", { maximumFractionDigits: 1 })} %`);
    const weeks = (await demo(`/api/v1/ai/models/${encodeURIComponent(DEMO_TICKET_MODEL)}/overrides?weeks=8`)).weeks as Json[];
    const written = weeks.reduce((n, w) => n + w.applied, 0);
    const corrected = weeks.reduce((n, w) => n + w.overridden, 0);
    expect(await rate.getByTestId("override-summary").textContent()).toBe(
      `In the last 8 weeks it wrote the category of ${written} tickets; people changed ${corrected} of them afterwards (${(
        (corrected / written) * 100
      ).toLocaleString("en", { maximumFractionDigits: 1 })} %).`,
    );
    await rate.scrollIntoViewIfNeeded();
    await screenshot(page, "ai-predictions-override-rate");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
