/**
 * Replays a run from its stored steps: each step's stored input, with the facts rebuilt from
 * what the step kept (the record and referenced records at the versions it saw, from the audit
 * trail; counts as stored; the triggering change from the input; now = the step's instant) —
 * checked against the step's facts digest — and the run's state before the step, is fed to
 * decide() again, which must come to the same decision.
 */

import { expect } from "vitest";
import { recordAtVersion } from "../../src/app/replay/record-at.js";
import { assertNever } from "../../src/crm/never.js";
import { compileWorkflow } from "../../src/engine/compile.js";
import type { Facts } from "../../src/engine/conditions.js";
import { type Decision, decide } from "../../src/engine/decide.js";
import { initialState, type RunState } from "../../src/engine/run-state.js";
import { parseWorkflow } from "../../src/engine/validate.js";
import { factsDigest } from "../../src/runtime/facts-digest.js";
import type { Store } from "../../src/store/ports.js";
import type { RunRow, RunStepRow } from "../../src/store/workflow-ports.js";

/** A record as it was at `version`: the app's own fold of its audit entries (one per version), so the replay test and the replay read records alike. */
export async function recordAt(store: Store, workspaceId: string, id: string, version: number): Promise<Record<string, unknown>> {
  const entries = (await store.audit.readAudit(workspaceId, id, 100_000)).reverse();
  const record = recordAtVersion(entries, id, version);
  expect(record, `audit entries of ${id} up to version ${version}`).toBeDefined();
  return record as Record<string, unknown>;
}

async function factsOf(store: Store, run: RunRow, step: RunStepRow): Promise<Facts> {
  const nowMs = Date.parse(step.at);
  if (step.recordVersion === null) return { record: {}, refs: {}, counts: {}, nowMs };
  const refs: Record<string, Record<string, unknown> | null> = {};
  for (const [field, ref] of Object.entries(step.factsSeen?.refs ?? {}))
    refs[field] = ref ? await recordAt(store, run.workspaceId, ref.id, ref.version) : null;
  const input = step.runInput;
  const changes = input?.kind === "record_changed" ? input.changes : undefined;
  return {
    record: await recordAt(store, run.workspaceId, run.recordId, step.recordVersion),
    refs,
    counts: step.factsSeen?.counts ?? {},
    nowMs,
    ...(changes ? { changes } : {}),
    ...(step.factsSeen?.prediction ? { prediction: step.factsSeen.prediction } : {}),
  };
}

/** What each command of a decision left in the step's effects, compared field by field. */
function commandsAsEffects(decision: Decision): unknown[] {
  return decision.commands.map((c) => {
    switch (c.type) {
      case "update_record":
        return expect.objectContaining({ command: c.type, fields: c.fields });
      case "start_timer":
        return { command: c.type, timer_id: c.timerId, due_at: c.dueAt };
      case "cancel_timer":
        return { command: c.type, timer_id: c.timerId };
      case "enqueue_external":
        return expect.objectContaining({ command: c.type, key: c.key });
      case "assign_owner":
      case "change_score":
        return expect.objectContaining({ command: c.type, field: c.field });
      case "create_record":
        return expect.objectContaining({ command: c.type, object: c.object });
      case "enroll":
      case "unenroll":
        return expect.objectContaining({ command: c.type, workflow: c.workflow });
      case "notify":
      case "queue_review":
      case "merge_records":
        return expect.objectContaining({ command: c.type });
      case "record_prediction":
        return expect.objectContaining({ command: c.type, field: c.field, value: c.prediction.value, applied: c.applied });
      case "open_approval":
      case "escalate_approval":
      case "close_approval":
        return expect.objectContaining({ command: c.type, request_id: c.requestId });
      default:
        return assertNever(c, "command");
    }
  });
}

/** Replays every stored step of the run; returns the inputs replayed, by kind. */
export async function replayRun(store: Store, runId: string, workspaceId: string): Promise<string[]> {
  const run = await store.runs.getRun(workspaceId, runId);
  if (!run) throw new Error(`no run ${runId}`);
  const steps = await store.runs.listRunSteps(workspaceId, runId);
  expect(steps.map((s) => s.seq)).toEqual(steps.map((_, i) => i + 1));
  const version = await store.workflows.getVersion(workspaceId, run.workflowId, run.version);
  const parsed = parseWorkflow(version?.definition);
  if (!parsed.ok) throw new Error(`version ${run.version} of ${run.workflowId} does not parse`);
  const w = compileWorkflow(parsed.definition);
  const timeZone = (await store.workspaces.getWorkspace(workspaceId))?.timeZone ?? "UTC";
  let state: RunState = initialState(parsed.definition.start);
  const kinds: string[] = [];
  for (const step of steps) {
    const at = `run ${run.id} step ${step.seq} (${step.step} ${step.outcome})`;
    if (step.runInput === null || step.factsDigest === null) throw new Error(`${at} kept no input`);
    const facts = await factsOf(store, run, step);
    expect(factsDigest(facts), `${at}: rebuilt facts`).toBe(step.factsDigest);
    const decision = decide(w, state, step.runInput, facts, { runId: run.id, seq: step.seq, nowMs: facts.nowMs, timeZone });
    expect(decision.log, at).toEqual({ step: step.step, type: step.type, outcome: step.outcome, why: step.why });
    expect(step.effects, `${at}: effects of the commands`).toEqual(step.recordVersion === null ? [] : commandsAsEffects(decision));
    kinds.push(step.runInput.kind);
    state = decision.state;
  }
  expect(state, `run ${run.id}: the replayed state is the stored one`).toEqual(run.state);
  return kinds;
}
