/**
 * `handoff dedupe …` end to end: the real binary against a temp SQLite data directory with a
 * workspace "acme" holding two leads that are one person. A match rule is created from a file,
 * listed and shown; a bad rule is refused by path with nothing saved; `dedupe scan lead` prints
 * its progress and queues the pair; a scan of an object without keys is refused.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { buildServices } from "../../src/composition/root.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { tempDir } from "../helpers/stores.js";
import { assertBuilt, runCli } from "./process.js";

let dir: string;
let workspaceId: string;
const acme = (...args: string[]) => runCli([...args, "-w", "acme", "--data-dir", dir]);
const file = (name: string, json: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
};
const RULE = {
  name: "Leads: same person",
  object: "lead",
  keys: ["email", "phone"],
  fields: [
    { field: "email", weight: 3, similarity: "levenshtein" },
    { field: "last_name", weight: 1, similarity: "jaro_winkler" },
  ],
  threshold: 0.8,
  action: "alert",
};

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-dedupe-cli-");
  const store = openSqliteStore({ file: join(dir, "handoff.db"), now: () => new Date().toISOString() });
  try {
    await store.migrate();
    const s = buildServices(store);
    const ws = await s.workspaces.create("acme", "Acme");
    workspaceId = ws.id;
    await s.writer.createMany(systemContext(ws.id), "lead", [
      { first_name: "Ann", last_name: "Lee", email: "ann@initech.io" },
      { first_name: "ANN", last_name: "Lee", email: "Ann@Initech.io" },
      { first_name: "Bo", last_name: "Ng", email: "bo@globex.io" },
    ]);
  } finally {
    await store.close();
  }
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("handoff dedupe", () => {
  it("creates a rule from a file, lists and shows it, and refuses a bad one by path", async () => {
    const created = await acme("dedupe", "rules", "create", "--file", file("rule.json", RULE));
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^created match rule Leads: same person \(id \w+\)\n$/);
    const list = await acme("dedupe", "rules");
    expect(list.stdout).toBe("Leads: same person\tlead → lead\talert ≥ 0.80\tkeys email, phone\tenabled\n");
    const shown = await acme("dedupe", "rules", "show", "Leads: same person");
    expect(shown.stdout).toContain("fields     email ×3 (levenshtein), last_name ×1 (jaro_winkler)");
    const json = JSON.parse((await acme("dedupe", "rules", "show", "Leads: same person", "--json")).stdout);
    expect(json).toMatchObject({ ...RULE, compare_with: ["lead"], version: 1 });

    const bad = await acme(
      "dedupe",
      "rules",
      "create",
      "--file",
      file("bad.json", { ...RULE, name: "Bad", fields: [{ field: "shoe", weight: -2, similarity: "exact" }] }),
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("fields[0].weight");
    expect((await acme("dedupe", "rules")).stdout.split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("scans the leads, printing progress, and queues the pair", async () => {
    const run = await acme("dedupe", "scan", "lead");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/scanned \d+\/6, \d+ pair\(s\) found/);
    expect(run.stdout).toMatch(/^scan \w+: 6 of 6 records gone through; 1 pair\(s\) found, 1 new in the review queue\n$/);
    const store = openSqliteStore({ file: join(dir, "handoff.db"), now: () => new Date().toISOString() });
    try {
      const items = await store.reviewQueue.listReviewItems({ workspaceId, kind: "duplicate", limit: 10 });
      expect(items).toHaveLength(1);
    } finally {
      await store.close();
    }
    const wrong = await acme("dedupe", "scan", "deal");
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain("object");
  });
});
