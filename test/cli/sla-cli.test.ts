/**
 * `handoff sla policies …` end to end: the real binary (dist/cli/main.js) against a temp SQLite
 * data directory with a workspace "acme". A policy is created from a file, listed, shown (and as
 * JSON), updated to a new version, disabled and enabled, and deleted; bad input is refused with
 * every problem by path, exit 1, and nothing saved; usage mistakes exit 2.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServices } from "../../src/composition/root.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { tempDir } from "../helpers/stores.js";
import { assertBuilt, runCli } from "./process.js";

let dir: string;
const acme = (...args: string[]) => runCli([...args, "-w", "acme", "--data-dir", dir]);
const lines = (text: string) => text.split("\n").filter((l) => l !== "");
const file = (name: string, json: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
};

const POLICY = {
  name: "Ticket first response",
  description: "Customers hear from us within 4 business hours (1 for P1)",
  object: "ticket",
  starts: { on: "created" },
  stops: { on: "activity", types: ["email", "call"], by: "owner" },
  target: { hours: 4 },
  targets_by: { field: "priority", values: { P1: { hours: 1 } } },
  calendar: { of: "team" },
  pause_when: { field: "status", op: "eq", value: "pending" },
  warning: { fraction: 0.75 },
  escalations: [{ after: { hours: 1 } }, { after: { days: 1 } }],
};

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-sla-cli-");
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

describe("handoff sla policies", () => {
  it("creates a policy from a file, lists and shows it, updates, disables, enables and deletes it", async () => {
    const created = await acme("sla", "policies", "create", "--file", file("policy.json", POLICY));
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toBe("created SLA policy Ticket first response on ticket (4 h of business time; by priority: P1 1 h)\n");
    expect((await acme("sla", "policies")).stdout).toBe(
      "Ticket first response\tticket\tenabled\t4 h of business time; by priority: P1 1 h\t0 open clock(s)\n",
    );
    const shown = lines((await acme("sla", "policies", "show", "Ticket first response")).stdout);
    expect(shown).toContain("calendar    the team's calendar");
    expect(shown).toContain("warning     at 75% of the target");
    expect(shown).toContain("escalations level 2 1 h after the breach; level 3 1 d after the breach");
    expect(shown).toContain('pauses      while {"field":"status","op":"eq","value":"pending"}');
    const json = JSON.parse((await acme("sla", "policies", "show", "Ticket first response", "--json")).stdout);
    expect(json).toMatchObject({ ...POLICY, enabled: true, version: 1, open_clocks: 0 });

    const updated = await acme(
      "sla",
      "policies",
      "update",
      "Ticket first response",
      "--file",
      file("patch.json", { target: { hours: 8 } }),
    );
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toBe("updated SLA policy Ticket first response to version 2; clocks already started keep their version\n");
    expect((await acme("sla", "policies", "disable", "Ticket first response")).stdout).toBe(
      "disabled SLA policy Ticket first response (version 3)\n",
    );
    expect((await acme("sla", "policies", "list")).stdout).toContain("\tdisabled\t8 h of business time");
    expect((await acme("sla", "policies", "enable", "Ticket first response")).stdout).toBe(
      "enabled SLA policy Ticket first response (version 4)\n",
    );
    expect(JSON.parse((await acme("sla", "policies", "list", "--json")).stdout).data[0]).toMatchObject({ enabled: true, version: 4 });

    const deleted = await acme("sla", "policies", "delete", "Ticket first response");
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await acme("sla", "policies")).stdout).toBe("");
  }, 60_000);

  it("refuses bad input with every problem by path, exit 1, and saves nothing; usage mistakes exit 2", async () => {
    const bad = file("bad.json", {
      ...POLICY,
      pause_when: { field: "stauts", op: "eq", value: "pending" },
      target: { minutes: 0 },
      calendar: { name: "Support EU" },
    });
    const refused = await acme("sla", "policies", "create", "--file", bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^ {2}pause_when\.field: ticket has no field "stauts"/m);
    expect(refused.stderr).toMatch(/^ {2}target: a target is more than zero/m);
    expect(refused.stderr).toMatch(/^ {2}calendar\.name: no calendar is called "Support EU"/m);
    expect(refused.stderr).not.toMatch(/^\s+at /m);
    const nul = await acme("sla", "policies", "create", "--file", file("nul.json", { ...POLICY, name: "a\u0000b" }));
    expect(nul.code).toBe(1);
    expect(nul.stderr).toMatch(/^ {2}name: /m);
    expect((await acme("sla", "policies")).stdout).toBe("");

    expect((await acme("sla", "policies", "show")).code).toBe(2);
    expect((await acme("sla", "policies", "create")).code).toBe(2);
    const stray = await acme("sla", "policies", "delete", "X", "--file", bad);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain("--file does not go with sla policies delete");
    expect((await acme("sla", "timers")).code).toBe(2);
    expect((await acme("sla", "policies", "show", "Nope")).code).toBe(1);
  }, 60_000);
});

describe("handoff sla clocks and sla clock", () => {
  it("lists open clocks by status and shows a record's clock with its history", async () => {
    // A policy and a ticket, matched by the in-process worker: the clock starts.
    const store = openSqliteStore({ file: join(dir, "handoff.db"), now: () => new Date().toISOString() });
    let ticketId = "";
    try {
      const s = buildServices(store);
      const ws = await s.workspaces.bySlug("acme");
      const ctx = {
        workspaceId: ws.id,
        role: "admin" as const,
        actor: { kind: "system" as const, id: "test" },
        requestId: null,
        causeId: null,
      };
      await s.slaPolicies.create(ctx, {
        name: "Clock CLI",
        object: "ticket",
        starts: { on: "created" },
        stops: { on: "field_value", field: "status", in: ["resolved"] },
        target: { hours: 2 },
      });
      const ada = await s.writer.create(ctx, "user", { name: "Ada", email: "ada@cli.test", role: "rep" });
      const ticket = await s.writer.create(ctx, "ticket", { subject: "Printer on fire", assignee_id: ada.id });
      ticketId = ticket.id;
      await s.worker.drain();
    } finally {
      await store.close();
    }
    const all = await acme("sla", "clocks");
    expect(all.code, all.stderr).toBe(0);
    expect(lines(all.stdout)).toEqual([
      expect.stringMatching(
        new RegExp(`^Printer on fire\\tticket ${ticketId}\\tClock CLI\\trunning\\tdue \\S+\\tleft (1 h 59 min|2 h)\\tAda\\tno team$`),
      ),
    ]);
    expect((await acme("sla", "clocks", "--status", "breached")).stdout).toBe("");
    const json = JSON.parse((await acme("sla", "clocks", "--json", "--policy", "Clock CLI")).stdout);
    expect(json).toMatchObject({ data: [{ record: { id: ticketId }, status: "running" }], next_cursor: null });
    const shown = await acme("sla", "clock", ticketId);
    expect(shown.code, shown.stderr).toBe(0);
    expect(lines(shown.stdout)[0]).toMatch(/^clock {7}Clock CLI \(id \S+, policy version 1\)$/);
    expect(shown.stdout).toContain("status      running");
    expect(shown.stdout).toMatch(/ {2}1 {9}\S+ {2}started/);
    const missing = await acme("sla", "clock", "nope");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("record nope not found");
    expect((await acme("sla", "clocks", "--status", "late")).code).toBe(1);
    expect((await acme("sla", "clock")).code).toBe(2);
    expect((await acme("sla", "policies", "--status", "warning")).code).toBe(2);
  });
});
