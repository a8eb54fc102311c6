/**
 * `handoff worker` processes for the reliability tests on PostgreSQL (several workers sharing
 * one database, one of them killed), and waiting for a condition over their work.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { CLI, cliEnv } from "../cli/process.js";
import { eventually } from "./eventually.js";

/** A worker on the database at `url`; `rateCap` lifts the per-workflow rate cap above the test's volume. */
export function startWorker(url: string, rateCap: number): ChildProcess {
  return spawn(process.execPath, [CLI, "worker", "--database-url", url], {
    env: cliEnv({ LOG_LEVEL: "warn", HANDOFF_WORKFLOW_RATE_CAP: String(rateCap) }),
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** Polls until `probe` is true, or fails naming what it waited for. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  await eventually(what, async () => ((await probe()) ? true : undefined), timeoutMs, 200);
}
