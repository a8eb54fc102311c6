/**
 * `npm run bench:web` — how fast the web app is usable (issue 14): Handoff with the demo
 * workspace (SQLite in a scratch directory, the API and the built app of web/dist on an ephemeral
 * port, in this process; no worker, so that nothing but the page's own requests runs), a signed-in
 * demo admin, and Debian's Chromium loading two pages, each from a fresh browser context (empty
 * HTTP cache: a first visit after signing in):
 *
 * - `record`: the record page of a demo lead, `/records/leads/{id}`. Usable = its `<h1>` and the
 *   Automation panel rendered with the lead's runs.
 * - `list`: the leads list, `/records/leads` (`--list-path`). Usable = the first data row of its
 *   table (`table tbody tr`).
 *
 * "Usable" is measured in the page: a MutationObserver installed before the app's first script
 * notes `performance.now()` (milliseconds since navigation start) when the page's main content is
 * first in the DOM. `first_route_js_kb` is the gzip size (zlib, default level) of every script the
 * navigation loaded until then, in kilobytes. Several iterations (`--iterations`, default 7); the
 * medians are printed, one JSON line per page:
 *
 *   {"bench":"web","page":"record","usable_ms":…,"first_route_js_kb":…,"main_thread_ms":…,"iterations":7}
 *
 * `main_thread_ms` is the renderer's main-thread task time until usable (Chromium's
 * `TaskDuration`): the CPU the page cost, which a busy machine stretches less than the wall clock.
 *
 * Targets: record page usable ≤ 1000 ms on the 2-core machine, first-route JS ≤ 300 KB. `--quick`
 * (what `npm test` runs): one iteration, invariants only — both lines, positive numbers, no page
 * that never became usable (then the line says `"usable_ms": null` with the reason, and the
 * script exits 1). `--trace` prints each load's requests with their times to stderr. Needs
 * `npm run build` first (web/dist).
 */
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { type Browser, chromium } from "playwright-core";
import { CHROMIUM_ARGS, type DemoWeb, median, startDemoWeb } from "./demo-web.js";
import { log } from "./scratch.js";

const { values } = parseArgs({
  options: {
    iterations: { type: "string" },
    "list-path": { type: "string" },
    timeout: { type: "string" },
    quick: { type: "boolean", default: false },
    trace: { type: "boolean", default: false },
  },
});
const ITERATIONS = Number(values.iterations ?? (values.quick ? 1 : 7));
const LIST_PATH = values["list-path"] ?? "/records/leads";
const TIMEOUT_MS = Number(values.timeout ?? 15) * 1000;

/** The main content of each page, as a DOM test run in the page (no framework hooks). */
const READY = {
  record: `!!(document.querySelector("main h1") && document.querySelector('main [data-testid="automation"]'))`,
  list: `!!document.querySelector("main table tbody tr")`,
} as const;
type PageName = keyof typeof READY;

/** Installed before the app's scripts: notes the first instant the main content is in the DOM. */
const observer = (ready: string) => `(() => {
  const check = () => {
    if (window.__handoffUsable === undefined && (${ready})) {
      window.__handoffUsable = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
})();`;

interface Load {
  usableMs: number;
  jsKb: number;
  /** The renderer's main-thread task time until usable (CDP Performance.TaskDuration): CPU, not waiting. */
  mainThreadMs: number;
}

async function load(browser: Browser, url: string, cookie: DemoWeb["cookie"], page: PageName): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const origin = new URL(url);
    await context.addCookies([
      { name: cookie.name, value: cookie.value, domain: origin.hostname, path: "/", httpOnly: true, sameSite: "Lax" },
    ]);
    const tab = await context.newPage();
    await tab.addInitScript(observer(READY[page]));
    const cdp = await context.newCDPSession(tab);
    await cdp.send("Performance.enable");
    const scripts: Array<Promise<number>> = [];
    let usable = false;
    tab.on("response", (res) => {
      if (usable || res.request().resourceType() !== "script") return;
      scripts.push(res.body().then((body) => gzipSync(body).length));
    });
    await tab.goto(url);
    const handle = await tab.waitForFunction(() => (window as unknown as { __handoffUsable?: number }).__handoffUsable, null, {
      timeout: TIMEOUT_MS,
      polling: 50,
    });
    usable = true;
    const usableMs = Number(await handle.jsonValue());
    const { metrics } = await cdp.send("Performance.getMetrics");
    const mainThreadMs = (metrics.find((m) => m.name === "TaskDuration")?.value ?? 0) * 1000;
    if (values.trace) {
      // Where the time went: each request the page made, from navigation start (stderr).
      const entries = await tab.evaluate(() =>
        performance
          .getEntriesByType("resource")
          .map((e) => `${e.startTime.toFixed(0)}–${(e as PerformanceResourceTiming).responseEnd.toFixed(0)} ms ${e.name}`),
      );
      const nav = await tab.evaluate(() => {
        const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
        return n ? `document ${n.responseEnd.toFixed(0)} ms, DOMContentLoaded ${n.domContentLoadedEventEnd.toFixed(0)} ms` : "";
      });
      log(`  ${nav}\n  ${entries.join("\n  ")}`);
    }
    const bytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
    return { usableMs, jsKb: bytes / 1024, mainThreadMs };
  } finally {
    await context.close();
  }
}

async function main() {
  const web = await startDemoWeb("web");
  let browser: Browser | undefined;
  let failed = false;
  try {
    const { cookie } = web;
    const leads = (await (await web.api("/api/v1/leads?limit=1")).json()) as { data: Array<{ id: string }> };
    const lead = leads.data[0];
    if (!lead) throw new Error("the demo workspace has no lead");

    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
    const pages: Array<[PageName, string]> = [
      ["record", `${web.url}/records/leads/${lead.id}`],
      ["list", `${web.url}${LIST_PATH}`],
    ];
    for (const [page, url] of pages) {
      const loads: Load[] = [];
      let error: string | undefined;
      for (let i = 0; i < ITERATIONS && !error; i++) {
        try {
          const l = await load(browser, url, cookie, page);
          log(
            `${page} ${i + 1}/${ITERATIONS}: usable ${l.usableMs.toFixed(0)} ms, main thread ${l.mainThreadMs.toFixed(0)} ms, JS ${l.jsKb.toFixed(1)} KB gzip`,
          );
          loads.push(l);
        } catch (e) {
          error = `${new URL(url).pathname} was not usable within ${TIMEOUT_MS} ms (${READY[page]}): ${(e as Error).message.split("\n")[0]}`;
        }
      }
      if (error) {
        failed = true;
        log(error);
        process.stdout.write(
          `${JSON.stringify({ bench: "web", page, usable_ms: null, first_route_js_kb: null, iterations: loads.length, error })}\n`,
        );
        continue;
      }
      const line = {
        bench: "web",
        page,
        usable_ms: Math.round(median(loads.map((l) => l.usableMs))),
        first_route_js_kb: Math.round(median(loads.map((l) => l.jsKb)) * 10) / 10,
        main_thread_ms: Math.round(median(loads.map((l) => l.mainThreadMs))),
        iterations: loads.length,
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  } finally {
    await browser?.close();
    await web.close();
  }
  if (failed) process.exitCode = 1;
}

main().catch((e) => {
  log((e as Error).stack ?? String(e));
  process.exit(1);
});
