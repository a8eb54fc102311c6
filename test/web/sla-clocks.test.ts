/**
 * SLA clocks in Chromium (issue 17), as a support manager and a rep read them: a ticket's page
 * shows its running clock (policy, badge, business time left, due instant, calendar and zone, the
 * next milestone); a paused one says since when and what is left; a breached one says how long
 * ago and by how much, and its history opens by keyboard; a ticket without a clock says so and
 * links to the policies. The at-risk page lists the warning clocks, filters them by policy and by
 * the owner's team, and its breach tab lists the breached one and opens its record. axe on both.
 *
 * Set-up as the runtime's own tests do it (test/api/sla-clocks-api.test.ts): policies, teams,
 * people and tickets through the API; the clocks written through the store's ports as if they had
 * started minutes or hours ago (the worker stays off, so no matcher starts others), and their due
 * milestones then fired by the runtime's `SlaFiring` on the real clock — so warnings and breaches
 * are real history rows and events, and the server reads every clock at the moment of the request.
 *
 * docs/web.md's screenshots are written to docs/screenshots only when asked
 * (HANDOFF_DOCS_SCREENSHOTS=1), so that an ordinary run leaves the committed images as they were.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ulidGenerator } from "../../src/app/ports.js";
import { SlaCalendars } from "../../src/app/sla/clock-calendars.js";
import { SlaFiring } from "../../src/runtime/sla/fire.js";
import type { SlaClockEvent, SlaClockRow } from "../../src/store/sla-ports.js";
import { accessibilityViolations, openBrowser, screenshot, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

const PASSWORD = "sla-clocks-password-1";
const DOCS_SCREENSHOTS = process.env.HANDOFF_DOCS_SCREENSHOTS
  ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url))
  : undefined;
const MIN = 60_000;
/** A clock time in the browser's locale: "09:15" or "09:15 AM". */
const T = String.raw`\d\d:\d\d(?: [AP]M)?`;
// An instant within the hour reads "today 11:00", or "Sun, Dec 6, 12:27 AM" once it falls after
// midnight (the suite may run across it).
const AT = String.raw`(?:today ${T}|\w{3}, \w{3} \d{1,2}(?:, \d{4})?, ${T})`;
const re = (source: string) => new RegExp(source);
const HOUR = 60 * MIN;

