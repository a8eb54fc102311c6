/**
 * Failures and deleted records are inputs like any other: decide() turns them into the run's
 * next state and log (the executor and the matcher used to build those decisions themselves).
 * Stored inputs are read back through one reader, which accepts every shape ever written and
 * turns anything else into a failure of the run instead of a failed claim.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fieldsOf } from "../../src/crm/custom-fields.js";
import { compileWorkflow } from "../../src/engine/compile.js";
import { decide } from "../../src/engine/decide.js";
import { describeInput, type RunInput, readRunInput } from "../../src/engine/run-input.js";
import type { RunState } from "../../src/engine/run-state.js";
import { validateWorkflow } from "../../src/engine/validate.js";

const v = validateWorkflow(JSON.parse(readFileSync("recipes/speed-to-lead.json", "utf8")), (o) => fieldsOf(o, []));
if (!v.ok) throw new Error(JSON.stringify(v.issues));
const w = compileWorkflow(v.definition);
const nowMs = Date.parse("2026-03-02T09:00:00Z");
const facts = { record: {}, refs: {}, counts: {}, nowMs };
const ctx = { runId: "run1", seq: 7, nowMs, timeZone: "UTC" };
const waiting: RunState = {
  status: "waiting",
  step: "wait-for-call",
  wait: { kind: "timer", timerId: "run1:5", dueAt: "2026-03-02T09:15:00.000Z", next: "reassign" },
  stepsTaken: 4,
  reason: null,
};

describe("failures and deleted records through decide()", () => {
  it("fails the run where it is, with the error, and nothing else", () => {
    expect(decide(w, waiting, { kind: "failed", error: "nobody to assign" }, facts, ctx)).toEqual({
      state: { status: "failed", step: "wait-for-call", wait: null, stepsTaken: 4, reason: "nobody to assign" },
      commands: [],
      log: { step: "wait-for-call", type: "error", outcome: "failed", why: "nobody to assign" },
    });
  });

  it("cancels a run whose record was deleted, with its timer, as a cancel input with that reason does", () => {
    const deleted = decide(w, waiting, { kind: "record_deleted" }, facts, ctx);
    expect(deleted).toEqual({
      state: { status: "cancelled", step: "wait-for-call", wait: null, stepsTaken: 4, reason: "the record was deleted" },
      commands: [{ type: "cancel_timer", timerId: "run1:5" }],
      log: { step: "wait-for-call", type: "cancel", outcome: "cancelled", why: "the record was deleted" },
    });
    expect(decide(w, waiting, { kind: "cancel", reason: "the record was deleted" }, facts, ctx)).toEqual(deleted);
    expect(describeInput({ kind: "record_deleted" })).toBe(describeInput({ kind: "cancel", reason: "the record was deleted" }));
    // An ended run is not cancelled again.
    expect(decide(w, deleted.state, { kind: "record_deleted" }, facts, ctx)).toEqual({ state: deleted.state, commands: [], log: null });
  });
});

describe("stored inputs read back", () => {
  const written: RunInput[] = [
    { kind: "continue" },
    { kind: "timer_fired", timerId: "run1:5" },
    { kind: "record_changed", changes: [{ field: "score", old: 1, new: 2 }] },
    { kind: "record_changed" },
    { kind: "related_event", object: "activity", type: "created", link: "related_id", record: { id: "a1", type: "call" } },
    { kind: "action_result", key: "k", ok: true, response: { id: 1 } },
    { kind: "action_result", key: "k", ok: false, error: "bounced" },
    { kind: "approval_settled", requestId: "run1:3", status: "revise", outcome: "sent back for revision by Vera Vp" },
    { kind: "approval_resubmitted", requestId: "run1:3", by: "u-sam", comment: "15 % now" },
    { kind: "cancel", reason: "cancelled by user u1" },
    { kind: "record_deleted" },
    { kind: "retry" },
    { kind: "failed", error: "gave up after 5 attempts: boom" },
  ];

  it("reads every input as written, through JSON", () => {
    for (const input of written) expect(readRunInput(JSON.parse(JSON.stringify(input)))).toEqual(input);
  });

  it("turns a shape it does not know into a failure of the run that names it", () => {
    for (const bad of [null, "continue", { kind: "teleport" }, { kind: "timer_fired" }, { kind: "cancel", reason: 3 }]) {
      const read = readRunInput(bad);
      expect(read.kind).toBe("failed");
      expect(read.kind === "failed" && read.error).toMatch(/^unreadable input: /);
    }
  });
});
