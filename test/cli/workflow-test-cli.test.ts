/**
 * `handoff workflow test FILE [--cases CASES]` end to end (issue 19): the real binary against a
 * temp SQLite data directory. Cases saved on the workflow with the file's key, or given in a
 * file, run against the file's definition in sandboxes: exit 0 when all pass, non-zero when one
 * fails — printing which step differed — or when there are none; the live database is untouched.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { buildServices } from "../../src/composition/root.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { rowCounts } from "../helpers/sandbox-workspace.js";
import { tempDir } from "../helpers/stores.js";
import { assertBuilt, runCli } from "./process.js";

const SPEED = fileURLToPath(new URL("../../recipes/speed-to-lead.json", import.meta.url));
const HIGH = { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com", score: 80, employee_count: 300 };
const FULL_PATH = ["assign", "call-task", "auto-reply", "wait-for-call", "reassign", "alert-lead", "done"];

let dir: string;
const cli = (...args: string[]) => runCli([...args, "-w", "acme", "--data-dir", dir], { timeoutMs: 60_000 });
const db = () => join(dir, "handoff.db");

async function counts() {
  const store = openSqliteStore({ file: db(), now: () => new Date().toISOString() });
  try {
    return await rowCounts(store);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-wf-test-cli-");
  const store = openSqliteStore({ file: db(), now: () => new Date().toISOString() });
  try {
    await store.migrate();
    const s = buildServices(store);
    const ws = await s.workspaces.create("acme", "Acme");
    const ctx = systemContext(ws.id);
    await s.connectors.create(ctx, { key: "email", kind: "smtp", config: { host: "smtp.acme.example", from: "sales@acme.example" } });
    // Speed-to-lead alerts the owner's team lead when nobody called: the team has one.
    const [team] = await s.writer.createMany(ctx, "team", [{ name: "East" }]);
    const [lead] = await s.writer.createMany(ctx, "user", [
      { name: "Tess Lead", email: "tess@acme.example", role: "manager", team_id: team?.id },
    ]);
    await s.writer.update(ctx, "team", { id: team?.id ?? "", fields: { lead_id: lead?.id } });
    const reps = await s.writer.createMany(ctx, "user", [
      { name: "Ana Acme", email: "ana@acme.example", role: "rep", team_id: team?.id },
      { name: "Ben Acme", email: "ben@acme.example", role: "rep", team_id: team?.id },
    ]);
    await s.routing.queues.create(ctx, { name: "Inbound reps", strategy: "round_robin", members: reps.map((r) => ({ user_id: r.id })) });
    const saved = await s.workflows.saveDraft(ctx, JSON.parse(readFileSync(SPEED, "utf8")));
    await s.workflows.publish(ctx, saved.workflow.id);
    await s.workflowTests.createCase(ctx, "speed-to-lead", {
      name: "High score lead",
      record: HIGH,
      expect: { status: "completed", path: FULL_PATH, messages: [{ kind: "email", to: "record" }] },
    });
  } finally {
    await store.close();
  }
});

describe("handoff workflow test", () => {
  it("exits 0 when the cases saved on the workflow pass against the file, and writes nothing live", async () => {
    const before = await counts();
    const r = await cli("workflow", "test", SPEED);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("PASS  High score lead");
    expect(r.stdout).toContain("1 passed, 0 failed");
    expect(await counts()).toEqual(before);
  });

  it("exits non-zero on a failing expectation, printing which step differed", async () => {
    const cases = join(dir, "cases.json");
    writeFileSync(
      cases,
      JSON.stringify([
        { name: "Right path", record: HIGH, expect: { path: FULL_PATH } },
        { name: "Reply first", record: HIGH, expect: { path: ["assign", "auto-reply", "call-task"] } },
      ]),
    );
    const r = await cli("workflow", "test", SPEED, "--cases", cases);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("PASS  Right path");
    expect(r.stdout).toContain("FAIL  Reply first: step 2: expected auto-reply, got call-task");
    expect(r.stdout).toContain("1 passed, 1 failed");
  });

  it("a draft whose condition changed fails the saved case, naming what differed", async () => {
    const def = JSON.parse(readFileSync(SPEED, "utf8"));
    def.conditions.and[0].value = 90;
    const file = join(dir, "stricter.json");
    writeFileSync(file, JSON.stringify(def));
    const r = await cli("workflow", "test", file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "FAIL  High score lead: status: expected completed, got not_enrolled; step 1: expected assign, got the end of the run",
    );
  });

  it("exits non-zero when there are no cases, and on a bad case file naming the field", async () => {
    const def = JSON.parse(readFileSync(SPEED, "utf8"));
    def.key = "speed-to-lead-copy";
    const file = join(dir, "copy.json");
    writeFileSync(file, JSON.stringify(def));
    const none = await cli("workflow", "test", file);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain("no test cases for speed-to-lead-copy");
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify([{ name: "x", record: HIGH, expect: { status: "sideways" } }]));
    const r = await cli("workflow", "test", SPEED, "--cases", bad);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toContain("[0].expect.status");
  });
});

describe("handoff workflow test with answers at waits", () => {
  const callWait = {
    key: "call-wait",
    name: "Call within 15 minutes",
    description: "A lead nobody calls within 15 minutes is marked unqualified.",
    object: "lead",
    trigger: { type: "manual" },
    start: "wait-for-call",
    steps: {
      "wait-for-call": {
        type: "wait_for",
        event: { object: "activity", kind: "created", link: "related_id", where: { field: "type", op: "eq", value: "call" } },
        timeout: { minutes: 15 },
        next: "called",
        on_timeout: "not-called",
      },
      called: { type: "action", action: { type: "update_fields", fields: { status: "working" } }, next: "done" },
      "not-called": { type: "action", action: { type: "update_fields", fields: { status: "unqualified" } }, next: "done" },
      done: { type: "end" },
    },
  };

  it("a case file's answers decide the waits: a call after 5 minutes, a timeout, a call too late fails", async () => {
    const file = join(dir, "call-wait.json");
    writeFileSync(file, JSON.stringify(callWait));
    const cases = join(dir, "call-cases.json");
    const record = { last_name: "Lovelace" };
    writeFileSync(
      cases,
      JSON.stringify([
        {
          name: "Called after 5 minutes",
          record,
          answers: { "wait-for-call": { event_after_minutes: 5 } },
          expect: { path: ["wait-for-call", "called", "done"], fields: { status: "working" } },
        },
        { name: "Never called", record, answers: { "wait-for-call": { timeout: true } }, expect: { fields: { status: "unqualified" } } },
        {
          name: "Called after 20 minutes",
          record,
          answers: { "wait-for-call": { event_after_minutes: 20 } },
          expect: { path: ["wait-for-call", "called", "done"] },
        },
      ]),
    );
    const before = await counts();
    const r = await cli("workflow", "test", file, "--cases", cases);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("PASS  Called after 5 minutes  (wait-for-call → called → done)");
    expect(r.stdout).toContain("PASS  Never called  (wait-for-call → not-called → done)");
    expect(r.stdout).toContain("FAIL  Called after 20 minutes: step 2: expected called, got not-called");
    expect(await counts()).toEqual(before);
  });
});

describe("handoff workflow replay", () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    // Production's history: two leads the live version enrolled.
    const store = openSqliteStore({ file: db(), now: () => new Date().toISOString() });
    try {
      const s = buildServices(store);
      const ws = await s.workspaces.bySlug("acme");
      const ctx = systemContext(ws.id);
      for (const [name, score] of [
        ["Mid", 45],
        ["Top", 80],
      ] as const)
        ids[name] = (
          await s.writer.create(ctx, "lead", {
            first_name: name,
            last_name: "Lead",
            email: `${name}@x.example`,
            score,
            employee_count: 300,
          })
        ).id;
      await s.worker.drain();
    } finally {
      await store.close();
    }
  });

  it("prints what a stricter draft would have changed, writes nothing live, and fails with --fail-on-change", async () => {
    const def = JSON.parse(readFileSync(SPEED, "utf8"));
    def.conditions.and[0].value = 60;
    const file = join(dir, "over-60.json");
    writeFileSync(file, JSON.stringify(def));
    const before = await counts();
    const r = await cli("workflow", "replay", file, "--limit", "10");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("2 trigger(s) read: 1 unchanged, 0 changed, 0 new, 1 no longer enrolled");
    expect(r.stdout).toContain(`NO LONGER ENROLLED  ${ids.Mid}`);
    expect(r.stdout).not.toContain(ids.Top);
    expect(await counts()).toEqual(before);
    const gate = await cli("workflow", "replay", file, "--fail-on-change");
    expect(gate.code).toBe(1);
    const same = await cli("workflow", "replay", SPEED, "--fail-on-change");
    expect(same.code, same.stdout).toBe(0);
    expect(same.stdout).toContain("2 trigger(s) read: 2 unchanged");
  });

  it("says what is wrong with its options", async () => {
    const limit = await cli("workflow", "replay", SPEED, "--limit", "lots");
    expect(limit.code).not.toBe(0);
    expect(limit.stderr).toContain("--limit takes a whole number");
    const since = await cli("workflow", "replay", SPEED, "--since", "yesterday");
    expect(since.code).not.toBe(0);
    expect(since.stderr + since.stdout).toContain("since");
    const misplaced = await cli("workflow", "test", SPEED, "--since", "2026-01-01T00:00:00Z");
    expect(misplaced.code).not.toBe(0);
    expect(misplaced.stderr).toContain("--since goes with workflow replay");
  });
});
