/**
 * The pure core: decide(workflow, state, input, facts, ctx) → { state, commands, log }.
 * No IO, no clock, no randomness: time and ids come in through `ctx`. The runtime applies the
 * commands and records the log in one transaction per call; a call executes at most one step.
 */
import { assertNever } from "../crm/never.js";
import type { Command } from "./commands.js";
import type { CompiledStep, CompiledWorkflow } from "./compile.js";
import type { Facts } from "./conditions.js";
import { EXTERNAL_ACTIONS } from "./definition.js";
import { runsOnDeletedRecord } from "./deletion.js";
import { resolvePointer } from "./json-pointer.js";
import { MAX_STEPS_PER_RUN, type RunState, TERMINAL } from "./run-state.js";
import { isTemplate, renderTemplate } from "./templates.js";
import { dateFieldMs, durationMs, nextWallTime, shiftByOffset } from "./time.js";

export type RunInput =
  | { kind: "continue" }
  | { kind: "timer_fired"; timerId: string }
  /** The run's record changed (facts.changes holds how): goals and wait-for conditions are checked. */
  | { kind: "record_changed" }
  /** A record linked to the run's record was created or updated. */
  | { kind: "related_event"; object: string; type: "created" | "updated"; link: string; record: Readonly<Record<string, unknown>> }
  /** The outcome of an external action; `response` is the receiver's parsed answer (HTTP JSON). */
  | { kind: "action_result"; key: string; ok: boolean; error?: string; response?: unknown }
  | { kind: "cancel"; reason: string }
  | { kind: "retry" };

export interface DecideContext {
  runId: string;
  /** Sequence number of this decision within the run: makes timer and outbox keys stable. */
  seq: number;
  nowMs: number;
  /** Zone for calendar waits without their own. */
  timeZone: string;
}

export interface StepLog {
  step: string | null;
  type: string;
  outcome: string;
  /** Why: the comparison that decided a branch, the instant a delay waits for, … */
  why: string;
}

export interface Decision {
  state: RunState;
  commands: Command[];
  /** Null when the input did not concern the run (a stale timer, an event it does not wait for). */
  log: StepLog | null;
}

const unchanged = (state: RunState): Decision => ({ state, commands: [], log: null });

function render(value: unknown, facts: Facts): unknown {
  if (!isTemplate(value)) return value;
  return renderTemplate(value, { record: facts.record, related: facts.refs });
}

function renderAll(values: Record<string, unknown>, facts: Facts): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, render(v, facts)]));
}

/** Moves to `next`, or completes the run when there is none. */
function goTo(state: RunState, next: string | undefined | null, stepsTaken = state.stepsTaken): RunState {
  return next
    ? { status: "running", step: next, wait: null, stepsTaken, reason: null }
    : { status: "completed", step: null, wait: null, stepsTaken, reason: "reached the end" };
}

function timerCancel(state: RunState): Command[] {
  return state.wait && state.wait.kind !== "action" ? [{ type: "cancel_timer", timerId: state.wait.timerId }] : [];
}

function exit(state: RunState, reason: string): RunState {
  return { status: "exited", step: state.step, wait: null, stepsTaken: state.stepsTaken, reason };
}

