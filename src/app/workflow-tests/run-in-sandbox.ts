/**
 * One test run in a sandbox (issue 19; docs/testing-workflows.md, "Test runs"):
 *
 *   runInSandbox(sandbox, workflow, setup, answers, mode) → TestRunResult
 *
 * installs the workflow under test as the sandbox's only live workflow (same id and key, the
 * version and definition tested), sets up the record (an inline record created — for a
 * `record_created` workflow the create is the trigger —, `changes` applied as an update — the
 * trigger of `record_updated` / `field_changed` —, otherwise enrolled directly like a manual
 * enrolment, whose enrolment conditions are not checked), then drives the sandbox's own worker on
 * its simulated clock: waits pass by moving the clock to the next due item; external actions stop
 * on the sandbox's outbox and are settled as delivered there without any delivery; approvals are
 * decided as the tester's `answers` say. Stateless and deterministic up to ids: `to_next_wait`
 * stops at the first wait the answers do not resolve, and the caller replays with more answers.
 *
 * One sandbox may serve many runs (a replay batch): each run installs its workflow once
 * (`installWorkflow`), and records of one run are not those of another.
 */
import type { ObjectName } from "../../crm/fields.js";
import { ownerFieldOf } from "../../crm/objects.js";
import { slaStopChange } from "../../crm/sla/met-by.js";
import type { WorkflowDefinition } from "../../engine/definition.js";
import { initialState, TERMINAL } from "../../engine/run-state.js";
import { awaitedChange, slaMilestoneEvent } from "../../engine/test-answers.js";
import { triggerKind } from "../../engine/triggers/index.js";
import type { RunRow } from "../../store/workflow-ports.js";
import { type CallContext, systemContext } from "../context.js";
import { AppError, invalid } from "../errors.js";
import type { SandboxRuntime } from "../sandbox/sandbox-port.js";
import { type Answered, collectResult, type TestRunResult } from "./test-run-result.js";
import { type Answer, type Answers, type Mode, type Setup, TRIGGER_ANSWER } from "./test-run-schemas.js";
import type { WorkflowUnderTest } from "./workflow-under-test.js";

export { pathOf, type TestRunResult } from "./test-run-result.js";
export type { WorkflowUnderTest } from "./workflow-under-test.js";

/** Simulated time and passes a test run may take at most before it stops with `cap`. */
export const RUN_CAPS = { simulatedMs: 400 * 86_400_000, passes: 2_000 };

const ACTOR = "test-run";
const OWNER = "sandbox";
/** Triggers whose firing is a record update: `changes` are applied as one. */
const UPDATE_TRIGGERS: ReadonlySet<string> = new Set(["record_updated", "field_changed"]);

/** Makes `workflow` the sandbox's only live workflow, at the version tested. */
export async function installWorkflow(sandbox: SandboxRuntime, workspaceId: string, w: WorkflowUnderTest): Promise<void> {
  const now = sandbox.clock.now().toISOString();
  const def = w.definition;
  const version = Math.max(1, w.version);
  await sandbox.store.transaction(async (tx) => {
    const since = await tx.events.lastEventPosition();
    await tx.workflows.insertWorkflow({
      workspaceId,
      id: w.id,
      key: w.key,
      name: w.name,
      object: def.object,
      liveVersion: version,
      latestVersion: version,
      createdAt: now,
      updatedAt: now,
      updatedBy: null,
    });
    await tx.workflows.upsertVersion({
      workspaceId,
      workflowId: w.id,
      version,
      state: "published",
      definition: w.raw,
      createdAt: now,
      publishedAt: now,
      sincePosition: since,
    });
    const kind = triggerKind(def.trigger).indexKey(def.trigger);
    const rows = kind ? [{ workspaceId, workflowId: w.id, object: def.object, kind, version, sincePosition: since }] : [];
    await tx.triggers.replaceTriggers(workspaceId, w.id, rows);
  });
}

