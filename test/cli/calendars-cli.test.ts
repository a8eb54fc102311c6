/**
 * `handoff calendars …` end to end: the real binary (dist/cli/main.js) against a temp SQLite data
 * directory with a workspace "acme". A calendar is created from a file, listed and shown (and as
 * the API's JSON); a second default clears the first; bad input is refused with every problem by
 * path and nothing saved; a calendar a team names is not deleted; an unused one is.
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
const acme = (...args: string[]) => runCli([...args, "-w", "acme", "--data-dir", dir]);
const file = (name: string, json: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
};

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-calendars-cli-");
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

describe("handoff calendars", () => {
  it("creates a calendar from a file, lists it and shows it", async () => {
    const eu = file("eu.json", {
      name: "Support EU",
      description: "First-line support in Paris",
      time_zone: "Europe/Paris",
      hours: {
        mon: [
          ["09:00", "12:30"],
          ["13:30", "18:00"],
        ],
        fri: [["09:00", "17:00"]],
      },
      holidays: { country: "FR" },
      closed_dates: [{ date: "2026-12-24", name: "Christmas Eve" }],
      default: true,
    });
    const created = await acme("calendars", "create", "--file", eu);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toBe(
      "created calendar Support EU (Europe/Paris, mon 09:00–12:30, 13:30–18:00; fri 09:00–17:00), the workspace's default\n",
    );

    const list = await acme("calendars");
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toBe("Support EU\tEurope/Paris\tholidays FR\t1 closed date(s)\tdefault\n");

    const show = await acme("calendars", "show", "Support EU");
    expect(show.code, show.stderr).toBe(0);
    const lines = show.stdout.split("\n");
    expect(lines[0]).toMatch(/^calendar {3}Support EU \(id \w+, version 1, updated .+\) — the workspace's default$/);
    expect(lines).toContain("about      First-line support in Paris");
    expect(lines).toContain("  mon  09:00–12:30, 13:30–18:00");
    expect(lines).toContain("holidays   public holidays of FR");
    expect(lines).toContain("  2026-12-24  Christmas Eve");

    const json = await acme("calendars", "show", "Support EU", "--json");
    expect(JSON.parse(json.stdout)).toMatchObject({ name: "Support EU", time_zone: "Europe/Paris", default: true, version: 1 });
  });

  it("prints a calendar's openings by local date, with its holidays and next opening", async () => {
    // From Monday 2026-12-21 00:00 in Paris for five days: Monday split, Friday's Noël closes it.
    const res = await acme("calendars", "openings", "Support EU", "--from", "2026-12-20T23:00:00Z", "--days", "5");
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.split("\n")).toEqual([
      "next opening: Mon 2026-12-21 09:00 (Europe/Paris)",
      "Mon 2026-12-21  09:00–12:30, 13:30–18:00",
      "Thu 2026-12-24  closed: Christmas Eve",
      "Fri 2026-12-25  closed: Christmas Day (public holiday)",
      "",
    ]);
    const bad = await acme("calendars", "openings", "Support EU", "--days", "100");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("days");
    expect((await acme("calendars", "list", "--days", "3")).stderr).toContain("--days does not go with calendars list");
  });

  it("makes a new default clear the old one, and updates from a file", async () => {
    const us = file("us.json", {
      name: "Business hours",
      time_zone: "America/New_York",
      hours: { mon: [["09:00", "17:30"]] },
      holidays: { country: "US" },
      default: true,
    });
    expect((await acme("calendars", "create", "--file", us)).code).toBe(0);
    const list = JSON.parse((await acme("calendars", "list", "--json")).stdout) as { data: Array<{ name: string; default: boolean }> };
    expect(list.data.map((c) => [c.name, c.default])).toEqual([
      ["Business hours", true],
      ["Support EU", false],
    ]);
    const updated = await acme("calendars", "update", "Business hours", "--file", file("patch.json", { description: "New York office" }));
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toBe("updated calendar Business hours to version 2\n");
  });

  it("refuses bad input with every problem by path, and saves nothing", async () => {
    const bad = file("bad.json", {
      name: "Bad",
      time_zone: "Mars/Olympus_Mons",
      hours: {
        mon: [
          ["09:00", "12:00"],
          ["17:00", "13:00"],
        ],
      },
      closed_dates: [{ date: "2026-02-30", name: "Nope" }],
    });
    const res = await acme("calendars", "create", "--file", bad);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("handoff: the request has invalid fields");
    expect(res.stderr).toContain("  time_zone: ");
    expect(res.stderr).toContain("  hours.mon[1]: a span must end after it starts, and 17:00–13:00 does not");
    expect(res.stderr).toContain("  closed_dates[0].date: ");
    const country = await acme(
      "calendars",
      "create",
      "--file",
      file("xx.json", { name: "Bad", time_zone: "UTC", hours: {}, holidays: { country: "XX" } }),
    );
    expect(country.code).toBe(1);
    expect(country.stderr).toContain("  holidays.country: ");
    const nul = await acme("calendars", "create", "--file", file("nul.json", { name: "Bad\u0000", time_zone: "UTC", hours: {} }));
    expect(nul.code).toBe(1);
    expect(nul.stderr).toContain("  name: ");
    expect((await acme("calendars", "list")).stdout).not.toContain("Bad");
    const usage = await acme("calendars", "create");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("calendars create needs --file FILE (JSON)");
  });

  it("keeps a calendar a team names, and deletes one nothing names", async () => {
    const store = openSqliteStore({ file: join(dir, "handoff.db"), now: () => new Date().toISOString() });
    try {
      const s = buildServices(store);
      const ws = await s.workspaces.bySlug("acme");
      await s.writer.create(systemContext(ws.id), "team", { name: "EMEA", calendar: "Support EU" });
    } finally {
      await store.close();
    }
    const refused = await acme("calendars", "delete", "Support EU");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("calendar Support EU cannot be deleted: it is named by team EMEA");
    const deleted = await acme("calendars", "delete", "Business hours");
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe("deleted calendar Business hours\n");
    expect((await acme("calendars", "list")).stdout).toBe("Support EU\tEurope/Paris\tholidays FR\t1 closed date(s)\n");
    const missing = await acme("calendars", "show", "Business hours");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("calendar Business hours not found");
  });
});
