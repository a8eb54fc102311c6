/**
 * The web app in Chromium, as a person meets it before signing in: a visit to any app route lands
 * on /sign-in (and remembers where it was going); the sign-in page is labelled, checks what was
 * typed before sending it, works from the keyboard alone, shows the server's refusal next to the
 * form, passes the accessibility check and breaks no rule of its Content-Security-Policy. Signing
 * in and the app shell are test/web/sign-in.test.ts (they need the session routes).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, openBrowser, screenshot, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

describe("the web app before signing in, in Chromium", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  const signInPage = async (path = "/sign-in"): Promise<{ page: Page; problems: string[] }> => {
    const opened = await browser.page();
    await opened.page.goto(`${s.url}${path}`);
    await opened.page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    return opened;
  };

  it("a visitor without a session who opens / lands on /sign-in", async () => {
    const { page, problems } = await browser.page();
    const res = await page.goto(`${s.url}/`);
    expect(res?.status()).toBe(200);
    await page.waitForURL(/\/sign-in/);
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    expect(await page.title()).toBe("Handoff");
    await screenshot(page, "unauthenticated-home-to-sign-in");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("a deep link keeps where it was going: /workflows → /sign-in?redirect=/workflows", async () => {
    const { page } = await browser.page();
    await page.goto(`${s.url}/workflows`);
    await page.waitForURL(/\/sign-in\?redirect=/);
    expect(new URL(page.url()).searchParams.get("redirect")).toBe("/workflows");
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    await screenshot(page, "deep-link-to-sign-in");
    await page.close();
  });

  it("the sign-in page: labelled fields, one button, no workspace until asked, no accessibility violation, no CSP violation", async () => {
    const { page, problems } = await signInPage();
    const email = page.getByLabel("Email");
    const password = page.getByLabel("Password");
    expect(await email.getAttribute("type")).toBe("email");
    expect(await email.getAttribute("autocomplete")).toBe("username");
    expect(await password.getAttribute("type")).toBe("password");
    expect(await password.getAttribute("autocomplete")).toBe("current-password");
    expect(await page.getByLabel("Workspace").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Sign in" }).isEnabled()).toBe(true);
    expect(await page.getByText("Forgot your password? Ask a Handoff admin").count()).toBe(1);
    await screenshot(page, "sign-in");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("checks what was typed before sending: each message next to its field, focus on the first, nothing sent", async () => {
    const { page } = await signInPage();
    const sent: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/v1/session") && r.method() === "POST") sent.push(r.url());
    });
    await page.getByRole("button", { name: "Sign in" }).click();
    const email = page.getByLabel("Email");
    const password = page.getByLabel("Password");
    await page.getByText("Enter your work email address.").waitFor();
    await page.getByText("Enter your password.").waitFor();
    expect(await email.getAttribute("aria-invalid")).toBe("true");
    expect(await password.getAttribute("aria-invalid")).toBe("true");
    // Each message is read out with its field.
    expect(await email.getAttribute("aria-describedby")).toBe("sign-in-email-error");
    expect(await page.locator("#sign-in-email-error").textContent()).toBe("Enter your work email address.");
    expect(await email.evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(page, "sign-in-empty");
    expect(await accessibilityViolations(page)).toEqual([]);

    await email.fill("dana@");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Enter an email address like name@company.com.").waitFor();
    await email.fill("dana@example.com");
    // Fixing a field clears its message.
    expect(await page.getByText("Enter an email address like name@company.com.").count()).toBe(0);
    expect(await email.getAttribute("aria-invalid")).toBeNull();
    expect(await password.evaluate((el) => el === document.activeElement)).toBe(false);
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await password.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(sent).toEqual([]);
    await screenshot(page, "sign-in-invalid");
    await page.close();
  });

  it("works from the keyboard alone, and shows the server's refusal next to the form", async () => {
    const { page } = await signInPage();
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute("id") ?? document.activeElement?.tagName);
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("sign-in-email");
    await page.keyboard.type("nobody@example.com");
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("sign-in-password");
    await page.keyboard.type("not the password");
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("BUTTON");
    await page.keyboard.press("Enter");
    // Nobody has this email: 401 (before the session routes exist, the API's own 401 says the same).
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toBe("Email or password is not right. Check both and try again; an admin can reset your password.");
    expect(page.url()).toContain("/sign-in");
    expect(await page.getByLabel("Email").inputValue()).toBe("nobody@example.com");
    await screenshot(page, "sign-in-refused");
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it("the API and the OpenAPI document keep their own answers in the browser, never the app", async () => {
    const { page } = await browser.page();
    const doc = await page.goto(`${s.url}/openapi.json`);
    expect(doc?.status()).toBe(200);
    expect(doc?.headers()["content-type"]).toContain("application/json");
    const api = await page.goto(`${s.url}/api/v1/leads`);
    expect(api?.status()).toBe(401);
    expect(api?.headers()["content-type"]).toContain("application/problem+json");
    const unknown = await page.goto(`${s.url}/api/v1/no-such-thing`);
    expect(unknown?.headers()["content-type"]).toContain("application/problem+json");
    await page.close();
  });

  it("an unknown client route shows a page that says where to go", async () => {
    const { page } = await browser.page();
    await page.goto(`${s.url}/sign-in/nothing-here`);
    await page.getByRole("heading", { name: "This page does not exist" }).waitFor();
    await page.getByRole("link", { name: "Go to the home page" }).waitFor();
    await screenshot(page, "not-found");
    await page.close();
  });
});