/**
 * Runs one record through the installed workflow in the sandbox and returns what happened.
 * Problems of the setup (an inline record that does not validate, a record id not found) are a
 * 422 naming the field; what the workflow does — failures included — is the result.
 */
export async function runInSandbox(
  sandbox: SandboxRuntime,
  workspaceId: string,
  workflow: WorkflowUnderTest,
  setup: Setup,
  answers: Answers = {},
  mode: Mode = "to_end",
): Promise<TestRunResult> {
  const ctx = systemContext(workspaceId, ACTOR);
  const def = workflow.definition;
  const startedAt = sandbox.clock.now().toISOString();
  const recordId = await prepareRecord(sandbox, ctx, def, setup);
  const answered: Answered[] = [];
  const byEvent =
    (setup.record !== undefined && def.trigger.type === "record_created") ||
    (setup.changes !== undefined && UPDATE_TRIGGERS.has(def.trigger.type));
  await settleOutbox(sandbox, workspaceId);
  await sandbox.drain();
  let run = await sandbox.store.runs.latestRunOf(workspaceId, workflow.id, recordId);
  const onTrigger = answers[TRIGGER_ANSWER];
  if (!run && !byEvent && def.trigger.type === "sla" && onTrigger !== undefined) {
    // The tester chose the SLA's outcome: its milestone event (or none, when met) decides enrolment.
    const answer = Array.isArray(onTrigger) ? onTrigger[0] : onTrigger;
    if (!answer || !("sla" in answer))
      throw invalid([
        {
          path: ["answers", TRIGGER_ANSWER],
          code: "invalid_value",
          message: 'an sla trigger takes {"sla": "met" | "warning" | "breach" | "escalation"}',
        },
      ]);
    const event = slaMilestoneEvent(def.trigger, answer.sla, answer.level);
    const at = sandbox.clock.now().toISOString();
    const policy = def.trigger.policy;
    answered.push({
      step: TRIGGER_ANSWER,
      what: event ? `the SLA “${policy}” reached its ${event.milestone} milestone` : `the SLA “${policy}” was met: no milestone`,
      at,
      applied: true,
    });
    if (!event) {
      const why = `the SLA “${policy}” was met: no milestone fell due, so the sla trigger did not fire`;
      return collectResult(sandbox, workspaceId, workflow, recordId, undefined, {
        startedAt,
        stopped: "not_enrolled",
        reason: why,
        answered,
      });
    }
    await appendSlaEvent(sandbox, workspaceId, def.object, recordId, policy, event);
    await sandbox.drain();
    run = await sandbox.store.runs.latestRunOf(workspaceId, workflow.id, recordId);
    if (!run) {
      const why = event.fires
        ? "the sla trigger fired, but the enrollment conditions did not hold"
        : `the trigger does not listen to the ${event.milestone} milestone${def.trigger.level !== undefined ? ` (only level ${def.trigger.level})` : ""}`;
      return collectResult(sandbox, workspaceId, workflow, recordId, undefined, {
        startedAt,
        stopped: "not_enrolled",
        reason: why,
        answered,
      });
    }
  }
  if (!run && !byEvent) run = await enrollDirectly(sandbox, workspaceId, workflow, recordId);
  if (!run) {
    const why = `the ${def.trigger.type} trigger did not enroll the record: its enrollment conditions did not hold`;
    return collectResult(sandbox, workspaceId, workflow, recordId, undefined, {
      startedAt,
      stopped: "not_enrolled",
      reason: why,
      answered,
    });
  }
  const runId = run.id;
  const used = new Map<string, number>();
  const nextAnswer = (step: string): Answer | undefined => {
    const given = answers[step];
    const list = given === undefined ? [] : Array.isArray(given) ? given : [given];
    const i = used.get(step) ?? 0;
    return list[i];
  };
  const consume = (step: string) => used.set(step, (used.get(step) ?? 0) + 1);
  const readRun = async () => (await sandbox.store.runs.getRun(workspaceId, runId)) as RunRow;
  /** Whether the run still waits exactly as it did (`wait` as JSON): the same wait, not a later one. */
  const sameWait = (wait: string) => async () => {
    const state = (await readRun()).state;
    return state.status === "waiting" && JSON.stringify(state.wait) === wait;
  };
  let stopped: TestRunResult["stopped"] = "ended";
  for (let pass = 0; ; pass++) {
    await sandbox.drain();
    // External actions a step put on the outbox: "sent" at once, so that the run goes on.
    if (await settleOutbox(sandbox, workspaceId)) continue;
    run = await readRun();
    if (TERMINAL.has(run.state.status)) break;
    if (pass >= RUN_CAPS.passes) {
      stopped = "cap";
      break;
    }
    const state = run.state;
    if (state.status === "waiting") {
      const answer = nextAnswer(state.step);
      if (answer && (state.wait.kind === "approval" || state.wait.kind === "revision") && "decision" in answer) {
        consume(state.step);
        await answerApproval(sandbox, ctx, state.wait.requestId, state.wait.kind, answer);
        continue;
      }
      const step = def.steps[state.step];
      if (answer && ("event_after_minutes" in answer || "timeout" in answer) && step?.type !== "wait_for")
        throw invalid([
          {
            path: ["answers", state.step],
            code: "invalid_value",
            message: `“${state.step}” is a ${step?.type ?? "missing"} step: an event or a timeout answers a wait_for`,
          },
        ]);
      if (answer && "event_after_minutes" in answer && state.wait.kind === "wait_for" && step?.type === "wait_for") {
        consume(state.step);
        const waitedAt = JSON.stringify(state.wait);
        const stillWaiting = sameWait(waitedAt);
        JSON.stringify((await readRun()).state.status === "waiting" ? (await readRun()).state : null).includes(waitedAt);
        const change = awaitedChange(step, recordId, answer.fields);
        const what = changeWords(change, recordId);
        const on = await passTime(sandbox, workspaceId, startedAt, answer.event_after_minutes * 60_000, stillWaiting);
        answered.push({
          step: state.step,
          what: `${what}, ${answer.event_after_minutes} min later`,
          at: sandbox.clock.now().toISOString(),
          applied: on,
        });
        if (on) await makeAwaitedChange(sandbox, ctx, def.object, recordId, state.step, change);
        continue;
      }
      if (answer && "sla" in answer) {
        consume(state.step);
        answered.push(await answerSla(sandbox, ctx, def.object, recordId, state.step, startedAt, answer));
        continue;
      }
      const lets = answer !== undefined && ("pass" in answer || "timeout" in answer);
      if (answer && "timeout" in answer && state.wait.kind === "wait_for") {
        consume(state.step);
        const waitedAt = JSON.stringify(state.wait);
        await passTime(sandbox, workspaceId, startedAt, undefined, sameWait(waitedAt));
        answered.push({
          step: state.step,
          what: "nothing arrived: the wait timed out",
          at: sandbox.clock.now().toISOString(),
          applied: true,
        });
        continue;
      }
      if (mode === "to_next_wait") {
        if (!lets) {
          stopped = "waiting";
          break;
        }
        consume(state.step);
      }
    }
    const inMs = await sandbox.nextDueInMs();
    if (inMs === undefined) {
      stopped = state.status === "waiting" ? "waiting" : "nothing_due";
      break;
    }
    if (sandbox.clock.now().getTime() + inMs - Date.parse(startedAt) > RUN_CAPS.simulatedMs) {
      stopped = "cap";
      break;
    }
    sandbox.clock.advance(Math.max(inMs, 1));
  }
  return collectResult(sandbox, workspaceId, workflow, recordId, run, { startedAt, stopped, reason: null, answered });
}

