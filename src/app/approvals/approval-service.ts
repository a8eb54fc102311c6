/**
 * Approvals as people use them (docs/approvals.md): the inbox (waiting for me, decided by me,
 * submitted by me, all), a request with its record's context, levels, votes, history and rounds,
 * and the two things a person does — decide (approve, reject, send back with a comment) and, as
 * the submitter of a request sent back, resubmit.
 *
 * Who sees a request: admins and managers, its approvers and its submitter; anyone else gets a
 * 404. A decision is a person's — a web session's user, or a token made for a user — and is
 * written over the version read, so that two approvers deciding at once yield one decision and a
 * clear answer to the other; the outcome reaches the run as an input in the same transaction.
 */
import type { ObjectName } from "../../crm/fields.js";
import { OBJECTS } from "../../crm/objects.js";
import type { ApprovalDecision, RequestStatus } from "../../engine/approval/request.js";
import { needed, requireWords } from "../../engine/approval/request.js";
import type { ApprovalHistoryRow, ApprovalRequestRow, ApprovalTaskRow } from "../../store/approval-ports.js";
import type { Store, StoreReads, StoreTx } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { AppError, notFound } from "../errors.js";
import type { Clock, IdGenerator, Nudge } from "../ports.js";
import { displayName } from "../routing/names.js";
import { type AskChannel, applyEvent, history } from "./approval-desk.js";
import { checkToken, usableLink } from "./approval-links.js";
import {
  type DecisionBody,
  decisionBodySchema,
  linkDecisionBodySchema,
  MAX_COMMENT,
  parseBody,
  resubmitBodySchema,
} from "./approval-schemas.js";

export const APPROVAL_VIEWS = ["mine", "decided", "submitted", "all"] as const;
export type ApprovalListView = (typeof APPROVAL_VIEWS)[number];
const MAX_PAGE = 200;
/** Two people deciding at once: the loser reads again and tries once more before a 409. */
const ATTEMPTS = 3;

export interface ApproverView {
  user_id: string;
  name: string;
  why: string;
  on_behalf_of: { user_id: string; name: string } | null;
  escalated: boolean;
  vote: { decision: ApprovalDecision; comment: string; at: string } | null;
}

export interface LevelView {
  name: string;
  require: string;
  needed: number;
  status: string;
  approvers: ApproverView[];
}

export interface ApprovalView {
  id: string;
  run_id: string;
  workflow_id: string;
  step: string;
  round: number;
  previous_id: string | null;
  object: ObjectName;
  record: { id: string; title: string | null };
  summary: string;
  stake: Array<{ field: string; label: string; value: unknown; now: unknown }>;
  lock: string;
  route: string;
  status: RequestStatus;
  submitter: { id: string; name: string } | null;
  level: number;
  levels: LevelView[];
  /** The names of who must decide now (pending requests). */
  waiting_on: string[];
  outcome: string | null;
  settled_at: string | null;
  due_at: string | null;
  created_at: string;
  updated_at: string;
  /** What the caller may do now: decide it, resubmit it (its submitter, once sent back), or nothing. */
  you_can: Array<"decide" | "resubmit">;
}

export interface ApprovalDetail extends ApprovalView {
  history: Array<{ seq: number; at: string; kind: string; actor: { id: string; name: string } | null; detail: Record<string, unknown> }>;
  rounds: Array<{ id: string; round: number; status: RequestStatus; outcome: string | null; created_at: string }>;
}

export interface ApprovalListQuery {
  view?: string | undefined;
  status?: string | undefined;
  object?: string | undefined;
  record_id?: string | undefined;
  limit?: number | undefined;
  before?: string | undefined;
}

export interface ApprovalServiceDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  /** Wakes the worker: a decided request's run has an input to take. */
  nudge: Nudge;
  ask?: AskChannel | undefined;
}

