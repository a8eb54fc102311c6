/**
 * `handoff import` beside a busy SQLite database, with the real binary: the test holds the write
 * lock on the file from its own connection (BEGIN IMMEDIATE, as the server's transactions do).
 * - Released after 9 s (longer than better-sqlite3's and the old 5 s timeout): the import waits
 *   for it and succeeds.
 * - Never released: the import gives up after the busy timeout with one line that says what
 *   happened and what to do — no stack trace — and imports nothing.
 * And PostgreSQL unreachable: one line naming DATABASE_URL, no stack trace.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServices } from "../../src/composition/root.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { tempDir } from "../helpers/stores.js";
import { assertBuilt, freePort, runCli } from "./process.js";

const STACK_LINE = /^\s+at .+[:(]/m;

describe("handoff import while the database is busy (SQLite)", () => {
  let dir: string;
  let csv: string;
  let db: Database.Database;

  beforeAll(async () => {
    assertBuilt();
    dir = tempDir("handoff-busy-");
    const store = openSqliteStore({ file: join(dir, "handoff.db"), now: () => new Date().toISOString() });
    await store.migrate();
    await buildServices(store).workspaces.create("demo", "Demo");
    await store.close();
    csv = join(dir, "leads.csv");
    writeFileSync(csv, "last_name,score,employee_count\nLovelace,55,40\nHopper,60,12\n");
    db = new Database(join(dir, "handoff.db"));
  });
  afterAll(() => {
    if (db.inTransaction) db.exec("rollback");
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const leads = () => (db.prepare("select count(*) as n from records where object = 'lead'").get() as { n: number }).n;

  it("waits for a write lock held 9 s, then imports", { timeout: 60_000 }, async () => {
    db.exec("begin immediate");
    const release = setTimeout(() => db.exec("commit"), 9_000);
    try {
      const started = Date.now();
      const result = await runCli(["import", "leads", csv, "--data-dir", dir]);
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('imported 2 lead records into "demo"');
      expect(Date.now() - started).toBeGreaterThanOrEqual(8_500);
    } finally {
      clearTimeout(release);
      if (db.inTransaction) db.exec("commit");
    }
    expect(leads()).toBe(2);
  });

  it("a lock never released: one line saying what happened and what to do, no stack trace, nothing imported", {
    timeout: 60_000,
  }, async () => {
    const before = leads();
    db.exec("begin immediate");
    try {
      const result = await runCli(["import", "leads", csv, "--data-dir", dir], { env: { HANDOFF_SQLITE_BUSY_TIMEOUT_MS: "1000" } });
      expect(result.code).toBe(1);
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.stderr).not.toContain("SqliteError");
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^handoff: the SQLite database is busy: .*held its write lock for more than 1 s.*Try again/);
      expect(lines[0]).toContain("HANDOFF_SQLITE_BUSY_TIMEOUT_MS");
    } finally {
      db.exec("rollback");
    }
    expect(leads()).toBe(before);
  });
});

describe("other operational errors: one line, no stack trace", () => {
  it("a CSV file that does not exist", async () => {
    const result = await runCli(["import", "leads", "/nonexistent/leads.csv", "--data-dir", tempDir("handoff-nofile-")]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual(["handoff: no such file or directory: /nonexistent/leads.csv"]);
  });

  it("PostgreSQL unreachable: names DATABASE_URL", async () => {
    const port = await freePort();
    const result = await runCli(["migrate"], {
      env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/handoff` },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^handoff: cannot reach the database server at 127\.0\.0\.1:\d+ \(connection refused\).*DATABASE_URL/),
    ]);
  });
});
