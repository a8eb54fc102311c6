/**
 * What admins do in Chromium, on the seeded demo workspace with its worker and outbox running:
 * a real dead letter — an HTTP action to a local receiver that answers 500 until the retry limit
 * — is found under "Dead letters" with its attempts and last error, replayed after a confirmation
 * once the receiver is fixed, and seen delivered; an admin resets a rep's password on the Users
 * page (the rule shown beside the field, a short one refused next to it) and the rep signs in with
 * the new one; that rep is refused the admin pages in the browser and by the API.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, seedDemo } from "../../src/seed/demo.js";
import { accessibilityViolations, openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { eventually } from "../helpers/eventually.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";
import { type Receiver, startReceiver } from "../outbox/receiver.js";

type Json = Record<string, any>;
const NEW_PASSWORD = "rep one's brand new password";

describe("admin pages, in Chromium, on the demo workspace", () => {
  let t: TestStore;
  let s: TestServer;
  let rx: Receiver;
  let browser: TestBrowser;
  let token: string;
  let deadId: string;
  let receiverFixed = false;
  const demo = (path: string, init: Parameters<TestServer["json"]>[1] = {}): Promise<Json> => s.json(path, { ...init, as: token });

  beforeAll(async () => {
    rx = await startReceiver();
    rx.script("/invoices", () => (receiverFixed ? { status: 200, body: { ok: true } } : { status: 500, body: "billing is down" }));
    t = await sqliteTestStore();
    s = await startTestServer(
      t,
      {},
      {
        worker: true,
        egressAllow: [`127.0.0.1:${rx.port}`],
        dispatcher: { idleMs: 20, policy: { baseDelayMs: 50, maxDelayMs: 200, maxAttempts: 3 } },
      },
    );
    const { workspace } = await seedDemo(s.services);
    token = (await s.services.tokens.create(workspace.id, "browser test", "admin")).secret;
    await demo("/api/v1/connectors", {
      method: "POST",
      json: { key: "billing", kind: "http", config: { base_url: rx.url, auth: { type: "bearer" } }, secrets: { token: "tok-billing-1" } },
    });
    const saved = await demo("/api/v1/workflows", {
      method: "POST",
      json: {
        definition: {
          key: "bill-new-companies",
          name: "Open a billing account for new companies",
          description: "Why it exists: a test fixture (publishing needs a description).",
          object: "company",
          trigger: { type: "record_created" },
          start: "bill",
          steps: {
            bill: {
              type: "action",
              action: { type: "http_request", connector: "billing", path: "/invoices", body: { name: "{{ record.name }}" } },
              next: "done",
              on_failure: "done",
            },
            done: { type: "end" },
          },
        },
      },
    });
    await demo(`/api/v1/workflows/${saved.id}/publish`, { method: "POST", json: {} });
    const company = await demo("/api/v1/companies", { method: "POST", json: { name: "Dead Letter Logistics" } });
    const dead = await eventually(
      "the billing call to become a dead letter after 3 attempts",
      async () => ((await demo("/api/v1/outbox?status=dead&limit=200")).data as Json[]).find((o) => o.record_id === company.id),
      60_000,
      200,
    );
    expect(dead.attempts).toBe(3);
    deadId = dead.id;
    browser = await openBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await rx?.close();
    await t?.dispose();
  });

  const signInAs = async (page: Page, email: string, password: string, firstName: string) => {
    await signIn(page, s.url, email, { password });
    await page.getByRole("heading", { level: 1, name: `Welcome, ${firstName}` }).waitFor();
  };
  const signOut = async (page: Page) => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
  };

  it("an admin finds a dead letter with its attempts and last error, replays it after confirming, and sees it delivered", async () => {
    const { page, problems } = await browser.page();
    await signInAs(page, DEMO_ADMIN_EMAIL, DEMO_PASSWORD, "Demo");
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Outbox" }).click();
    await page.getByRole("heading", { level: 1, name: "Outbox" }).waitFor();
    await page.getByRole("button", { name: "Dead letters" }).click();
    const row = page.getByRole("row").filter({ hasText: deadId });
    await row.waitFor();
    expect(await row.getByRole("cell").nth(1).textContent()).toContain("Dead letter");
    expect(await row.getByRole("cell").nth(2).textContent()).toBe("3");
    expect(await row.getByRole("cell").nth(3).textContent()).toContain("500");
    await screenshot(page, "outbox-dead-letters");
    expect(await accessibilityViolations(page)).toEqual([]);

    // Not now: nothing happens.
    await row.getByRole("button", { name: `Replay ${deadId}` }).click();
    const dialog = page.getByRole("alertdialog", { name: "Replay this dead letter?" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("billing is down");
    await screenshot(page, "outbox-replay-confirm");
    expect(await accessibilityViolations(page)).toEqual([]);
    // Keyboard: Cancel has the focus (Enter would not replay by accident); Escape closes, focus returns to Replay.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(`Replay ${deadId}`);
    expect((await demo(`/api/v1/outbox/${deadId}`)).status).toBe("dead");

    receiverFixed = true;
    await row.getByRole("button", { name: `Replay ${deadId}` }).click();
    await dialog.getByRole("button", { name: "Replay" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Replayed ${deadId}` })
      .waitFor();
    // Polled while something is on its way: it leaves the dead letters and shows up delivered.
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(0);
    await page.getByRole("button", { name: "Delivered" }).click();
    const delivered = page.getByRole("row").filter({ hasText: deadId });
    await delivered.waitFor();
    expect(await delivered.getByRole("cell").nth(1).textContent()).toContain("Delivered");
    expect(await delivered.getByRole("cell").nth(1).textContent()).toContain("replayed");
    await screenshot(page, "outbox-replayed-delivered");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect((await demo(`/api/v1/outbox/${deadId}`)).replayed_by).toMatch(/^person:/);
    expect(rx.to("/invoices")).toHaveLength(4);
    expect(problems).toEqual([]);
    await signOut(page);
    await page.close();
  }, 90_000);

  it("an admin resets a rep's password on the Users page, and the rep signs in with it", async () => {
    const { page, problems } = await browser.page();
    await signInAs(page, DEMO_ADMIN_EMAIL, DEMO_PASSWORD, "Demo");
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Access" }).click();
    await page.getByRole("heading", { level: 1, name: "Access" }).waitFor();
    const rep = ((await demo("/api/v1/users?where=email:eq:rep1@demo.handoff.test")).data as Json[])[0] as Json;
    const row = page.getByRole("row").filter({ hasText: "rep1@demo.handoff.test" });
    expect(await row.getByRole("cell").nth(1).textContent()).toBe("Rep");
    // The last sign-ins load after the list ("…" until then): read once they are there.
    await expect.poll(() => row.getByRole("cell").nth(2).textContent()).toBe("never");
    // The admin's own row says when they signed in.
    await expect
      .poll(() => page.getByRole("row").filter({ hasText: DEMO_ADMIN_EMAIL }).getByRole("cell").nth(2).textContent())
      .toMatch(/now|second/);
    await screenshot(page, "admin-users");
    expect(await accessibilityViolations(page)).toEqual([]);

    await row.getByRole("button", { name: `Manage ${rep.name}` }).click();
    const dialog = page.getByRole("dialog", { name: rep.name });
    await dialog.waitFor();
    const field = dialog.getByLabel("New password");
    expect(await dialog.getByText("At least 12 characters (at most 1,024).", { exact: false }).count()).toBe(1);
    await field.fill("short");
    await dialog.getByRole("button", { name: "Set password" }).click();
    await dialog.getByText("The password needs at least 12 characters.").waitFor();
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    await field.fill(NEW_PASSWORD);
    await dialog.getByRole("button", { name: "Set password" }).click();
    await dialog
      .getByRole("status")
      .filter({ hasText: `Password set for ${rep.name}.` })
      .waitFor();
    expect(await dialog.getByText(`${rep.name} has never signed in.`).count()).toBe(1);
    await screenshot(page, "admin-users-password-set");
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Close" }).click();
    // The reset is in the configuration audit.
    const audit = (await demo("/api/v1/config-audit")).data as Json[];
    expect(audit.find((e) => e.entity === "user_password" && e.entity_id === rep.id)).toBeTruthy();
    await signOut(page);

    // The rep signs in with the new password (the old one no longer works).
    await page.getByLabel("Email").fill("rep1@demo.handoff.test");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    await signInAs(page, "rep1@demo.handoff.test", NEW_PASSWORD, String(rep.name).split(" ")[0] as string);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("the rep sees no admin pages; by address they say so; the API refuses the rep's cookie", async () => {
    const { page, problems } = await browser.page();
    // Still signed in as the rep from the test before (the browser keeps the cookie).
    await page.goto(`${s.url}/`);
    await page.getByRole("heading", { level: 1, name: /^Welcome, / }).waitFor();
    expect(await page.getByTestId("signed-in-as").textContent()).toContain("Rep · Demo Inc.");
    const nav = page.getByRole("navigation", { name: "Sections" });
    const links = await nav.getByRole("link").allTextContents();
    expect(links).not.toContain("Outbox");
    expect(links).not.toContain("Access");

    for (const [path, heading, who] of [
      ["/outbox", "Outbox", "Only admins and managers can see this page"],
      ["/admin/users", "Access", "Only admins can see this page"],
    ] as const) {
      await page.goto(`${s.url}${path}`);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      await page.getByRole("heading", { level: 2, name: who }).waitFor();
      expect(await page.getByRole("table").count()).toBe(0);
      await screenshot(page, `admin-refused-${heading.toLowerCase()}`);
      expect(await accessibilityViolations(page), path).toEqual([]);
    }

    // The same calls with the rep's own cookie and CSRF token: refused, nothing changed.
    const admin = ((await demo(`/api/v1/users?where=email:eq:${DEMO_ADMIN_EMAIL}`)).data as Json[])[0] as Json;
    const answers = await page.evaluate(
      async ({ deadId, adminId }) => {
        const session = (await (await fetch("/api/v1/session")).json()) as { csrf_token: string };
        const send = async (method: string, path: string, body?: unknown) =>
          (
            await fetch(path, {
              method,
              headers: { "content-type": "application/json", "x-csrf-token": session.csrf_token },
              ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            })
          ).status;
        return {
          outbox: await send("GET", "/api/v1/outbox"),
          replay: await send("POST", `/api/v1/outbox/${deadId}/replay`),
          signIns: await send("GET", "/api/v1/sign-ins"),
          sessions: await send("GET", `/api/v1/users/${adminId}/sessions`),
          password: await send("PUT", `/api/v1/users/${adminId}/password`, { password: "taken over by a rep" }),
        };
      },
      { deadId, adminId: admin.id as string },
    );
    expect(answers).toEqual({ outbox: 404, replay: 404, signIns: 404, sessions: 404, password: 404 });
    expect((await demo("/api/v1/config-audit")).data.filter((e: Json) => e.entity_id === admin.id)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
