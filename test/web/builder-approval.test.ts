/**
 * The approval step in the builder (issue 18), in Chromium as a RevOps admin builds docs/
 * approvals.md's discount policy: an Approval dragged from the palette onto the arrow before the
 * deal's next step; what is approved (a template, previewed on a real deal) and the fields at
 * stake; a first route "discount % > 20" whose level "VP Sales" has nobody yet — the server's
 * problem is shown next to the approvers, read with them — and then the VP as a named person; the
 * default route approving automatically and telling the owner's manager; a time limit of 2
 * business days that escalates to the admins. The node and its three paths (approved, rejected,
 * timed out) read so on the canvas; then it publishes, and the live version holds what was built.
 *
 * Setup (what the page starts from, not what it shows): a workspace with an admin, a VP (a
 * manager), a rep who reports to the VP and owns a deal with a 25 % discount (for the preview),
 * and a draft deal workflow: when the discount changes, move the deal to negotiation.
 * HANDOFF_DOCS_SCREENSHOTS=1 writes docs/screenshots/builder-approval.png; otherwise the
 * screenshot goes beside the other tests' (test/web/screenshots).
 */
// biome-ignore-all lint/suspicious/noThenProperty: the approval format names what a time limit does `then`
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/app/auth/passwords.js";
import { systemContext } from "../../src/app/context.js";
import { accessibilityViolations, openBrowser, SCREENSHOTS, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

const DOCS_SCREENSHOTS = process.env.HANDOFF_DOCS_SCREENSHOTS
  ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url))
  : `${SCREENSHOTS}/`;
const PASSWORD = "approval-builder-test-password";
const ADMIN = "ada@approvals.test";

const DRAFT = {
  key: "discount-approval",
  name: "Discount approval",
  description: "Big discounts need the VP of Sales; the others go through and the owner's manager hears of them.",
  object: "deal",
  trigger: { type: "field_changed", field: "discount_pct" },
  start: "negotiate",
  steps: {
    negotiate: { type: "action", action: { type: "update_fields", fields: { stage: "negotiation" } }, next: "done" },
    done: { type: "end" },
  },
};

