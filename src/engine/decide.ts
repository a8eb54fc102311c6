/**
 * The pure core: decide(workflow, state, input, facts, ctx) → { state, commands, log }.
 * No IO, no clock, no randomness: time and ids come in through `ctx`. The runtime applies the
 * commands and records the log in one transaction per call; a call executes at most one step.
 * Every input of the run goes through here — steps, timers, events, control inputs, failures.
 * Step types execute through their registry (`steps/registry.ts`).
 */
import { assertNever } from "../crm/never.js";
import type { Command } from "./commands.js";
import type { CompiledStep, CompiledWorkflow } from "./compile.js";
import type { Facts } from "./conditions.js";
import type { DecideContext, Decision } from "./decision.js";
import { runsOnDeletedRecord } from "./deletion.js";
import { resolvePointer } from "./json-pointer.js";
import { RECORD_DELETED, type RunInput } from "./run-input.js";
import { ended, isTerminal, MAX_STEPS_PER_RUN, type RunState, running } from "./run-state.js";
import { approvalResubmitted, approvalRevisionTimedOut, approvalSettled, approvalTimedOut } from "./steps/approval.js";
import type { CompiledStepOf } from "./steps/compiled-step.js";
import { executeStep } from "./steps/registry.js";
import { goTo } from "./steps/step.js";

export type { DecideContext, Decision, StepLog } from "./decision.js";
export type { RunInput } from "./run-input.js";

const unchanged = (state: RunState): Decision => ({ state, commands: [], log: null });

/**
 * What ending a waiting run owes its wait: its timer cancelled, its approval request closed —
 * pending, or sent back and waiting for a resubmission that can no longer come.
 */
function timerCancel(state: RunState, why = "the run ended"): Command[] {
  const wait = state.wait;
  if (!wait || wait.kind === "action") return [];
  const timer: Command[] = wait.timerId ? [{ type: "cancel_timer", timerId: wait.timerId }] : [];
  return [...timer, ...closeRequest(state, why)];
}

/** The close of the run's open approval request (pending or sent back), if it waits on one. */
function closeRequest(state: RunState, why: string): Command[] {
  const wait = state.wait;
  if (wait?.kind !== "approval" && wait?.kind !== "revision") return [];
  return [{ type: "close_approval", requestId: wait.requestId, status: "cancelled", outcome: `cancelled: ${why}` }];
}

/**
 * A run that fails while it waits on an approval request closes the request in the same step,
 * whatever failed (a command that could not be carried out, a new round that did not render):
 * a request left pending would lock its record, and one left sent back would offer a resubmit,
 * behind a run that waits for neither. A retry opens a new round. Decisions that already close
 * the request (or never had one) are left as they are.
 */
function closingOnFailure(state: RunState, d: Decision): Decision {
  if (d.state.status !== "failed" || state.status === "failed") return d;
  if (d.commands.some((c) => c.type === "close_approval")) return d;
  const close = closeRequest(state, `the run failed: ${d.state.reason}`);
  return close.length === 0 ? d : { ...d, commands: [...d.commands, ...close] };
}

function cancel(state: RunState, reason: string): Decision {
  if (isTerminal(state)) return unchanged(state);
  return {
    state: ended(state, "cancelled", reason),
    commands: timerCancel(state, reason),
    log: { step: state.step, type: "cancel", outcome: "cancelled", why: reason },
  };
}

export function decide(w: CompiledWorkflow, state: RunState, input: RunInput, facts: Facts, ctx: DecideContext): Decision {
  return closingOnFailure(state, decideInput(w, state, input, facts, ctx));
}