describe("SLA clocks in Chromium", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  const tickets: Record<string, string> = {};
  const policies: Record<string, string> = {};

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const emea = await s.post("/api/v1/teams", { name: "EMEA" });
    const americas = await s.post("/api/v1/teams", { name: "Americas" });
    const people: Record<string, string> = {};
    for (const [name, role, team] of [
      ["Mia", "manager", emea.id],
      ["Ada", "rep", emea.id],
      ["Ben", "rep", americas.id],
    ] as const) {
      const u = await s.post("/api/v1/users", { name, email: `${name.toLowerCase()}@clocks.test`, role, team_id: team, time_zone: "UTC" });
      await s.json(`/api/v1/users/${u.id}/password`, { method: "PUT", json: { password: PASSWORD } });
      people[name] = u.id;
    }
    const supportEu = await s.post("/api/v1/calendars", {
      name: "Support EU",
      time_zone: "Europe/Paris",
      hours: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["09:00", "18:00"]]])),
    });
    // Tickets first, their events drained while no policy exists: the clocks below are the only ones.
    for (const [subject, assignee, extra] of [
      ["Printer on fire", "Ada", { priority: "P2" }],
      ["Waiting on the customer", "Ada", { status: "pending" }],
      ["Invoice shows the wrong VAT", "Ada", {}],
      ["Login broken after the update", "Ben", {}],
      ["Site down for every customer", "Ben", { priority: "P1" }],
      ["Question about the roadmap", "Ada", {}],
    ] as const) {
      tickets[subject] = (await s.post("/api/v1/tickets", { subject, assignee_id: people[assignee], ...extra })).id;
    }
    await s.services.worker.drain();
    const policy = (name: string, hours: number, description: string) => ({
      name,
      description,
      object: "ticket",
      starts: { on: "created" },
      stops: { on: "field_value", field: "status", in: ["resolved", "closed"] },
      target: { hours },
      pause_when: { field: "status", op: "eq", value: "pending" },
      warning: { fraction: 0.75 },
      escalations: [{ after: { hours: 1 } }],
    });
    policies["First response"] = (
      await s.post("/api/v1/sla/policies", policy("First response", 1, "A first answer within 1 business hour"))
    ).id;
    policies.Resolution = (await s.post("/api/v1/sla/policies", policy("Resolution", 8, "Resolved within 8 business hours"))).id;

    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const noCalendar = { ref: { of: "workspace" as const }, id: null, name: null };
    let n = 0;
    const clock = async (
      subject: string,
      policyName: string,
      c: { startedAgo: number; consumedMs: number; sinceAgo: number; phase?: "running" | "paused"; nextDueIn?: number },
      calendar: SlaClockRow["calendar"] = noCalendar,
      pausedWhy?: string,
    ) => {
      n += 1;
      const targetMs = (policyName === "Resolution" ? 8 : 1) * HOUR;
      const row: SlaClockRow = {
        workspaceId: s.workspace.id,
        id: `clock-${n}`,
        policyId: policies[policyName] as string,
        policyVersion: 1,
        recordId: tickets[subject] as string,
        phase: c.phase ?? "running",
        plan: { targetMs, warning: { fraction: 0.75 }, escalationsAfterMs: [HOUR] },
        calendar,
        consumedMs: c.consumedMs,
        since: iso(now - c.sinceAgo),
        startedAt: iso(now - c.startedAgo),
        stoppedAt: null,
        fired: [],
        nextDueAt: c.nextDueIn === undefined ? null : iso(now + c.nextDueIn),
        version: 1,
      };
      const history: SlaClockEvent[] = [
        {
          workspaceId: s.workspace.id,
          clockId: row.id,
          seq: 1,
          at: row.startedAt,
          kind: "started",
          detail: { policy_version: 1, target_ms: targetMs, calendar: { id: calendar.id, name: calendar.name, time_zone: "UTC" } },
        },
      ];
      if (pausedWhy)
        history.push({ workspaceId: s.workspace.id, clockId: row.id, seq: 2, at: row.since, kind: "paused", detail: { why: pausedWhy } });
      if (pausedWhy) row.version = 2;
      await s.services.store.transaction(async (tx) => {
        await tx.sla.insertSlaClock(row);
        await tx.sla.appendSlaClockHistory(history);
      });
    };
    // 15 minutes used on the Support EU calendar; its warning and due instant follow its opening hours.
    await clock(
      "Printer on fire",
      "First response",
      { startedAgo: 15 * MIN, consumedMs: 15 * MIN, sinceAgo: 0 },
      {
        ref: { name: "Support EU" },
        id: supportEu.id,
        name: "Support EU",
      },
    );
    // Paused 10 minutes ago after 30 minutes counted: the ticket waits on the customer.
    await clock(
      "Waiting on the customer",
      "First response",
      { startedAgo: 40 * MIN, consumedMs: 30 * MIN, sinceAgo: 10 * MIN, phase: "paused" },
      noCalendar,
      "status (pending) eq pending → true",
    );
    // 50 minutes of 1 h used: the warning (at 45 min) fell due 5 minutes ago.
    await clock("Invoice shows the wrong VAT", "First response", {
      startedAgo: 50 * MIN,
      consumedMs: 0,
      sinceAgo: 50 * MIN,
      nextDueIn: -5 * MIN,
    });
    // 6.5 h of 8 h used: warned at 6 h.
    await clock("Login broken after the update", "Resolution", {
      startedAgo: 6.5 * HOUR,
      consumedMs: 0,
      sinceAgo: 6.5 * HOUR,
      nextDueIn: -30 * MIN,
    });
    // 80 minutes of 1 h: warned at 45 min, breached 20 minutes ago; level 2 due in 40 minutes.
    await clock("Site down for every customer", "First response", {
      startedAgo: 80 * MIN,
      consumedMs: 0,
      sinceAgo: 80 * MIN,
      nextDueIn: -35 * MIN,
    });
    const firing = new SlaFiring({
      store: s.services.store,
      calendars: new SlaCalendars(),
      clock: { now: () => new Date() },
      ids: ulidGenerator(),
      dueBy: () => new Date(),
    });
    while ((await firing.fireDue("test", 100, 15_000)) > 0);
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  const signIn = async (page: Page, who: string, path: string) => {
    await browser.context.clearCookies();
    await page.goto(`${s.url}/sign-in?redirect=${encodeURIComponent(path)}`);
    await page.getByLabel("Email").fill(`${who.toLowerCase()}@clocks.test`);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${s.url}${path}`);
  };
  const ticketPath = (subject: string) => `/records/tickets/${tickets[subject]}`;
  const panel = (page: Page) => page.getByRole("region", { name: "SLA" });
  const text = async (page: Page, testId = "countdown") => (await panel(page).getByTestId(testId).first().innerText()).replace(/\s+/g, " ");
  /** A clock's history entries in words, the instant before each left out. */
  const historyOf = async (where: Locator) => {
    const items = where.getByRole("list", { name: "History of First response" }).getByRole("listitem");
    const texts = await items.allInnerTexts();
    const times = await items.locator("time").allInnerTexts();
    return texts.map((x, i) => x.replace(times[i] ?? "", "").trim());
  };
  /** A table's rows as their cells' text, header row left out. */
  const rows = async (page: Page, name: string) =>
    (await page.getByRole("table", { name }).getByRole("row").allInnerTexts())
      .slice(1)
      .map((r) => r.split("\t").map((c) => c.trim().replace(/\s+/g, " ")));

  it("a ticket's page shows its running clock: policy, badge, business time left, due instant, calendar and next milestone", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Mia", ticketPath("Printer on fire"));
    await page.getByRole("heading", { level: 1, name: "Printer on fire" }).waitFor();
    const clock = panel(page).getByRole("listitem", { name: "First response: running" });
    await clock.waitFor();
    expect(await clock.getByRole("link", { name: "First response" }).getAttribute("href")).toBe("/sla/policies/First%20response");
    expect(await clock.locator("[data-status=running]").first().innerText()).toContain("Running");
    // 45 min left (44 if a minute has begun since); the due instant follows Support EU's hours.
    expect(await text(page)).toMatch(re(`^4[45] min of business time left · due .+${T}$`));
    const measured = await clock.getByText(/^Measured /).innerText();
    expect(measured).toMatch(re(`^Measured on the Support EU calendar \\(Europe/Paris\\) · next: warning at .+${T}$`));
    await screenshot(page, "sla-clock-running");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("a paused clock says since when and what is left; a ticket without a clock says none applies", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Ada", ticketPath("Waiting on the customer"));
    await panel(page).getByRole("listitem", { name: "First response: paused" }).waitFor();
    expect(await text(page)).toMatch(re(`^Paused since ${AT} · 30 min of business time left when it resumes$`));
    expect(
      await panel(page)
        .getByText(/^Measured /)
        .innerText(),
    ).toBe("Measured round the clock, 24×7 (UTC)");
    await page.getByRole("button", { name: "Show history (2)" }).click();
    expect(await historyOf(panel(page))).toEqual(["Clock started (target 1 h)", "Paused: status (pending) is pending: yes"]);

    await page.goto(`${s.url}${ticketPath("Question about the roadmap")}`);
    await page.getByRole("heading", { level: 1, name: "Question about the roadmap" }).waitFor();
    const empty = panel(page);
    expect(await empty.innerText()).toContain("No SLA applies to this ticket.");
    await empty.getByRole("link", { name: "See the SLA policies" }).click();
    await page.waitForURL(`${s.url}/sla/policies`);
    expect(problems).toEqual([]);
  });

  it("a breached clock says how long ago and by how much; its history opens by keyboard", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Mia", ticketPath("Site down for every customer"));
    const clock = panel(page).getByRole("listitem", { name: "First response: breached" });
    await clock.waitFor();
    // A ticket is its assignee's: the heading says so.
    // (The name arrives after the record; until then the header says "…", never "nobody yet".)
    await page.locator("header").filter({ hasText: "Site down for every customer" }).filter({ hasText: "Assignee: Ben" }).waitFor();
    expect(await clock.locator("[data-status=breached]").first().innerText()).toContain("Breached");
    expect(await text(page)).toMatch(re(`^Breached 2[01] min ago \\(due ${AT}\\) · 2[01] min of business time over the target$`));
    expect(await clock.getByText(/^Measured /).innerText()).toMatch(re(`· next: escalation level 2 at ${AT}$`));
    const toggle = clock.getByRole("button", { name: "Show history (3)" });
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    expect(await clock.getByRole("list", { name: "History of First response" }).isVisible()).toBe(false);
    await toggle.focus();
    await page.keyboard.press("Enter");
    const open = clock.getByRole("button", { name: "Hide history" });
    expect(await open.getAttribute("aria-expanded")).toBe("true");
    // Each milestone at its own instant, and how late the worker wrote it (here: fired once set up).
    expect(await historyOf(clock)).toEqual([
      "Clock started (target 1 h)",
      expect.stringMatching(/^Warning: the target is close \(recorded 3[56] min later\)$/),
      expect.stringMatching(/^Breached: the target passed \(recorded 2[01] min later\)$/),
    ]);
    await screenshot(page, "sla-clock-breached");
    if (DOCS_SCREENSHOTS) {
      mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: `${DOCS_SCREENSHOTS}sla-clock-record.png` });
    }
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.keyboard.press("Space");
    expect(await clock.getByRole("button", { name: "Show history (3)" }).getAttribute("aria-expanded")).toBe("false");
    expect(problems).toEqual([]);
  });

  it("the at-risk page lists the warning clocks and filters them by policy and by the owner's team", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Mia", "/");
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "SLA at risk" }).click();
    await page.waitForURL(`${s.url}/sla/clocks`);
    await page.getByRole("heading", { level: 1, name: "At risk and in breach" }).waitFor();
    expect(await page.getByRole("tab", { name: "At risk" }).getAttribute("aria-selected")).toBe("true");
    await page.getByRole("table", { name: "Clocks at risk" }).waitFor();
    await expect.poll(async () => (await rows(page, "Clocks at risk")).length).toBe(2);
    const atRisk = await rows(page, "Clocks at risk");
    expect(atRisk.map((r) => r.slice(0, 5))).toEqual([
      ["Invoice shows the wrong VAT", "First response", "Ada", "EMEA", "Warning"],
      ["Login broken after the update", "Resolution", "Ben", "Americas", "Warning"],
    ]);
    expect(atRisk[0]?.[5]).toMatch(re(`^${AT} in (9|10) min$`));
    expect(atRisk[0]?.[6]).toMatch(/^(9|10) min$/);
    expect(atRisk[1]?.[6]).toMatch(/^1 h (29|30) min$/);
    await screenshot(page, "sla-clocks-at-risk");
    if (DOCS_SCREENSHOTS) await page.screenshot({ path: `${DOCS_SCREENSHOTS}sla-clocks-at-risk.png` });
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByLabel("Policy").selectOption({ label: "Resolution" });
    await page.waitForURL(/policy=/);
    // The table is read again once the filtered page has arrived (it may be mid-render at first).
    await expect.poll(async () => (await rows(page, "Clocks at risk")).map((r) => r[0])).toEqual(["Login broken after the update"]);
    await page.getByLabel("Owner's team").selectOption({ label: "EMEA" });
    const empty = page.getByRole("region", { name: "No clock at risk with these filters" });
    await empty.waitFor();
    expect(await empty.innerText()).toContain("Clear a filter to see the others.");
    await page.getByLabel("Policy").selectOption({ label: "All policies" });
    await page.getByRole("table", { name: "Clocks at risk" }).waitFor();
    await expect.poll(async () => (await rows(page, "Clocks at risk")).map((r) => r[0])).toEqual(["Invoice shows the wrong VAT"]);
    // The filters are in the address: a reload keeps them.
    await page.reload();
    await page.getByRole("table", { name: "Clocks at risk" }).waitFor();
    expect(await page.getByLabel("Owner's team").inputValue()).not.toBe("");
    await expect.poll(async () => (await rows(page, "Clocks at risk")).map((r) => r[0])).toEqual(["Invoice shows the wrong VAT"]);
    expect(problems).toEqual([]);
  });

  it("the breach tab lists the breached clock and opens its record; a rep reads the page too", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Ada", "/sla/clocks");
    // Radix tabs: the arrows move between them and select.
    await page.getByRole("tab", { name: "At risk", selected: true }).focus();
    await page.keyboard.press("ArrowRight");
    await page.getByRole("tab", { name: "In breach", selected: true }).waitFor();
    await page.waitForURL(/status=breached/);
    const table = page.getByRole("table", { name: "Clocks in breach" });
    await table.waitFor();
    await expect.poll(async () => (await rows(page, "Clocks in breach")).length).toBe(1);
    const breached = await rows(page, "Clocks in breach");
    expect(breached[0]?.slice(0, 5)).toEqual(["Site down for every customer", "First response", "Ben", "Americas", "Breached"]);
    expect(breached[0]?.[5]).toMatch(re(`^2[01] min past the target in business time next: escalation level 2 at ${AT}$`));
    expect(breached[0]?.[6]).toBe("none");
    await screenshot(page, "sla-clocks-breach");
    if (DOCS_SCREENSHOTS) await page.screenshot({ path: `${DOCS_SCREENSHOTS}sla-clocks-breach.png` });
    expect(await accessibilityViolations(page)).toEqual([]);
    await table.getByRole("link", { name: "Site down for every customer" }).click();
    await page.waitForURL(`${s.url}${ticketPath("Site down for every customer")}`);
    await panel(page).getByRole("listitem", { name: "First response: breached" }).waitFor();
    expect(problems).toEqual([]);
  });
});
