/**
 * `handoff settings …` end to end: the real binary (dist/cli/main.js) against a temp SQLite data
 * directory with a workspace "acme". Email tracking is off by default, turned on and off per kind,
 * and a bad value is a usage error (exit 2) that changes nothing.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServices } from "../../src/composition/root.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { tempDir } from "../helpers/stores.js";
import { assertBuilt, runCli } from "./process.js";

let dir: string;
const acme = (...args: string[]) => runCli([...args, "-w", "acme", "--data-dir", dir]);

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-settings-cli-");
  const store = openSqliteStore({ file: join(dir, "handoff.db"), now: () => new Date().toISOString() });
  try {
    await store.migrate();
    await buildServices(store).workspaces.create("acme", "Acme");
  } finally {
    await store.close();
  }
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("handoff settings", () => {
  it("shows the settings and switches email tracking per kind", async () => {
    const shown = await acme("settings");
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain("email tracking: opens off, clicks off\n");
    const on = await acme("settings", "email-tracking", "--opens", "on");
    expect(on.stdout).toBe("email tracking in acme: opens on, clicks off\n");
    expect((await acme("settings", "email-tracking", "--clicks", "on", "--opens", "off")).stdout).toBe(
      "email tracking in acme: opens off, clicks on\n",
    );
    expect(JSON.parse((await acme("settings", "--json")).stdout).email_tracking).toEqual({ opens: false, clicks: true });
  });

  it("refuses a value that is not on or off, changing nothing", async () => {
    const bad = await acme("settings", "email-tracking", "--opens", "maybe");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--opens takes on or off, not "maybe"');
    expect(JSON.parse((await acme("settings", "email-tracking", "--json")).stdout)).toEqual({ opens: false, clicks: true });
  });
});
