/**
 * What a test run shows (issue 19): read out of the sandbox once the run stopped — the run and
 * its steps as a real run's, the path, the fields written, the owner chosen and why, the messages
 * that would have been sent (rendered at enqueue; secrets never in them, header values that look
 * like credentials redacted), notifications, tasks, approvals waiting, simulated start and end.
 */
import type { OutboxRow } from "../../store/outbox-ports.js";
import type { RunRow, RunStepRow } from "../../store/workflow-ports.js";
import type { SandboxRuntime } from "../sandbox/sandbox-port.js";
import type { WorkflowUnderTest } from "./workflow-under-test.js";

export interface FieldWritten {
  record_id: string;
  object: string;
  field: string;
  from: unknown;
  to: unknown;
  at: string;
}

export interface OwnerChosen {
  user_id: string | null;
  name: string | null;
  email: string | null;
  team: string | null;
  why: string;
}

export type Message =
  | {
      kind: "email";
      connector: string | null;
      step: string | null;
      to: string;
      subject: string;
      text: string | null;
      html: string | null;
      reply_to: string | null;
      from_name: string | null;
    }
  | {
      kind: "http";
      connector: string | null;
      step: string | null;
      method: string;
      url: string;
      headers: Record<string, string>;
      body: string | null;
    }
  | { kind: "chat"; connector: string | null; step: string | null; text: string }
  | { kind: "webhook"; connector: null; step: string | null; subscription_id: string | null; type: string; data: unknown }
  | { kind: string; connector: string | null; step: string | null; payload: unknown };

export interface TestRunResult {
  workflow: { id: string; key: string; version: number; source: WorkflowUnderTest["source"] };
  record_id: string;
  /** The record after the run, in the sandbox. */
  record: Record<string, unknown> | null;
  /** The run's status, or `not_enrolled` when the trigger or its conditions kept the record out. */
  status: RunRow["state"]["status"] | "not_enrolled";
  /** Why it stopped where it did: ended; waiting (to_next_wait, or nothing would wake it); nothing_due; cap; not_enrolled. */
  stopped: "ended" | "waiting" | "nothing_due" | "cap" | "not_enrolled";
  reason: string | null;
  run: RunRow | null;
  steps: RunStepRow[];
  path: string[];
  fields_written: FieldWritten[];
  owner: OwnerChosen | null;
  messages: Message[];
  notifications: Array<{ user_id: string; user: string | null; message: string; at: string }>;
  tasks: Array<{ id: string; fields: Record<string, unknown> }>;
  approvals_waiting: Array<{
    request_id: string;
    step: string;
    round: number;
    status: string;
    waiting_on: Array<{ user_id: string; name: string | null }>;
  }>;
  /** The tester's answers at waits as carried out, in order: which step, what happened, when (simulated). */
  answered: Answered[];
  /** The SLA clocks on the record in the sandbox when the run stopped (what an SLA answer can settle). */
  sla_clocks: Array<{ policy: string; phase: string; fired: string[]; next_due_at: string | null }>;
  simulated: { started_at: string; ended_at: string };
}

export interface Answered {
  step: string;
  /** In words: "a activity created with related_id → the record, 5 minutes later", "the SLA “First response” was met". */
  what: string;
  at: string;
  /** False when the wait ended before the answer's instant (it timed out first): the answer was not needed. */
  applied: boolean;
}

/**
 * The effects a test run reads, as stored on its steps (runtime/effects.ts `Effect`, which the
 * application may not import: the stored shape is the contract).
 */
type Effect =
  | { command: "update_record"; record_id: string }
  | { command: "create_record"; object: string; record_id: string | undefined; fields: Record<string, unknown> }
  | { command: "assign_owner"; user_id: string | null; why: string }
  | { command: "change_score" }
  | { command: "enqueue_external"; key: string }
  | { command: "other" };

const SECRET_HEADER = /authorization|token|secret|key|cookie|signature|password/i;

