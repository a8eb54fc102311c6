/**
 * Business calendars in Chromium (issue 17), as RevOps admins use them on a fresh workspace:
 * - the empty list explains what a calendar is for; a calendar with split hours (09:00–12:30 and
 *   13:30–18:00 in Paris), French public holidays and an own closed date is created, and the live
 *   preview shows the right days — the split hours on a weekday, the weekend closed, the closed
 *   date named — before it is saved;
 * - a bad edit (spans that overlap, a span that ends before it starts) shows the server's message
 *   by the span it names, and nothing is saved;
 * - two admins edit the same calendar: the second save is refused (412) and "Reload their
 *   version" shows the first admin's change;
 * - a team's calendar is set through the team form's select; the list then says who uses it, and
 *   deleting the calendar is refused with the team named;
 * - in the builder, a wait becomes 4 business hours on the owner's calendar (zero first: the
 *   server's problem by the field), is published, and the node says so in words.
 * The API sets up what a person could not do here (the people, the team, a draft workflow) and
 * checks what was saved. The docs' screenshots are written only when HANDOFF_DOCS_SCREENSHOTS=1.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, openBrowser, SCREENSHOTS, screenshot, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;
const PASSWORD = "calendars-test-password-1";
const DOCS_SCREENSHOTS = process.env.HANDOFF_DOCS_SCREENSHOTS
  ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url))
  : `${SCREENSHOTS}/`;

const WAIT = {
  key: "follow-up-new-leads",
  name: "Follow up new leads",
  description: "A rep calls every new lead; we wait a little before the task so the lead can read our first email.",
  object: "lead",
  trigger: { type: "record_created" },
  start: "wait",
  steps: {
    wait: { type: "delay", duration: { hours: 1 }, next: "call" },
    call: { type: "action", action: { type: "create_task", subject: "Call the lead", priority: "P2" }, next: "done" },
    done: { type: "end" },
  },
};

/** A date in Paris, `days` from now: "2026-12-09" and its words as the preview writes them ("Wed 9 Dec"). */
function parisDate(days: number) {
  const at = new Date(Date.now() + days * 86_400_000);
  const iso = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
  const words = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" }).format(
    new Date(`${iso}T12:00:00Z`),
  );
  const weekday = new Date(`${iso}T12:00:00Z`).getUTCDay();
  return { iso, words, weekday };
}