const STATUSES: readonly RequestStatus[] = ["pending", "approved", "rejected", "revise", "timed_out", "cancelled"];
const seesAll = (ctx: CallContext) => ctx.role === "admin" || ctx.role === "manager";

export class ApprovalService {
  constructor(private readonly deps: ApprovalServiceDeps) {}

  async list(ctx: CallContext, me: string | undefined, q: ApprovalListQuery): Promise<{ items: ApprovalView[]; next: string | null }> {
    const view = (q.view ?? (me ? "mine" : "all")) as ApprovalListView;
    if (!APPROVAL_VIEWS.includes(view)) throw badQuery("view", `view must be one of ${APPROVAL_VIEWS.join(", ")}`, APPROVAL_VIEWS);
    if (q.status !== undefined && !STATUSES.includes(q.status as RequestStatus))
      throw badQuery("status", `status must be one of ${STATUSES.join(", ")}`, STATUSES);
    if (q.object !== undefined && !Object.hasOwn(OBJECTS, q.object))
      throw badQuery("object", `object must be one of ${Object.keys(OBJECTS).join(", ")}`, Object.keys(OBJECTS));
    const limit = q.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw badQuery("limit", `limit must be between 1 and ${MAX_PAGE}`);
    if (view !== "all" && !me) throw new AppError("bad_request", `view "${view}" is a person's: sign in, or use a token made for a user`);
    if (view === "all" && !seesAll(ctx))
      throw new AppError("forbidden", 'view "all" is for admins and managers; use "mine", "decided" or "submitted"');
    const rows = await this.deps.store.approvals.listApprovalRequests({
      workspaceId: ctx.workspaceId,
      view,
      userId: me ?? "",
      status: q.status as RequestStatus | undefined,
      object: q.object as ObjectName | undefined,
      recordId: q.record_id,
      beforeId: q.before,
      limit,
    });
    const items = await this.views(this.deps.store, ctx, me, rows);
    return { items, next: rows.length === limit ? (rows.at(-1)?.id ?? null) : null };
  }

  /** How many requests wait for the caller (the navigation's badge). */
  async openCount(ctx: CallContext, me: string | undefined): Promise<number> {
    return me ? this.deps.store.approvals.openApprovalCount(ctx.workspaceId, me) : 0;
  }

  async get(ctx: CallContext, me: string | undefined, id: string): Promise<ApprovalDetail> {
    const reads = this.deps.store;
    const row = await this.visible(reads, ctx, me, id);
    const [view] = await this.views(reads, ctx, me, [row]);
    const [hist, rounds] = await Promise.all([
      reads.approvals.approvalHistory(ctx.workspaceId, row.id),
      reads.approvals.approvalRounds(ctx.workspaceId, row.runId, row.step),
    ]);
    const names = await nameLookup(
      reads,
      ctx.workspaceId,
      hist.map((h) => h.actorId).filter((x): x is string => x !== null),
    );
    // A round resubmitted already keeps its status "revise" (that is how it ended); the next
    // round carries on, so this one offers no second resubmission.
    const resubmitted = hist.some((h) => h.kind === "resubmitted");
    const base = view as ApprovalView;
    return {
      ...base,
      you_can: resubmitted ? base.you_can.filter((w) => w !== "resubmit") : base.you_can,
      history: hist.map((h: ApprovalHistoryRow) => ({
        seq: h.seq,
        at: h.at,
        kind: h.kind,
        actor: h.actorId ? { id: h.actorId, name: names(h.actorId) } : null,
        detail: h.detail,
      })),
      rounds: rounds.map((r) => ({ id: r.id, round: r.round, status: r.status, outcome: r.state.outcome, created_at: r.createdAt })),
    };
  }

  /** Approve, reject or send back; the request afterwards. */
  async decide(ctx: CallContext, me: string | undefined, id: string, input: unknown) {
    const user = this.person(me, "decide");
    return this.vote(ctx, user, id, parseBody(decisionBodySchema, input));
  }