/** Creates or finds the record, applies `changes`; its id in the sandbox. */
async function prepareRecord(sandbox: SandboxRuntime, ctx: CallContext, def: WorkflowDefinition, setup: Setup): Promise<string> {
  if ((setup.record === undefined) === (setup.record_id === undefined))
    throw invalid([
      { path: ["record"], code: "required", message: "give record_id (a live record) or record (fields described inline), one of them" },
    ]);
  let id: string;
  if (setup.record !== undefined) {
    id = (await prefixed(["record"], () => sandbox.writer.create(ctx, def.object, setup.record))).id;
  } else {
    const found = await sandbox.store.records.getRecord(ctx.workspaceId, setup.record_id as string);
    if (found?.object !== def.object)
      throw invalid([{ path: ["record_id"], code: "invalid_reference", message: `no ${def.object} with id "${setup.record_id}"` }]);
    id = found.id;
  }
  if (setup.changes !== undefined) {
    const changes = setup.changes;
    await prefixed(["changes"], () => sandbox.writer.update(ctx, def.object as ObjectName, { id, fields: changes }));
  }
  return id;
}

/** A record write's validation problems, named under the part of the request they came from. */
async function prefixed<T>(path: string[], write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof AppError && error.issues?.length)
      throw new AppError(
        error.kind,
        error.message,
        error.issues.map((i) => ({ ...i, path: [...path, ...i.path.filter((p) => p !== "items" && typeof p !== "number")] })),
      );
    throw error;
  }
}

