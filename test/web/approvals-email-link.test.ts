/**
 * Deciding from an approval email in Chromium (issue 18): the workspace's `email` connector points
 * at a real SMTP server started by the test; a deal's discount opens a request and the VP's email
 * arrives with Approve and Reject links (`/approvals/confirm#t=<token>`). Opened in a browser that
 * is not signed in, the Approve link asks first — the request is still pending while the page
 * shows what would be decided, and the token is gone from the address bar — and only Confirm
 * decides. The same link opened again, the email's other link, a forged token, a cut-short one and
 * an expired one (the services' clock moved past the link's expiry) are each refused in words,
 * with a way into Handoff.
 *
 * docs/screenshots/approval-confirm.png is written only with HANDOFF_DOCS_SCREENSHOTS=1.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, openBrowser, screenshot, type TestBrowser } from "../helpers/browser.js";
import { eventually } from "../helpers/eventually.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { parseMail, startSmtp, type TestSmtp } from "../helpers/smtp.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

const DOCS_SCREENSHOTS = process.env.HANDOFF_DOCS_SCREENSHOTS
  ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url))
  : undefined;
const VP_EMAIL = "vic@links.test";
const HOUR = 3_600_000;
const PASSWORD = "approval-links-password-1";

describe("approval email links in Chromium", () => {
  let t: TestStore;
  let s: TestServer;
  let smtp: TestSmtp;
  let browser: TestBrowser;
  /** Moves the services' clock (links expire by it); the browser and the database keep real time. */
  let clockOffsetMs = 0;
  const deals: Record<string, string> = {};
  let vp = "";

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await sqliteTestStore();
    s = await startTestServer(
      t,
      {},
      { worker: true, egressAllow: [`127.0.0.1:${smtp.port}`], clock: { now: () => new Date(Date.now() + clockOffsetMs) } },
    );
    await s.post("/api/v1/connectors", {
      key: "email",
      kind: "smtp",
      config: { host: "127.0.0.1", port: smtp.port, from: "handoff@links.test" },
    });
    vp = (await s.post("/api/v1/users", { name: "Vic VP", email: VP_EMAIL, role: "manager" })).id;
    await s.json(`/api/v1/users/${vp}/password`, { method: "PUT", json: { password: PASSWORD } });
    const rep = (await s.post("/api/v1/users", { name: "Rita Rep", email: "rita@links.test", role: "rep" })).id;
    for (const name of ["Acme renewal", "Globex expansion", "Initech upgrade"])
      deals[name] = (await s.post("/api/v1/deals", { name, amount: 50_000, discount_pct: 10, owner_id: rep })).id;
    await s.services.worker.drain();
    await s.publish({
      key: "deal-discount-approval",
      name: "Discount approval",
      description: "Why it exists: a test fixture (publishing needs a description).",
      object: "deal",
      trigger: { type: "field_changed", field: "discount_pct" },
      start: "approve",
      steps: {
        approve: {
          type: "approval",
          summary: "Discount {{ record.discount_pct }}% on {{ record.name }}",
          fields: ["discount_pct"],
          routes: [{ label: "Any discount", levels: [{ name: "VP Sales", approvers: [{ user_id: vp }] }] }],
        },
      },
    });
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await smtp?.close();
    await t?.dispose();
  });

  /** Raises a deal's discount (set-up, through the API), and returns the links of the email the VP then gets. */
  const requestAndEmail = async (deal: string, discount: number) => {
    const before = smtp.to(VP_EMAIL).length;
    await s.json(`/api/v1/deals/${deals[deal]}`, { method: "PATCH", json: { discount_pct: discount } });
    const message = await eventually(`the approval email for ${deal}`, async () => smtp.to(VP_EMAIL)[before], 20_000);
    const mail = parseMail(message.raw);
    expect(mail.header("Subject")).toBe(`Approval needed: Discount ${discount}% on ${deal}`);
    const link = (word: string) => {
      const url = new RegExp(`^${word}: (\\S+)$`, "m").exec(mail.text ?? "")?.[1];
      expect(url, `${word} link in ${mail.text}`).toMatch(/\/approvals\/confirm#t=[A-Za-z0-9_-]{43}$/);
      // The link names the server's public address; this test's server listens on its own port.
      return `${s.url}${new URL(url as string).pathname}${new URL(url as string).hash}`;
    };
    return { approve: link("Approve"), reject: link("Reject") };
  };
  const statusOf = async (deal: string) =>
    ((await s.get(`/api/v1/approvals?view=all&record_id=${deals[deal]}`)).data as Array<Record<string, any>>)[0]?.status;
  /** A page of a browser that is not signed in. */
  const anonymous = async () => {
    await browser.context.clearCookies();
    return browser.page();
  };
  const refusal = async (page: Page, title: string) => {
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    return (await page.getByRole("alert").innerText()).replace(/\s+/g, " ");
  };

  let acme: { approve: string; reject: string };

  it("the Approve link asks first, without a session; only Confirm decides", async () => {
    acme = await requestAndEmail("Acme renewal", 25);
    const { page, problems } = await anonymous();
    await page.goto(acme.approve);
    const what = page.getByRole("heading", { level: 2, name: "You are about to APPROVE: Discount 25% on Acme renewal" });
    await what.waitFor();
    // The token left the address bar, and nothing is decided yet.
    expect(page.url()).toBe(`${s.url}/approvals/confirm`);
    expect(await statusOf("Acme renewal")).toBe("pending");
    const facts = (await page.getByRole("region", { name: /You are about to APPROVE/ }).innerText()).replace(/\s+/g, " ");
    expect(facts).toContain("At stake Discount %: 25");
    expect(facts).toContain("Record Acme renewal");
    expect(facts).toContain("Asked by Rita Rep");
    expect(facts).toContain("You decide as Vic VP");
    await page.getByLabel("Comment (optional)").fill("Approved from my phone");
    await screenshot(page, "approval-confirm");
    if (DOCS_SCREENSHOTS) {
      mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: `${DOCS_SCREENSHOTS}approval-confirm.png` });
    }
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await statusOf("Acme renewal")).toBe("pending");

    await page.getByRole("button", { name: "Confirm: approve" }).click();
    const done = page.getByRole("status");
    await done.waitFor();
    expect((await done.innerText()).replace(/\s+/g, " ")).toBe(
      "Your decision is recorded: you approved “Discount 25% on Acme renewal”. Status now: Approved",
    );
    expect(await statusOf("Acme renewal")).toBe("approved");
    const detail = await s.get(
      `/api/v1/approvals/${(await s.get(`/api/v1/approvals?view=all&record_id=${deals["Acme renewal"]}`)).data[0].id}`,
    );
    expect(detail.levels[0].approvers[0].vote).toMatchObject({ decision: "approve", comment: "Approved from my phone" });
    expect(await page.getByRole("link", { name: "Open the request in Handoff" }).getAttribute("href")).toBe(
      `/approvals/${encodeURIComponent(detail.id)}`,
    );
    expect(problems).toEqual([]);
  });

  it("the same link again, and the email's other link, are refused as used", async () => {
    const { page, problems } = await anonymous();
    await page.goto(acme.approve);
    expect(await refusal(page, "This link was already used")).toMatch(
      /^This approval link was already used at .+; each link works once\. Open the request in Handoff to see how it was decided\.$/,
    );
    await page.getByRole("link", { name: "Open your approvals in Handoff" }).waitFor();

    // The email's Reject link, in a tab of its own as a mail client opens it: spent with the approve one.
    const other = (await browser.page()).page;
    await other.goto(acme.reject);
    expect(await refusal(other, "This link was already used")).toContain("Open the request in Handoff to see how it was decided.");
    expect(await statusOf("Acme renewal")).toBe("approved");
    expect(problems).toEqual([]);
  });

  it("a forged token and a cut-short one are refused", async () => {
    const { page, problems } = await anonymous();
    await page.goto(`${s.url}/approvals/confirm#t=${randomBytes(32).toString("base64url")}`);
    expect(await refusal(page, "This link is not valid")).toContain("Handoff did not send this link");
    expect(await page.getByRole("button", { name: /^Confirm/ }).count()).toBe(0);

    // Another link pasted into the same tab changes only the fragment: the page reads it afresh.
    await page.goto(`${s.url}/approvals/confirm#t=${acme.approve.split("#t=")[1]?.slice(0, 20)}`);
    expect(await refusal(page, "This link is not complete")).toContain("cut short or changed");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("decided from the email meanwhile, the request's open page says so when its approver tries again", async () => {
    const initech = await requestAndEmail("Initech upgrade", 22);
    const { page, problems } = await anonymous();
    const id = (await s.get(`/api/v1/approvals?view=all&record_id=${deals["Initech upgrade"]}`)).data[0].id as string;
    await page.goto(`${s.url}/sign-in?redirect=${encodeURIComponent(`/approvals/${id}`)}`);
    await page.getByLabel("Email").fill(VP_EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    const decision = page.getByRole("region", { name: "Your decision" });
    await decision.waitFor();

    // The same person, on their phone: the email's Reject link, confirmed.
    const phone = (await browser.page()).page;
    await phone.goto(initech.reject);
    await phone.getByRole("button", { name: "Confirm: reject" }).click();
    await phone.getByRole("status").waitFor();
    expect(await statusOf("Initech upgrade")).toBe("rejected");

    // Back at the desk, the page read before that still offers the decision: approving is refused in words.
    await decision.getByRole("button", { name: "Approve…" }).click();
    await page.getByRole("alertdialog", { name: "Approve this request?" }).getByRole("button", { name: "Approve", exact: true }).click();
    const refused = page.getByRole("alert").filter({ hasText: "Your decision was not recorded" });
    await refused.waitFor();
    expect((await refused.innerText()).replace(/\s+/g, " ")).toMatch(
      /^Your decision was not recorded\. This request is no longer pending: rejected by Vic VP at \S.+\. Nothing else is needed from you; the page shows the request as it is now\.$/,
    );
    // The page reads the request again: rejected, and nothing left to decide.
    await page.locator("header [data-status=rejected]").waitFor();
    expect(await decision.count()).toBe(0);
    expect(await statusOf("Initech upgrade")).toBe("rejected");
    expect(problems).toEqual([]);
  });

  it("an expired link is refused, and the request stays pending", async () => {
    const globex = await requestAndEmail("Globex expansion", 30);
    // Links are good for 72 hours by default: the server's clock moves past that.
    clockOffsetMs = 73 * HOUR;
    const { page, problems } = await anonymous();
    await page.goto(globex.reject);
    expect(await refusal(page, "This link has expired")).toMatch(
      /^This approval link expired at .+: open the request in Handoff to decide\.$/,
    );
    await page.getByRole("link", { name: "Open your approvals in Handoff" }).click();
    // Not signed in: Handoff asks to sign in first, then comes back to the approvals.
    await page.waitForURL(/\/sign-in\?redirect=%2Fapprovals/);
    expect(await statusOf("Globex expansion")).toBe("pending");
    expect(problems).toEqual([]);
  });
});
