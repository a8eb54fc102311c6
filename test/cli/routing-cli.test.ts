/**
 * `handoff routing …` end to end: the real binary (dist/cli/main.js) against a temp SQLite data
 * directory with a workspace "acme" of three reps and ten leads. A weighted queue and a rule set
 * are created from files, listed and shown; the simulation's counts per member and per rule
 * follow the weights and the rules and write nothing; bad input is refused with every problem by
 * path and nothing saved; a record held while everyone is unavailable is listed, released the
 * moment someone switches back, and its reasons name every candidate and why.
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
const ids = { ana: "", bo: "", cy: "" };
const acme = (...args: string[]) => runCli([...args, "-w", "acme", "--data-dir", dir]);
const lines = (text: string) => text.split("\n").filter((l) => l !== "");
/** A table row's cells (two or more spaces apart), for rows whose widths depend on the names. */
const cells = (line: string) => line.trim().split(/\s{2,}/);
const file = (name: string, json: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
};

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-routing-cli-");
  const store = openSqliteStore({ file: join(dir, "handoff.db"), now: () => new Date().toISOString() });
  try {
    await store.migrate();
    const s = buildServices(store);
    const ws = await s.workspaces.create("acme", "Acme");
    const ctx = systemContext(ws.id);
    ids.ana = (await s.writer.create(ctx, "user", { name: "Ana Lee", email: "ana@acme.test" })).id;
    ids.bo = (await s.writer.create(ctx, "user", { name: "Bo Chen", email: "bo@acme.test" })).id;
    ids.cy = (await s.writer.create(ctx, "user", { name: "Cy Berg", email: "cy@acme.test" })).id;
    // Eight leads from elsewhere, then two from Germany: the simulation takes them oldest first.
    for (let i = 0; i < 10; i++)
      await s.writer.create(ctx, "lead", { last_name: `Lead ${i}`, country: i >= 8 ? "DE" : "US", employee_count: 10 * i });
  } finally {
    await store.close();
  }
  // The records' creation events are read once now, so that no later worker pass routes them.
  const idle = await acme("worker", "--until-idle");
  expect(idle.code, idle.stderr).toBe(0);
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("handoff routing", () => {
  it("creates a weighted queue and a rule set from files, lists and shows them", async () => {
    const queue = file("queue.json", {
      name: "Inbound",
      strategy: "weighted_round_robin",
      respect_availability: false,
      members: [
        { user_id: ids.ana, weight: 3 },
        { user_id: ids.bo, weight: 1 },
      ],
      fallback: { hold: true },
    });
    const created = await acme("routing", "queues", "create", "--file", queue);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toBe("created queue Inbound (weighted_round_robin, 2 member(s))\n");
    const ruleSet = file("rule-set.json", {
      name: "Leads",
      object: "lead",
      rules: [{ id: "germany", name: "Germany", when: { field: "country", op: "eq", value: "DE" }, target: { user_id: ids.cy } }],
      default_target: { queue: "Inbound" },
    });
    const rs = await acme("routing", "rule-sets", "create", "--file", ruleSet);
    expect(rs.code, rs.stderr).toBe(0);
    expect(rs.stdout).toBe("created rule set Leads for lead (1 rule(s))\n");

    expect((await acme("routing", "queues")).stdout).toBe(
      "Inbound\tweighted_round_robin\tAna Lee (weight 3), Bo Chen (weight 1)\tfallback: hold until someone is free\t0 held\n",
    );
    expect((await acme("routing", "rule-sets", "list")).stdout).toBe(
      "Leads\tlead.owner_id\tworkflows only\t1 rule(s)\tdefault: queue Inbound\n",
    );
    const shown = lines((await acme("routing", "rule-sets", "show", "Leads")).stdout);
    const germany = shown.find((l) => l.includes("germany"));
    expect(cells(germany ?? "")).toEqual(["1", "germany", "Germany", "Cy Berg", '{"field":"country","op":"eq","value":"DE"}']);
    expect(shown.at(-1)).toBe("default    queue Inbound");
    const json = JSON.parse((await acme("routing", "queues", "show", "Inbound", "--json")).stdout);
    expect(json.members.map((m: { name: string; weight: number }) => [m.name, m.weight])).toEqual([
      ["Ana Lee", 3],
      ["Bo Chen", 1],
    ]);
  }, 60_000);

  it("refuses bad input with every problem by path, exit 1, no stack trace, and saves nothing", async () => {
    const bad = file("bad-queue.json", {
      name: "Bad",
      members: [{ user_id: ids.ana, weight: 0 }],
    });
    const result = await acme("routing", "queues", "create", "--file", bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("\n  members[0].weight: a weight is a whole number above 0\n");
    expect(result.stderr).not.toMatch(/^\s+at /m);
    const unknown = file("bad-rule-set.json", {
      name: "Broken",
      object: "lead",
      rules: [{ name: "Shoes", when: { field: "shoe_size", op: "eq", value: 42 }, target: { queue: "Nowhere" } }],
    });
    const refused = await acme("routing", "rule-sets", "create", "--file", unknown);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^ {2}rules\[0\]\.when\.field: .*shoe_size/m);
    expect(refused.stderr).toContain('\n  rules[0].target.queue: no queue is called "Nowhere" or has that id');
    expect(lines((await acme("routing", "queues")).stdout)).toHaveLength(1);
    expect(lines((await acme("routing", "rule-sets")).stdout)).toHaveLength(1);

    expect((await acme("routing", "queues", "show")).code).toBe(2);
    const stray = await acme("routing", "queues", "list", "--days", "3");
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain("--days does not go with routing queues list");
  }, 60_000);

  it("simulates the rule set: per member by weight, per rule, and nothing written", async () => {
    const result = await acme("routing", "rule-sets", "simulate", "Leads", "--last", "10");
    expect(result.code, result.stderr).toBe(0);
    const out = lines(result.stdout);
    expect(out[0]).toBe("rule set Leads v1 over 10 lead record(s), oldest first — nothing was written");
    const row = (label: string) => cells(out.find((l) => l.trim().startsWith(`${label}  `)) ?? "");
    // Eight through the queue at 3 : 1, two by the Germany rule.
    expect(row("Ana Lee")).toEqual(["Ana Lee", "6", "60 %"]);
    expect(row("Bo Chen")).toEqual(["Bo Chen", "2", "20 %"]);
    expect(row("Cy Berg")).toEqual(["Cy Berg", "2", "20 %"]);
    expect(row("(default target)")).toEqual(["(default target)", "8"]);
    expect(row("Germany")).toEqual(["Germany", "2"]);
    expect(out.slice(-2)).toEqual(["fallback (0): held, failed or passed on to a fallback", "  none"]);

    const json = JSON.parse((await acme("routing", "rule-sets", "simulate", "Leads", "--json")).stdout);
    expect(json.records).toBe(10);
    expect(json.decisions).toHaveLength(10);
    // The simulation wrote no assignment and no owner.
    expect((await acme("routing", "assignments")).stdout).toBe("");
    expect(lines((await acme("routing", "distribution")).stdout).slice(1)).toEqual(["  none"]);
  }, 60_000);

  it("holds a record while nobody is available, shows why, and releases it when someone switches back", async () => {
    for (const id of [ids.ana, ids.bo]) {
      const off = await acme("routing", "availability", "set", id, "--available", "false");
      expect(off.code, off.stderr).toBe(0);
    }
    expect((await acme("routing", "availability", ids.ana)).stdout).toContain("switch     unavailable");
    const patch = file("patch.json", { respect_availability: true });
    expect((await acme("routing", "queues", "update", "Inbound", "--file", patch)).stdout).toBe(
      "updated queue Inbound to version 2; 0 record(s) still held\n",
    );
    const simulated = lines((await acme("routing", "rule-sets", "simulate", "Leads", "--last", "3")).stdout);
    expect(simulated).toContain("fallback (1): held, failed or passed on to a fallback");
    expect(simulated.join("\n")).toContain("Ana Lee: switched to unavailable; Bo Chen: switched to unavailable");

    // On create now: a new lead from the US goes to the queue, where nobody is free.
    expect((await acme("routing", "rule-sets", "update", "Leads", "--file", file("on.json", { on_create: true }))).code).toBe(0);
    writeFileSync(join(dir, "new.csv"), "last_name,country\nSkinner,US\n");
    expect((await acme("import", "leads", join(dir, "new.csv"))).code).toBe(0);
    expect((await acme("worker", "--until-idle")).code).toBe(0);
    const held = lines((await acme("routing", "queues", "holds", "Inbound")).stdout);
    expect(held).toHaveLength(1);
    const [, recordId, name, field] = (held[0] ?? "").split("\t");
    expect([name, field]).toEqual(["Skinner", "owner_id"]);

    const back = await acme("routing", "availability", "set", ids.bo, "--available", "true");
    expect(back.code, back.stderr).toBe(0);
    expect((await acme("routing", "queues", "holds", "Inbound")).stdout).toBe("");

    const reasons = await acme("routing", "assignments", "--record", recordId as string);
    expect(reasons.code, reasons.stderr).toBe(0);
    const [released, onCreate] = reasons.stdout.split("\n\n").map(lines);
    expect(released).toContain("outcome    assigned to Bo Chen");
    expect(released).toContain("by         released from hold");
    expect(onCreate).toContain("outcome    held: nobody free yet");
    expect(onCreate).toContain("by         the rule set, on create");
    expect(onCreate).toContain("rule set   Leads v2");
    expect(onCreate).toContain("queue      Inbound (weighted_round_robin, v2)");
    const rule = onCreate?.find((l) => l.includes("Germany"));
    expect(cells(rule ?? "").slice(0, 2)).toEqual(["no", "Germany"]);
    const candidate = (who: string) => cells(onCreate?.find((l) => l.trim().startsWith(who)) ?? "");
    expect(candidate("Ana Lee").slice(0, 3)).toEqual(["Ana Lee", "no", "switched to unavailable"]);
    expect(candidate("Bo Chen").slice(0, 3)).toEqual(["Bo Chen", "no", "switched to unavailable"]);

    const distribution = lines((await acme("routing", "distribution", "--days", "7")).stdout);
    expect(distribution).toContain("Inbound: 1 assigned, 1 held, 0 failed");
    expect(cells(distribution.find((l) => l.trim().startsWith("Bo Chen")) ?? "")).toEqual(["Bo Chen", "1", "100 %"]);
  }, 120_000);

  it("applies the rule set to the recent leads without an owner: the backlog gets owners, a second apply finds none", async () => {
    const refused = await acme("routing", "rule-sets", "apply", "Leads", "--last", "5000");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("last");
    // The ten most recent: Skinner (owned since the release above) and leads 1–9, none owned.
    const applied = await acme("routing", "rule-sets", "apply", "Leads", "--last", "10");
    expect(applied.code, applied.stderr).toBe(0);
    const out = lines(applied.stdout);
    expect(out[0]).toBe("9 assigned, 0 held, 0 failed");
    const owner = (name: string) => cells(out.find((l) => l.trim().startsWith(`${name} (`)) ?? "")[2];
    // Ana is still switched off: the queue gives the US leads to Bo; Germany's go to Cy.
    expect(["Lead 1", "Lead 7"].map(owner)).toEqual(["Bo Chen", "Bo Chen"]);
    expect(["Lead 8", "Lead 9"].map(owner)).toEqual(["Cy Berg", "Cy Berg"]);
    const again = await acme("routing", "rule-sets", "apply", "Leads", "--last", "10");
    expect(lines(again.stdout)).toEqual(["0 assigned, 0 held, 0 failed", "no record without an owner among them"]);
  }, 60_000);
});