export function decide(w: CompiledWorkflow, state: RunState, input: RunInput, facts: Facts, ctx: DecideContext): Decision {
  switch (input.kind) {
    case "cancel":
      if (TERMINAL.has(state.status)) return unchanged(state);
      return {
        state: { ...state, status: "cancelled", wait: null, reason: input.reason },
        commands: timerCancel(state),
        log: { step: state.step, type: "cancel", outcome: "cancelled", why: input.reason },
      };
    case "retry":
      if (state.status !== "failed") return unchanged(state);
      return {
        state: { ...state, status: "running", reason: null },
        commands: [],
        log: { step: state.step, type: "retry", outcome: "running", why: `retrying from step "${state.step}"` },
      };
    case "timer_fired": {
      const wait = state.wait;
      if (state.status !== "waiting" || !wait || wait.kind === "action" || wait.timerId !== input.timerId) return unchanged(state);
      const step = state.step ? w.steps.get(state.step) : undefined;
      if (wait.kind === "timer") {
        return {
          state: goTo(state, wait.next),
          commands: [],
          log: { step: state.step, type: "delay", outcome: "elapsed", why: `timer due ${wait.dueAt} fired` },
        };
      }
      const onTimeout = step && step.spec.type === "wait_for" ? step.spec.on_timeout : undefined;
      return {
        state: goTo(state, onTimeout),
        commands: [],
        log: { step: state.step, type: "wait_for", outcome: "timed_out", why: `nothing arrived before ${wait.dueAt}` },
      };
    }
    case "record_changed": {
      if (TERMINAL.has(state.status)) return unchanged(state);
      if (w.goal?.test(facts)) {
        return {
          state: exit(state, "goal met"),
          commands: timerCancel(state),
          log: { step: state.step, type: "goal", outcome: "exited", why: w.goal.explain(facts) },
        };
      }
      const step = state.step ? w.steps.get(state.step) : undefined;
      if (state.status === "waiting" && step && "condition" in step && step.condition?.test(facts)) {
        return {
          state: goTo(state, step.spec.next),
          commands: timerCancel(state),
          log: { step: state.step, type: "wait_for", outcome: "condition_met", why: step.condition.explain(facts) },
        };
      }
      return unchanged(state);
    }
    case "related_event": {
      const step = state.step ? w.steps.get(state.step) : undefined;
      if (state.status !== "waiting" || !step || !("eventWhere" in step)) return unchanged(state);
      const awaited = step.spec.event;
      if (!awaited || awaited.object !== input.object || awaited.kind !== input.type || awaited.link !== input.link)
        return unchanged(state);
      const related: Facts = { record: input.record, refs: {}, counts: {}, nowMs: facts.nowMs };
      if (step.eventWhere && !step.eventWhere.test(related)) return unchanged(state);
      return {
        state: goTo(state, step.spec.next),
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
      const wait = state.wait;
      if (state.status !== "waiting" || wait?.kind !== "action" || wait.key !== input.key) return unchanged(state);
      const step = state.step ? w.steps.get(state.step) : undefined;
      const spec = step?.spec.type === "action" ? step.spec : undefined;
      if (input.ok) {
        const mapped = spec?.action.type === "http_request" ? mapResponse(spec.action, input.response, facts) : {};
        const fields = Object.keys(mapped);
        return {
          state: goTo(state, spec?.next),
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
          state: goTo(state, spec.on_failure),
          commands: [],
          log: {
            step: state.step,
            type: "action",
            outcome: "fallback",
            why: `failed (${input.error ?? "unknown error"}); taking the fallback path`,
          },
        };
      }
      return {
        state: { ...state, status: "failed", wait: null, reason: input.error ?? "external action failed" },
        commands: [],
        log: { step: state.step, type: "action", outcome: "failed", why: input.error ?? "external action failed" },
      };
    }
    case "continue":
      return step(w, state, facts, ctx);
  }
}

function step(w: CompiledWorkflow, state: RunState, facts: Facts, ctx: DecideContext): Decision {
  if (state.status !== "running" || !state.step) return unchanged(state);
  if (w.goal?.test(facts)) {
    return {
      state: exit(state, "goal met"),
      commands: [],
      log: { step: state.step, type: "goal", outcome: "exited", why: w.goal.explain(facts) },
    };
  }
  const current = w.steps.get(state.step);
  if (!current) {
    return {
      state: { ...state, status: "failed", reason: `no step "${state.step}"` },
      commands: [],
      log: { step: state.step, type: "unknown", outcome: "failed", why: `no step "${state.step}"` },
    };
  }
  if (state.stepsTaken >= MAX_STEPS_PER_RUN) {
    const why = `a run may take at most ${MAX_STEPS_PER_RUN} steps`;
    return {
      state: { ...state, status: "failed", reason: why },
      commands: [],
      log: { step: state.step, type: current.spec.type, outcome: "failed", why },
    };
  }
  try {
    return execute(current, { ...state, stepsTaken: state.stepsTaken + 1 }, facts, ctx, runsOnDeletedRecord(w.definition));
  } catch (error) {
    // A template that does not render (unknown variable) fails the step; retry resumes here.
    const why = error instanceof Error ? error.message : String(error);
    return {
      state: { ...state, status: "failed", reason: why },
      commands: [],
      log: { step: state.step, type: current.spec.type, outcome: "failed", why },
    };
  }
}

/** `recordGone`: the run's record was deleted (a record_deleted trigger); new records cannot point at it. */
function execute(current: CompiledStep, state: RunState, facts: Facts, ctx: DecideContext, recordGone: boolean): Decision {
  const id = current.id;
  const spec = current.spec;
  const now = new Date(ctx.nowMs).toISOString();
  const log = (outcome: string, why: string): StepLog => ({ step: id, type: spec.type, outcome, why });
  switch (spec.type) {
    case "end":
      return {
        state: { ...state, status: "completed", step: null, wait: null, reason: "reached an end step" },
        commands: [],
        log: log("completed", "end step"),
      };
    case "branch": {
      if (!("rules" in current)) break;
      for (const rule of current.rules) {
        if (rule.when.test(facts))
          return {
            state: goTo(state, rule.next, state.stepsTaken),
            commands: [],
            log: log(`→ ${rule.next}`, `${rule.label}: ${rule.when.explain(facts)}`),
          };
      }
      const why = current.rules.map((r) => `${r.label}: ${r.when.explain(facts)}`).join("; ");
      return { state: goTo(state, spec.else, state.stepsTaken), commands: [], log: log(`→ ${spec.else ?? "end"} (else)`, why) };
    }
    case "switch": {
      const value = facts.record[spec.field];
      const next = value === null || value === undefined ? spec.default : (spec.cases[String(value)] ?? spec.default);
      return {
        state: goTo(state, next, state.stepsTaken),
        commands: [],
        log: log(`→ ${next ?? "end"}`, `${spec.field} = ${JSON.stringify(value ?? null)}`),
      };
    }
    case "delay": {
      let dueMs: number;
      let why: string;
      if (spec.duration) {
        dueMs = ctx.nowMs + durationMs(spec.duration);
        why = `wait ${durationMs(spec.duration) / 1000} s`;
      } else if (spec.until_field) {
        const base = dateFieldMs(facts.record[spec.until_field.field], ctx.timeZone);
        if (base === undefined) {
          return {
            state: goTo(state, spec.next, state.stepsTaken),
            commands: [],
            log: log("skipped", `${spec.until_field.field} is not set; continuing`),
          };
        }
        dueMs = Math.max(ctx.nowMs, shiftByOffset(base, spec.until_field.offset, ctx.timeZone));
        why = `until ${spec.until_field.field} (${String(facts.record[spec.until_field.field])})${spec.until_field.offset ? " with offset" : ""}`;
      } else if (spec.until_time) {
        const zone = spec.until_time.time_zone ?? ctx.timeZone;
        dueMs = nextWallTime(ctx.nowMs, spec.until_time.time, spec.until_time.days, zone);
        why = `until ${spec.until_time.time} ${zone}${spec.until_time.days ? ` on ${spec.until_time.days.join(", ")}` : ""}`;
      } else {
        break;
      }
      const dueAt = new Date(dueMs).toISOString();
      const timerId = `${ctx.runId}:${ctx.seq}`;
      return {
        state: { ...state, status: "waiting", wait: { kind: "timer", timerId, dueAt, next: spec.next ?? null } },
        commands: [{ type: "start_timer", timerId, dueAt }],
        log: log("waiting", `${why} → due ${dueAt}`),
      };
    }
    case "wait_for": {
      if ("condition" in current && current.condition?.test(facts)) {
        return {
          state: goTo(state, spec.next, state.stepsTaken),
          commands: [],
          log: log("condition_met", current.condition.explain(facts)),
        };
      }
      const dueAt = new Date(ctx.nowMs + durationMs(spec.timeout)).toISOString();
      const timerId = `${ctx.runId}:${ctx.seq}`;
      const what = spec.event ? `${spec.event.object} ${spec.event.kind} linked by ${spec.event.link}` : "the condition";
      return {
        state: { ...state, status: "waiting", wait: { kind: "wait_for", timerId, dueAt } },
        commands: [{ type: "start_timer", timerId, dueAt }],
        log: log("waiting", `waiting for ${what} until ${dueAt}`),
      };
    }
    case "action": {
      const a = spec.action;
      if ((EXTERNAL_ACTIONS as readonly string[]).includes(a.type)) {
        const key = `${ctx.runId}:${id}:${ctx.seq}`;
        return {
          state: { ...state, status: "waiting", wait: { kind: "action", key } },
          commands: [{ type: "enqueue_external", key, action: a }],
          log: log("enqueued", `${a.type} placed on the outbox with idempotency key ${key}`),
        };
      }
      const commands = internalCommands(a, facts, now, ctx.nowMs, recordGone);
      return { state: goTo(state, spec.next, state.stepsTaken), commands, log: log("applied", `${a.type}`) };
    }
  }
  return { state: { ...state, status: "failed", reason: "malformed step" }, commands: [], log: log("failed", "malformed step") };
}

function internalCommands(a: CompiledStepAction, facts: Facts, now: string, nowMs: number, recordGone: boolean): Command[] {
  const recordId = String(facts.record.id);
  switch (a.type) {
    case "update_fields":
      return [{ type: "update_record", fields: renderAll(a.fields, facts) }];
    case "create_task":
      return [
        {
          type: "create_record",
          object: "task",
          fields: {
            subject: render(a.subject, facts),
            ...(a.description ? { description: render(a.description, facts) } : {}),
            priority: a.priority,
            // A task about a deleted record points at nothing (its subject says what it was).
            ...(recordGone ? {} : { related_id: recordId }),
            ...(a.due_in ? { due_at: new Date(nowMs + durationMs(a.due_in)).toISOString() } : {}),
          },
          owner: a.owner ?? { field: "owner_id" },
        },
      ];
    case "create_record": {
      const copied = Object.fromEntries(
        Object.entries(a.copy)
          .map(([to, from]) => [to, facts.record[from] ?? null])
          .filter(([, v]) => v !== null),
      );
      return [
        {
          type: "create_record",
          object: a.object,
          fields: { ...copied, ...renderAll(a.fields, facts), ...(a.link_field ? { [a.link_field]: recordId } : {}) },
        },
      ];
    }
    case "assign_owner":
      return [{ type: "assign_owner", field: a.field, to: a.to, excludeCurrent: a.exclude_current }];
    case "add_activity":
      return [
        {
          type: "create_record",
          object: "activity",
          fields: {
            type: a.activity_type,
            subject: render(a.subject, facts),
            ...(a.body ? { body: render(a.body, facts) } : {}),
            related_id: recordId,
            occurred_at: now,
          },
        },
      ];
    case "change_score":
      return [{ type: "change_score", field: a.field, by: a.by }];
    case "enroll":
      return [{ type: "enroll", workflow: a.workflow }];
    case "unenroll":
      return [{ type: "unenroll", workflow: a.workflow }];
    case "notify":
      return [{ type: "notify", to: a.to, message: String(render(a.message, facts)) }];
    case "send_email":
    case "http_request":
    case "send_chat":
      // External: the caller puts them on the outbox (enqueue_external) and never gets here.
      return [];
    default:
      return assertNever(a, "action");
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

type CompiledStepAction = Extract<CompiledStep["spec"], { type: "action" }>["action"];
