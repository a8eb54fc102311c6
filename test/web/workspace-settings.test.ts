/**
 * The email tracking switch in Chromium (issue 21): an admin finds "Settings" in the navigation,
 * sees both kinds off, turns opens and clicks on with the checkboxes (by keyboard for one), saves,
 * and the API reads what the page said; a rep does not get the page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

const PASSWORD = "settings-test-password-1";

describe("workspace settings in Chromium", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    for (const [name, role] of [
      ["Ada", "admin"],
      ["Rex", "rep"],
    ] as const) {
      const u = await s.post("/api/v1/users", { name, email: `${name.toLowerCase()}@settings.test`, role });
      await s.json(`/api/v1/users/${u.id}/password`, { method: "PUT", json: { password: PASSWORD } });
    }
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  it("an admin turns email tracking on from the Settings page", async () => {
    const { page, problems } = await browser.page();
    await signIn(page, s.url, "ada@settings.test", { password: PASSWORD });
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { level: 1, name: "Workspace settings" }).waitFor();
    const section = page.getByRole("region", { name: "Email tracking" });
    const opens = section.getByRole("checkbox", { name: /^Opens/ });
    const clicks = section.getByRole("checkbox", { name: /^Link clicks/ });
    await opens.waitFor();
    expect(await opens.isChecked()).toBe(false);
    expect(await clicks.isChecked()).toBe(false);
    const save = section.getByRole("button", { name: "Save email tracking" });
    expect(await save.isDisabled()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);

    await opens.check();
    await clicks.focus();
    await page.keyboard.press("Space");
    expect(await clicks.isChecked()).toBe(true);
    await screenshot(page, "workspace-settings-email-tracking");
    await save.click();
    await section.getByRole("status").filter({ hasText: "Saved: opens on, clicks on." }).waitFor();
    expect((await s.get("/api/v1/workspace/settings")).email_tracking).toEqual({ opens: true, clicks: true });

    // Read back after a reload: the page shows what is stored.
    await page.reload();
    await page
      .getByRole("region", { name: "Email tracking" })
      .getByRole("checkbox", { name: /^Opens/ })
      .waitFor();
    expect(
      await page
        .getByRole("region", { name: "Email tracking" })
        .getByRole("checkbox", { name: /^Link clicks/ })
        .isChecked(),
    ).toBe(true);
    expect(problems).toEqual([]);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
  });

  it("a rep is not offered the page and is told it is for admins", async () => {
    const { page } = await browser.page();
    await signIn(page, s.url, "rex@settings.test", { password: PASSWORD });
    expect(await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Settings" }).count()).toBe(0);
    await page.goto(`${s.url}/admin/settings`);
    await page
      .getByText(/admins/)
      .first()
      .waitFor();
    expect(await page.getByRole("checkbox", { name: /^Opens/ }).count()).toBe(0);
  });
});
