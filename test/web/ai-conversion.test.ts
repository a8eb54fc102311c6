/**
 * Conversion models and AI predictions in scoring, in Chromium on the seeded demo workspace
 * (issue 24; docs/ai.md "Conversion models", docs/scoring.md "AI prediction rules"), as the
 * demo's admin and a rep use the pages:
 * - the AI models page shows the demo's "Lead conversion": what it learns (converted =
 *   converted; lost = unqualified; 3 activity types and 3 fields; 50 %), its held-out figures over
 *   converted and lost (read against the API's), and Try it on a lead found by name: its chance
 *   to convert as the API predicts it, with the reasons;
 * - the New model form, its kind chosen by keyboard: a conversion model of deals (stage, won /
 *   lost values, activity types), a value that cannot be both converted and lost, the server's
 *   refusal without a lost value shown by the lost box, then made;
 * - the lead scoring model's editor: a fit rule turned into an AI prediction, offered only the
 *   conversion models of leads, refused without a model (the problem by the select), accepted
 *   with Lead conversion (a new version, rescored);
 * - a lead's record page: the demo's "Predicted to convert" rule in the breakdown with its points
 *   to one decimal, out of its most, as the API scores it, beside the Chance to convert the model
 *   gives; after a change of its company size, the ledger's row saying what the rule gives now, with
 *   the chance the model gave and what raised it;
 * - a rep reading the scoring model: the prediction rule in words, every control disabled.
 * Screenshots of each page; axe on each.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../../src/seed/demo.js";
import { DEMO_CONVERSION_MODEL } from "../../src/seed/demo-conversion.js";
import { DEMO_SCORE_MODEL } from "../../src/seed/demo-scoring.js";
import { percent } from "../../web/src/pages/record/prediction-words.js";
import { accessibilityViolations, openBrowser, SCREENSHOTS, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;

const MODEL = DEMO_CONVERSION_MODEL;
const DEMO_RULE = "Predicted to convert";
const REP = "rep1@demo.handoff.test";

/** As the AI models page writes a share: "85.4 %". */
const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
/** As the Score panel writes a rule's points: "+27.4". */
const signed = (x: number) => {
  const r = Math.round(x * 10) / 10;
  return r > 0 ? `+${r}` : r < 0 ? `−${Math.abs(r)}` : "0";
};

