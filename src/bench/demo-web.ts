/**
 * What the browser benchmarks (bench:web, bench:builder) share: Handoff with the demo workspace
 * (SQLite in a scratch directory, the API and the built app of web/dist on an ephemeral port, in
 * this process; no worker, so that nothing but the page's own requests runs), the demo admin signed
 * in (its session cookie and CSRF token), Chromium's flags, and the statistics they print.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { startServer } from "../api/server.js";
import { DEFAULT_WEB_DIST } from "../api/web-app.js";
import { loadConfig } from "../composition/config.js";
import { buildServices, openStore } from "../composition/root.js";
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, seedDemo } from "../seed/demo.js";
import { log } from "./scratch.js";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--no-first-run",
  "--disable-sync",
];

export interface DemoWeb {
  url: string;
  /** The demo admin's session cookie, for a browser context. */
  cookie: { name: string; value: string };
  /** A call to the API as the signed-in demo admin (cookie, and the CSRF token on writes). */
  api(path: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** Seeds the demo workspace, serves it and signs its admin in. Needs web/dist (`npm run build`). */
export async function startDemoWeb(name: string): Promise<DemoWeb> {
  if (!existsSync(join(DEFAULT_WEB_DIST, "index.html"))) throw new Error(`${DEFAULT_WEB_DIST} has no build: run \`npm run build\` first`);
  const dir = mkdtempSync(join(tmpdir(), `handoff-bench-${name}-`));
  const config = loadConfig({}, { dataDir: dir, port: 0, host: "127.0.0.1", logLevel: "silent" });
  const store = openStore(config);
  let server: { url: string; close(): Promise<void> } | undefined;
  const close = async () => {
    await server?.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await store.migrate();
    const services = buildServices(store);
    const started = Date.now();
    await seedDemo(services);
    log(`demo workspace seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    server = await startServer(services, config, pino({ level: "silent" }));
    const url = server.url;

    const signIn = await fetch(`${url}/api/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: DEMO_ADMIN_EMAIL, password: DEMO_PASSWORD }),
    });
    const match = /^([^=]+)=([^;]+)/.exec(signIn.headers.get("set-cookie") ?? "");
    if (signIn.status !== 200 || !match?.[1] || !match[2]) throw new Error(`sign-in answered ${signIn.status}: ${await signIn.text()}`);
    const cookie = { name: match[1], value: match[2] };
    const { csrf_token: csrf } = (await signIn.json()) as { csrf_token: string };
    const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
      fetch(`${url}${path}`, {
        method: init.method ?? "GET",
        headers: {
          cookie: `${cookie.name}=${cookie.value}`,
          ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
          ...(init.method && init.method !== "GET" ? { "x-csrf-token": csrf } : {}),
        },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
    return { url, cookie, api, close };
  } catch (e) {
    await close();
    throw e;
  }
}

export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** The nearest-rank 95th percentile. */
export const p95 = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(0.95 * s.length) - 1)] as number;
};

/** The machine and how busy it is, for the figures' record (stderr). */
export function logMachine() {
  const cpu = cpus();
  log(
    `machine: ${cpu.length} cpus (${cpu[0]?.model.trim() ?? "unknown"}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}, node ${process.version}`,
  );
}
