/**
 * `approval`: a human checkpoint (docs/approvals.md). The first route whose condition holds says
 * who approves — levels in sequence — or decides at once (auto-approve, notifying someone). A
 * request is opened and the run waits for its outcome like it waits for a timer; decide() takes
 * the outcome (`approval_settled`), a resubmission after a revision (`approval_resubmitted`) and
 * the timeout's timer. Who the approvers are is found by the runtime when the request opens; the
 * votes are counted by `approval/request.ts`.
 */

import type { IssuePath } from "../../crm/issues.js";
import { WORKSPACE_CALENDAR } from "../calendars.js";
import type { Checker } from "../checker.js";
import type { Command } from "../commands.js";
import { type CompiledCondition, compileCondition, type Facts } from "../conditions.js";
import type { DecideContext, Decision } from "../decision.js";
import type { ApprovalTimeout, ApproverSpec, CalendarRef } from "../definition.js";
import { ended, type RunState, running, waiting } from "../run-state.js";
import { durationMs } from "../time.js";
import type { CompiledStepOf } from "./compiled-step.js";
import { businessDue } from "./delay.js";
import { goTo, logOf, render, type StepHandler } from "./step.js";

type ApprovalStep = CompiledStepOf<"approval">;

export const approvalStep: StepHandler<"approval"> = {
  waits: true,
  writes: () => [],
  successors: (spec) => [
    ...(spec.on_approved ? [{ target: spec.on_approved, path: ["on_approved"] }] : []),
    ...(spec.on_rejected ? [{ target: spec.on_rejected, path: ["on_rejected"] }] : []),
    ...(spec.on_timeout ? [{ target: spec.on_timeout, path: ["on_timeout"] }] : []),
  ],
  check: (spec, { ck, at }) => {
    ck.template(spec.summary, [...at, "summary"]);
    for (const [i, f] of spec.fields.entries()) ck.field(f, [...at, "fields", i], undefined, false);
    ck.person(spec.submitter, [...at, "submitter"]);
    for (const [i, route] of spec.routes.entries()) checkRoute(ck, route, [...at, "routes", i], i === spec.routes.length - 1);
    if (spec.timeout) checkTimeout(ck, spec.timeout, spec.on_timeout, [...at, "timeout"]);
  },
  compile: (id, spec) => ({
    id,
    spec,
    routes: spec.routes.map((r) => ({ when: r.when ? compileCondition(r.when) : undefined })),
  }),
  execute: (step, { state, facts, ctx }) => openRound(step, state, facts, ctx, 1, null),
};

function checkRoute(ck: Checker, route: ApprovalStep["spec"]["routes"][number], at: IssuePath, last: boolean) {
  if (route.when) ck.condition(route.when, [...at, "when"]);
  else if (!last) ck.push([...at, "when"], "required", "only the last route may have no condition (it is the default)");
  if (last && route.when)
    ck.push([...at, "when"], "invalid_value", "the last route has no condition: it is the default when no other matches");
  if ((route.levels === undefined) === (route.auto === undefined)) {
    ck.push(at, "invalid_value", "a route has either levels of approvers or auto: approve / reject");
    return;
  }
  if (route.notify) ck.person(route.notify, [...at, "notify"]);
  if (route.levels?.length === 0) ck.push([...at, "levels"], "required", "a route needs at least one level of approvers");
  for (const [j, level] of (route.levels ?? []).entries()) {
    const lp = [...at, "levels", j];
    if (level.approvers.length === 0) ck.push([...lp, "approvers"], "required", "a level needs at least one approver");
    for (const [k, a] of level.approvers.entries()) checkApprover(ck, a, [...lp, "approvers", k]);
    // Roles and queues stand for many people: how many there are is known only when the request opens.
    const countable = level.approvers.every((a) => !("role" in a) && !("queue" in a));
    if (typeof level.require === "number" && countable && level.require > level.approvers.length)
      ck.push([...lp, "require"], "invalid_value", `a level cannot need ${level.require} of ${level.approvers.length} approvers`);
  }
}

function checkApprover(ck: Checker, a: ApproverSpec, at: IssuePath) {
  if ("manager_of" in a) ck.person({ manager_of: a.manager_of }, at);
  if ("team_lead_of" in a) ck.person({ team_lead_of: a.team_lead_of }, at);
}

