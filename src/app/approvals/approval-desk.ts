/**
 * The approval request's writes inside a transaction (docs/approvals.md): opening one, and
 * carrying one event of the pure request machine (`engine/approval/request.ts`) into the store —
 * the fenced write of its state, the inbox's tasks, the history, and asking the people of a level
 * (an in-app notification each, and the email of `AskChannel` when one is wired). Shared by the
 * runtime's command handlers (open, escalate, close) and the service (votes, resubmissions).
 */
import type { ObjectName } from "../../crm/fields.js";
import {
  type Approver,
  decideRequest,
  type LevelPlan,
  openRequest,
  type RequestEffect,
  type RequestEvent,
  type RequestState,
  type Transition,
} from "../../engine/approval/request.js";
import type { ApprovalHistoryRow, ApprovalRequestRow, ApprovalTaskRow } from "../../store/approval-ports.js";
import type { StoreTx } from "../../store/ports.js";
import type { IdGenerator } from "../ports.js";

/**
 * Reaches the approvers of a level outside the app (an email with one-click links), in the
 * transaction that asks them; wired by the composition root. None: in-app notifications only.
 */
export type AskChannel = (
  tx: StoreTx,
  request: ApprovalRequestRow,
  level: number,
  approvers: readonly Approver[],
  now: string,
) => Promise<void>;

export interface DeskDeps {
  ids: IdGenerator;
  ask?: AskChannel | undefined;
}

export interface OpenInput {
  workspaceId: string;
  id: string;
  runId: string;
  workflowId: string;
  step: string;
  round: number;
  previousId: string | null;
  object: ObjectName;
  recordId: string;
  summary: string;
  stake: Array<{ field: string; value: unknown }>;
  lock: ApprovalRequestRow["lock"];
  route: string;
  levels: LevelPlan[];
  submitterId: string | null;
  dueAt: string | null;
  now: string;
}

