/**
 * `handoff status-rules …` and `handoff kpis records status_accuracy` end to end: the real binary
 * (dist/cli/main.js) against a temp SQLite data directory whose workspace "acme" has two qualified
 * leads, one owned and one not (written through the services, not folded yet: the CLI folds what
 * is pending before it reads). A rule is applied, listed, shown; status accuracy is 1 of 2 = 50 %
 * and its records name the unowned lead and the rule; a bad rule is refused by path (exit 1,
 * nothing saved); a rule is deleted.
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
const ids: string[] = [];
const acme = (...args: string[]) => runCli([...args, "-w", "acme", "--data-dir", dir]);
const file = (name: string, json: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
};
const RULE = {
  name: "Qualified leads have an owner",
  object: "lead",
  field: "status",
  values: ["qualified"],
  requires: { field: "owner_id", op: "is_set" },
};

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-status-rules-cli-");
  const store = openSqliteStore({ file: join(dir, "handoff.db"), now: () => new Date().toISOString() });
  try {
    await store.migrate();
    const s = buildServices(store);
    const ws = await s.workspaces.create("acme", "Acme");
    const ctx = systemContext(ws.id);
    const owner = await s.writer.create(ctx, "user", { name: "Olga", email: "olga@acme.test" });
    ids.push((await s.writer.create(ctx, "lead", { last_name: "Owned", status: "qualified", owner_id: owner.id })).id);
    ids.push((await s.writer.create(ctx, "lead", { last_name: "Nobody's", status: "qualified" })).id);
  } finally {
    await store.close();
  }
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("handoff status-rules", () => {
  it("applies, lists and shows a rule; status accuracy and its records follow it; a bad rule is refused by path; delete", {
    timeout: 120_000,
  }, async () => {
    const applied = await acme("status-rules", "apply", "--file", file("rule.json", RULE));
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toBe("created status rule Qualified leads have an owner on lead: status qualified requires owner_id is set\n");
    expect((await acme("status-rules")).stdout).toBe(
      "Qualified leads have an owner\tlead\tenabled\tstatus qualified requires owner_id is set\n",
    );
    expect(JSON.parse((await acme("status-rules", "show", RULE.name, "--json")).stdout)).toMatchObject({ ...RULE, version: 1 });

    const kpis = await acme("kpis");
    expect(kpis.stdout).toMatch(/Status accuracy\s+50 %\s+over 2\n/);
    expect(kpis.stdout).toMatch(/Required-field completion\s+100 %\s+over 2\n/);
    const records = await acme("kpis", "records", "status_accuracy");
    expect(records.code, records.stderr).toBe(0);
    expect(records.stdout.trim().split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^${ids[1]}  lead  created .*  breaks "${RULE.name}"$`)),
    ]);

    const bad = await acme("status-rules", "apply", "--file", file("bad.json", { ...RULE, name: "Bad", values: ["hot"] }));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("values[0]");
    expect((await acme("status-rules")).stdout.split("\n").filter(Boolean)).toHaveLength(1);
    expect((await acme("status-rules", "show")).code).toBe(2);

    expect((await acme("status-rules", "delete", RULE.name)).stdout).toBe(`deleted status rule ${RULE.name}\n`);
    expect((await acme("status-rules")).stdout).toBe("");
  });
});
