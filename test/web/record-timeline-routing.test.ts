/**
 * Routing's decisions on the record page's timeline, in Chromium, on the seeded demo workspace
 * (issue 16): a rep opens a demo lead the rule set "Inbound lead routing" sent to the queue
 * Americas inbound, finds the decision on the timeline ("Assigned to … by queue Americas inbound
 * (weighted round-robin)"), opens it with the keyboard and reads each excluded candidate's reason
 * — the rep who switched themself off, the West-coast reps still outside their hours — then
 * closes it again. Whether the queue decides depends on the hour (its reps' working hours), so
 * the demo is seeded with its clock on a Tuesday at 15:30 UTC: mid-morning in New York.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServices } from "../../src/composition/root.js";
import { seedDemo } from "../../src/seed/demo.js";
import { accessibilityViolations, openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;

/** The latest Tuesday 15:30 UTC before now. */
function lastTuesdayAfternoon(): Date {
  const d = new Date();
  d.setUTCHours(15, 30, 0, 0);
  while (d.getUTCDay() !== 2 || d.getTime() > Date.now()) d.setUTCDate(d.getUTCDate() - 1);
  return d;
}

describe("routing decisions on the record page's timeline (demo workspace)", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let decision: Json;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t, {}, { worker: true });
    const seededAt = lastTuesdayAfternoon();
    const { workspace } = await seedDemo(buildServices(t.store, { now: () => new Date(seededAt) }), { recipes: false });
    const admin = (await s.services.tokens.create(workspace.id, "timeline test", "admin")).secret;
    const reasons = (await s.json("/api/v1/routing/assignments?limit=200", { as: admin })).data as Json[];
    // A lead the Americas queue assigned, with the rep who switched themself off among its candidates.
    decision = reasons.find(
      (a) =>
        a.outcome === "assigned" && a.queue?.name === "Americas inbound" && a.candidates.some((c: Json) => c.reason_code === "unavailable"),
    ) as Json;
    expect(decision).toBeDefined();
    browser = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  it("a rep opens the assignment entry with the keyboard and reads why each candidate was excluded", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, s.url, "rep1@demo.handoff.test", { path: `/records/leads/${decision.record_id}` });
    await page.getByRole("heading", { level: 1, name: decision.record_name }).waitFor();
    const timeline = page.getByRole("list", { name: "Timeline, newest first" });
    const named = { name: `Assigned to ${decision.user_name} by queue Americas inbound (weighted round-robin)`, exact: true };
    const entry = timeline.getByRole("button", named);
    await entry.waitFor();
    expect(await entry.getAttribute("aria-expanded")).toBe("false");
    const body = page.locator(`[id="${await entry.getAttribute("aria-controls")}"]`);
    expect(await body.isHidden()).toBe(true);
    // Its place: the decision is a "Routing" entry, with its time.
    const item = timeline.getByRole("listitem").filter({ has: page.getByRole("button", named) });
    expect(await item.textContent()).toMatch(/^Routing/);
    expect(await item.locator("time").getAttribute("datetime")).toBe(decision.at);

    await entry.focus();
    await page.keyboard.press("Enter");
    expect(await entry.getAttribute("aria-expanded")).toBe("true");
    await body.waitFor();
    expect(await body.textContent()).toContain("Decided when an admin applied the rule set to records without an owner.");
    expect(await body.getByRole("list", { name: "Rules checked" }).textContent()).toContain("Did not match: Enterprise (1,000+ employees)");
    expect(await body.textContent()).toContain("Queue Americas inbound, Weighted round-robin.");
    const candidates = body.getByRole("table", { name: "Candidates" });
    const off = decision.candidates.find((c: Json) => c.reason_code === "unavailable");
    expect(await candidates.getByRole("row", { name: new RegExp(off.name) }).textContent()).toBe(
      `${off.name}Excludedswitched to unavailable`,
    );
    const west = decision.candidates.find((c: Json) => c.reason_code === "outside_hours");
    expect(await candidates.getByRole("row", { name: new RegExp(west.name) }).textContent()).toMatch(
      /Excludedoutside working hours, Tue 0[78]:30 in America\/Los_Angeles$/,
    );
    expect(await candidates.getByRole("row", { name: new RegExp(decision.user_name) }).textContent()).toContain("Eligible");
    await screenshot(page, "record-timeline-routing-open");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Space closes it again; focus stays on the entry.
    await page.keyboard.press("Space");
    expect(await entry.getAttribute("aria-expanded")).toBe("false");
    expect(await body.isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-controls"))).toBe(
      await entry.getAttribute("aria-controls"),
    );
    expect(problems).toEqual([]);
  });
});