  /** What an email link's confirmation page shows: no more than the email did. */
  async inspectLink(token: unknown): Promise<LinkView> {
    const now = this.deps.clock.now().toISOString();
    const link = await usableLink(this.deps.store, checkToken(token), now);
    const row = await this.deps.store.approvals.getApprovalRequest(link.workspaceId, link.requestId);
    if (!row) throw notFound("approval request");
    const [view] = await this.views(this.deps.store, linkContext(link.workspaceId, link.userId, "rep"), link.userId, [row]);
    const me = view?.levels[row.state.level]?.approvers.find((a) => a.user_id === link.userId);
    return {
      decision: link.decision,
      expires_at: link.expiresAt,
      approver: me?.name ?? null,
      request: view as ApprovalView,
    };
  }

  /** Decides as the link says, for the approver it was sent to; spends both links of its email. */
  async decideByLink(input: unknown) {
    const body = parseBody(linkDecisionBodySchema, input);
    const now = this.deps.clock.now().toISOString();
    const link = await usableLink(this.deps.store, body.token, now);
    const user = await this.deps.store.records.getRecord(link.workspaceId, link.userId);
    const role = user?.object === "user" && typeof user.data.role === "string" ? (user.data.role as CallContext["role"]) : "rep";
    const ctx = linkContext(link.workspaceId, link.userId, role);
    return this.vote(ctx, link.userId, link.requestId, { decision: link.decision, comment: body.comment }, async (tx) => {
      if (!(await tx.approvals.spendApprovalGrant(link.workspaceId, link.grant, now)))
        throw new AppError("conflict", "this approval link was already used; each link works once");
    });
  }

  /**
   * One person's vote, written over the version read (read again and tried once more when
   * someone else wrote first). A refusal throws inside the transaction, so that nothing of it —
   * an email link spent by `before` included — is written.
   */
  private async vote(ctx: CallContext, user: string, id: string, body: DecisionBody, before?: (tx: StoreTx) => Promise<void>) {
    const comment = checkComment(body.comment, body.decision === "revise");
    for (let attempt = 1; ; attempt++) {
      const now = this.deps.clock.now().toISOString();
      try {
        await this.deps.store.transaction(async (tx) => {
          if (before) await before(tx);
          const row = await this.visible(tx, ctx, user, id);
          const applied = await applyEvent(
            tx,
            this.deps,
            row,
            { kind: "vote", userId: user, decision: body.decision, comment, at: now },
            user,
            now,
          );
          if (!applied.ok) throw new Refused(applied.code, applied.reason);
          for (const e of applied.effects) {
            if (e.type !== "settled" || e.status === "timed_out" || e.status === "cancelled") continue;
            await tx.work.insertWorkItems([
              {
                workspaceId: row.workspaceId,
                runId: row.runId,
                input: { kind: "approval_settled", requestId: row.id, status: e.status, outcome: e.outcome },
                timerId: null,
                dueAt: now,
              },
            ]);
          }
        });
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        if (error.code === "moved" && attempt < ATTEMPTS) continue;
        throw refusal(error.code, error.message);
      }
      this.deps.nudge();
      return this.get(ctx, user, id);
    }
  }