export async function collectResult(
  sandbox: SandboxRuntime,
  workspaceId: string,
  w: WorkflowUnderTest,
  recordId: string,
  run: RunRow | undefined,
  how: { startedAt: string; stopped: TestRunResult["stopped"]; reason: string | null; answered?: Answered[] },
): Promise<TestRunResult> {
  const store = sandbox.store;
  const steps = run ? await store.runs.listRunSteps(workspaceId, run.id) : [];
  const effects = steps.flatMap((s) => (Array.isArray(s.effects) ? (s.effects as Effect[]) : []).map((e) => ({ e, step: s })));
  const record = await store.records.getRecord(workspaceId, recordId);
  const people = new Map<string, Record<string, unknown> | undefined>();
  const personOf = async (id: string | null | undefined) => {
    if (!id) return undefined;
    if (!people.has(id)) people.set(id, (await store.records.getRecord(workspaceId, id))?.data);
    return people.get(id);
  };
  const nameOf = async (id: string | null | undefined) => ((await personOf(id))?.name as string | undefined) ?? null;

  // Fields written: the workflow's own audit entries on the records its steps updated.
  const touched = new Set<string>([recordId]);
  for (const { e } of effects)
    if (e.command === "update_record" || e.command === "assign_owner" || e.command === "change_score")
      touched.add("record_id" in e ? e.record_id : recordId);
  const fields: FieldWritten[] = [];
  for (const id of touched) {
    const audit = await store.audit.readAudit(workspaceId, id, 1_000);
    for (const entry of [...audit].reverse()) {
      if (entry.actor.kind !== "workflow" || entry.action !== "update") continue;
      for (const c of entry.changes)
        fields.push({ record_id: id, object: entry.object, field: c.field, from: c.old, to: c.new, at: entry.at });
    }
  }
  fields.sort((a, b) => a.at.localeCompare(b.at));

  const assigned = effects.filter((x) => x.e.command === "assign_owner").at(-1)?.e as
    | Extract<Effect, { command: "assign_owner" }>
    | undefined;
  let owner: OwnerChosen | null = null;
  if (assigned) {
    const person = await personOf(assigned.user_id);
    const team = await personOf(typeof person?.team_id === "string" ? person.team_id : null);
    owner = {
      user_id: assigned.user_id,
      name: (person?.name as string | undefined) ?? null,
      email: (person?.email as string | undefined) ?? null,
      team: (team?.name as string | undefined) ?? null,
      why: assigned.why,
    };
  }

  const stepOfKey = new Map<string, string | null>();
  for (const { e, step } of effects) if (e.command === "enqueue_external") stepOfKey.set(e.key, step.step);
  const outbox = await store.outbox.listOutbox({ workspaceId, limit: 1_000 });
  const connectors = new Map((await store.connectors.listConnectors(workspaceId)).map((c) => [c.key, c]));
  const ours = new Set([recordId, ...touched]);
  for (const { e } of effects) if (e.command === "create_record" && e.record_id) ours.add(e.record_id);
  // This run's items, and those about its records that no run waits on (webhooks, approval
  // emails): a sandbox serving a batch holds other records' too.
  const messages = outbox
    .filter((item) => (run && item.runId === run.id) || (item.runId === null && item.recordId !== null && ours.has(item.recordId)))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    .map((item) => messageOf(item, stepOfKey.get(item.key) ?? null, item.connector ? connectors.get(item.connector)?.config : undefined));

  const notifications: TestRunResult["notifications"] = [];
  for (const n of await store.notifications.listNotifications({ workspaceId, userId: null, limit: 1_000 }))
    if (run && n.runId === run.id)
      notifications.push({ user_id: n.userId, user: await nameOf(n.userId), message: n.message, at: n.createdAt });

  const tasks: TestRunResult["tasks"] = [];
  for (const { e } of effects) {
    if (e.command !== "create_record" || e.object !== "task" || !e.record_id) continue;
    const task = await store.records.getRecord(workspaceId, e.record_id);
    tasks.push({ id: e.record_id, fields: task?.data ?? e.fields });
  }

  const approvals: TestRunResult["approvals_waiting"] = [];
  if (run && run.state.status === "waiting" && (run.state.wait.kind === "approval" || run.state.wait.kind === "revision")) {
    const request = await store.approvals.getApprovalRequest(workspaceId, run.state.wait.requestId);
    if (request) {
      const open = (await store.approvals.approvalTasks(workspaceId, request.id)).filter((t) => t.status === "open");
      approvals.push({
        request_id: request.id,
        step: request.step,
        round: request.round,
        status: request.status,
        waiting_on: await Promise.all(open.map(async (t) => ({ user_id: t.userId, name: await nameOf(t.userId) }))),
      });
    }
  }

  return {
    workflow: { id: w.id, key: w.key, version: w.version, source: w.source },
    record_id: recordId,
    record: record ? { id: record.id, ...record.data } : null,
    status: run ? run.state.status : "not_enrolled",
    stopped: how.stopped,
    reason: how.reason ?? (run && "reason" in run.state ? (run.state.reason ?? null) : null),
    run: run ?? null,
    steps,
    path: pathOf(steps),
    fields_written: fields,
    owner,
    messages,
    notifications,
    tasks,
    approvals_waiting: approvals,
    answered: how.answered ?? [],
    sla_clocks: await slaClocksOf(sandbox, workspaceId, recordId),
    simulated: { started_at: how.startedAt, ended_at: sandbox.clock.now().toISOString() },
  };
}

