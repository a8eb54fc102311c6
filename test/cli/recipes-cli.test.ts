/**
 * `handoff recipes list|install` end to end: the real binary (dist/cli/main.js) against a temp
 * SQLite data directory with an empty workspace "acme" (no connectors): the list says what each
 * recipe needs and why it cannot be published here; installing as a draft, then publishing that
 * draft; installing again is refused with what to do; a missing connector refuses the publish
 * and installs nothing.
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
const lines = (text: string) => text.split("\n").filter((l) => l !== "");

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-recipes-cli-");
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

describe("handoff recipes", () => {
  it("lists the recipes with what each needs here and why it cannot be published", async () => {
    const result = await acme("recipes", "list");
    expect(result.code, result.stderr).toBe(0);
    const out = lines(result.stdout);
    const recipes = out.filter((l) => !l.startsWith("  "));
    expect(recipes).toHaveLength(15);
    expect(recipes).toContain("meeting-follow-up\tnot installed\tneeds nothing\tMeeting follow-up");
    expect(recipes).toContain("data-enrichment-on-create\tnot installed\tneeds enrichment (http): missing\tData enrichment on create");
    expect(
      out[out.indexOf("data-enrichment-on-create\tnot installed\tneeds enrichment (http): missing\tData enrichment on create") + 1],
    ).toBe('  cannot publish: steps.enrich.action.connector: no connector "enrichment" in this workspace');
  });

  it("installs as a draft, publishes that draft, and refuses a third install saying what to do", async () => {
    const draft = await acme("recipes", "install", "meeting-follow-up");
    expect(draft.code, draft.stderr).toBe(0);
    expect(draft.stdout).toBe("installed meeting-follow-up as a draft (v1); publish it with --publish\n");
    const published = await acme("recipes", "install", "meeting-follow-up", "--publish");
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toBe("published meeting-follow-up v1\n");
    const again = await acme("recipes", "install", "meeting-follow-up");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("archive it to install the recipe again");
    expect(lines((await acme("recipes", "list")).stdout)).toContain("meeting-follow-up\tpublished v1\tneeds nothing\tMeeting follow-up");
  });

  it("refuses to publish a recipe whose connector is missing, naming it, and installs nothing", async () => {
    const result = await acme("recipes", "install", "data-enrichment-on-create", "--publish");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot be published in this workspace; nothing was installed");
    expect(result.stderr).toContain('steps.enrich.action.connector: no connector "enrichment" in this workspace');
    expect((await acme("workflow", "list")).stdout).not.toContain("data-enrichment-on-create");
  });

  it("says how to use it when the arguments are wrong, and names an unknown recipe", async () => {
    expect((await acme("recipes")).code).toBe(2);
    expect((await acme("recipes", "install")).stderr).toContain("recipes install needs a recipe key");
    expect((await acme("recipes", "list", "--publish")).stderr).toContain("--publish goes with recipes install");
    const unknown = await acme("recipes", "install", "no-such-recipe");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("recipe no-such-recipe not found");
  });
});