  /** The submitter (or an admin) resubmits a request sent back for revision: the run asks again. */
  async resubmit(ctx: CallContext, me: string | undefined, id: string, input: unknown) {
    const user = this.person(me, "resubmit");
    const body = parseBody(resubmitBodySchema, input);
    const comment = checkComment(body.comment, false);
    const now = this.deps.clock.now().toISOString();
    await this.deps.store.transaction(async (tx) => {
      const row = await this.visible(tx, ctx, me, id);
      if (row.submitterId !== user && ctx.role !== "admin")
        throw new AppError("forbidden", "only the submitter of this request (or an admin) may resubmit it");
      if (row.status !== "revise")
        throw new AppError("conflict", `this request is ${row.status}; only a request sent back for revision can be resubmitted`);
      // The run keeps waiting for the revision until the worker takes the resubmission, so the
      // run's wait alone would let a second resubmission in before then: the request's own
      // history says whether it was resubmitted.
      const earlier = (await tx.approvals.approvalHistory(ctx.workspaceId, row.id)).find((h) => h.kind === "resubmitted");
      if (earlier)
        throw new AppError("conflict", `this request was resubmitted already at ${earlier.at}; its next round is the one to decide`);
      const run = await tx.runs.getRun(ctx.workspaceId, row.runId);
      const wait = run?.state.status === "waiting" ? run.state.wait : null;
      if (wait?.kind !== "revision" || wait.requestId !== row.id)
        throw new AppError("conflict", "this request has been resubmitted already, or its run has ended");
      // Written over the version read, so that of two resubmissions at once the second finds the
      // version moved (PostgreSQL: waits for the first's row lock, then matches nothing).
      if (
        !(await tx.approvals.updateApprovalRequest(ctx.workspaceId, row.id, row.version, {
          status: row.status,
          state: row.state,
          updatedAt: now,
        }))
      )
        throw new AppError("conflict", "this request was resubmitted at the same moment by someone else; read it again");
      // An accepted resubmission wins over the revision's deadline falling due before the run
      // takes it: the deadline's timer is cancelled with it (the run would cancel it too).
      if (wait.timerId) await tx.work.cancelTimer(row.workspaceId, wait.timerId);
      await tx.approvals.appendApprovalHistory([history(row, now, "resubmitted", user, { comment })]);
      await tx.work.insertWorkItems([
        {
          workspaceId: row.workspaceId,
          runId: row.runId,
          input: { kind: "approval_resubmitted", requestId: row.id, by: user, comment },
          timerId: null,
          dueAt: now,
        },
      ]);
    });
    this.deps.nudge();
    return this.get(ctx, me, id);
  }

  private person(me: string | undefined, what: string): string {
    if (!me) throw new AppError("forbidden", `only a person may ${what} an approval request: sign in, or use a token made for a user`);
    return me;
  }

  /** The request, if the caller may see it; a 404 otherwise (another workspace's, or not theirs). */
  private async visible(reads: StoreReads | StoreTx, ctx: CallContext, me: string | undefined, id: string): Promise<ApprovalRequestRow> {
    const row = await reads.approvals.getApprovalRequest(ctx.workspaceId, id);
    if (!row) throw notFound(`approval request ${id}`);
    if (seesAll(ctx) || (me && row.submitterId === me)) return row;
    const tasks = await reads.approvals.approvalTasks(ctx.workspaceId, id);
    if (me && tasks.some((t: ApprovalTaskRow) => t.userId === me)) return row;
    throw notFound(`approval request ${id}`);
  }