/** Opens a request and asks its first level; a string says why nobody can decide it (the step fails). */
export async function openApproval(
  tx: StoreTx,
  deps: DeskDeps,
  input: OpenInput,
): Promise<{ row: ApprovalRequestRow; notes: string[] } | string> {
  const opened = openRequest(input.levels, input.submitterId);
  if (typeof opened === "string") return opened;
  const { now, levels: _levels, ...rest } = input;
  const row: ApprovalRequestRow = {
    ...rest,
    status: opened.state.status,
    state: opened.state,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await tx.approvals.insertApprovalRequest(row);
  await tx.approvals.insertApprovalTasks(
    opened.state.levels.flatMap((level, i) => level.approvers.map((a) => task(row, i, a, i === 0 ? "open" : "waiting", now))),
  );
  await tx.approvals.appendApprovalHistory([
    history(row, now, "opened", input.submitterId, {
      round: row.round,
      route: row.route,
      previous_id: row.previousId,
      levels: opened.state.levels.map((l) => ({ name: l.name, require: l.require, approvers: l.approvers.map((a) => a.name) })),
      notes: opened.notes,
    }),
  ]);
  await carryEffects(tx, deps, row, opened.effects, null, now);
  return { row, notes: opened.notes };
}

export type Applied =
  | { ok: true; row: ApprovalRequestRow; effects: RequestEffect[] }
  | { ok: false; code: Exclude<Transition, { ok: true }>["code"] | "moved"; reason: string; row: ApprovalRequestRow };

/**
 * One event of a request, written over the version read: `moved` when someone else wrote it
 * first (read it again and retry), a refusal when the machine refuses it (nothing is written).
 */
export async function applyEvent(
  tx: StoreTx,
  deps: DeskDeps,
  row: ApprovalRequestRow,
  event: RequestEvent,
  actorId: string | null,
  now: string,
): Promise<Applied> {
  const t = decideRequest(row.state, event);
  if (!t.ok) return { ok: false, code: t.code, reason: t.reason, row };
  const next: ApprovalRequestRow = { ...row, status: t.state.status, state: t.state, updatedAt: now, version: row.version + 1 };
  if (
    !(await tx.approvals.updateApprovalRequest(row.workspaceId, row.id, row.version, {
      status: next.status,
      state: next.state,
      updatedAt: now,
    }))
  )
    return { ok: false, code: "moved", reason: "the request changed while it was being decided", row };
  const rows: Array<Omit<ApprovalHistoryRow, "seq">> = [];
  if (event.kind === "vote") {
    const level = row.state.level;
    await tx.approvals.updateApprovalTasks(
      row.workspaceId,
      row.id,
      { level, userId: event.userId },
      { status: "done", decision: event.decision, decidedAt: now },
    );
    const name = row.state.levels[level]?.approvers.find((a) => a.userId === event.userId)?.name ?? event.userId;
    rows.push(history(row, now, "voted", event.userId, { level, name, decision: event.decision, comment: event.comment }));
  } else if (event.kind === "escalate") {
    rows.push(history(row, now, "escalated", null, { level: row.state.level, to: addedBy(row.state, t.state) }));
  }
  await tx.approvals.appendApprovalHistory(rows);
  await carryEffects(tx, deps, next, t.effects, actorId, now);
  return { ok: true, row: next, effects: t.effects };
}

function addedBy(before: RequestState, after: RequestState): string[] {
  const known = new Set(before.levels[before.level]?.approvers.map((a) => a.userId));
  return (after.levels[after.level]?.approvers ?? []).filter((a) => !known.has(a.userId)).map((a) => a.name);
}

async function carryEffects(
  tx: StoreTx,
  deps: DeskDeps,
  row: ApprovalRequestRow,
  effects: readonly RequestEffect[],
  actorId: string | null,
  now: string,
) {
  for (const e of effects) {
    if (e.type === "ask") await ask(tx, deps, row, e.level, e.approvers, now);
    else {
      // The level decided, and every level after it, need nobody any more.
      await tx.approvals.updateApprovalTasks(row.workspaceId, row.id, { status: "open" }, { status: "closed" });
      await tx.approvals.updateApprovalTasks(row.workspaceId, row.id, { status: "waiting" }, { status: "closed" });
      await tx.approvals.appendApprovalHistory([history(row, now, "settled", actorId, { status: e.status, outcome: e.outcome })]);
    }
  }
}

async function ask(tx: StoreTx, deps: DeskDeps, row: ApprovalRequestRow, level: number, approvers: readonly Approver[], now: string) {
  await tx.approvals.insertApprovalTasks(approvers.map((a) => task(row, level, a, "open", now)));
  await tx.approvals.updateApprovalTasks(row.workspaceId, row.id, { level, status: "waiting" }, { status: "open" });
  const levelName = row.state.levels[level]?.name ?? `Level ${level + 1}`;
  for (const a of approvers) {
    const behalf = a.onBehalfOf ? ` (for ${a.onBehalfOf.name}, who is away)` : "";
    await tx.notifications.insertNotification({
      workspaceId: row.workspaceId,
      id: deps.ids.next(),
      userId: a.userId,
      message: `Approval needed${behalf} — ${levelName}: ${row.summary}`,
      recordId: row.recordId,
      runId: row.runId,
      createdAt: now,
      readAt: null,
    });
  }
  await tx.approvals.appendApprovalHistory([
    history(row, now, "asked", null, {
      level,
      name: levelName,
      approvers: approvers.map((a) => ({ name: a.name, why: a.why, on_behalf_of: a.onBehalfOf?.name ?? null })),
    }),
  ]);
  if (deps.ask) await deps.ask(tx, row, level, approvers, now);
}

function task(row: ApprovalRequestRow, level: number, a: Approver, status: ApprovalTaskRow["status"], now: string): ApprovalTaskRow {
  return {
    workspaceId: row.workspaceId,
    requestId: row.id,
    level,
    userId: a.userId,
    onBehalfOf: a.onBehalfOf?.userId ?? null,
    status,
    decision: null,
    createdAt: now,
    decidedAt: null,
  };
}

export function history(
  row: Pick<ApprovalRequestRow, "workspaceId" | "id">,
  at: string,
  kind: ApprovalHistoryRow["kind"],
  actorId: string | null,
  detail: Record<string, unknown>,
): Omit<ApprovalHistoryRow, "seq"> {
  return { workspaceId: row.workspaceId, requestId: row.id, at, kind, actorId, detail };
}
