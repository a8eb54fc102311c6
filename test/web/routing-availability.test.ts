/**
 * Working hours with several spans a day on My availability, in Chromium (issue 16): a rep in
 * Paris splits Monday into 09:00–12:00 and 13:00–17:00 by keyboard and mouse, saves, reloads and
 * sees both; a span that overlaps another and one that ends before it starts are refused by the
 * span, with nothing saved; removing the bad span and copying Monday to the weekdays saves. Then
 * routing honours the spans: the real router (the rule set's simulation, which writes nothing)
 * run at Monday 12:30 in Paris excludes the rep as outside working hours, and at 13:30 takes her.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { buildServices } from "../../src/composition/root.js";
import { accessibilityViolations, openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;
const PASSWORD = "availability-test-password-1";
const NINE_TO_FIVE = Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["09:00", "17:00"]]]));
const SPLIT = [
  ["09:00", "12:00"],
  ["13:00", "17:00"],
];

describe("working hours with several spans a day, in Chromium", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let rita: Json;
  let kai: Json;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t, {}, { worker: true });
    const person = async (name: string, extra: Json) => {
      const u = await s.post("/api/v1/users", { name, email: `${name.toLowerCase()}@hours.test`, role: "rep", ...extra });
      await s.json(`/api/v1/users/${u.id}/password`, { method: "PUT", json: { password: PASSWORD } });
      return u;
    };
    rita = await person("Rita", { time_zone: "Europe/Paris", working_hours: NINE_TO_FIVE });
    // Always at work: the queue always has someone to give the lead to.
    kai = await person("Kai", { time_zone: "UTC" });
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  const saved = async () => (await s.get(`/api/v1/routing/availability/${rita.id}`)).working_hours as Json;
  const spanInput = (page: Page, day: string, n: number, part: "from" | "until") =>
    page.getByLabel(`${day}, span ${n}, ${part}`, { exact: true });
  const save = async (page: Page) => page.getByRole("button", { name: "Save availability" }).click();

  it("a rep splits Monday into two spans, saves, and sees both after a reload", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, s.url, "rita@hours.test", { password: PASSWORD, path: "/routing/availability" });
    const monday = page.getByRole("list", { name: "Monday spans" });
    await monday.waitFor();
    expect(await monday.getByRole("listitem").count()).toBe(1);
    expect(await spanInput(page, "Monday", 1, "until").inputValue()).toBe("17:00");

    await spanInput(page, "Monday", 1, "until").fill("12:00");
    // Add a span by keyboard: the new span's first input takes the focus.
    await page.getByRole("button", { name: "Add a span on Monday" }).focus();
    await page.keyboard.press("Enter");
    const from2 = spanInput(page, "Monday", 2, "from");
    await from2.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(await from2.getAttribute("id"));
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("13:00");
    await page.keyboard.press("Tab");
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("17:00");
    await save(page);
    await page.getByText("Saved.").waitFor();
    expect((await saved()).mon).toEqual(SPLIT);
    expect((await saved()).tue).toEqual([["09:00", "17:00"]]);

    await page.reload();
    await monday.waitFor();
    expect(await monday.getByRole("listitem").count()).toBe(2);
    const shown = [];
    for (const n of [1, 2])
      shown.push([await spanInput(page, "Monday", n, "from").inputValue(), await spanInput(page, "Monday", n, "until").inputValue()]);
    expect(shown).toEqual(SPLIT);
    await screenshot(page, "routing-availability-split");
    expect(await accessibilityViolations(page)).toEqual([]);
    // 200 % zoom: the days stack, the page keeps its width.
    await page.setViewportSize({ width: 640, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(640);
    await screenshot(page, "routing-availability-narrow");
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(problems).toEqual([]);
  });

  it("refuses an overlapping span and one that ends before it starts, by the span, and saves nothing", async () => {
    const { page, problems } = await browser.page();
    await page.goto(`${s.url}/routing/availability`);
    await page.getByRole("list", { name: "Monday spans" }).waitFor();
    const before = await s.get(`/api/v1/users/${rita.id}`);

    await page.getByRole("button", { name: "Add a span on Monday" }).click();
    await spanInput(page, "Monday", 3, "from").fill("11:30");
    await spanInput(page, "Monday", 3, "until").fill("12:30");
    await save(page);
    const alert = page.getByRole("alert").filter({ hasText: "Not saved" });
    await alert.waitFor();
    expect(await alert.textContent()).toBe("Not saved: some working hours need fixing (see the spans marked above).");
    const until3 = spanInput(page, "Monday", 3, "until");
    expect(await until3.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await until3.getAttribute("aria-describedby"))?.split(" ") ?? [];
    const message = page.locator(`[id="${describedBy.at(-1)}"]`);
    expect(await message.textContent()).toBe("Overlaps 09:00–12:00: the spans of a day must not overlap.");
    // The spans that are right are not marked.
    expect(await spanInput(page, "Monday", 2, "until").getAttribute("aria-invalid")).toBeNull();
    await screenshot(page, "routing-availability-overlap");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Fixed as it is typed (the check stays on once a save was tried): now it ends before it starts.
    await spanInput(page, "Monday", 3, "from").fill("18:00");
    await spanInput(page, "Monday", 3, "until").fill("17:30");
    expect(await message.textContent()).toBe("The end must be after the start (a span past midnight is two spans, on two days).");
    await save(page);
    await alert.waitFor();
    // Nothing was sent, so nothing changed.
    const after = await s.get(`/api/v1/users/${rita.id}`);
    expect(after.version).toBe(before.version);
    expect(after.working_hours.mon).toEqual(SPLIT);

    // Removed with its button; the focus goes to the day's Add button.
    await page.getByRole("button", { name: "Remove Monday 18:00–17:30" }).click();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Add a span on Monday");
    expect(await page.getByRole("list", { name: "Monday spans" }).getByRole("listitem").count()).toBe(2);
    await page.getByRole("button", { name: "Copy Monday to weekdays" }).click();
    await page.getByText("Tuesday to Friday now have Monday's hours.").waitFor();
    await save(page);
    await page.getByText("Saved.").waitFor();
    const hours = await saved();
    for (const day of ["mon", "tue", "wed", "thu", "fri"]) expect(hours[day]).toEqual(SPLIT);
    expect(hours.sat).toBeUndefined();
    expect(problems).toEqual([]);
  });

  it("the API refuses overlapping spans too, at the span's path, whoever writes them", async () => {
    const overlapping = { mon: [...SPLIT, ["11:00", "14:00"]] };
    const viaAvailability = await s.api(`/api/v1/routing/availability/${rita.id}`, {
      method: "PATCH",
      json: { working_hours: overlapping },
    });
    expect(viaAvailability.status).toBe(422);
    expect(((await viaAvailability.json()) as Json).errors).toEqual([
      { path: "working_hours.mon[2]", code: "invalid_value", message: "overlaps 09:00–12:00: the spans of a day must not overlap" },
    ]);
    const viaRecord = await s.api(`/api/v1/users/${rita.id}`, { method: "PATCH", json: { working_hours: overlapping } });
    expect(viaRecord.status).toBe(422);
    expect(JSON.stringify(await viaRecord.json())).toContain("mon: spans 09:00–12:00 and 11:00–14:00 overlap");
    expect((await saved()).mon).toEqual(SPLIT);
  });

  it("routing honours the spans: at 12:30 in Paris the rep is outside working hours, at 13:30 she is in", async () => {
    await s.post("/api/v1/routing/queues", {
      name: "Inbound",
      strategy: "round_robin",
      members: [{ user_id: rita.id }, { user_id: kai.id }],
    });
    await s.post("/api/v1/routing/rule-sets", { name: "Leads", object: "lead", rules: [], default_target: { queue: "Inbound" } });
    await s.post("/api/v1/leads", { last_name: "Lunchtime" });
    // The real router on the saved availability, at an instant of our choosing (2026-12-07 is a
    // Monday; Paris is UTC+1 in December). The simulation writes nothing.
    const at = (iso: string) =>
      buildServices(t.store, { now: () => new Date(iso) }).routing.insights.simulate(systemContext(s.workspace.id), "Leads", { last: 1 });
    const rita12 = (await at("2026-12-07T11:30:00Z")).decisions[0]?.candidates.find((c) => c.user_id === rita.id);
    expect(rita12).toMatchObject({
      eligible: false,
      reason_code: "outside_hours",
      reason: "outside working hours, Mon 12:30 in Europe/Paris",
    });
    const rita13 = (await at("2026-12-07T12:30:00Z")).decisions[0]?.candidates.find((c) => c.user_id === rita.id);
    expect(rita13).toMatchObject({ eligible: true, reason: null });
    const rita11 = (await at("2026-12-07T10:30:00Z")).decisions[0]?.candidates.find((c) => c.user_id === rita.id);
    expect(rita11).toMatchObject({ eligible: true });
  });
});