async function slaClocksOf(sandbox: SandboxRuntime, workspaceId: string, recordId: string): Promise<TestRunResult["sla_clocks"]> {
  const clocks = await sandbox.store.sla.slaClocksOfRecord(workspaceId, recordId);
  const out: TestRunResult["sla_clocks"] = [];
  for (const c of clocks) {
    const policy = await sandbox.store.sla.getSlaPolicy(workspaceId, c.policyId);
    out.push({ policy: policy?.definition.name ?? c.policyId, phase: c.phase, fired: [...c.fired], next_due_at: c.nextDueAt });
  }
  return out;
}

/** The step ids a run took, in order (a step logged twice in a row — waited, then passed — once). */
export function pathOf(steps: readonly Pick<RunStepRow, "step">[]): string[] {
  const path: string[] = [];
  for (const s of steps) if (s.step && path.at(-1) !== s.step) path.push(s.step);
  return path;
}

function messageOf(item: OutboxRow, step: string | null, config: Record<string, unknown> | undefined): Message {
  const p = (item.payload ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  switch (item.kind) {
    case "email":
      return {
        kind: "email",
        connector: item.connector,
        step,
        to: String(p.to ?? ""),
        subject: String(p.subject ?? ""),
        text: str(p.text),
        html: str(p.html),
        reply_to: str(p.replyTo),
        from_name: str(p.fromName),
      };
    case "http": {
      const base = String(config?.base_url ?? "");
      const headers: Record<string, string> = {};
      const configured = (config?.headers ?? {}) as Record<string, string>;
      for (const [k, v] of Object.entries({ ...configured, ...((p.headers ?? {}) as Record<string, string>) }))
        headers[k.toLowerCase()] = SECRET_HEADER.test(k) ? "[redacted]" : String(v);
      headers["idempotency-key"] = item.key;
      if (config?.auth) headers.authorization = "[redacted]";
      return {
        kind: "http",
        connector: item.connector,
        step,
        method: String(p.method ?? "POST"),
        url: `${base.replace(/\/+$/, "")}${String(p.path ?? "")}`,
        headers,
        body: str(p.body),
      };
    }
    case "chat":
      return { kind: "chat", connector: item.connector, step, text: String(p.text ?? "") };
    case "webhook":
      return { kind: "webhook", connector: null, step, subscription_id: item.subscriptionId, type: String(p.type ?? ""), data: p.data };
    default:
      return { kind: item.kind, connector: item.connector, step, payload: item.payload };
  }
}