/** A screenshot of one part of a long page (the scoring editor is thousands of pixels tall). */
async function partShot(part: Locator, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await part.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

describe("conversion models and AI predictions in scoring (demo workspace)", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let token: string;
  const demo = async (path: string, init: RequestInit & { json?: unknown } = {}): Promise<Json> => {
    const res = await s.api(path, { ...init, as: token });
    expect(res.status, path).toBeLessThan(300);
    return (await res.json()) as Json;
  };

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t, {}, { worker: true });
    const { workspace } = await seedDemo(s.services, { recipes: false });
    token = (await s.services.tokens.create(workspace.id, "ai conversion test", "admin")).secret;
    // Publishing a scoring version rescores in the background, as `serve` runs it.
    s.services.rescorer.start();
    browser = await openBrowser();
  }, 240_000);
  afterAll(async () => {
    await s?.services.rescorer.stop();
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  async function asAdmin(path: string): Promise<{ page: Page; problems: string[] }> {
    await browser.context.clearCookies();
    const tab = await browser.page();
    await signIn(tab.page, s.url, DEMO_ADMIN_EMAIL, { path });
    return tab;
  }

  it("shows Lead conversion with its quality, and tries it on a lead found by name", async () => {
    const { page, problems } = await asAdmin("/ai");
    const card = page.getByRole("region", { name: MODEL });
    await card.waitFor();
    expect(await card.locator("p").first().textContent()).toMatch(
      /^Predicts the chance a lead converts: converted = converted; lost = unqualified \(its status\); reads 3 activity types \(call, email, meeting\) and the values of source, employee_count, title\. A chance of 50 % or more is predicted to convert\. On — The chance a lead converts/,
    );

    const model = await demo(`/api/v1/ai/models/${encodeURIComponent(MODEL)}`);
    const q = model.training.quality;
    const figure = async (label: string) => card.locator("p", { hasText: label }).locator("strong").first().textContent();
    expect(await figure("Accuracy on held-out leads")).toBe(pct(q.accuracy));
    expect(await figure(`Always answering “${q.baselineLabel}”`)).toBe(pct(q.baseline));
    await card.getByText("Ready: it has enough converted and lost examples, so it can be turned on.").waitFor();
    const perLabel = card.getByRole("table", { name: `${MODEL}: quality per label` });
    expect(await perLabel.getByRole("columnheader").first().textContent()).toBe("Outcome");
    for (const label of ["converted", "lost"]) {
      const c = q.classes.find((x: Json) => x.label === label);
      const row = perLabel.getByRole("row", { name: new RegExp(`^${label}`) });
      expect((await row.getByRole("cell").allTextContents()).slice(0, 2)).toEqual([pct(c.precision), pct(c.recall)]);
    }
    // Only classify steps write predictions people correct: no override table for a conversion model.
    expect(await card.getByText("How often people correct it").count()).toBe(0);

    // Try it on a real lead, found by name as a person does: its chance to convert, as the API says.
    const lead = ((await demo("/api/v1/leads?limit=1")).data as Json[])[0] as Json;
    const tryIt = card.getByRole("form", { name: `Try ${MODEL}` });
    await tryIt.getByText(/^Find a lead by name/).click();
    await tryIt.getByLabel(/^Find lead to try/).fill(lead.last_name);
    await tryIt.getByLabel(/^Find lead to try/).press("Enter");
    await tryIt
      .getByRole("button", { name: new RegExp(lead.last_name) })
      .first()
      .click();
    expect(await tryIt.getByLabel("A lead of yours (its id)").inputValue()).toMatch(/^[0-9a-z]{26}$/);
    const picked = await tryIt.getByLabel("A lead of yours (its id)").inputValue();
    await tryIt.getByRole("button", { name: "Predict" }).click();
    const said = await demo(`/api/v1/ai/models/${encodeURIComponent(MODEL)}/predict`, {
      method: "POST",
      json: { record_id: picked },
    });
    await tryIt.getByText(`Chance to convert: ${pct(said.probabilities.converted)}`).waitFor();
    const why = await tryIt.getByRole("list", { name: "Why" }).getByRole("listitem").allTextContents();
    expect(why).toEqual(said.reasons.map((r: Json) => `because of ${r.text}`));
    // Or a lead described here by the fields it reads: the API's answer for the same fields.
    await tryIt.getByLabel("A lead of yours (its id)").fill("");
    const describe = tryIt.getByRole("group", { name: "Or describe a lead (with the id empty)" });
    await describe.getByLabel("Source").fill("referral");
    await describe.getByLabel("Company size (employees)").fill("1500");
    await describe.getByLabel("Job title").fill("CEO");
    await tryIt.getByRole("button", { name: "Predict" }).click();
    const described = await demo(`/api/v1/ai/models/${encodeURIComponent(MODEL)}/predict`, {
      method: "POST",
      json: { record: { source: "referral", employee_count: 1500, title: "CEO" } },
    });
    await tryIt.getByText(`Chance to convert: ${pct(described.probabilities.converted)}`).waitFor();
    // Said to have had two meetings, the described lead is the API's answer with those activities, and says so.
    await describe.getByLabel("Meetings logged").fill("2");
    await tryIt.getByRole("button", { name: "Predict" }).click();
    const met = await demo(`/api/v1/ai/models/${encodeURIComponent(MODEL)}/predict`, {
      method: "POST",
      json: { record: { source: "referral", employee_count: 1500, title: "CEO" }, activities: { meeting: 2 } },
    });
    expect(met.probabilities.converted).not.toBe(described.probabilities.converted);
    await tryIt.getByText(`Chance to convert: ${pct(met.probabilities.converted)}`).waitFor();
    await tryIt.getByRole("list", { name: "Why" }).getByText("because of 2 meetings logged").waitFor();
    // A count the API refuses is said by the form, not lost.
    await describe.getByLabel("Meetings logged").fill("1.5");
    await tryIt.getByRole("button", { name: "Predict" }).click();
    await tryIt.getByRole("alert").filter({ hasText: "Could not predict: activities.meeting: a whole number of activities" }).waitFor();
    expect(await tryIt.getByText("Chance to convert:").count()).toBe(0);
    await describe.getByLabel("Meetings logged").fill("2");
    await tryIt.getByRole("button", { name: "Predict" }).click();
    await tryIt.getByText(`Chance to convert: ${pct(met.probabilities.converted)}`).waitFor();
    expect(await tryIt.getByRole("alert").count()).toBe(0);
    await partShot(card, "ai-conversion-model");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);

  it("makes a conversion model of deals in the New model form, its kind chosen by keyboard", async () => {
    const { page, problems } = await asAdmin("/ai");
    const form = page.getByRole("form", { name: "New model" });
    const kind = form.getByRole("group", { name: "What should it learn?" });
    await kind.getByRole("radio", { name: "A field's value (classifier)" }).focus();
    await page.keyboard.press("ArrowDown");
    expect(await kind.getByRole("radio", { name: "The chance a record converts" }).isChecked()).toBe(true);
    // A conversion model starts on leads' status, at 50 % (the field's select shows it once the lead's fields are read).
    await expect.poll(() => form.getByLabel("Learns from").inputValue()).toBe("lead");
    await expect.poll(() => form.getByLabel("Outcome field").inputValue()).toBe("status");
    await expect.poll(() => form.getByLabel("Predicted to convert from").inputValue()).toBe("0.5");

    await form.getByLabel("Name", { exact: true }).fill("Deal wins");
    await form.getByLabel("Learns from").selectOption({ label: "Deal" });
    // Only choice fields can be the outcome.
    const outcomes = await form.getByLabel("Outcome field").locator("option").allTextContents();
    expect(outcomes).toEqual(["Choose a choice field", "Stage"]);
    await form.getByLabel("Outcome field").selectOption({ label: "Stage" });
    const won = form.getByRole("group", { name: "Values that mean the deal converted" });
    const lost = form.getByRole("group", { name: "Values that mean the deal was lost" });
    await won.getByRole("checkbox", { name: "closed_won" }).check();
    // A value cannot be both.
    expect(await lost.getByRole("checkbox", { name: "closed_won" }).isDisabled()).toBe(true);
    const activities = form.getByRole("group", { name: "Counts the activities of type" });
    await activities.getByRole("checkbox", { name: "call" }).check();
    await activities.getByRole("checkbox", { name: "meeting" }).check();
    await form.getByRole("group", { name: "Reads the values of" }).getByRole("checkbox", { name: "Amount" }).check();

    // No lost value: the server refuses, and says so by the lost box; nothing is made.
    await form.getByRole("button", { name: "Make model" }).click();
    await form
      .getByRole("alert")
      .getByText(/^lost: /)
      .waitFor();
    expect(await lost.getAttribute("aria-invalid")).toBe("true");
    const said =
      (
        await form
          .getByRole("alert")
          .getByText(/^lost: /)
          .textContent()
      )?.replace(/^lost: /, "") ?? "";
    expect(said).not.toBe("");
    await lost.getByText(said).waitFor();
    expect(((await demo("/api/v1/ai/models")).data as Json[]).some((m) => m.name === "Deal wins")).toBe(false);
    await screenshot(page, "ai-conversion-refused");

    await lost.getByRole("checkbox", { name: "closed_lost" }).check();
    await form.getByRole("button", { name: "Make model" }).click();
    const card = page.getByRole("region", { name: "Deal wins" });
    await card.getByText(/^Not trained yet: training reads the deals whose stage is closed_won or closed_lost/).waitFor();
    expect(await card.locator("p").first().textContent()).toBe(
      "Predicts the chance a deal converts: converted = closed_won; lost = closed_lost (its stage); reads 2 activity types (call, meeting) and the values of amount. A chance of 50 % or more is predicted to convert. Off",
    );
    const made = ((await demo("/api/v1/ai/models")).data as Json[]).find((m) => m.name === "Deal wins") as Json;
    expect(made).toMatchObject({
      kind: "conversion",
      object: "deal",
      target: "stage",
      converted: ["closed_won"],
      lost: ["closed_lost"],
      activity_types: ["call", "meeting"],
      value_fields: ["amount"],
      text_fields: [],
      threshold: 0.5,
    });
    await screenshot(page, "ai-conversion-made");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);

  it("adds an AI prediction fit rule in the lead scoring model's editor: refused without a model, published with one", async () => {
    const { page, problems } = await asAdmin(`/scoring/${DEMO_SCORE_MODEL}`);
    const before = await demo(`/api/v1/scoring/models/${DEMO_SCORE_MODEL}`);
    const form = page.getByRole("form", { name: `Edit ${before.name}` });
    await form.waitFor();
    await form.getByRole("button", { name: "Add a fit group" }).click();
    const group = form.getByRole("group", { name: /^Group \d+$/ }).last();
    await group.getByLabel("Group name").fill("Intent");
    const rule = form.getByRole("group", { name: "Intent" });
    await rule.getByLabel("Rule 1", { exact: true }).fill("Likely to convert");
    const kinds = rule.getByRole("group", { name: "Likely to convert gives points for" });
    await kinds.getByRole("radio", { name: /^AI prediction/ }).check();
    const select = rule.getByLabel("AI model Likely to convert reads");
    // Only the conversion models of leads: not the ticket classifier, not the deals' model.
    expect(await select.locator("option").allTextContents()).toEqual(["Choose a model…", MODEL]);
    await rule.getByLabel("Most points for Likely to convert").fill("20");
    await form.getByLabel("What changed and why").fill("Leads the AI expects to convert.");

    await form.getByRole("button", { name: `Publish version ${before.version + 1}` }).click();
    await page.getByRole("alert").filter({ hasText: "Not published" }).waitFor();
    expect(await select.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("alert").textContent()).toContain("Fit › Intent › Likely to convert:");
    await partShot(rule, "ai-conversion-rule-refused");

    await select.selectOption({ label: MODEL });
    await rule
      .getByText("Gives the chance to convert × 20 points from AI model Lead conversion: at most 20; a 75 % chance gives 15.")
      .waitFor();
    await form.getByRole("button", { name: `Publish version ${before.version + 1}` }).click();
    await page
      .getByTestId("rescore-words")
      .filter({ hasText: new RegExp(`^Done: .* under version ${before.version + 1}`) })
      .waitFor({ timeout: 400_000 });
    const after = await demo(`/api/v1/scoring/models/${DEMO_SCORE_MODEL}`);
    const intent = (after.definition.fit.groups as Json[]).find((g) => g.label === "Intent") as Json;
    expect(intent.rules).toEqual([{ key: "likely_to_convert", label: "Likely to convert", prediction: MODEL, points: 20 }]);
    await partShot(form.getByRole("group", { name: "Intent" }), "ai-conversion-rule-published");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 600_000);

  it("shows a lead's prediction points with a decimal, out of their most, in its score breakdown", async () => {
    // A lead whose demo prediction rule gives points that are not whole, found through the API.
    const leads = (await demo("/api/v1/leads?limit=100")).data as Json[];
    let found: { id: string; current: number; points: number } | undefined;
    for (const l of leads) {
      const scores = (await demo(`/api/v1/leads/${l.id}/score`)).data as Json[];
      const r = (scores[0]?.groups as Json[] | undefined)?.flatMap((g) => g.rules as Json[]).find((x) => x.label === DEMO_RULE);
      if (r && !Number.isInteger(r.current) && r.current > 1) {
        found = { id: l.id, current: r.current, points: r.points };
        break;
      }
    }
    expect(found).toBeDefined();
    const lead = found as { id: string; current: number; points: number };
    const { page, problems } = await asAdmin(`/records/leads/${lead.id}`);
    const breakdown = page.getByTestId("score").getByRole("table", { name: /^Breakdown of / });
    const row = breakdown.getByRole("row").filter({ hasText: DEMO_RULE });
    await row.waitFor();
    expect(await row.getByRole("cell").last().textContent()).toBe(
      `${signed(lead.current)} of ${lead.points}${MODEL}’s chance to convert × ${lead.points}`,
    );
    expect(signed(lead.current)).toMatch(/^\+\d+\.\d$/);
    await partShot(breakdown, "ai-conversion-breakdown");
    // Beside it, the chance the rule reads, as the model says it of this lead now.
    const said = await demo(`/api/v1/ai/models/${encodeURIComponent(MODEL)}/predict`, { method: "POST", json: { record_id: lead.id } });
    const chance = page.getByTestId("conversion-chance").getByRole("listitem", { name: new RegExp(`^${MODEL}`) });
    expect(await chance.getByTestId("conversion-percent").textContent()).toBe(`${percent(said.probabilities.converted)} likely to convert`);

    // A change the model reads moves the chance: the ledger says what the rule gives now, as the API scores it.
    const before = (await demo(`/api/v1/leads/${lead.id}`)) as Json;
    const size = Number(before.employee_count ?? 0) + 2000;
    await demo(`/api/v1/leads/${lead.id}`, { method: "PATCH", json: { employee_count: size } });
    await s.services.worker.drain();
    const now = ((await demo(`/api/v1/leads/${lead.id}/score`)).data as Json[])[0] as Json;
    const moved = (now.groups as Json[]).flatMap((g) => g.rules as Json[]).find((x) => x.label === DEMO_RULE) as Json;
    expect(moved.current).not.toBe(lead.current);
    const ledger = page.getByTestId("score").getByRole("list", { name: /^Ledger/ });
    await page.reload();
    const item = ledger.getByRole("listitem").filter({
      hasText: `“${DEMO_RULE}” now gives ${moved.current} of ${lead.points} points (Company size (employees): ${before.employee_count ?? "empty"} → ${size})`,
    });
    await item.waitFor();
    // The row keeps what the model said then: its chance and what raised it most.
    const kept = ((await demo(`/api/v1/leads/${lead.id}/score/ledger?limit=5`)).data as Json[]).find((r) => r.kind === "fit") as Json;
    const gave = kept.cause.prediction as { chance: number; reasons: string[] };
    expect(gave.reasons.length).toBeGreaterThan(0);
    expect(await item.textContent()).toContain(
      `— ${MODEL} gave a ${percent(gave.chance)} chance, raised most by ${gave.reasons.join("; ")}`,
    );
    await partShot(ledger, "ai-conversion-ledger");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);

  it("shows a rep the prediction rule in words, every control disabled", async () => {
    const points = (
      ((await demo(`/api/v1/scoring/models/${DEMO_SCORE_MODEL}`)).definition.fit.groups as Json[])
        .flatMap((g) => g.rules as Json[])
        .find((r) => r.label === DEMO_RULE) as Json
    ).points;
    await browser.context.clearCookies();
    const { page, problems } = await browser.page();
    await signIn(page, s.url, REP, { path: `/scoring/${DEMO_SCORE_MODEL}` });
    await page.getByText("Only admins change scoring models; you can read this one here.").waitFor();
    const words = page
      .getByTestId("prediction-words")
      .filter({ hasText: `Gives the chance to convert × ${points} points from AI model ${MODEL}:` });
    await words.waitFor();
    const rule = page.getByTestId("rule").filter({ has: words });
    expect(await rule.getByRole("radio", { name: /^AI prediction/ }).isChecked()).toBe(true);
    expect(await rule.getByRole("radio", { name: /^AI prediction/ }).isDisabled()).toBe(true);
    expect(await rule.getByRole("combobox").isDisabled()).toBe(true);
    await partShot(rule, "ai-conversion-rule-read-only");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);

  it("offers the object's classifiers in the builder's classify step, not a conversion model", async () => {
    // A lead classifier beside the demo's Lead conversion, and a draft that classifies leads with it.
    await demo("/api/v1/ai/models", {
      method: "POST",
      json: { name: "Lead source guess", object: "lead", target: "source", text_fields: ["title"] },
    });
    const draft = await demo("/api/v1/workflows", {
      method: "POST",
      json: {
        definition: {
          key: "guess-lead-source",
          name: "Guess a lead's source",
          description: "Why it exists: a test fixture.",
          object: "lead",
          trigger: { type: "record_created" },
          start: "guess",
          steps: { guess: { type: "classify", model: "Lead source guess", field: "source" } },
        },
      },
    });
    const { page, problems } = await asAdmin(`/workflows/${draft.id}/edit`);
    await page
      .locator(".react-flow")
      .getByRole("group", { name: /^Step guess:/ })
      .click();
    const select = page.getByRole("complementary", { name: "Settings of the selection" }).getByLabel("AI model");
    await expect
      .poll(async () => (await select.locator("option").allTextContents()).map((o) => o.trim()))
      .toEqual(["Lead source guess (off)"]);
    expect(problems).toEqual([]);
  });
});
