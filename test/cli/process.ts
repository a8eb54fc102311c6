/**
 * Running the real `handoff` binary (dist/cli/main.js) from tests: one-shot commands, a server
 * process, and a free port. `npm test` builds dist/ before vitest runs; a missing build fails
 * with a clear message instead of a confusing spawn error.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} is missing: build first with \`npx tsc -p tsconfig.build.json\` (npm test does this)`);
  }
}

/** The environment minus anything that would point the CLI at another store or port. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "silent", ...extra };
  for (const name of ["DATABASE_URL", "HANDOFF_DATA_DIR", "PORT", "HOST", "HANDOFF_MASTER_KEY"]) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `handoff <args>` to completion; never rejects on a non-zero exit (the test asserts the code). */
export function runCli(
  args: string[],
  options: {
    timeoutMs?: number;
    cwd?: string;
    env?: Record<string, string> /** Written to stdin, which is then closed. */;
    input?: string;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: cliEnv(options.env),
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
        ...(options.cwd ? { cwd: options.cwd } : {}),
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          // Killed by the timeout or could not start: that is a failure of the test itself.
          reject(new Error(`handoff ${args.join(" ")} did not finish (${error.message})\nstderr: ${stderr}`));
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** A port nobody listens on right now (bind to 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error("no port"));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote to stderr/stdout so far, for failure messages. */
  output(): string;
  /** Resolves with the signal (or exit code) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnServer(args: string[], port: number, env: Record<string, string> = {}): ServerProcess {
  const child = spawn(process.execPath, [CLI, "serve", "--port", String(port), "--host", "127.0.0.1", ...args], {
    env: cliEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

/** Polls until `ready()` is true; fails early when the process dies, and after `timeoutMs`. */
export async function waitUntil(server: ServerProcess, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  let gone = false;
  void server.exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the server exited before it was ready:\n${server.output()}`);
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server was not ready within ${timeoutMs} ms:\n${server.output()}`);
}

/** SIGKILL (if still running) and wait until it is gone. */
export async function killServer(server: ServerProcess | undefined): Promise<void> {
  if (!server) return;
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
  await server.exited;
}

/**
 * Starts `serve` on a free port and waits for `ready`. Another process on the machine can take
 * the port between our check and the server's bind; then the server dies with EADDRINUSE and
 * we try again on another port.
 */
export async function startServerOnFreePort(
  args: string[],
  ready: (server: ServerProcess) => Promise<boolean>,
  attempts = 3,
  env: Record<string, string> = {},
  /** How long `ready` may take: a first start with --demo seeds the demo workspace first. */
  readyWithinMs = 60_000,
): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    const server = spawnServer(args, await freePort(), env);
    try {
      await waitUntil(server, () => ready(server), readyWithinMs);
      return server;
    } catch (error) {
      await killServer(server);
      if (attempt >= attempts || !server.output().includes("EADDRINUSE")) throw error;
    }
  }
}
