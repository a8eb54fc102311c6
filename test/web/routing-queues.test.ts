/**
 * The queue editor in Chromium (issue 16), clicking and reading as an admin would: a weighted
 * queue with two members created and listed; a weight of 0 refused by the server and shown by
 * the field, with what was typed kept and nothing saved; a member's cap changed; a fallback
 * that would go round in a circle refused with the server's message by the fallback; a delete
 * refused while a rule set uses the queue (the message in the dialog) and the delete of an unused
 * one; the records held in a queue, each a link to its record; the distribution of the last 30
 * days with its numbers as text; and a rep, who reads the queues without any control to change them.
 * The API sets up what the page does not do (people, a rule set, leads routed through it); what the
 * page does is done by clicking, and then checked through the API.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { accessibilityViolations, openBrowser, screenshot, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;
const PASSWORD = "routing-queues-password-1";
const DAY = 86_400_000;

describe("the queue editor in Chromium", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  const people: Record<string, Json> = {};
  const queues: Record<string, Json> = {};
  let sleepy: Json;

  const queueNamed = async (name: string) => ((await s.get("/api/v1/routing/queues")).data as Json[]).find((q) => q.name === name);

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const person = async (name: string, role: string, extra: Json = {}) => {
      const u = await s.post("/api/v1/users", { name, email: `${name.toLowerCase()}@queues.test`, role, time_zone: "UTC", ...extra });
      await s.json(`/api/v1/users/${u.id}/password`, { method: "PUT", json: { password: PASSWORD } });
      people[name] = u;
    };
    await person("Ada", "admin");
    await person("Rita", "rep");
    await person("Kenji", "rep");
    await person("Omar", "rep", {
      pto: [{ start: new Date(Date.now() - DAY).toISOString(), end: new Date(Date.now() + 10 * DAY).toISOString() }],
    });
    // Inbound: used by a rule set (so it cannot be deleted), and it has given out three leads.
    queues.Inbound = await s.post("/api/v1/routing/queues", {
      name: "Inbound",
      strategy: "weighted_round_robin",
      members: [
        { user_id: people.Rita?.id, weight: 2 },
        { user_id: people.Kenji?.id, weight: 1 },
      ],
    });
    // Night desk holds what Omar (on PTO) cannot take; Day desk falls back to it.
    queues["Night desk"] = await s.post("/api/v1/routing/queues", {
      name: "Night desk",
      members: [{ user_id: people.Omar?.id }],
      fallback: { hold: true },
    });
    queues["Day desk"] = await s.post("/api/v1/routing/queues", {
      name: "Day desk",
      members: [{ user_id: people.Kenji?.id }],
      fallback: { queue: "Night desk" },
    });
    queues.Spare = await s.post("/api/v1/routing/queues", { name: "Spare", members: [{ user_id: people.Kenji?.id }] });
    await s.post("/api/v1/routing/rule-sets", { name: "Night leads", object: "lead", rules: [], default_target: { queue: "Night desk" } });
    sleepy = await s.post("/api/v1/leads", { last_name: "Sleepy", country: "US" });
    // The router through a rule set, as the seed does (the API has no route for it).
    const ctx = systemContext(s.workspace.id, "routing-queues-test");
    expect((await s.services.routing.insights.applyToUnowned(ctx, "Night leads", { last: 1 })).held).toBe(1);
    await s.post("/api/v1/routing/rule-sets", { name: "New leads", object: "lead", rules: [], default_target: { queue: "Inbound" } });
    for (const name of ["Alpha", "Bravo", "Charlie"]) await s.post("/api/v1/leads", { last_name: name, country: "US" });
    expect((await s.services.routing.insights.applyToUnowned(ctx, "New leads", { last: 3 })).assigned).toBe(3);
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
    await page.getByLabel("Email").fill(`${who.toLowerCase()}@queues.test`);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${s.url}${path}`);
  };
  const member = (page: Page, n: number) => page.getByRole("group", { name: `Member ${n}` });
  const choosePerson = async (page: Page, n: number, name: string) =>
    await member(page, n)
      .getByLabel("Person")
      .selectOption({ label: `${name} (${name.toLowerCase()}@queues.test)` });
  /** A table's rows as their cells' text, header row left out. */
  const rows = async (page: Page, table: string) =>
    (await page.getByRole("table", { name: table }).getByRole("row").allInnerTexts())
      .slice(1)
      .map((r) => r.split("\t").map((c) => c.trim()));

  it("an admin creates a weighted queue with two members and sees it listed", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Ada", "/routing/queues");
    await page.getByRole("link", { name: "New queue" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Web leads");
    await page.getByLabel("Description").fill("Leads from the web form.");
    await page.getByRole("radio", { name: /Weighted round-robin/ }).check();
    await choosePerson(page, 1, "Rita");
    await member(page, 1).getByLabel("Weight").fill("3");
    await page.getByRole("button", { name: "Add a member" }).click();
    await choosePerson(page, 2, "Kenji");
    await member(page, 2).getByLabel("Weight").fill("1");
    await page.getByRole("radio", { name: /Hold the record in this queue/ }).check();
    await screenshot(page, "routing-queue-new");
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Create queue" }).click();
    await page.waitForURL(`${s.url}/routing/queues`);
    const card = page.getByRole("region", { name: "Web leads" });
    await card.waitFor();
    expect(await card.textContent()).toContain("Weighted round-robin");
    expect(await card.textContent()).toContain("hold until someone is free");
    expect((await rows(page, "Members of Web leads")).map((r) => r.slice(0, 2))).toEqual([
      ["Rita", "3"],
      ["Kenji", "1"],
    ]);
    const saved = await queueNamed("Web leads");
    expect(saved).toMatchObject({
      strategy: "weighted_round_robin",
      description: "Leads from the web form.",
      fallback: { hold: true },
      members: [
        { user_id: people.Rita?.id, weight: 3, capacity: null },
        { user_id: people.Kenji?.id, weight: 1, capacity: null },
      ],
    });
    expect(problems).toEqual([]);
  });

  it("a weight of 0 shows the server's problem by the field, keeps what was typed and saves nothing", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Ada", "/routing/queues/new");
    await page.getByLabel("Name", { exact: true }).fill("Zero weights");
    await page.getByRole("radio", { name: /Weighted round-robin/ }).check();
    await choosePerson(page, 1, "Rita");
    await member(page, 1).getByLabel("Weight").fill("0");
    await page.getByRole("button", { name: "Create queue" }).click();
    const weight = member(page, 1).getByLabel("Weight");
    await page.locator("#member-0-weight-error").waitFor();
    expect(await page.locator("#member-0-weight-error").textContent()).toContain("a weight is a whole number above 0");
    expect(await weight.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("alert").textContent()).toContain("Member 1, weight");
    // What was typed is still there, on the same page, and the server kept nothing.
    expect(await weight.inputValue()).toBe("0");
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("Zero weights");
    expect(await member(page, 1).getByLabel("Person").inputValue()).toBe(people.Rita?.id);
    expect(page.url()).toBe(`${s.url}/routing/queues/new`);
    expect(await queueNamed("Zero weights")).toBeUndefined();
    await screenshot(page, "routing-queue-weight-refused");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("least loaded asks how open work is counted, and the builder's condition editor says which items count", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Ada", "/routing/queues/new");
    await page.getByLabel("Name", { exact: true }).fill("Least loaded desk");
    await page.getByRole("radio", { name: /Least loaded/ }).check();
    await choosePerson(page, 1, "Kenji");
    await page.getByRole("button", { name: "Create queue" }).click();
    // The server's refusal at `load`, by the control that sets it.
    await page.locator("#load-object-error").waitFor();
    expect(await page.locator("#load-object-error").textContent()).toContain("the least-loaded strategy needs a load");
    expect(await page.getByLabel("Count open").getAttribute("aria-invalid")).toBe("true");
    await page.getByLabel("Count open").selectOption({ label: "leads" });
    expect(await page.getByLabel("Owned through").inputValue()).toBe("owner_id");
    const where = page.getByRole("group", { name: "Which leads count as open" });
    await where.getByRole("button", { name: "Add a condition" }).click();
    await where.getByLabel("About").selectOption({ label: "Status" });
    await where.getByLabel("Comparison").selectOption({ label: "is one of" });
    await where.getByRole("checkbox", { name: "New" }).check();
    await where.getByRole("checkbox", { name: "Working" }).check();
    await screenshot(page, "routing-queue-load");
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Create queue" }).click();
    await page.waitForURL(`${s.url}/routing/queues`);
    await page.getByRole("region", { name: "Least loaded desk" }).waitFor();
    expect((await queueNamed("Least loaded desk"))?.load).toEqual({
      object: "lead",
      owner_field: "owner_id",
      where: { field: "status", op: "in", value: ["new", "working"] },
    });
    expect(problems).toEqual([]);
  });

  it("an admin changes a member's cap and the queue keeps it", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Ada", "/routing/queues");
    await page.getByRole("link", { name: "Edit Inbound" }).click();
    await page.waitForURL(`${s.url}/routing/queues/${queues.Inbound?.id}`);
    const cap = member(page, 1).getByLabel("Cap (open items)");
    expect(await cap.inputValue()).toBe("");
    await cap.fill("5");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved as version 2.").waitFor();
    const saved = await queueNamed("Inbound");
    expect(saved?.members).toEqual([
      { user_id: people.Rita?.id, name: "Rita", weight: 2, capacity: 5 },
      { user_id: people.Kenji?.id, name: "Kenji", weight: 1, capacity: null },
    ]);
    await page.reload();
    expect(await member(page, 1).getByLabel("Cap (open items)").inputValue()).toBe("5");
    expect(await member(page, 2).getByLabel("Cap (open items)").inputValue()).toBe("");
    expect(problems).toEqual([]);
  });

  it("a fallback that would go round in a circle is refused with the server's message by the fallback", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Ada", `/routing/queues/${queues["Night desk"]?.id}`);
    await page.getByRole("radio", { name: "Send it to another queue" }).check();
    await page.getByLabel("Fallback queue").selectOption({ label: "Day desk" });
    await page.getByRole("button", { name: "Save changes" }).click();
    const error = page.locator("#fallback-queue-error");
    await error.waitFor();
    expect(await error.textContent()).toContain("queue fallbacks would go round in a circle: Night desk → Day desk → Night desk");
    expect(await page.getByLabel("Fallback queue").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Fallback queue").inputValue()).toBe(queues["Day desk"]?.id);
    expect((await queueNamed("Night desk"))?.fallback).toEqual({ hold: true });
    expect(problems).toEqual([]);
  });

  it("the records held in a queue are listed on its page, each a link to the record", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Ada", `/routing/queues/${queues["Night desk"]?.id}`);
    const held = page.getByRole("table", { name: "Held in Night desk" });
    await held.waitFor();
    await held.getByRole("link", { name: "Sleepy" }).click();
    await page.waitForURL(`${s.url}/records/leads/${sleepy.id}`);
    expect(problems).toEqual([]);
  });

  it("deleting a queue a rule set uses is refused, and the dialog says who uses it", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Ada", `/routing/queues/${queues.Inbound?.id}`);
    await page.getByRole("button", { name: "Delete Inbound queue…" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Delete the queue Inbound?" });
    await dialog.getByRole("button", { name: "Delete queue" }).click();
    const alert = dialog.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("queue Inbound is still used by rule set New leads");
    expect(await dialog.isVisible()).toBe(true);
    await screenshot(page, "routing-queue-delete-refused");
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Keep it as it is" }).click();
    expect(await queueNamed("Inbound")).toBeDefined();
    expect(problems).toEqual([]);
  });

  it("an unused queue is deleted after the confirmation and leaves the list", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Ada", "/routing/queues");
    await page.getByRole("link", { name: "Edit Spare" }).click();
    await page.getByRole("button", { name: "Delete Spare queue…" }).click();
    await page.getByRole("alertdialog", { name: "Delete the queue Spare?" }).getByRole("button", { name: "Delete queue" }).click();
    await page.waitForURL(`${s.url}/routing/queues`);
    await page.getByRole("region", { name: "Inbound" }).waitFor();
    expect(await page.getByRole("region", { name: "Spare" }).count()).toBe(0);
    expect(await queueNamed("Spare")).toBeUndefined();
    expect((await s.api(`/api/v1/routing/queues/${queues.Spare?.id}`)).status).toBe(404);
    expect(problems).toEqual([]);
  });

  it("the distribution of the last 30 days shows each member's number and share as text", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Ada", "/routing/queues");
    const table = page.getByRole("table", { name: "Members of Inbound" });
    await table.getByText("3 assigned").waitFor();
    // Member, weight, cap, records, share (the bar repeats the share and is hidden from screen readers).
    expect((await rows(page, "Members of Inbound")).map((r) => r.slice(0, 5))).toEqual([
      ["Rita", "2", "5", "2", "67 %"],
      ["Kenji", "1", "their own capacity", "1", "33 %"],
    ]);
    expect(await page.getByRole("region", { name: "Night desk" }).textContent()).toContain("1 held");
    await screenshot(page, "routing-queues-list");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("a rep reads the queues without any control to change them", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Rita", "/routing/queues");
    await page.getByRole("region", { name: "Inbound" }).waitFor();
    await page.getByText("Only admins and managers change queues").waitFor();
    expect(await page.getByRole("link", { name: "New queue" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: /^Edit / }).count()).toBe(0);
    expect(
      await page
        .getByRole("button")
        .filter({ hasText: /Delete|Save|Create/ })
        .count(),
    ).toBe(0);
    expect((await rows(page, "Members of Inbound"))[0]?.slice(0, 4)).toEqual(["Rita", "2", "5", "2"]);
    // Typing the editor's address gets a clear refusal, not a form.
    await page.goto(`${s.url}/routing/queues/${queues.Inbound?.id}`);
    await page.getByRole("heading", { name: "Only admins and managers can see this page" }).waitFor();
    expect(await page.getByRole("textbox").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