describe("business calendars in Chromium", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let second: TestBrowser;
  let team: Json;
  let workflowId: string;
  let calendarId: string;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    for (const [name, role] of [
      ["Ada", "admin"],
      ["Bea", "admin"],
    ] as const) {
      const u = await s.post("/api/v1/users", { name, email: `${name.toLowerCase()}@calendars.test`, role, time_zone: "Europe/Paris" });
      await s.json(`/api/v1/users/${u.id}/password`, { method: "PUT", json: { password: PASSWORD } });
    }
    team = await s.post("/api/v1/teams", { name: "EMEA" });
    workflowId = (await s.post("/api/v1/workflows", { definition: WAIT })).id;
    browser = await openBrowser();
    second = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await second?.close();
    await s?.close();
    await t?.dispose();
  });

  const signIn = async (page: Page, who: string, path: string) => {
    await page.goto(`${s.url}/sign-in?redirect=${encodeURIComponent(path)}`);
    await page.getByLabel("Email").fill(`${who.toLowerCase()}@calendars.test`);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${s.url}${path}`);
  };
  const span = (page: Page, day: string, n: number, part: "from" | "until") => page.getByLabel(`${day}, span ${n}, ${part}`);
  const previewDays = (page: Page) => page.getByRole("list", { name: "The next two weeks" }).getByRole("listitem");
  const previewLine = async (page: Page, words: string) =>
    (await previewDays(page).allInnerTexts()).find((l) => l.replace(/\s+/g, " ").startsWith(words))?.replace(/\s+/g, " ");

  it("creates a calendar with split hours and holidays, and the preview shows what they mean before saving", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Ada", "/calendars");
    await page.getByRole("heading", { level: 1, name: "Business calendars" }).waitFor();
    await page
      .getByRole("region", { name: "No business calendars yet" })
      .getByText(/counted around the clock \(24×7\)/)
      .waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole("link", { name: "New calendar" }).click();
    await page.getByRole("heading", { level: 1, name: "New business calendar" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Support EU");
    await page.getByLabel("Why this calendar exists").fill("First-line support in Paris: a lunch break, French holidays.");
    // The first calendar starts as the workspace's default.
    expect(await page.getByRole("switch", { name: "Default calendar of the workspace" }).isChecked()).toBe(true);
    await page.getByRole("combobox", { name: "Time zone" }).fill("Europe/Paris");
    // Monday: 09:00–12:30 and 13:30–18:00, then copied to the other weekdays.
    await span(page, "Monday", 1, "until").fill("12:30");
    await page.getByRole("button", { name: "Add a span on Monday" }).click();
    await span(page, "Monday", 2, "from").fill("13:30");
    await span(page, "Monday", 2, "until").fill("18:00");
    await page.getByRole("button", { name: "Copy Monday to weekdays" }).click();
    await page.getByText("Tuesday to Friday now have Monday's hours.").waitFor();
    await page.getByLabel("Public holidays of").selectOption({ label: "France" });
    const closed = parisDate(4);
    await page.getByLabel("Date", { exact: true }).fill(closed.iso);
    await page.getByLabel("Reason").fill("Team offsite");
    await page.getByRole("button", { name: "Add closed date" }).click();
    await page.getByRole("list", { name: "Own closed dates" }).getByRole("listitem").filter({ hasText: "— Team offsite" }).waitFor();

    // The preview, from the unsaved form: the closed date named, a weekday's two spans, a weekend closed.
    await expect
      .poll(() => previewLine(page, closed.words), { timeout: 10_000 })
      .toBe(`${closed.words} Closed: Team offsite (own closed date)`);
    const days = Array.from({ length: 14 }, (_, i) => parisDate(i)).filter((d) => d.iso !== closed.iso);
    const weekday = days.find((d) => d.weekday >= 1 && d.weekday <= 5 && d.iso !== days[0]?.iso);
    const saturday = days.find((d) => d.weekday === 6);
    expect(await previewLine(page, weekday?.words ?? "")).toBe(`${weekday?.words} 09:00–12:30, 13:30–18:00`);
    expect(await previewLine(page, saturday?.words ?? "")).toBe(`${saturday?.words} Closed`);
    expect(await page.getByTestId("next-opening").textContent()).toMatch(/^(Open now|Opens \w{3} \d{1,2} \w{3} at (09:00|13:30))$/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "calendar-new");
    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${DOCS_SCREENSHOTS}calendar-edit.png`, fullPage: true });

    await page.getByRole("button", { name: "Create calendar" }).click();
    await page.getByRole("heading", { level: 1, name: "Calendar: Support EU" }).waitFor();
    const saved = await s.get("/api/v1/calendars/Support EU");
    calendarId = saved.id;
    expect(page.url()).toBe(`${s.url}/calendars/${calendarId}`);
    expect(saved).toMatchObject({
      time_zone: "Europe/Paris",
      default: true,
      holidays: { country: "FR" },
      closed_dates: [{ date: closed.iso, name: "Team offsite" }],
    });
    for (const day of ["mon", "tue", "wed", "thu", "fri"])
      expect(saved.hours[day]).toEqual([
        ["09:00", "12:30"],
        ["13:30", "18:00"],
      ]);
    expect(saved.hours.sat).toBeUndefined();

    // The list: zone, hours and holidays in words, the default marked.
    await page.getByRole("link", { name: "Calendars", exact: true }).click();
    const row = page.getByRole("table", { name: "Business calendars" }).getByRole("row").nth(1);
    await row.getByRole("link", { name: "Support EU" }).waitFor();
    const cells = (await row.getByRole("cell").allInnerTexts()).map((c) => c.replace(/\s+/g, " ").trim());
    expect(cells[0]).toContain("Workspace default");
    expect(cells.slice(1, 4)).toEqual([
      "Europe/Paris",
      "Mon–Fri 09:00–12:30, 13:30–18:00",
      "France public holidays, and 1 own closed date",
    ]);
    expect(problems).toEqual([]);
  }, 90_000);

  it("a bad edit shows the server's message by the span it names, and nothing is saved", async () => {
    const { page, problems } = await browser.page();
    await page.goto(`${s.url}/calendars/${calendarId}`);
    await page.getByRole("heading", { level: 1, name: "Calendar: Support EU" }).waitFor();
    const before = await s.get(`/api/v1/calendars/${calendarId}`);
    await span(page, "Tuesday", 2, "from").fill("12:00");
    await span(page, "Wednesday", 1, "from").fill("17:00");
    await span(page, "Wednesday", 1, "until").fill("13:00");
    await page.getByRole("button", { name: "Save calendar" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Not saved" });
    await alert.waitFor();
    expect(await alert.textContent()).toContain("Tuesday, span 2: overlaps 09:00–12:30: the spans of a day must not overlap");
    expect(await alert.textContent()).toContain("Wednesday, span 1: a span must end after it starts, and 17:00–13:00 does not");
    // By the field: each span's inputs are invalid and described by the server's message.
    const describedBy = async (label: string) =>
      page.getByLabel(label).evaluate((el) =>
        (el.getAttribute("aria-describedby") ?? "")
          .split(" ")
          .map((id) => document.getElementById(id)?.textContent ?? "")
          .join(" | "),
      );
    expect(await span(page, "Tuesday", 2, "from").getAttribute("aria-invalid")).toBe("true");
    expect(await describedBy("Tuesday, span 2, from")).toContain("overlaps 09:00–12:30: the spans of a day must not overlap");
    expect(await describedBy("Wednesday, span 1, until")).toContain("a span must end after it starts, and 17:00–13:00 does not");
    expect(await span(page, "Tuesday", 1, "from").getAttribute("aria-invalid")).toBeNull();
    // What was typed is kept; nothing was saved.
    expect(await span(page, "Wednesday", 1, "from").inputValue()).toBe("17:00");
    expect((await s.get(`/api/v1/calendars/${calendarId}`)).version).toBe(before.version);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "calendar-bad-edit");
    expect(problems).toEqual([]);
  }, 60_000);

  it("two admins edit the same calendar: the later save is refused and offers their version", async () => {
    const ada = await browser.page();
    const bea = await second.page();
    await ada.page.goto(`${s.url}/calendars/${calendarId}`);
    await signIn(bea.page, "Bea", `/calendars/${calendarId}`);
    for (const { page } of [ada, bea]) await page.getByRole("heading", { level: 1, name: "Calendar: Support EU" }).waitFor();

    await bea.page.getByLabel("Why this calendar exists").fill("First-line support in Paris and Lisbon.");
    await bea.page.getByRole("button", { name: "Save calendar" }).click();
    await bea.page.getByText(/^Saved as version \d+\.$/).waitFor();

    await ada.page.getByRole("switch", { name: "Default calendar of the workspace" }).uncheck();
    await ada.page.getByRole("button", { name: "Save calendar" }).click();
    const stale = ada.page.getByRole("alert").filter({ hasText: "someone else saved this calendar" });
    await stale.waitFor();
    expect((await s.get(`/api/v1/calendars/${calendarId}`)).default).toBe(true);
    await stale.getByRole("button", { name: "Reload their version" }).click();
    await expect.poll(() => ada.page.getByLabel("Why this calendar exists").inputValue()).toBe("First-line support in Paris and Lisbon.");
    expect(await ada.page.getByRole("switch", { name: "Default calendar of the workspace" }).isChecked()).toBe(true);
    expect(ada.problems).toEqual([]);
    expect(bea.problems).toEqual([]);
  }, 60_000);

  it("a team's calendar is set in the team form; the calendar then cannot be deleted, and says why", async () => {
    const { page, problems } = await browser.page();
    await page.goto(`${s.url}/records/teams/${team.id}/edit`);
    const select = page.getByLabel("Business calendar");
    await select.locator("option", { hasText: "Support EU" }).waitFor({ state: "attached" });
    expect(await select.locator("option").allTextContents()).toEqual([
      "— none (use the workspace’s calendar)",
      "Support EU (Europe/Paris) — the workspace default",
    ]);
    await select.selectOption({ label: "Support EU (Europe/Paris) — the workspace default" });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole("button", { name: /^Save/ }).click();
    await page.waitForURL(`${s.url}/records/teams/${team.id}`);
    expect((await s.get(`/api/v1/teams/${team.id}`)).calendar).toBe("Support EU");

    await page.getByRole("link", { name: "Calendars", exact: true }).click();
    const row = page.getByRole("table", { name: "Business calendars" }).getByRole("row").nth(1);
    await expect.poll(() => row.getByRole("cell").nth(4).textContent()).toBe("Team EMEA");
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "calendars");
    await page.screenshot({ path: `${DOCS_SCREENSHOTS}calendars.png` });

    await row.getByRole("link", { name: "Support EU" }).click();
    await page.getByRole("button", { name: "Delete Support EU calendar…" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Delete the calendar Support EU?" });
    await dialog.getByRole("button", { name: "Delete calendar" }).click();
    await dialog
      .getByRole("alert")
      .getByText(/Not deleted: .*team EMEA/)
      .waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Keep it as it is" }).click();
    expect((await s.get(`/api/v1/calendars/${calendarId}`)).name).toBe("Support EU");
    expect(problems).toEqual([]);
  }, 60_000);

  it("a wait of 4 business hours on the owner's calendar, built in the builder, published and read on the node", async () => {
    const { page, problems } = await browser.page();
    await page.goto(`${s.url}/workflows/${workflowId}/edit`);
    const inspector = page.getByRole("complementary", { name: "Settings of the selection" });
    const node = (name: RegExp) => page.locator(".react-flow").getByRole("group", { name });
    await node(/^Step wait:/).click();
    await inspector.getByLabel("Wait", { exact: true }).selectOption({ label: "For business time" });
    // Zero is refused by the server, by the field; four is fine.
    await inspector.getByRole("textbox", { name: "Business hours" }).fill("0");
    await inspector.getByText("business time must be more than zero").first().waitFor({ timeout: 10_000 });
    await inspector.getByRole("textbox", { name: "Business hours" }).fill("4");
    await inspector.getByLabel("On the calendar of").selectOption({ label: "Record owner’s calendar" });
    expect(await inspector.getByLabel("On the calendar of").locator("option").allTextContents()).toContain("Support EU");
    const toolbar = page.getByRole("toolbar", { name: "Edit" });
    await toolbar.getByRole("button", { name: "0 problems", exact: true }).waitFor({ timeout: 10_000 });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "builder-business-wait");
    await page.screenshot({ path: `${DOCS_SCREENSHOTS}builder-business-wait.png` });

    await toolbar.getByRole("button", { name: "Publish…" }).click();
    const dialog = page.getByRole("dialog", { name: "Publish version 1" });
    await dialog.getByLabel("What changed and why").fill("Wait 4 business hours of the owner, not one clock hour.");
    await dialog.getByRole("button", { name: "Publish", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByText(/^Published v1 at .*: it is live now\.$/).waitFor();
    const name = await node(/^Step wait:/).getAttribute("aria-label");
    expect(name).toContain("Wait 4 business hours");
    expect(name).toContain("on the owner's calendar");
    expect(await node(/^Step wait:/).textContent()).toMatch(/Wait 4 business hours[\s\S]*on the owner's calendar/);
    const stored = await s.get(`/api/v1/workflows/${workflowId}`);
    expect(stored.versions[0].definition.steps.wait).toEqual({
      type: "delay",
      business: { hours: 4, calendar: { of: "owner" } },
      next: "call",
    });
    expect(problems).toEqual([]);
  }, 90_000);
});