function checkTimeout(ck: Checker, t: ApprovalTimeout, onTimeout: string | undefined, at: IssuePath) {
  if ((t.after === undefined) === (t.business === undefined))
    ck.push(at, "invalid_value", "a timeout has exactly one of after (absolute time) and business (business time)");
  if (t.after && durationMs(t.after) === 0) ck.push([...at, "after"], "invalid_value", "the timeout must be more than zero");
  // Both set at all, zeros included (as a delay's): { days: 0, hours: 4 } would wait zero days, since days win.
  if (t.business?.hours !== undefined && t.business.days !== undefined)
    ck.push([...at, "business"], "invalid_value", "business time is either days or hours — not both");
  else if (t.business && !t.business.hours && !t.business.days)
    ck.push([...at, "business"], "invalid_value", "business time must be more than zero: set hours or days");
  if (t.then === "escalate" && !t.escalate_to?.length)
    ck.push([...at, "escalate_to"], "required", "a timeout that escalates names who it escalates to");
  for (const [i, a] of (t.escalate_to ?? []).entries()) checkApprover(ck, a, [...at, "escalate_to", i]);
  if ((t.then === "path" || t.then === "escalate") && !onTimeout)
    ck.push([...at.slice(0, -1), "on_timeout"], "required", `a timeout with then = ${t.then} needs an on_timeout path`);
}

/** The first route that matches, with the words of why. */
function matchRoute(step: ApprovalStep, facts: Facts): { index: number; why: string } | undefined {
  for (const [index, r] of step.routes.entries()) {
    const when: CompiledCondition | undefined = r.when;
    if (!when) return { index, why: "no other route matched" };
    if (when.test(facts)) return { index, why: when.explain(facts) };
  }
  return undefined;
}

/** When a round's timeout falls due; a string says why it cannot be computed (its calendar is gone). */
function timeoutDue(t: ApprovalTimeout | undefined, facts: Facts, nowMs: number): { ms: number; why: string } | string | null {
  if (!t) return null;
  if (t.after) return { ms: nowMs + durationMs(t.after), why: `${durationMs(t.after) / 1000} s` };
  const ref: CalendarRef = t.business?.calendar ?? WORKSPACE_CALENDAR;
  return businessDue({ business: { hours: t.business?.hours, days: t.business?.days } }, ref, facts, nowMs);
}

/**
 * One round of the step: the route chosen over the record as it is now, then an automatic
 * decision, or a request opened and waited for. Round 1 when the step is reached; one more on
 * each resubmission.
 */
export function openRound(
  step: ApprovalStep,
  state: RunState,
  facts: Facts,
  ctx: DecideContext,
  round: number,
  previousId: string | null,
): Decision {
  const spec = step.spec;
  const matched = matchRoute(step, facts);
  const route = matched ? spec.routes[matched.index] : undefined;
  if (!matched || !route) {
    const why = "no route matched (the last route should have no condition)";
    return { state: ended(state, "failed", why), commands: [], log: logOf(step, "failed", why) };
  }
  const label = route.label ?? `route ${matched.index + 1}`;
  if (route.auto) {
    const approved = route.auto === "approve";
    const summary = String(render(spec.summary, facts));
    const notify: Command[] = route.notify
      ? [{ type: "notify", to: route.notify, message: `Automatically ${approved ? "approved" : "rejected"}: ${summary} (${label})` }]
      : [];
    return {
      state: goTo(state.stepsTaken, approved ? spec.on_approved : spec.on_rejected),
      commands: notify,
      log: logOf(step, approved ? "auto_approved" : "auto_rejected", `${label}: ${matched.why}`),
    };
  }
  const due = timeoutDue(spec.timeout, facts, ctx.nowMs);
  if (typeof due === "string") return { state: ended(state, "failed", due), commands: [], log: logOf(step, "failed", due) };
  const requestId = `${ctx.runId}:${ctx.seq}`;
  const dueAt = due ? new Date(Math.max(due.ms, ctx.nowMs)).toISOString() : null;
  const timerId = dueAt ? requestId : null;
  const levels = (route.levels ?? []).map((l, i) => ({ name: l.name ?? `Level ${i + 1}`, require: l.require, approvers: l.approvers }));
  const commands: Command[] = [
    {
      type: "open_approval",
      requestId,
      round,
      previousId,
      summary: String(render(spec.summary, facts)),
      stake: spec.fields.map((field) => ({ field, value: facts.record[field] ?? null })),
      lock: spec.lock,
      route: `${label}: ${matched.why}`,
      levels,
      submitter: spec.submitter,
      dueAt,
    },
  ];
  if (timerId && dueAt) commands.push({ type: "start_timer", timerId, dueAt });
  const levelWords = levels.map((l) => l.name).join(" → ");
  return {
    state: waiting(step.id, { kind: "approval", requestId, round, timerId, dueAt, escalations: 0 }, state.stepsTaken),
    commands,
    log: logOf(
      step,
      "waiting",
      `${label} (${matched.why}): asking ${levelWords}${round > 1 ? `, round ${round}` : ""}${dueAt ? ` until ${dueAt}` : ""}`,
    ),
  };
}