/** What a manual enrolment does: a run at the start step, and its `continue` item. */
async function enrollDirectly(sandbox: SandboxRuntime, workspaceId: string, w: WorkflowUnderTest, recordId: string): Promise<RunRow> {
  const now = sandbox.clock.now().toISOString();
  const run: RunRow = {
    workspaceId,
    id: sandbox.ids.next(),
    workflowId: w.id,
    version: Math.max(1, w.version),
    recordId,
    triggerKey: `test:${recordId}`,
    state: initialState(w.definition.start),
    seq: 0,
    depth: 1,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  };
  await sandbox.store.transaction(async (tx) => {
    await tx.runs.insertRun(run);
    await tx.work.insertWorkItems([{ workspaceId, runId: run.id, input: { kind: "continue" }, timerId: null, dueAt: now }]);
  });
  await sandbox.drain();
  return run;
}

/**
 * Settles every due outbox item of the sandbox as delivered, without delivering it (the
 * dispatcher never runs here), and hands waiting runs their `action_result`. How many it settled.
 */
async function settleOutbox(sandbox: SandboxRuntime, workspaceId: string): Promise<number> {
  const items = await sandbox.store.outbox.claimOutbox(OWNER, 100, 60_000);
  if (items.length === 0) return 0;
  const now = sandbox.clock.now().toISOString();
  await sandbox.store.transaction(async (tx) => {
    for (const item of items) {
      await tx.outbox.settleOutbox(
        item.workspaceId,
        item.id,
        OWNER,
        item.attempts,
        { status: "delivered", lastStatus: null, result: null },
        now,
      );
      if (item.runId)
        await tx.work.insertWorkItems([
          { workspaceId, runId: item.runId, input: { kind: "action_result", key: item.key, ok: true }, timerId: null, dueAt: now },
        ]);
    }
  });
  return items.length;
}

/**
 * The tester's decision on a waiting approval: voted by each approver asked in turn until the
 * request is decided (so one answer settles an "all of" level too); a request sent back is
 * resubmitted by its submitter when the next answer comes.
 */
