/**
 * The `handoff` binary end to end: each test spawns dist/cli/main.js against a temp SQLite data
 * directory, as a person at a terminal would, and checks exit codes, output and the data.
 *
 * The demo workspace is seeded once (≈30 s on a quiet 2-core machine) and shared; the tests of this file run in order, so
 * the exports that count the seeded records come before the imports that add to them.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planDeals } from "../../src/seed/demo-kpis.js";
import { createPgDatabase, SKIP_PG, tempDir } from "../helpers/stores.js";
import { assertBuilt, type CliResult, runCli } from "./process.js";

const FORMULA = "=cmd|' /C calc'!A0";

let dir: string;
let seeded: CliResult;

/** `handoff <args> --data-dir <the shared dir>` */
const cli = (...args: string[]) => runCli([...args, "--data-dir", dir]);

/** Parses CSV text into objects keyed by the header. */
function rowsOf(csv: string): Array<Record<string, string>> {
  return parse(csv, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
}

async function exportRows(object: string, ...args: string[]): Promise<Array<Record<string, string>>> {
  const result = await cli("export", object, ...args);
  expect(result.code, result.stderr).toBe(0);
  return rowsOf(result.stdout);
}

function csvFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-cli-");
  seeded = await runCli(["seed", "--data-dir", dir], { timeoutMs: 240_000 });
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("handoff migrate", () => {
  it("brings a fresh data directory up to date, and a second run changes nothing", async () => {
    const fresh = tempDir("handoff-cli-migrate-");
    try {
      for (let run = 0; run < 2; run++) {
        const result = await runCli(["migrate", "--data-dir", fresh]);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toContain("schema up to date (sqlite)");
      }
      expect(readFileSync(join(fresh, "handoff.db")).length).toBeGreaterThan(0);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});

describe("handoff seed", () => {
  it("creates the demo workspace", () => {
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toMatch(/seeded workspace "demo": \d+ records in [\d.]+ s/);
    expect(seeded.stderr).toContain("contact: 5000");
  });

  it("says so when the workspace already exists, and seeds nothing", async () => {
    const again = await cli("seed");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('workspace "demo" already exists; nothing seeded');
  });
});

describe("handoff token", () => {
  let tokenId = "";

  it("create prints the secret (hk_…) alone on stdout", async () => {
    const result = await cli("token", "create", "--name", "t", "--role", "rep", "-w", "demo");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^hk_\S+\n$/);
    const id = /token (\S+) \(rep\) for workspace "demo"/.exec(result.stderr)?.[1];
    expect(id, result.stderr).toBeDefined();
    tokenId = id ?? "";
  });

  it("create with an unknown role fails with exit code 1 and names the allowed roles", async () => {
    const result = await cli("token", "create", "--name", "t2", "--role", "boss");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("role");
    expect(result.stderr).toContain("admin, manager, rep, integration");
  });

  it("list shows the token (and never its secret)", async () => {
    const result = await cli("token", "list");
    expect(result.code, result.stderr).toBe(0);
    const line = result.stdout.split("\n").find((l) => l.startsWith(`${tokenId}\t`));
    expect(line, result.stdout).toMatch(new RegExp(`^${tokenId}\\trep\\tt\\t\\S+$`));
    expect(result.stdout).not.toContain("hk_");
    // The rejected "boss" token (named t2) was not created: no line has that name. (Not a substring
    // test of the whole output: a random token id can contain "t2".)
    const names = result.stdout
      .trim()
      .split("\n")
      .map((l) => l.split("\t")[2]);
    expect(names).not.toContain("t2");
  });

  it("revoke marks it revoked in the list", async () => {
    const revoked = await cli("token", "revoke", tokenId);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`revoked ${tokenId}`);
    const list = await cli("token", "list");
    const line = list.stdout.split("\n").find((l) => l.startsWith(`${tokenId}\t`));
    expect(line).toMatch(/\trevoked \S+$/);
  });
});

describe("handoff export", () => {
  it("writes every contact to --out as CSV with the system columns first", async () => {
    const out = join(dir, "contacts.csv");
    const result = await cli("export", "contacts", "--out", out);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`exported 5250 contact records to ${out}`);
    const text = readFileSync(out, "utf8");
    expect(text.split("\n")[0]).toMatch(/^id,created_at,updated_at,/);
    const rows = rowsOf(text);
    expect(rows).toHaveLength(5250); // 5000 + the 250 duplicates the demo seeds for the scan (demo-duplicates.ts)
    expect(new Set(rows.map((r) => r.id)).size).toBe(5250);
    expect(rows.every((r) => r.last_name !== "")).toBe(true);
  });

  it("--where exports only the matching records", async () => {
    const all = await exportRows("companies");
    expect(all).toHaveLength(1000);
    const software = await exportRows("companies", "--where", "industry:eq:Software");
    expect(software.length).toBeGreaterThan(0);
    expect(software.every((r) => r.industry === "Software")).toBe(true);
    expect(software.map((r) => r.id).sort()).toEqual(
      all
        .filter((r) => r.industry === "Software")
        .map((r) => r.id)
        .sort(),
    );
  });

  it("--where on an unknown field fails with exit code 1 and names it", async () => {
    const result = await cli("export", "contacts", "--where", "shoe_size:eq:3");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown field "shoe_size"');
  });

  it("an unknown object is a usage error (exit code 2)", async () => {
    const result = await cli("export", "widgets");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown object "widgets"');
  });
});

describe("handoff import", () => {
  /** Every contact these tests import has an @import.test email; exporting those is cheaper than all 5,000. */
  const imported = async () => (await exportRows("contacts", "--where", "email:contains:@import.test")).map((r) => r.email);

  it("imports every row of a good CSV and says how many", async () => {
    const file = csvFile(
      "good.csv",
      "first_name,last_name,email,score\nAda,Lovelace,ada@import.test,10\nAlan,Turing,alan@import.test,\nGrace,Hopper,grace@import.test,30\n",
    );
    const result = await cli("import", "contacts", file, "-w", "demo");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('imported 3 contact records into "demo"');
    // The demo data has no @import.test addresses: these are exactly the three rows of the file.
    const after = await exportRows("contacts", "--where", "email:contains:@import.test");
    expect(after).toHaveLength(3);
    const ada = after.find((r) => r.email === "ada@import.test");
    expect(ada).toMatchObject({ first_name: "Ada", last_name: "Lovelace", score: "10" });
    expect(after.some((r) => r.email === "alan@import.test")).toBe(true);
    expect(after.some((r) => r.email === "grace@import.test")).toBe(true);
  });

  it("neutralises a cell that starts with = on export (CSV injection)", async () => {
    const file = csvFile("formula.csv", `last_name,email\n"${FORMULA}",formula@import.test\n`);
    const importResult = await cli("import", "contacts", file);
    expect(importResult.code, importResult.stderr).toBe(0);
    expect(importResult.stdout).toContain("imported 1 contact records");
    const out = join(dir, "formula-export.csv");
    const result = await cli("export", "contacts", "--where", "email:eq:formula@import.test", "--out", out);
    expect(result.code, result.stderr).toBe(0);
    const rows = rowsOf(readFileSync(out, "utf8"));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.last_name).toBe(`'${FORMULA}`);
    // No cell of the file starts with a formula character.
    expect(readFileSync(out, "utf8")).not.toMatch(/(^|,)"?[=+@]/m);
  });

  it("rejects a CSV with an invalid email in one row: exit code 1, names row and column, imports nothing", async () => {
    const file = csvFile("bad-email.csv", "last_name,email\nGood,good1@import.test\nBad,not-an-email\nGood,good2@import.test\n");
    const result = await cli("import", "contacts", file);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain("imported");
    // Row numbers as a spreadsheet shows them: the header is row 1, the bad row is row 3.
    expect(result.stderr).toContain("row[3].email");
    expect(result.stderr).toContain("not-an-email");
    const emails = await imported();
    expect(emails).not.toContain("good1@import.test");
    expect(emails).not.toContain("good2@import.test");
  });

  it("rejects a CSV with an unknown column and an invalid email: exit code 1, names the column, imports nothing", async () => {
    const file = csvFile("bad-column.csv", "last_name,email,shoe_size\nGood,good3@import.test,42\nBad,not-an-email,41\n");
    const result = await cli("import", "contacts", file);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain("imported");
    expect(result.stderr).toContain("header[2]");
    expect(result.stderr).toContain('unknown column "shoe_size"');
    expect(await imported()).not.toContain("good3@import.test");
  });

  it("rejects a CSV whose row has more cells than the header: exit code 1, names the line, imports nothing", async () => {
    const file = csvFile("bad-row.csv", "last_name,email\nGood,good4@import.test\nBad,bad@import.test,surplus\n");
    const result = await cli("import", "contacts", file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 3/);
    expect(await imported()).not.toContain("good4@import.test");
  });

  it("into a workspace that does not exist fails with exit code 1", async () => {
    const file = csvFile("one.csv", "last_name\nNobody\n");
    const result = await cli("import", "contacts", file, "-w", "no-such-workspace");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('workspace "no-such-workspace" not found');
  });
});

describe("usage errors", () => {
  it("an unknown command exits with code 2 and prints the usage", async () => {
    const result = await runCli(["frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
    expect(result.stderr).toContain("Usage: handoff <command> [options]");
  });

  it("an unknown option exits with code 2", async () => {
    const result = await cli("migrate", "--no-such-flag");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--no-such-flag");
  });

  it("help prints the usage and exits 0", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: handoff <command> [options]");
  });
});

describe("handoff on PostgreSQL (--database-url)", () => {
  it.skipIf(SKIP_PG)(
    "migrates, seeds the demo workspace and exports the seeded counts",
    async () => {
      const db = await createPgDatabase();
      // The seed writes the demo with its 120-day history and trains its AI model: ~35 s on
      // PostgreSQL on a quiet 2-core machine, several times that when the machine is shared.
      const pg = (...args: string[]) => runCli([...args, "--database-url", db.url], { timeoutMs: 300_000 });
      try {
        for (let run = 0; run < 2; run++) {
          const migrated = await pg("migrate");
          expect(migrated.code, migrated.stderr).toBe(0);
          expect(migrated.stdout).toContain("schema up to date (postgres");
        }
        const seed = await pg("seed");
        expect(seed.code, seed.stderr).toBe(0);
        expect(seed.stdout).toContain('seeded workspace "demo"');
        // The deals of today and the KPI history's (demo-kpis.ts).
        const expected: Record<string, number> = { contacts: 5250, companies: 1000, deals: 800 + planDeals(42, Date.now()).length };
        for (const [object, count] of Object.entries(expected)) {
          const result = await pg("export", object);
          expect(result.code, result.stderr).toBe(0);
          expect(rowsOf(result.stdout), object).toHaveLength(count);
        }
        const again = await pg("seed");
        expect(again.stdout).toContain("already exists");
      } finally {
        await db.drop();
      }
    },
    600_000,
  );
});
