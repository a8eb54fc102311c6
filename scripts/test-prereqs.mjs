#!/usr/bin/env node
/**
 * What `npm test` needs besides node_modules, made ready or named in one line: Debian's Chromium
 * (the browser tests drive /usr/bin/chromium through playwright-core) and a reachable PostgreSQL
 * (the storage suite runs on it, never skipped unless HANDOFF_SKIP_PG=1 is set by hand).
 * Installs Chromium with apt and starts the local PostgreSQL cluster when it can (as root on
 * Debian, like a fresh CI machine); otherwise it stops at once and says what to do.
 * Plain JavaScript: it runs before the TypeScript build.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { connect } from "node:net";

const CHROMIUM = "/usr/bin/chromium";
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

function fail(line) {
  console.error(`npm test: ${line}`);
  process.exit(1);
}

function run(cmd, args, env = {}) {
  execFileSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, ...env } });
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (!(isRoot && has("apt-get"))) {
    fail(
      `Chromium is missing at ${CHROMIUM}: install it with 'sudo apt-get install -y chromium' (Debian's package; the browser tests drive it)`,
    );
  }
  console.log("npm test: installing Chromium from Debian's packages (the browser tests drive it) …");
  try {
    run("apt-get", ["update", "-q"]);
    run("apt-get", ["install", "-y", "-q", "chromium"], { DEBIAN_FRONTEND: "noninteractive" });
  } catch {
    fail("could not install Chromium with apt-get; install it with 'sudo apt-get install -y chromium' and run npm test again");
  }
  if (!existsSync(CHROMIUM)) fail(`apt-get installed chromium but ${CHROMIUM} is still missing`);
}

function reachable(host, port, timeoutMs = 1_000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

async function ensurePostgres() {
  if (process.env.HANDOFF_SKIP_PG === "1") {
    console.log("npm test: HANDOFF_SKIP_PG=1 is set, so the PostgreSQL tests are skipped (CI never sets it)");
    return;
  }
  const url = new URL(process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  const host = url.hostname || "127.0.0.1";
  const port = Number(url.port || 5432);
  if (await reachable(host, port)) return;
  const local = host === "127.0.0.1" || host === "localhost";
  const clusters = existsSync("/etc/postgresql") ? readdirSync("/etc/postgresql") : [];
  if (local && isRoot && has("pg_ctlcluster") && clusters.length > 0) {
    console.log(`npm test: starting the local PostgreSQL ${clusters[0]} cluster …`);
    try {
      run("pg_ctlcluster", ["--skip-systemctl-redirect", clusters[0], "main", "start"]);
    } catch {
      // Reported below if it is still not reachable.
    }
    for (let i = 0; i < 30 && !(await reachable(host, port)); i++) await new Promise((r) => setTimeout(r, 1_000));
    if (await reachable(host, port)) return;
  }
  fail(
    `PostgreSQL is not reachable at ${host}:${port}: start it (Debian: 'sudo apt-get install -y postgresql && sudo pg_ctlcluster 15 main start'), point TEST_DATABASE_URL at one, or set HANDOFF_SKIP_PG=1 to skip its tests`,
  );
}

ensureChromium();
await ensurePostgres();