describe("the approval step in the builder", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let workflowId: string;
  let vpId: string;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const ctx = systemContext(s.workspace.id, "seed");
    const [admin, vp] = await s.services.writer.createMany(ctx, "user", [
      { name: "Ada Admin", email: ADMIN, role: "admin" },
      { name: "Vera Vp", email: "vera@approvals.test", role: "manager" },
    ]);
    vpId = vp?.id ?? "";
    const [rep] = await s.services.writer.createMany(ctx, "user", [
      { name: "Rex Rep", email: "rex@approvals.test", role: "rep", manager_id: vpId },
    ]);
    await s.services.writer.createMany(ctx, "deal", [{ name: "Acme renewal", amount: 48000, discount_pct: 25, owner_id: rep?.id }]);
    const hash = await hashPassword(PASSWORD);
    await s.services.store.transaction((tx) =>
      tx.credentials.setPasswordHash(s.workspace.id, admin?.id ?? "", hash, new Date().toISOString()),
    );
    workflowId = (await s.post("/api/v1/workflows", { definition: DRAFT })).id;
    browser = await openBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  it("builds the discount approval from the palette, shows the missing approver by its field, and publishes", async () => {
    const { page, problems } = await browser.page();
    await page.setViewportSize({ width: 1400, height: 1200 });
    await signIn(page, s.url, ADMIN, { password: PASSWORD, path: `/workflows/${workflowId}/edit` });
    const toolbar = page.getByRole("toolbar", { name: "Edit" });
    const inspector = page.getByRole("complementary", { name: "Settings of the selection" });
    const canvas = page.getByRole("application", { name: `Canvas of ${DRAFT.name}` });
    const palette = page.getByRole("navigation", { name: "Add a step" });
    const node = (id: string) => canvas.getByRole("group", { name: new RegExp(`^(Step|End) ${id}[:,]`) });
    const plus = (from: string, to: string, label?: string) =>
      canvas.getByRole("button", { name: `Add a step here, between ${from} and ${to}${label ? ` (${label})` : ""}` });
    const heading = () => inspector.getByRole("heading", { level: 2 }).textContent();

    // From the palette onto the arrow before the step that moves the deal on.
    await palette.getByRole("button", { name: "Approval", exact: true }).dragTo(plus("the trigger", "negotiate"));
    await node("approval").waitFor();
    await expect.poll(heading).toBe("Ask the manager of the owner to approve “Approve deal {{ record.name }}”");
    // Approved goes on to where the arrow led; rejected ends the run.
    await plus("approval", "negotiate", "approved").waitFor();
    await plus("approval", "the end", "rejected").waitFor();

    // What is approved, previewed on the deal, and the fields at stake.
    const summary = inspector.getByLabel("What is being approved", { exact: true });
    await summary.fill("Discount {{ record.discount_pct }}% on {{ record.name }}");
    const preview = inspector.getByRole("region", { name: "Preview of what is being approved" });
    await expect.poll(() => preview.textContent(), { timeout: 10_000 }).toContain("Discount 25% on Acme renewal");
    const stake = inspector.getByRole("group", { name: "Fields at stake" });
    await stake.getByLabel("Discount %").check();
    await stake.getByLabel("Amount").check();

    // Route 1: discount over 20 % → the level "VP Sales", with nobody in it yet.
    await inspector.getByRole("button", { name: "Add a route with a condition" }).click();
    const first = inspector.getByRole("group", { name: "Route 1", exact: true });
    const when = first.getByRole("group", { name: /^Route 1 applies when/ });
    await when.getByLabel("About").selectOption({ label: "Discount %" });
    await when.getByLabel("Comparison").selectOption({ label: "is greater than" });
    await when.getByLabel("Value").fill("20");
    await first.getByLabel("Label", { exact: true }).fill("Big discount");
    const level = first.getByRole("group", { name: "Level 1", exact: true });
    await level.getByLabel("Name", { exact: true }).fill("VP Sales");

    // The server's problem is shown next to the approvers, and read with them and with the button that fixes it.
    const approvers = level.getByRole("group", { name: "Approvers", exact: true });
    await expect.poll(() => approvers.getAttribute("aria-invalid"), { timeout: 10_000 }).toBe("true");
    expect(await approvers.textContent()).toContain("a level needs at least one approver");
    const add = approvers.getByRole("button", { name: "Add an approver" });
    const describedBy = ((await add.getAttribute("aria-describedby")) ?? "").split(" ").filter(Boolean);
    const said = await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(said.join(" ")).toContain("a level needs at least one approver");
    await toolbar.getByRole("button", { name: "1 problem", exact: true }).waitFor();
    expect(await node("approval").textContent()).toContain("1 problem");

    // Fixed by keyboard: the button, then a named person.
    await add.focus();
    await page.keyboard.press("Enter");
    const approver = approvers.getByRole("group", { name: "Approver 1" });
    expect(await approver.getByLabel("Who").inputValue()).toBe("user_id");
    await approver.getByLabel("Person").selectOption({ label: "Vera Vp (vera@approvals.test)" });
    await expect.poll(() => approvers.getAttribute("aria-invalid")).toBeNull();

    // Route 2, the default: approve automatically and tell the owner's manager.
    const second = inspector.getByRole("group", { name: "Route 2 — when no other route applies" });
    await second.getByLabel("Then", { exact: true }).selectOption({ label: "Approve automatically" });
    await second.getByLabel("Tell someone about the automatic decision").check();
    expect(await second.getByLabel("Who is told", { exact: true }).inputValue()).toBe("manager_of");
    expect(await second.getByLabel("Who is told: field of the deal").inputValue()).toBe("owner_id");
    await expect
      .poll(() => node("approval").textContent())
      .toContain("Approval: discount pct > 20 → VP Sales; otherwise approve automatically");

    // A time limit: 2 business days, then escalate to the admins; the timed-out path appears on the canvas.
    const limit = inspector.getByRole("group", { name: "Time limit" });
    await limit.getByLabel("If nobody decides within").selectOption({ label: "Business days" });
    await limit.getByLabel("Then", { exact: true }).selectOption({ label: "Escalate to other approvers" });
    const escalate = limit.getByRole("group", { name: "Escalate to", exact: true });
    await escalate.getByRole("button", { name: "Add an approver" }).click();
    await escalate.getByLabel("Who").selectOption({ label: "Everyone with a role" });
    await escalate.getByLabel("Role").selectOption({ label: "Admins" });
    await plus("approval", "end", "timed out").waitFor();

    await toolbar.getByRole("button", { name: "0 problems", exact: true }).waitFor();
    await page.getByText(/^Draft v\d+ saved \d/).waitFor();
    // The screenshot: the whole workflow on the canvas (the palette folded away), the first route in the panel.
    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    await palette.getByRole("button", { name: "Hide the steps to add" }).click();
    await canvas.getByRole("button", { name: "Fit the whole workflow in view" }).click();
    await first.evaluate((el) => el.scrollIntoView({ block: "start" }));
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${DOCS_SCREENSHOTS}builder-approval.png` });
    expect(await accessibilityViolations(page)).toEqual([]);

    await publish(page);
    const live = await s.get(`/api/v1/workflows/${workflowId}`);
    const version = (live.versions as Array<Record<string, any>>).find((v) => v.version === live.live_version);
    expect(version?.definition?.start).toBe("approval");
    expect(version?.definition?.steps?.approval).toEqual({
      type: "approval",
      summary: "Discount {{ record.discount_pct }}% on {{ record.name }}",
      fields: ["amount", "discount_pct"],
      lock: "fields",
      submitter: { field: "owner_id" },
      routes: [
        {
          label: "Big discount",
          when: { field: "discount_pct", op: "gt", value: 20 },
          levels: [{ name: "VP Sales", approvers: [{ user_id: vpId }], require: "any" }],
        },
        { auto: "approve", notify: { manager_of: "owner_id" } },
      ],
      timeout: { business: { days: 2 }, then: "escalate", escalate_to: [{ role: "admin" }], escalations: 1 },
      max_rounds: 5,
      on_approved: "negotiate",
      on_timeout: "end",
    });
    expect(problems).toEqual([]);
  }, 120_000);
});

async function publish(page: Page) {
  await page.getByRole("toolbar", { name: "Edit" }).getByRole("button", { name: "Publish…" }).click();
  const dialog = page.getByRole("dialog", { name: /^Publish version \d+$/ });
  await dialog.getByLabel("What changed and why").fill("Discounts over 20 % need the VP of Sales; the others are approved at once.");
  await expect.poll(() => dialog.getByRole("button", { name: "Publish", exact: true }).isEnabled()).toBe(true);
  await dialog.getByRole("button", { name: "Publish", exact: true }).click();
  await dialog.waitFor({ state: "hidden" });
  await page.getByText(/^Published v\d+ at .*: it is live now/).waitFor();
}