/** The step's timeout fell due while its request was pending: escalate, decide, or take the path. */
export function approvalTimedOut(
  step: ApprovalStep,
  state: Extract<RunState, { status: "waiting" }>,
  facts: Facts,
  ctx: DecideContext,
): Decision {
  const wait = state.wait;
  if (wait.kind !== "approval") return { state, commands: [], log: null };
  const spec = step.spec;
  const t = spec.timeout;
  const close = (status: "approved" | "rejected" | "timed_out" | "cancelled", outcome: string): Command => ({
    type: "close_approval",
    requestId: wait.requestId,
    status,
    outcome,
  });
  const since = `no decision by ${wait.dueAt}`;
  if (t?.then === "escalate" && wait.escalations < t.escalations) {
    const due = timeoutDue(t, facts, ctx.nowMs);
    // The run fails here and a retry opens a new round: the pending request must not stay open (and locked) behind it.
    if (typeof due === "string")
      return {
        state: ended(state, "failed", due),
        commands: [close("cancelled", `cancelled: the step failed: ${due}`)],
        log: logOf(step, "failed", due),
      };
    const dueAt = new Date(due?.ms ?? ctx.nowMs).toISOString();
    const timerId = `${wait.requestId}:e${wait.escalations + 1}`;
    return {
      state: waiting(step.id, { ...wait, timerId, dueAt, escalations: wait.escalations + 1 }, state.stepsTaken),
      commands: [
        { type: "escalate_approval", requestId: wait.requestId, to: t.escalate_to ?? [] },
        { type: "start_timer", timerId, dueAt },
      ],
      log: logOf(step, "escalated", `${since}; escalated (${wait.escalations + 1} of ${t.escalations}) until ${dueAt}`),
    };
  }
  if (t?.then === "approve")
    return {
      state: goTo(state.stepsTaken, spec.on_approved),
      commands: [close("approved", `approved automatically: ${since}`)],
      log: logOf(step, "auto_approved", `${since}; the timeout approves`),
    };
  if (t?.then === "reject")
    return {
      state: goTo(state.stepsTaken, spec.on_rejected),
      commands: [close("rejected", `rejected automatically: ${since}`)],
      log: logOf(step, "auto_rejected", `${since}; the timeout rejects`),
    };
  return {
    state: goTo(state.stepsTaken, spec.on_timeout),
    commands: [close("timed_out", `timed out: ${since}`)],
    log: logOf(step, "timed_out", `${since}; taking the timeout path`),
  };
}

/** "sent back 2 times; max_rounds (2) reached — rejected": why a request with no rounds left is rejected. */
const noRoundsLeft = (sentBack: number, max: number) =>
  `sent back ${sentBack} time${sentBack === 1 ? "" : "s"}; max_rounds (${max}) reached — rejected`;

/**
 * A person's decision settled the pending request: follow its path, or wait for a resubmission.
 *
 * A send-back in the last round the step allows (max_rounds) leaves nothing to resubmit: the
 * request is rejected there and then, and the run takes on_rejected — instead of waiting for a
 * resubmission that could only be refused.
 *
 * Otherwise the run waits for the submitter, bounded by the step's timeout when it has one: the
 * same time (absolute or business) counted again from the send-back. A request not resubmitted
 * by then is closed as timed out and the run takes on_timeout, or on_rejected when the step has
 * none — whatever `then` says, since approving what an approver sent back would be wrong and
 * there is nobody to escalate to (the submitter owes the next move).
 */