async function answerApproval(
  sandbox: SandboxRuntime,
  ctx: CallContext,
  requestId: string,
  waitKind: "approval" | "revision",
  answer: Extract<Answer, { decision: unknown }>,
): Promise<void> {
  const comment = answer.comment ?? (answer.decision === "send_back" ? "sent back in a test run" : undefined);
  const body = { decision: answer.decision === "send_back" ? "revise" : answer.decision, ...(comment ? { comment } : {}) };
  let id = requestId;
  if (waitKind === "revision") {
    const request = await sandbox.store.approvals.getApprovalRequest(ctx.workspaceId, requestId);
    await sandbox.approvals.resubmit(ctx, request?.submitterId ?? ACTOR, requestId, {});
    await sandbox.drain();
    const run = await sandbox.store.runs.getRun(ctx.workspaceId, request?.runId ?? "");
    if (run?.state.status !== "waiting" || run.state.wait.kind !== "approval") return;
    id = run.state.wait.requestId;
  }
  for (let i = 0; i < 50; i++) {
    const request = await sandbox.store.approvals.getApprovalRequest(ctx.workspaceId, id);
    if (request?.status !== "pending") return;
    const open = (await sandbox.store.approvals.approvalTasks(ctx.workspaceId, id)).find((t) => t.status === "open");
    if (!open) return;
    await sandbox.approvals.decide(ctx, open.userId, id, body);
  }
}

/**
 * Lets simulated time pass — `ms` of it, or (undefined) as long as it takes — processing whatever
 * falls due on the way (timers, SLA milestones, external actions settled), while `on()` holds.
 * Whether `on()` still holds at the end: false when the wait ended on the way (a timeout first).
 */
async function passTime(
  sandbox: SandboxRuntime,
  workspaceId: string,
  startedAt: string,
  ms: number | undefined,
  on: () => Promise<boolean>,
): Promise<boolean> {
  const target = ms === undefined ? undefined : sandbox.clock.now().getTime() + ms;
  for (let i = 0; i < RUN_CAPS.passes; i++) {
    await sandbox.drain();
    if (await settleOutbox(sandbox, workspaceId)) continue;
    if (!(await on())) return false;
    const now = sandbox.clock.now().getTime();
    const inMs = await sandbox.nextDueInMs();
    if (target !== undefined && (inMs === undefined || now + inMs > target)) {
      sandbox.clock.advance(target - now);
      await sandbox.drain();
      return on();
    }
    if (inMs === undefined || now + inMs - Date.parse(startedAt) > RUN_CAPS.simulatedMs) return on();
    sandbox.clock.advance(Math.max(inMs, 1));
  }
  return on();
}

/** The awaited event or change made in the sandbox, through its record writer: what a person or an integration would do. */
async function makeAwaitedChange(
  sandbox: SandboxRuntime,
  ctx: CallContext,
  object: ObjectName,
  recordId: string,
  step: string,
  change: ReturnType<typeof awaitedChange>,
): Promise<void> {
  const at = ["answers", step, "fields"];
  if (change.kind === "record") {
    if (Object.keys(change.fields).length > 0)
      await prefixed(at, () => sandbox.writer.update(ctx, object, { id: recordId, fields: change.fields }));
  } else if (change.type === "created") {
    await prefixed(at, () => sandbox.writer.create(ctx, change.object, change.fields));
  } else {
    // An update is awaited: the linked record exists first, then changes.
    const { link, rest } = splitLink(change.fields, recordId);
    const created = await prefixed(at, () => sandbox.writer.create(ctx, change.object, link));
    await sandbox.drain();
    await prefixed(at, () => sandbox.writer.update(ctx, change.object, { id: created.id, fields: rest }));
  }
  await sandbox.drain();
}

/** "an activity (type: call) created for the record", "the record changed (score: 50)". */
function changeWords(change: ReturnType<typeof awaitedChange>, recordId: string): string {
  const values = Object.entries(change.fields)
    .filter(([, v]) => v !== recordId)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
  if (change.kind === "record") return `the record changed (${values || "no field"})`;
  const article = /^[aeiou]/.test(change.object) ? "an" : "a";
  return `${article} ${change.object}${values ? ` (${values})` : ""} ${change.type} for the record`;
}

function splitLink(fields: Record<string, unknown>, recordId: string) {
  const link: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) (v === recordId ? link : rest)[k] = v;
  return { link, rest };
}