  private async views(
    reads: StoreReads,
    ctx: CallContext,
    me: string | undefined,
    rows: readonly ApprovalRequestRow[],
  ): Promise<ApprovalView[]> {
    const ids = new Set<string>();
    for (const r of rows) {
      ids.add(r.recordId);
      if (r.submitterId) ids.add(r.submitterId);
    }
    const records = new Map((await reads.records.getRecords(ctx.workspaceId, [...ids])).map((r) => [r.id, r]));
    return rows.map((r) => {
      const record = records.get(r.recordId);
      const labels = new Map(OBJECTS[r.object].fields.map((f) => [f.name, f.label]));
      const submitter = r.submitterId ? records.get(r.submitterId) : undefined;
      const current = r.state.levels[r.state.level];
      const waiting =
        r.status === "pending" && current
          ? current.approvers.filter((a) => !current.votes.some((v) => v.userId === a.userId)).map((a) => a.name)
          : [];
      const youCan: ApprovalView["you_can"] = [];
      if (
        me &&
        waiting.length > 0 &&
        current?.approvers.some((a) => a.userId === me && !current.votes.some((v) => v.userId === me)) &&
        r.submitterId !== me
      )
        youCan.push("decide");
      if (r.status === "revise" && ((me && r.submitterId === me) || ctx.role === "admin")) youCan.push("resubmit");
      return {
        id: r.id,
        run_id: r.runId,
        workflow_id: r.workflowId,
        step: r.step,
        round: r.round,
        previous_id: r.previousId,
        object: r.object,
        record: { id: r.recordId, title: record ? displayName(record) : null },
        summary: r.summary,
        stake: r.stake.map((s) => ({
          field: s.field,
          label: labels.get(s.field) ?? s.field,
          value: s.value,
          now: record?.data[s.field] ?? null,
        })),
        lock: r.lock,
        route: r.route,
        status: r.status,
        submitter: r.submitterId ? { id: r.submitterId, name: submitter ? displayName(submitter) : r.submitterId } : null,
        level: r.state.level,
        levels: r.state.levels.map((l) => ({
          name: l.name,
          require: requireWords(l.require, l.approvers.filter((a) => !a.escalated).length),
          needed: needed(l),
          status: l.status,
          approvers: l.approvers.map((a) => {
            const vote = l.votes.find((v) => v.userId === a.userId);
            return {
              user_id: a.userId,
              name: a.name,
              why: a.why,
              on_behalf_of: a.onBehalfOf ? { user_id: a.onBehalfOf.userId, name: a.onBehalfOf.name } : null,
              escalated: a.escalated,
              vote: vote ? { decision: vote.decision, comment: vote.comment, at: vote.at } : null,
            };
          }),
        })),
        waiting_on: waiting,
        outcome: r.state.outcome,
        settled_at: r.state.settledAt,
        due_at: r.status === "pending" ? r.dueAt : null,
        created_at: r.createdAt,
        updated_at: r.updatedAt,
        you_can: youCan,
      };
    });
  }
}

async function nameLookup(reads: StoreReads, workspaceId: string, ids: readonly string[]): Promise<(id: string) => string> {
  const found = await reads.records.getRecords(workspaceId, [...new Set(ids)]);
  const names = new Map(found.map((r) => [r.id, displayName(r)]));
  return (id) => names.get(id) ?? id;
}

/** A request's refusal, thrown inside its transaction so that nothing of it is written. */
class Refused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Who decides through an email link: the approver it was sent to, as themselves. */
function linkContext(workspaceId: string, userId: string, role: CallContext["role"]): CallContext {
  return { workspaceId, role, actor: { kind: "person", id: userId }, requestId: null, causeId: null };
}

export interface LinkView {
  decision: "approve" | "reject";
  expires_at: string;
  approver: string | null;
  request: ApprovalView;
}

function checkComment(comment: string | undefined, required: boolean): string {
  const c = (comment ?? "").trim();
  if (required && c === "")
    throw new AppError("validation", "say what to revise: a request is sent back with a comment", [
      { path: ["comment"], code: "required", message: "a comment is required to send a request back for revision" },
    ]);
  if (c.length > MAX_COMMENT)
    throw new AppError("validation", `the comment is longer than ${MAX_COMMENT} characters`, [
      { path: ["comment"], code: "too_big", message: `at most ${MAX_COMMENT} characters` },
    ]);
  return c;
}

function badQuery(field: string, message: string, expected?: readonly string[]): AppError {
  return new AppError("bad_request", message, [
    { path: [field], code: "invalid_value", message, ...(expected ? { expected: [...expected] } : {}) },
  ]);
}

function refusal(code: string, reason: string): AppError {
  if (code === "self_approval" || code === "not_approver") return new AppError("forbidden", reason);
  if (code === "moved") return new AppError("conflict", "another decision was being written at the same moment; read the request again");
  return new AppError("conflict", reason);
}
