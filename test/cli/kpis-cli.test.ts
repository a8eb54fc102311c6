/**
 * `handoff kpis …` end to end: the real binary (dist/cli/main.js) against a temp SQLite data
 * directory whose workspace "acme" has two leads answered after 4 and 10 minutes (written through
 * the services with a simulated clock, not folded yet: the CLI folds what is pending before it
 * reads). The overview, the records behind the number, a rebuild, and a bad day refused by name.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { buildServices } from "../../src/composition/root.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { tempDir } from "../helpers/stores.js";
import { assertBuilt, runCli } from "./process.js";

const DAY = 86_400_000;
const start = Math.floor(Date.now() / DAY) * DAY - 2 * DAY + 9 * 3_600_000;
const day = new Date(start).toISOString().slice(0, 10);
let dir: string;
const ids: string[] = [];
const acme = (...args: string[]) => runCli([...args, "-w", "acme", "--data-dir", dir]);

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-kpis-cli-");
  let now = start;
  const store = openSqliteStore({ file: join(dir, "handoff.db"), now: () => new Date(now).toISOString() });
  try {
    await store.migrate();
    const s = buildServices(store, { now: () => new Date(now) });
    const ws = await s.workspaces.create("acme", "Acme");
    const ctx = { ...systemContext(ws.id), actor: { kind: "person" as const, id: "u-cli" } };
    for (const name of ["Quick", "Slow"]) ids.push((await s.writer.create(ctx, "lead", { last_name: name })).id);
    now = start + 4 * 60_000;
    await s.writer.create(ctx, "activity", { type: "call", related_id: ids[0] });
    now = start + 10 * 60_000;
    await s.writer.create(ctx, "activity", { type: "email", related_id: ids[1] });
  } finally {
    await store.close();
  }
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("handoff kpis", () => {
  it("shows the KPIs of a period, the records behind one, and rebuilds", async () => {
    const shown = await acme("kpis", "--from", day, "--to", day);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/Lead response time\s+7 min\s+over 2\n/);
    const records = await acme("kpis", "records", "lead_response_time", "--from", day, "--to", day);
    expect(
      records.stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => [l.split("  ")[0], l.split("  ").at(-1)]),
    ).toEqual([
      [ids[1], "10"],
      [ids[0], "4"],
    ]);
    const rebuilt = await runCli(["kpis", "rebuild", "--data-dir", dir]);
    expect(rebuilt.stdout).toMatch(/^KPIs of every workspace rebuilt from \d+ events\n$/);
    const json = await acme("kpis", "--from", day, "--to", day, "--json");
    expect(JSON.parse(json.stdout).data[0]).toMatchObject({ key: "lead_response_time", value: 7, count: 2 });
  });

  it("prints each KPI's points under it, by day or by hour, and refuses hours over too long a period", async () => {
    const byDay = await acme("kpis", "--from", day, "--to", day, "--series");
    expect(byDay.stdout).toMatch(new RegExp(`Lead response time\\s+7 min\\s+over 2\\n  ${day}\\s+7 min\\s+over 2\\n`));
    const byHour = await acme("kpis", "--from", day, "--to", day, "--series", "--granularity", "hour");
    expect(byHour.code, byHour.stderr).toBe(0);
    expect(byHour.stdout).toMatch(new RegExp(`Lead response time\\s+7 min\\s+over 2\\n  ${day} 09:00\\s+7 min\\s+over 2\\n`));
    const long = await acme("kpis", "--from", "2026-11-01", "--to", "2026-11-30", "--granularity", "hour");
    expect(long.code).not.toBe(0);
    expect(long.stderr).toContain("granularity");
    expect(long.stderr).toContain("at most 7 days");
  });

  it("refuses a day that is not one, naming the parameter, and an unknown action", async () => {
    const bad = await acme("kpis", "--from", "yesterday");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("from");
    expect(bad.stderr).toContain("YYYY-MM-DD");
    const unknown = await acme("kpis", "explode");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("kpis takes show, records KEY or rebuild");
    // The onboarding window, checked by name; the effectiveness KPIs follow the registry.
    const window = await acme("kpis", "--onboarding-days", "0");
    expect(window.code).not.toBe(0);
    expect(window.stderr).toContain("onboarding_days");
    const shown = await acme("kpis", "--from", day, "--to", day, "--onboarding-days", "7");
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/Escalation completion\s+—\s+over 0\n/);
    expect(shown.stdout).toMatch(/Onboarding handoff completion\s+—\s+over 0\n/);
    const none = await acme("kpis", "records", "onboarding_handoff_completion", "--from", day, "--to", day);
    expect(none.code, none.stderr).toBe(0);
  });
});