function decideInput(w: CompiledWorkflow, state: RunState, input: RunInput, facts: Facts, ctx: DecideContext): Decision {
  switch (input.kind) {
    case "cancel":
      return cancel(state, input.reason);
    case "record_deleted":
      return cancel(state, RECORD_DELETED);
    case "failed":
      // Whatever the run was doing: the step's commands could not be carried out (nothing of
      // them was written), so the run stops where it is and a retry resumes it there. Its open
      // approval request is closed (closingOnFailure); its timer is not cancelled — the failing
      // item may be that very timer, and a timer firing on an ended run changes nothing.
      return {
        state: ended(state, "failed", input.error),
        commands: [],
        log: { step: state.step, type: "error", outcome: "failed", why: input.error },
      };
    case "retry":
      if (state.status !== "failed" || state.step === null) return unchanged(state);
      return {
        state: running(state.step, state.stepsTaken),
        commands: [],
        log: { step: state.step, type: "retry", outcome: "running", why: `retrying from step "${state.step}"` },
      };
    case "timer_fired": {
      if (state.status !== "waiting") return unchanged(state);
      const wait = state.wait;
      if (wait.kind === "action" || !wait.timerId || wait.timerId !== input.timerId) return unchanged(state);
      if (wait.kind === "revision") {
        const step = w.steps.get(state.step);
        return step?.spec.type === "approval" ? approvalRevisionTimedOut(step as ApprovalStep, state) : unchanged(state);
      }
      if (wait.kind === "approval") {
        const step = w.steps.get(state.step);
        return step?.spec.type === "approval" ? approvalTimedOut(step as ApprovalStep, state, facts, ctx) : unchanged(state);
      }
      if (wait.kind === "timer") {
        return {
          state: goTo(state.stepsTaken, wait.next),
          commands: [],
          log: { step: state.step, type: "delay", outcome: "elapsed", why: `timer due ${wait.dueAt} fired` },
        };
      }
      const step = w.steps.get(state.step);
      const onTimeout = step && step.spec.type === "wait_for" ? step.spec.on_timeout : undefined;
      return {
        state: goTo(state.stepsTaken, onTimeout),
        commands: [],
        log: { step: state.step, type: "wait_for", outcome: "timed_out", why: `nothing arrived before ${wait.dueAt}` },
      };
    }
    case "record_changed": {
      if (isTerminal(state)) return unchanged(state);
      if (w.goal?.test(facts)) {
        return {
          state: ended(state, "exited", "goal met"),
          commands: timerCancel(state, "goal met"),
          log: { step: state.step, type: "goal", outcome: "exited", why: w.goal.explain(facts) },
        };
      }
      if (state.status !== "waiting") return unchanged(state);
      const step = w.steps.get(state.step);
      if (step && "condition" in step && step.condition?.test(facts)) {
        return {
          state: goTo(state.stepsTaken, step.spec.next),
          commands: timerCancel(state),
          log: { step: state.step, type: "wait_for", outcome: "condition_met", why: step.condition.explain(facts) },
        };
      }
      return unchanged(state);
    }
    case "related_event": {
      if (state.status !== "waiting") return unchanged(state);
      const step = w.steps.get(state.step);
      if (!step || !("eventWhere" in step)) return unchanged(state);
      const awaited = step.spec.event;
      if (!awaited || awaited.object !== input.object || awaited.kind !== input.type || awaited.link !== input.link)
        return unchanged(state);
      const related: Facts = { record: input.record, refs: {}, counts: {}, nowMs: facts.nowMs };
      if (step.eventWhere && !step.eventWhere.test(related)) return unchanged(state);
      return {
        state: goTo(state.stepsTaken, step.spec.next),
        commands: timerCancel(state),
        log: {
          step: state.step,
          type: "wait_for",
          outcome: "event_arrived",
          why: `${input.object} ${input.type}${step.eventWhere ? `: ${step.eventWhere.explain(related)}` : ""}`,
        },
      };
    }
    case "action_result": {
      if (state.status !== "waiting" || state.wait.kind !== "action" || state.wait.key !== input.key) return unchanged(state);
      const step = w.steps.get(state.step);
      const spec = step?.spec.type === "action" ? step.spec : undefined;
      if (input.ok) {
        const mapped = spec?.action.type === "http_request" ? mapResponse(spec.action, input.response, facts) : {};
        const fields = Object.keys(mapped);
        return {
          state: goTo(state.stepsTaken, spec?.next),
          commands: fields.length > 0 ? [{ type: "update_record", fields: mapped }] : [],
          log: {
            step: state.step,
            type: "action",
            outcome: "succeeded",
            why: `the external action succeeded${fields.length > 0 ? `; mapped ${fields.join(", ")} from the response` : ""}`,
          },
        };
      }
      if (spec?.on_failure) {
        return {
          state: goTo(state.stepsTaken, spec.on_failure),
          commands: [],
          log: {
            step: state.step,
            type: "action",
            outcome: "fallback",
            why: `failed (${input.error ?? "unknown error"}); taking the fallback path`,
          },
        };
      }
      const why = input.error ?? "external action failed";
      return { state: ended(state, "failed", why), commands: [], log: { step: state.step, type: "action", outcome: "failed", why } };
    }
    case "approval_settled": {
      if (state.status !== "waiting" || state.wait.kind !== "approval" || state.wait.requestId !== input.requestId) return unchanged(state);
      const step = w.steps.get(state.step);
      return step?.spec.type === "approval"
        ? approvalSettled(step as ApprovalStep, state, input.status, input.outcome, facts, ctx)
        : unchanged(state);
    }
    case "approval_resubmitted": {
      if (state.status !== "waiting" || state.wait.kind !== "revision" || state.wait.requestId !== input.requestId) return unchanged(state);
      const step = w.steps.get(state.step);
      if (step?.spec.type !== "approval") return unchanged(state);
      // A new round renders the summary again, over the record as it is now: it may fail like a step.
      return failsStep(state, step, () => approvalResubmitted(step as ApprovalStep, state, facts, ctx));
    }
    case "continue":
      return step(w, state, facts, ctx);
    default:
      return assertNever(input, "run input");
  }
}

