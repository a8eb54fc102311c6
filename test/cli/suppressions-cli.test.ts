/** `handoff suppressions` end to end against a seeded SQLite data directory. */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/stores.js";
import { assertBuilt, runCli } from "./process.js";

let dir: string;
const cli = (...args: string[]) => runCli([...args, "--data-dir", dir]);

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-cli-supp-");
  const seeded = await runCli(["seed", "--data-dir", dir], { timeoutMs: 120_000 });
  expect(seeded.code, seeded.stderr).toBe(0);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("handoff suppressions", () => {
  it("adds, lists and removes addresses; says what is wrong and exits non-zero otherwise", async () => {
    const added = await cli("suppressions", "add", "Ada@Example.test", "--detail", "asked by phone");
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout.trim()).toBe("suppressed ada@example.test (manual)");
    const again = await cli("suppressions", "add", "ada@example.test", "--reason", "bounce");
    expect(again.stdout.trim()).toBe("ada@example.test was already suppressed (manual)");

    const bad = await cli("suppressions", "add", "nobody");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^\s+email: /m);
    const badReason = await cli("suppressions", "add", "x@example.test", "--reason", "spam");
    expect(badReason.code).toBe(1);
    expect(badReason.stderr).toMatch(/^\s+reason: /m);

    const list = await cli("suppressions", "list");
    expect(list.stdout.trim().split("\n")).toEqual([expect.stringMatching(/^ada@example\.test\tmanual\t20\d\d-.*\tasked by phone$/)]);

    expect((await cli("suppressions", "remove", "ADA@example.test")).stdout.trim()).toBe("removed ada@example.test");
    const gone = await cli("suppressions", "remove", "ada@example.test");
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("not found");
    expect((await cli("suppressions", "list")).stdout).toBe("");
    expect((await cli("suppressions", "frob")).code).toBe(2);
    // Nine process starts, each opening the store: slow on a busy two-core machine.
  }, 120_000);
});