/**
 * An SLA outcome at a wait: `met` makes the policy's stop happen (after `after_minutes`); a
 * milestone lets time pass until every open clock of the record (of `policy`, if named) has fired it.
 */
async function answerSla(
  sandbox: SandboxRuntime,
  ctx: CallContext,
  object: ObjectName,
  recordId: string,
  step: string,
  startedAt: string,
  answer: Extract<Answer, { sla: unknown }>,
): Promise<Answered> {
  const ws = ctx.workspaceId;
  const path = ["answers", step, "sla"];
  const open = async () => {
    const clocks = (await sandbox.store.sla.slaClocksOfRecord(ws, recordId)).filter((c) => c.stoppedAt === null);
    const out = [];
    for (const c of clocks) {
      const policy = await sandbox.store.sla.getSlaPolicy(ws, c.policyId);
      if (policy && (answer.policy === undefined || policy.definition.name === answer.policy)) out.push({ clock: c, policy });
    }
    return out;
  };
  const clocks = await open();
  if (clocks.length === 0)
    throw invalid([
      {
        path,
        code: "invalid_value",
        message: `no SLA clock${answer.policy ? ` of “${answer.policy}”` : ""} is running on the record when the run waits at “${step}”`,
      },
    ]);
  const names = [...new Set(clocks.map((c) => `“${c.policy.definition.name}”`))].join(", ");
  if (answer.sla === "met") {
    await passTime(sandbox, ws, startedAt, (answer.after_minutes ?? 0) * 60_000, async () => true);
    const record = await sandbox.store.records.getRecord(ws, recordId);
    const ownerField = ownerFieldOf(object);
    const owner = ownerField ? record?.data[ownerField] : undefined;
    for (const { policy } of clocks) {
      const change = slaStopChange(policy.definition.stops, recordId, typeof owner === "string" ? owner : undefined, answer.fields);
      if (change.kind === "needs_value")
        throw invalid([
          {
            path: ["answers", step, "fields"],
            code: "required",
            message: `the SLA “${policy.definition.name}” is met when ${change.field} changes: give its new value in fields`,
          },
        ]);
      if (change.kind === "update")
        await prefixed(["answers", step, "fields"], () => sandbox.writer.update(ctx, object, { id: recordId, fields: change.fields }));
      else await prefixed(["answers", step, "fields"], () => sandbox.writer.create(ctx, "activity", change.fields));
      await sandbox.drain();
    }
    return { step, what: `the SLA ${names} was met`, at: sandbox.clock.now().toISOString(), applied: true };
  }
  const key = answer.sla === "escalation" ? `level:${answer.level ?? 2}` : answer.sla;
  const pending = async () => (await open()).some((c) => !c.clock.fired.includes(key));
  const reached = !(await passTime(sandbox, ws, startedAt, undefined, pending));
  return { step, what: `the SLA ${names} reached its ${key} milestone`, at: sandbox.clock.now().toISOString(), applied: reached };
}

/** An SLA milestone event on the record, as the clock runtime appends it when the milestone falls due. */
async function appendSlaEvent(
  sandbox: SandboxRuntime,
  workspaceId: string,
  object: ObjectName,
  recordId: string,
  policy: string,
  event: NonNullable<ReturnType<typeof slaMilestoneEvent>>,
): Promise<void> {
  const record = await sandbox.store.records.getRecord(workspaceId, recordId);
  const at = sandbox.clock.now().toISOString();
  await sandbox.store.transaction((tx) =>
    tx.events.appendEvents([
      {
        id: sandbox.ids.next(),
        workspaceId,
        type: event.type,
        object,
        recordId,
        recordVersion: record?.version ?? 1,
        actor: { kind: "system", id: "sla" },
        causeId: null,
        changes: [],
        occurredAt: at,
        depth: 0,
        source: policy,
        detail: {
          policy_id: policy,
          policy_name: policy,
          clock_id: "test-run",
          milestone: event.milestone,
          level: event.level,
          due_at: at,
        },
      },
    ]),
  );
}