function step(w: CompiledWorkflow, state: RunState, facts: Facts, ctx: DecideContext): Decision {
  if (state.status !== "running") return unchanged(state);
  if (w.goal?.test(facts)) {
    return {
      state: ended(state, "exited", "goal met"),
      commands: [],
      log: { step: state.step, type: "goal", outcome: "exited", why: w.goal.explain(facts) },
    };
  }
  const current: CompiledStep | undefined = w.steps.get(state.step);
  if (!current) {
    const why = `no step "${state.step}"`;
    return { state: ended(state, "failed", why), commands: [], log: { step: state.step, type: "unknown", outcome: "failed", why } };
  }
  if (state.stepsTaken >= MAX_STEPS_PER_RUN) {
    const why = `a run may take at most ${MAX_STEPS_PER_RUN} steps`;
    return { state: ended(state, "failed", why), commands: [], log: { step: state.step, type: current.spec.type, outcome: "failed", why } };
  }
  const counted = running(state.step, state.stepsTaken + 1);
  return failsStep(state, current, () =>
    executeStep(current, { state: counted, facts, ctx, recordGone: runsOnDeletedRecord(w.definition) }),
  );
}

/** A step's code run: a template that does not render (unknown variable, a limit) fails the step; retry resumes here. */
function failsStep(state: RunState, current: CompiledStep, run: () => Decision): Decision {
  try {
    return run();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { state: ended(state, "failed", why), commands: [], log: { step: state.step, type: current.spec.type, outcome: "failed", why } };
  }
}

/**
 * Record fields from the response of an http_request: each `field ← pointer` whose pointer finds
 * a value; with `only_if_empty`, only fields that are empty on the record (enrichment).
 */
function mapResponse(a: Extract<CompiledStepAction, { type: "http_request" }>, response: unknown, facts: Facts): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, pointer] of Object.entries(a.map_response ?? {})) {
    const value = resolvePointer(response, pointer);
    if (value === undefined) continue;
    const current = facts.record[field];
    if (a.only_if_empty && current !== undefined && current !== null && current !== "") continue;
    out[field] = value;
  }
  return out;
}

type ApprovalStep = CompiledStepOf<"approval">;
type CompiledStepAction = Extract<CompiledStep["spec"], { type: "action" }>["action"];
