/**
 * `handoff rules …` end to end: the real binary (dist/cli/main.js) against a temp SQLite data
 * directory with a workspace "acme" and a `budget_confirmed` field on deals. A file of two rules
 * is applied (created), listed, shown, applied again (updated by name), and one deleted; a bad
 * rule is refused with its problem by path, exit 1, nothing saved; usage mistakes exit 2.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { buildServices } from "../../src/composition/root.js";
import { DEMO_RULES } from "../../src/seed/demo-data-quality.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { tempDir } from "../helpers/stores.js";
import { assertBuilt, runCli } from "./process.js";

let dir: string;
const acme = (...args: string[]) => runCli([...args, "-w", "acme", "--data-dir", dir]);
const file = (name: string, json: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
};

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-rules-cli-");
  const store = openSqliteStore({ file: join(dir, "handoff.db"), now: () => new Date().toISOString() });
  try {
    await store.migrate();
    const s = buildServices(store);
    const ws = await s.workspaces.create("acme", "Acme");
    await s.customFields.create(systemContext(ws.id), "deal", { name: "budget_confirmed", type: "boolean", label: "Budget confirmed" });
  } finally {
    await store.close();
  }
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("handoff rules", () => {
  it("applies a file of rules, lists and shows them, updates by name and deletes", async () => {
    const rules = [DEMO_RULES[0], DEMO_RULES[2]];
    const applied = await acme("rules", "apply", "--file", file("rules.json", rules));
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toBe(
      "created gate Proposal needs budget confirmation on deal: stage → proposal requires budget_confirmed is true\n" +
        "created rule Won deals carry an amount on deal: invalid when stage is closed_won and amount is empty\n",
    );
    expect((await acme("rules")).stdout).toBe(
      "Proposal needs budget confirmation\tdeal\tgate\trefuse\tenabled\tstage → proposal requires budget_confirmed is true\n" +
        "Won deals carry an amount\tdeal\trule\twarn\tenabled\tinvalid when stage is closed_won and amount is empty\n",
    );
    const shown = await acme("rules", "show", "Proposal needs budget confirmation");
    expect(shown.stdout).toContain("why       A proposal is sent only once");
    expect(shown.stdout).toContain(`message   ${DEMO_RULES[0].message} (shown on budget_confirmed)`);
    expect(JSON.parse((await acme("rules", "show", "Won deals carry an amount", "--json")).stdout)).toMatchObject({
      kind: "rule",
      version: 1,
    });
    const again = await acme("rules", "apply", "--file", file("again.json", { ...DEMO_RULES[2], action: "refuse" }));
    expect(again.stdout).toBe("updated rule Won deals carry an amount to version 2\n");
    expect((await acme("rules", "delete", "Won deals carry an amount")).stdout).toBe("deleted rule Won deals carry an amount\n");
    expect((await acme("rules")).stdout.split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("refuses a bad rule by path, saving nothing, and usage mistakes with exit 2", async () => {
    const bad = await acme("rules", "apply", "--file", file("bad.json", { ...DEMO_RULES[0], name: "Bad", to: ["signed"] }));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("to[0]");
    expect((await acme("rules")).stdout).not.toContain("Bad");
    expect((await acme("rules", "apply")).code).toBe(2);
    expect((await acme("rules", "show")).code).toBe(2);
    expect((await acme("rules", "frobnicate")).code).toBe(2);
  });
});
