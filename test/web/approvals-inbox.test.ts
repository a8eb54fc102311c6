/**
 * Approvals in Chromium (issue 18), as a rep and a VP live them. A deal workflow asks for approval
 * when a deal reaches negotiation — discount over 20 % → the VP; amount over 100,000 → the CFO;
 * otherwise approved automatically and the owner's manager told — and, once approved, creates the
 * task "Send the approved quote" for the owner. The rep raises a deal's discount and moves it to
 * negotiation through the record form; the deal's page says it awaits approval and marks the
 * locked fields; the rep's next change of the discount is refused with the server's 423 next to
 * the form, naming who must decide. The VP sees the count in the navigation, opens the inbox and
 * the request, reads what is at stake and approves with a comment; the workflow goes on (the task
 * appears on the deal). A second deal is sent back for revision — the comment is required and
 * its absence is said next to the field — and its rep resubmits it, which opens round 2.
 *
 * Set-up (people, passwords, deals, the published workflow) goes through the API; what is checked
 * is done in the browser. docs/screenshots are written only with HANDOFF_DOCS_SCREENSHOTS=1.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, openBrowser, screenshot, type TestBrowser } from "../helpers/browser.js";
import { eventually } from "../helpers/eventually.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

const PASSWORD = "approvals-inbox-password-1";
const DOCS_SCREENSHOTS = process.env.HANDOFF_DOCS_SCREENSHOTS
  ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url))
  : undefined;

describe("approvals in Chromium: the inbox, a request, the record's lock", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  const people: Record<string, string> = {};
  const deals: Record<string, string> = {};

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t, {}, { worker: true });
    for (const [name, role, manager] of [
      ["Mona Manager", "manager", undefined],
      ["Vic VP", "manager", undefined],
      ["Cleo CFO", "manager", undefined],
      ["Rita Rep", "rep", "Mona Manager"],
    ] as const) {
      const email = `${name.split(" ")[0]?.toLowerCase()}@approvals.test`;
      const u = await s.post("/api/v1/users", { name, email, role, ...(manager ? { manager_id: people[manager] } : {}) });
      await s.json(`/api/v1/users/${u.id}/password`, { method: "PUT", json: { password: PASSWORD } });
      people[name] = u.id;
    }
    for (const [name, amount] of [
      ["Acme renewal", 50_000],
      ["Globex expansion", 80_000],
    ] as const) {
      deals[name] = (await s.post("/api/v1/deals", { name, amount, discount_pct: 10, owner_id: people["Rita Rep"] })).id;
    }
    await s.services.worker.drain();
    await s.publish({
      key: "deal-discount-approval",
      name: "Discount approval",
      description: "Discounts over 20 % need the VP's approval before a quote goes out",
      object: "deal",
      trigger: { type: "field_changed", field: "stage", to: "negotiation" },
      start: "approve",
      steps: {
        approve: {
          type: "approval",
          summary: "Discount {{ record.discount_pct }}% on {{ record.name }}",
          fields: ["discount_pct", "amount"],
          routes: [
            {
              label: "Big discount",
              when: { field: "discount_pct", op: "gt", value: 20 },
              levels: [{ name: "VP Sales", approvers: [{ user_id: people["Vic VP"] }] }],
            },
            {
              label: "Large deal",
              when: { field: "amount", op: "gt", value: 100_000 },
              levels: [{ name: "CFO", approvers: [{ user_id: people["Cleo CFO"] }] }],
            },
            { auto: "approve", notify: { manager_of: "owner_id" } },
          ],
          on_approved: "quote",
        },
        quote: { type: "action", action: { type: "create_task", subject: "Send the approved quote", priority: "P2" } },
      },
    });
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
    await page.getByLabel("Email").fill(`${who.split(" ")[0]?.toLowerCase()}@approvals.test`);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${s.url}${path}`);
  };
  const dealPath = (name: string) => `/records/deals/${deals[name]}`;
  /** The pending request of a deal, once the workflow has opened it (the worker runs in the background). */
  const pendingOf = (name: string) =>
    eventually(`a pending request on ${name}`, async () => {
      const page = await s.get(`/api/v1/approvals?view=all&record_id=${deals[name]}&status=pending`);
      return (page.data as Array<Record<string, any>>)[0];
    });
  /** Edits a deal through its form as a person does: the fields by label, then Save changes. */
  const editDeal = async (page: Page, name: string, values: { discount?: string; stage?: string }) => {
    await page.goto(`${s.url}${dealPath(name)}/edit`);
    await page.getByRole("heading", { level: 1, name: `Edit deal: ${name}` }).waitFor();
    if (values.discount !== undefined) await page.getByLabel("Discount %").fill(values.discount);
    if (values.stage !== undefined) await page.getByLabel("Stage").selectOption(values.stage);
    await page.getByRole("button", { name: "Save changes" }).click();
  };

  it("a rep's edit opens a request: the deal awaits approval, its fields are locked, and a change of the discount is refused with the 423", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Rita Rep", dealPath("Acme renewal"));
    await editDeal(page, "Acme renewal", { discount: "25", stage: "negotiation" });
    await page.waitForURL(`${s.url}${dealPath("Acme renewal")}`);
    const request = await pendingOf("Acme renewal");
    expect(request.summary).toBe("Discount 25% on Acme renewal");

    // The page shows what the workflow started once it is read again (as a person reloads).
    const panel = page.getByRole("region", { name: "Awaiting approval" });
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByRole("heading", { level: 1, name: "Acme renewal" }).waitFor();
        return panel.isVisible();
      })
      .toBe(true);
    const text = (await panel.innerText()).replace(/\s+/g, " ");
    expect(text).toContain("Discount 25% on Acme renewal");
    expect(text).toContain("Waiting on Vic VP");
    expect(text).toContain("Discount %, Amount cannot be changed until the request is decided.");
    expect(await panel.getByRole("link", { name: "Discount 25% on Acme renewal" }).getAttribute("href")).toBe(
      `/approvals/${encodeURIComponent(request.id)}`,
    );
    expect(await page.locator("header").getByTestId("lock-badge").innerText()).toBe("Awaiting approval");
    const fields = page.getByRole("region", { name: "Fields" });
    expect(await fields.locator("dt", { hasText: "Discount %" }).getByTestId("lock-badge").innerText()).toBe("Locked");
    expect(await fields.locator("dt", { hasText: "Close date" }).count()).toBe(0);
    await screenshot(page, "record-awaiting-approval");
    if (DOCS_SCREENSHOTS) {
      mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: `${DOCS_SCREENSHOTS}record-awaiting-approval.png` });
    }
    expect(await accessibilityViolations(page)).toEqual([]);

    // A change of a locked field is refused: the form says so, naming the request and who decides.
    await editDeal(page, "Acme renewal", { discount: "15" });
    const summary = page.getByRole("alert").filter({ hasText: "awaits approval" });
    await summary.waitFor();
    const said = (await summary.innerText()).replace(/\s+/g, " ");
    expect(said).toContain("Not saved: it awaits approval.");
    expect(said).toContain(`request ${request.id}, waiting on Vic VP`);
    expect(said).toContain("Discount % is locked until it is decided");
    const input = page.getByLabel("Discount %");
    expect(await input.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await input.getAttribute("aria-describedby")) ?? "";
    expect(describedBy).not.toBe("");
    expect(await page.locator(`[id="${describedBy.split(" ").at(-1)}"]`).innerText()).toContain("Awaits approval");
    expect(page.url()).toBe(`${s.url}${dealPath("Acme renewal")}/edit`);
    await screenshot(page, "record-locked-refused");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect((await s.get(`/api/v1/deals/${deals["Acme renewal"]}`)).discount_pct).toBe(25);
    expect(problems).toEqual([]);
  });

  it("the VP sees the count, opens the inbox and the request, reads the stake and approves with a comment; the workflow goes on", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Vic VP", "/");
    const nav = page.getByRole("navigation", { name: "Sections" });
    // Its name says the count in words (the number on the badge is hidden from screen readers).
    const link = nav.getByRole("link", { name: /^Approvals\W+1 waiting for your decision$/ });
    await link.waitFor();
    expect(await nav.getByTestId("approvals-badge").innerText()).toBe("1");
    await link.click();
    await page.waitForURL(`${s.url}/approvals`);
    await page.getByRole("heading", { level: 1, name: "Approvals" }).waitFor();
    expect(await page.getByRole("tab", { name: "Waiting for me" }).getAttribute("aria-selected")).toBe("true");
    const table = page.getByRole("table", { name: "Requests waiting for your decision" });
    await table.waitFor();
    const rows = (await table.getByRole("row").allInnerTexts())
      .slice(1)
      .map((r) => r.split("\t").map((c) => c.trim().replace(/\s+/g, " ")));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.slice(0, 4)).toEqual(["Discount 25% on Acme renewal", "Acme renewal Deal", "Discount %: 25 Amount: 50,000", "Vic VP"]);
    expect(rows[0]?.[4]).toBe("no time limit");
    expect(rows[0]?.[5]).toBe("Rita Rep");
    expect(rows[0]?.[7]).toBe("Pending");
    await screenshot(page, "approvals-inbox");
    if (DOCS_SCREENSHOTS) await page.screenshot({ path: `${DOCS_SCREENSHOTS}approvals-inbox.png` });
    expect(await accessibilityViolations(page)).toEqual([]);

    await table.getByRole("link", { name: "Discount 25% on Acme renewal" }).click();
    await page.waitForURL(/\/approvals\/[^/]+$/);
    await page.getByRole("heading", { level: 1, name: "Discount 25% on Acme renewal" }).waitFor();
    const stake = page.getByRole("table", { name: "Fields at stake" });
    expect((await stake.getByRole("row").allInnerTexts()).slice(1).map((r) => r.split("\t").map((c) => c.trim()))).toEqual([
      ["Discount %", "25", "25"],
      ["Amount", "50,000", "50,000"],
    ]);
    const about = (await page.getByRole("region", { name: "About this request" }).innerText()).replace(/\s+/g, " ");
    expect(about).toContain("Why these people");
    expect(about).toContain("Big discount");
    expect(about).toContain("Waiting on Vic VP");
    const level = page.getByRole("region", { name: "Level 1: VP Sales" });
    expect((await level.innerText()).replace(/\s+/g, " ")).toContain("Vic VP");
    expect(await page.getByRole("list", { name: "History of this request" }).innerText()).toContain(
      "Rita Rep asked for approval (round 1)",
    );
    await screenshot(page, "approval-request");
    if (DOCS_SCREENSHOTS) await page.screenshot({ path: `${DOCS_SCREENSHOTS}approval-request.png`, fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    const decision = page.getByRole("region", { name: "Your decision" });
    expect(await decision.getByRole("radio", { name: "Approve" }).isChecked()).toBe(true);
    await decision.getByLabel("Comment (optional)").fill("Fine for a two-year renewal");
    await decision.getByRole("button", { name: "Approve…" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Approve this request?" });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain("Your comment: “Fine for a two-year renewal”.");
    // Nothing is decided before the confirmation.
    expect((await s.get(`/api/v1/approvals?view=all&record_id=${deals["Acme renewal"]}`)).data[0].status).toBe("pending");
    await dialog.getByRole("button", { name: "Approve", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "You approved this request." }).waitFor();
    await page.locator("[data-status=approved]").first().waitFor();
    expect(await decision.count()).toBe(0);
    expect(await level.innerText()).toContain("approved");
    expect(await level.innerText()).toContain("“Fine for a two-year renewal”");
    // The badge follows at once.
    await nav.getByRole("link", { name: "Approvals", exact: true }).waitFor();
    expect(await nav.getByTestId("approvals-badge").count()).toBe(0);

    // The run went on: the deal's page shows the task the approval led to, and no lock any more.
    await page.getByRole("region", { name: "About this request" }).getByRole("link", { name: "Acme renewal" }).click();
    await page.waitForURL(`${s.url}${dealPath("Acme renewal")}`);
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole("heading", { level: 1, name: "Acme renewal" }).waitFor();
          return (await page.getByRole("main").innerText()).includes("Send the approved quote");
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    expect(await page.getByRole("region", { name: "Awaiting approval" }).count()).toBe(0);
    expect(await page.getByTestId("lock-badge").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("a request sent back needs a comment, said next to the field; its rep resubmits it and round 2 opens", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Rita Rep", dealPath("Globex expansion"));
    await editDeal(page, "Globex expansion", { discount: "30", stage: "negotiation" });
    await page.waitForURL(`${s.url}${dealPath("Globex expansion")}`);
    const request = await pendingOf("Globex expansion");

    await signIn(page, "Vic VP", `/approvals/${request.id}`);
    const decision = page.getByRole("region", { name: "Your decision" });
    await decision.getByRole("radio", { name: "Send back for revision" }).check();
    const comment = decision.getByLabel("Comment (required: what should be revised)");
    await decision.getByRole("button", { name: "Send back for revision…" }).click();
    expect(await comment.getAttribute("aria-invalid")).toBe("true");
    const errorId = (await comment.getAttribute("aria-describedby")) ?? "";
    expect(await page.locator(`[id="${errorId}"]`).innerText()).toBe("Say what to revise: a request is sent back with a comment.");
    expect(await page.getByRole("alertdialog").count()).toBe(0);
    await comment.fill("30 % needs a three-year term: change the amount");
    await decision.getByRole("button", { name: "Send back for revision…" }).click();
    await page
      .getByRole("alertdialog", { name: "Send this request back for revision?" })
      .getByRole("button", { name: "Send back" })
      .click();
    await page.getByRole("status").filter({ hasText: "You sent this request back for revision" }).waitFor();
    await page.locator("[data-status=revise]").first().waitFor();

    // The rep finds it under Submitted by me and resubmits.
    await signIn(page, "Rita Rep", "/approvals");
    await page.getByRole("tab", { name: "Submitted by me" }).click();
    await page.waitForURL(/view=submitted/);
    const table = page.getByRole("table", { name: "Requests you submitted" });
    await table.getByRole("link", { name: "Discount 30% on Globex expansion" }).click();
    const resubmit = page.getByRole("region", { name: "Sent back to you for revision" });
    await resubmit.waitFor();
    expect(await resubmit.innerText()).toContain("Vic VP asks: “30 % needs a three-year term: change the amount”");
    await resubmit.getByLabel("What you changed (optional)").fill("Term is now three years");
    await resubmit.getByRole("button", { name: "Resubmit" }).click();
    await page.getByRole("status").filter({ hasText: "Resubmitted" }).waitFor();
    expect(await page.getByRole("list", { name: "History of this request" }).innerText()).toContain(
      "Rita Rep resubmitted it: “Term is now three years”",
    );
    // Round 2 opens when the workflow takes the resubmission: the first round's page then links to it.
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole("heading", { level: 1 }).waitFor();
          return page.getByRole("region", { name: "Rounds" }).getByRole("link", { name: "Round 2" }).count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    await page.getByRole("region", { name: "Rounds" }).getByRole("link", { name: "Round 2" }).click();
    await page.getByText("Approval request · round 2").waitFor();
    expect(await page.locator("[data-status=pending]").count()).toBeGreaterThan(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("a rep's inbox has no All tab, and an empty tab says what would appear there", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, "Rita Rep", "/approvals");
    const tabs = page.getByRole("tablist", { name: "Which requests" }).getByRole("tab");
    await expect.poll(() => tabs.allInnerTexts()).toEqual(["Waiting for me", "Decided by me", "Submitted by me"]);
    const empty = page.getByRole("region", { name: "Nothing waits for your decision" });
    await empty.waitFor();
    expect(await empty.innerText()).toContain("When a workflow's approval step asks you");
    expect(problems).toEqual([]);
  });
});