export function approvalSettled(
  step: ApprovalStep,
  state: Extract<RunState, { status: "waiting" }>,
  status: "approved" | "rejected" | "revise",
  outcome: string,
  facts: Facts,
  ctx: DecideContext,
): Decision {
  const wait = state.wait;
  if (wait.kind !== "approval") return { state, commands: [], log: null };
  const cancelTimer: Command[] = wait.timerId ? [{ type: "cancel_timer", timerId: wait.timerId }] : [];
  if (status === "revise") {
    if (wait.round >= step.spec.max_rounds) {
      const why = noRoundsLeft(wait.round, step.spec.max_rounds);
      return {
        state: goTo(state.stepsTaken, step.spec.on_rejected),
        commands: [...cancelTimer, { type: "close_approval", requestId: wait.requestId, status: "rejected", outcome: why }],
        log: logOf(step, "rejected", `${outcome}; ${why}`),
      };
    }
    const due = timeoutDue(step.spec.timeout, facts, ctx.nowMs);
    // The revision's deadline cannot be computed (its calendar is gone): fail like an escalation
    // would, closing the request, so that a retry opens a new round instead of waiting forever.
    if (typeof due === "string")
      return {
        state: ended(state, "failed", due),
        commands: [
          ...cancelTimer,
          { type: "close_approval", requestId: wait.requestId, status: "cancelled", outcome: `cancelled: the step failed: ${due}` },
        ],
        log: logOf(step, "failed", due),
      };
    const dueAt = due ? new Date(Math.max(due.ms, ctx.nowMs)).toISOString() : null;
    const timerId = dueAt ? `${wait.requestId}:revision` : null;
    return {
      state: waiting(step.id, { kind: "revision", requestId: wait.requestId, round: wait.round, timerId, dueAt }, state.stepsTaken),
      commands: [...cancelTimer, ...(timerId && dueAt ? [{ type: "start_timer" as const, timerId, dueAt }] : [])],
      log: logOf(step, "sent_back", `${outcome}; waiting for the submitter to resubmit${dueAt ? ` until ${dueAt}` : ""}`),
    };
  }
  const next = status === "approved" ? step.spec.on_approved : step.spec.on_rejected;
  return { state: goTo(state.stepsTaken, next), commands: cancelTimer, log: logOf(step, status, outcome) };
}

/** The submitter did not resubmit before the revision's deadline (see approvalSettled for the rule). */
export function approvalRevisionTimedOut(step: ApprovalStep, state: Extract<RunState, { status: "waiting" }>): Decision {
  const wait = state.wait;
  if (wait.kind !== "revision") return { state, commands: [], log: null };
  const since = `not resubmitted by ${wait.dueAt}`;
  const next = step.spec.on_timeout ?? step.spec.on_rejected;
  return {
    state: goTo(state.stepsTaken, next),
    commands: [{ type: "close_approval", requestId: wait.requestId, status: "timed_out", outcome: `timed out: ${since}` }],
    log: logOf(step, "timed_out", `${since}; taking ${step.spec.on_timeout ? "the timeout path" : "the rejected path"}`),
  };
}

/** The submitter resubmitted after a revision: a new round, routed again over the record as it is now. */
export function approvalResubmitted(
  step: ApprovalStep,
  state: Extract<RunState, { status: "waiting" }>,
  facts: Facts,
  ctx: DecideContext,
): Decision {
  const wait = state.wait;
  if (wait.kind !== "revision") return { state, commands: [], log: null };
  const cancelTimer: Command[] = wait.timerId ? [{ type: "cancel_timer", timerId: wait.timerId }] : [];
  const round = wait.round + 1;
  // A send-back in the last round is rejected at once (approvalSettled); a run that was already
  // waiting in that round (decided before that rule) is settled here, its request closed too.
  if (round > step.spec.max_rounds) {
    const why = noRoundsLeft(wait.round, step.spec.max_rounds);
    return {
      state: goTo(state.stepsTaken, step.spec.on_rejected),
      commands: [...cancelTimer, { type: "close_approval", requestId: wait.requestId, status: "rejected", outcome: why }],
      log: logOf(step, "rejected", why),
    };
  }
  const opened = openRound(step, running(step.id, state.stepsTaken + 1), facts, ctx, round, wait.requestId);
  return { ...opened, commands: [...cancelTimer, ...opened.commands] };
}
