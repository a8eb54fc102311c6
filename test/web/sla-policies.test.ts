/**
 * The SLA policy pages in Chromium (issue 17), as an admin and a rep use them: the empty list
 * explains what a policy is; docs/sla.md's "Ticket first response" is built through the editor
 * with clicks, typing and the keyboard — the condition editor for which tickets and for the pause,
 * a target per priority, the team's calendar, a warning and two escalation levels — and is listed
 * with its target and calendar in words; a bad edit (a warning after the smallest target, a target
 * of zero) shows the server's messages by the fields they name and saves nothing; two admins
 * saving the same version: the second sees the 412 and reloads the first's version into the form;
 * the switch turns a policy off; a rep reads the list and a policy without any control to change
 * them; a delete refused while a clock is open (its 409 in the dialog) and a delete that works.
 * axe on both pages. The API sets up only what a person cannot do here (people and their
 * passwords, a calendar, a clock — the clock runtime is not built yet); what the pages do is done
 * by clicking and then checked through the API.
 *
 * docs/web.md's screenshots are written to docs/screenshots only when asked
 * (HANDOFF_DOCS_SCREENSHOTS=1), so that an ordinary run leaves the committed images as they were.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, openBrowser, screenshot, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

const PASSWORD = "sla-policies-password-1";
const DOCS_SCREENSHOTS = process.env.HANDOFF_DOCS_SCREENSHOTS
  ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url))
  : undefined;
const POLICY = "Ticket first response";
const POLICY_PATH = `/sla/policies/${encodeURIComponent(POLICY)}`;

describe("the SLA policy pages in Chromium", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let other: TestBrowser;

  const stored = async (name = POLICY) => s.get(`/api/v1/sla/policies/${encodeURIComponent(name)}`);

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    for (const [name, role] of [
      ["Ada", "admin"],
      ["Bea", "admin"],
      ["Rita", "rep"],
    ] as const) {
      const u = await s.post("/api/v1/users", { name, email: `${name.toLowerCase()}@sla.test`, role, time_zone: "UTC" });
      await s.json(`/api/v1/users/${u.id}/password`, { method: "PUT", json: { password: PASSWORD } });
    }
    await s.post("/api/v1/calendars", {
      name: "Support EU",
      time_zone: "Europe/Paris",
      hours: { mon: [["09:00", "18:00"]], tue: [["09:00", "18:00"]] },
    });
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await other?.close();
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  const signIn = async (b: TestBrowser, page: Page, who: string, path: string) => {
    await b.context.clearCookies();
    await page.goto(`${s.url}/sign-in?redirect=${encodeURIComponent(path)}`);
    await page.getByLabel("Email").fill(`${who.toLowerCase()}@sla.test`);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${s.url}${path}`);
  };
  const section = (page: Page, name: string) => page.getByRole("region", { name });
  const summary = (page: Page) => page.getByTestId("policy-summary");
  /** A table's rows as their cells' text, header row left out. */
  const rows = async (page: Page) =>
    (await page.getByRole("table", { name: "SLA policies" }).getByRole("row").allInnerTexts())
      .slice(1)
      .map((r) => r.split("\t").map((c) => c.trim().replace(/\n+/g, "\n")));
  const fillDuration = async (group: Locator, hours: string, minutes = "") => {
    await group.getByLabel("hours", { exact: true }).fill(hours);
    await group.getByLabel("minutes", { exact: true }).fill(minutes);
  };

  it("an admin builds the first-response policy of docs/sla.md in the editor and sees it listed in words", async () => {
    const { page, problems } = await browser.page();
    await signIn(browser, page, "Ada", "/sla/policies");
    const empty = page.getByRole("region", { name: "No SLA policies yet" });
    expect(await empty.textContent()).toContain("An SLA policy is a promise about time");
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "New policy" }).click();
    await page.waitForURL(`${s.url}/sla/policies/new`);

    await page.getByLabel("Name", { exact: true }).fill(POLICY);
    await page.getByLabel("Why this policy exists").fill("Customers hear from us within 4 business hours (1 for P1)");

    const records = section(page, "Which records");
    expect(await records.getByLabel("Records of").inputValue()).toBe("ticket");
    await records.getByRole("button", { name: "Add a condition" }).click();
    await records.getByLabel("About").selectOption({ label: "Category" });
    await records.getByLabel("Comparison").selectOption({ label: "is not" });
    await records.getByLabel("Value").fill("spam");

    // The clock starts when the ticket is created, and stops on the owner's email or call.
    const starts = section(page, "When the clock starts");
    expect(await starts.getByRole("radio", { name: /When the ticket is created/ }).isChecked()).toBe(true);
    const stops = section(page, "When it stops");
    await stops.getByRole("radio", { name: /When an activity is logged/ }).check();
    await stops.getByRole("checkbox", { name: "Note" }).check();
    await stops.getByRole("checkbox", { name: "Note" }).uncheck();
    expect(await stops.getByRole("checkbox", { name: "Email" }).isChecked()).toBe(true);
    expect(await stops.getByRole("checkbox", { name: "Call" }).isChecked()).toBe(true);
    await stops.getByRole("radio", { name: "The ticket's owner" }).check();

    const target = section(page, "Target");
    await fillDuration(target.getByRole("group", { name: "Target", exact: true }), "4");
    await target.getByRole("checkbox", { name: /A different target by a field/ }).check();
    expect(await target.getByLabel("Field that sets the target").inputValue()).toBe("priority");
    await target.getByLabel("Value 1").selectOption("P1");
    await fillDuration(target.getByRole("group", { name: "Target when priority is P1" }), "1");
    await target.getByRole("button", { name: "Add a value" }).click();
    await target.getByLabel("Value 2").selectOption("P2");
    await fillDuration(
      target.getByRole("group", { name: "Target for value 2" }).or(target.getByRole("group", { name: "Target when priority is P2" })),
      "2",
    );

    // By keyboard: the calendar select takes arrow keys like any select.
    await section(page, "Measured on").getByLabel("Calendar").selectOption({ label: "The owner's team's calendar" });

    const pause = section(page, "Paused while");
    await pause.getByRole("button", { name: "Add a condition" }).click();
    await pause.getByLabel("About").selectOption({ label: "Status" });
    await pause.getByLabel("Comparison").selectOption({ label: "is" });
    await pause.getByLabel("Value").selectOption({ label: "Pending" });

    const warning = section(page, "Warning");
    await warning.getByRole("radio", { name: "When a share of the target has passed" }).check();
    await warning.getByLabel("Percent of the target").fill("75");

    const escalations = section(page, "Escalations after the breach");
    await escalations.getByRole("button", { name: "Add an escalation level" }).click();
    await escalations.getByRole("button", { name: "Add an escalation level" }).click();
    await fillDuration(escalations.getByRole("group", { name: "Level 2: after the breach" }), "1");
    await fillDuration(escalations.getByRole("group", { name: "Level 3: after the breach" }), "4");

    expect(await summary(page).textContent()).toBe(
      "Tickets where category is not spam: clock starts when created, stops when the owner logs a call or an email; " +
        "4 business hours on the owner's team's calendar (P1: 1 h, P2: 2 h); paused while status is pending; warns at 75 %; " +
        "escalates 1 h and 4 h after the breach.",
    );
    await screenshot(page, "sla-policy-new");
    if (DOCS_SCREENSHOTS) {
      mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
      // The top of the editor, where an admin starts: the policy in words and the first questions.
      await page.setViewportSize({ width: 1280, height: 1500 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${DOCS_SCREENSHOTS}sla-policy-editor.png` });
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    expect(await accessibilityViolations(page)).toEqual([]);

    // Saved with the keyboard: Enter in the name field submits the form.
    await page.getByLabel("Name", { exact: true }).press("Enter");
    await page.waitForURL(`${s.url}/sla/policies`);
    await page.getByRole("table", { name: "SLA policies" }).waitFor();
    expect(await rows(page)).toEqual([
      [
        `${POLICY}\nCustomers hear from us within 4 business hours (1 for P1)`,
        "Ticket",
        "4 business hours; P1: 1 h, P2: 2 h",
        "the owner's team's calendar",
        "On",
        "0",
      ],
    ]);
    expect(await page.getByRole("switch", { name: `${POLICY} switched on` }).getAttribute("aria-checked")).toBe("true");
    await screenshot(page, "sla-policies");
    if (DOCS_SCREENSHOTS) await page.screenshot({ path: `${DOCS_SCREENSHOTS}sla-policies.png` });
    expect(await accessibilityViolations(page)).toEqual([]);

    expect(await stored()).toMatchObject({
      name: POLICY,
      object: "ticket",
      enabled: true,
      applies_when: { field: "category", op: "neq", value: "spam" },
      starts: { on: "created" },
      stops: { on: "activity", types: ["call", "email"], by: "owner" },
      target: { hours: 4 },
      targets_by: { field: "priority", values: { P1: { hours: 1 }, P2: { hours: 2 } } },
      calendar: { of: "team" },
      pause_when: { field: "status", op: "eq", value: "pending" },
      warning: { fraction: 0.75 },
      escalations: [{ after: { hours: 1 } }, { after: { hours: 4 } }],
      version: 1,
    });
    expect(problems).toEqual([]);
  });

  it("a bad edit shows the server's messages by the target and the warning, and saves nothing", async () => {
    const { page, problems } = await browser.page();
    await signIn(browser, page, "Ada", POLICY_PATH);
    const target = section(page, "Target");
    await fillDuration(target.getByRole("group", { name: "Target", exact: true }), "0", "0");
    const warning = section(page, "Warning");
    await warning.getByRole("radio", { name: "A set time before the target" }).check();
    await warning.getByLabel("Minutes before the target").fill("90");
    await page.getByRole("button", { name: "Save changes" }).click();

    const alert = page.getByRole("alert").filter({ hasText: "Not saved" });
    await alert.waitFor();
    // By the fields: the target's inputs are marked and described by the message under them.
    const hours = target.getByRole("group", { name: "Target", exact: true }).getByLabel("hours", { exact: true });
    expect(await hours.getAttribute("aria-invalid")).toBe("true");
    const targetError = page.locator("#f-target-error");
    expect(await targetError.textContent()).toMatch(/zero|more than/i);
    expect(await hours.getAttribute("aria-describedby")).toContain("f-target-error");
    const minutes = warning.getByLabel("Minutes before the target");
    expect(await minutes.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#f-warning-minutes-error").textContent()).toMatch(/before/i);
    expect(await alert.textContent()).toContain("Target:");
    expect(await alert.textContent()).toContain("Warning:");
    // What was typed is kept; nothing was saved.
    expect(await minutes.inputValue()).toBe("90");
    await screenshot(page, "sla-policy-refused");
    if (DOCS_SCREENSHOTS) await section(page, "Warning").screenshot({ path: `${DOCS_SCREENSHOTS}sla-policy-refused.png` });
    const after = await stored();
    expect(after.version).toBe(1);
    expect(after.target).toEqual({ hours: 4 });
    expect(after.warning).toEqual({ fraction: 0.75 });
    expect(problems).toEqual([]);
  });

  it("two admins save the same version: the second is told, and reloads the first one's version into the form", async () => {
    const ada = await browser.page();
    await signIn(browser, ada.page, "Ada", POLICY_PATH);
    other = await openBrowser();
    const bea = await other.page();
    await signIn(other, bea.page, "Bea", POLICY_PATH);

    await bea.page.getByLabel("Why this policy exists").fill("Bea's words: first answers within 4 business hours");
    await bea.page.getByRole("button", { name: "Save changes" }).click();
    await bea.page.getByText("Saved as version 2.").waitFor();

    await ada.page.getByLabel("Why this policy exists").fill("Ada's words");
    await ada.page.getByRole("button", { name: "Save changes" }).click();
    const alert = ada.page.getByRole("alert").filter({ hasText: "someone else saved this policy" });
    await alert.waitFor();
    expect((await stored()).description).toBe("Bea's words: first answers within 4 business hours");
    await alert.getByRole("button", { name: "Reload their version" }).click();
    await alert.waitFor({ state: "detached" });
    expect(await ada.page.getByLabel("Why this policy exists").inputValue()).toBe("Bea's words: first answers within 4 business hours");
    // Saving again now works, over version 2.
    await ada.page.getByLabel("Why this policy exists").fill("Customers hear from us within 4 business hours (1 for P1)");
    await ada.page.getByRole("button", { name: "Save changes" }).click();
    await ada.page.getByText("Saved as version 3.").waitFor();
    expect((await stored()).description).toBe("Customers hear from us within 4 business hours (1 for P1)");
    expect([...ada.problems, ...bea.problems]).toEqual([]);
  });

  it("the switch turns a policy off and on from the list", async () => {
    const { page, problems } = await browser.page();
    await signIn(browser, page, "Ada", "/sla/policies");
    const toggle = page.getByRole("switch", { name: `${POLICY} switched on` });
    await toggle.press("Space");
    await expect.poll(() => toggle.getAttribute("aria-checked")).toBe("false");
    expect((await stored()).enabled).toBe(false);
    await toggle.click();
    await expect.poll(() => toggle.getAttribute("aria-checked")).toBe("true");
    expect((await stored()).enabled).toBe(true);
    expect(problems).toEqual([]);
  });

  it("a rep reads the list and the policy in words, without any control to change them", async () => {
    const { page, problems } = await browser.page();
    await signIn(browser, page, "Rita", "/sla/policies");
    await page.getByRole("table", { name: "SLA policies" }).waitFor();
    expect((await rows(page))[0]?.slice(1)).toEqual([
      "Ticket",
      "4 business hours; P1: 1 h, P2: 2 h",
      "the owner's team's calendar",
      "On",
      "0",
    ]);
    expect(await page.getByRole("link", { name: "New policy" }).count()).toBe(0);
    expect(await page.getByRole("switch").count()).toBe(0);
    expect(await page.getByText("Only admins change SLA policies").count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole("link", { name: POLICY }).click();
    await summary(page).waitFor();
    expect(await summary(page).textContent()).toContain("stops when the owner logs a call or an email");
    expect(
      await page
        .getByRole("button")
        .filter({ hasText: /Save|Delete/ })
        .count(),
    ).toBe(0);
    expect(await page.getByRole("textbox").count()).toBe(0);
    await screenshot(page, "sla-policy-rep");
    expect(await accessibilityViolations(page)).toEqual([]);
    // The form for a new one is refused in words, as the API would refuse the write.
    await page.goto(`${s.url}/sla/policies/new`);
    await page.getByRole("heading", { name: "Only admins can see this page" }).waitFor();
    expect(problems).toEqual([]);
  });

  it("a delete is refused while a clock is open (what blocks it, in the dialog) and works otherwise", async () => {
    // A clock of another policy, open: the clock runtime that would start one is not built yet.
    const stale = await s.post("/api/v1/sla/policies", {
      name: "Stale lead",
      object: "lead",
      starts: { on: "field_changed", field: "owner_id" },
      stops: { on: "activity", types: ["call", "email", "meeting"], by: "owner" },
      target: { hours: 24 },
    });
    await s.services.store.transaction((tx) =>
      tx.sla.insertSlaClock({
        workspaceId: s.workspace.id,
        id: "clock-1",
        policyId: stale.id,
        policyVersion: 1,
        recordId: "lead-1",
        phase: "running",
        plan: { targetMs: 86_400_000, escalationsAfterMs: [] },
        calendar: { ref: { of: "workspace" }, id: null, name: null },
        consumedMs: 0,
        since: "2026-01-01T00:00:00.000Z",
        startedAt: "2026-01-01T00:00:00.000Z",
        stoppedAt: null,
        fired: [],
        nextDueAt: null,
        version: 1,
      }),
    );
    const { page, problems } = await browser.page();
    await signIn(browser, page, "Ada", "/sla/policies/Stale%20lead");
    await page.getByRole("heading", { level: 1, name: "SLA policy: Stale lead" }).waitFor();
    await page.getByRole("button", { name: "Delete policy…" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Delete the SLA policy Stale lead?" });
    await dialog.getByRole("button", { name: "Delete policy" }).click();
    await dialog.getByRole("alert").waitFor();
    expect(await dialog.getByRole("alert").textContent()).toMatch(/^Not deleted: .*open clock/);
    await dialog.getByRole("button", { name: "Keep it as it is" }).click();
    expect((await stored("Stale lead")).id).toBe(stale.id);

    await page.goto(`${s.url}${POLICY_PATH}`);
    await page.getByRole("button", { name: "Delete policy…" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete policy" }).click();
    await page.waitForURL(`${s.url}/sla/policies`);
    await page.getByRole("table", { name: "SLA policies" }).waitFor();
    await expect.poll(async () => (await rows(page)).map((r) => r[0]?.split("\n")[0])).toEqual(["Stale lead"]);
    expect((await s.api(`/api/v1/sla/policies/${encodeURIComponent(POLICY)}`)).status).toBe(404);
    expect(problems).toEqual([]);
  });
});
