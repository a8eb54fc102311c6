/**
 * Chromium for the web app's tests (engineering.md §1: Debian's chromium, headless, nothing
 * phoning home, a fresh profile), a screenshot per test under test/web/screenshots (gitignored),
 * and the accessibility check: axe-core evaluated in the page (through the DevTools protocol, so
 * the app's CSP, which allows no injected script, stays on) with the WCAG 2.1 A/AA rules.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../src/seed/demo.js";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

export const SCREENSHOTS = resolve(import.meta.dirname, "..", "web", "screenshots");

export interface TestBrowser {
  context: BrowserContext;
  /** A new page that records the console's CSP violations and page errors in `problems`. */
  page(): Promise<{ page: Page; problems: string[] }>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "handoff-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  // Fail with the step that did not happen rather than at the test timeout.
  context.setDefaultTimeout(10_000);
  return {
    context,
    async page() {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      return { page, problems };
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Where docs' screenshots go when HANDOFF_DOCS_SCREENSHOTS is set (a test run that refreshes them). */
const DOCS_SCREENSHOTS = resolve(import.meta.dirname, "..", "..", "docs", "screenshots");

/** A screenshot as `screenshot` takes it, also written to docs/screenshots/ when HANDOFF_DOCS_SCREENSHOTS is set. */
export async function docsScreenshot(page: Page, name: string) {
  await screenshot(page, name);
  if (!process.env.HANDOFF_DOCS_SCREENSHOTS) return;
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(DOCS_SCREENSHOTS, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The page's WCAG 2.1 A/AA violations, one line each ("rule: help @ selectors"); empty when none. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const { violations, passes } = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[]; passes: unknown[] }> } }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return {
      passes: result.passes.length,
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target })),
      })),
    };
  });
  // A check that checked nothing (axe not loaded, an empty page) must not pass as "no violations".
  if (passes === 0) throw new Error(`axe checked no rule on ${page.url()}`);
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} @ ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/**
 * Signs in on the sign-in page as a person does — email, password, the button — and waits
 * until the app has taken them where they were going (`path`, "/" for home).
 */
export async function signIn(page: Page, baseUrl: string, email: string, { password = DEMO_PASSWORD, path = "/" } = {}) {
  await page.goto(`${baseUrl}/sign-in?redirect=${encodeURIComponent(path)}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${baseUrl}${path}`);
}
