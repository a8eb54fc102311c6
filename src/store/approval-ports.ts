/**
 * Storage port of approval requests (issue 18; docs/approvals.md).
 *
 * Glossary
 * - Approval request: one round of an `approval` step of one run — what is at stake on which
 *   record, who asks (the submitter), and its state (`RequestState` of engine/approval/request.ts:
 *   levels, approvers, votes, status), stored whole as one JSON document beside the columns that
 *   are looked up. A request sent back for revision and resubmitted is followed by a new request
 *   (the next round) that names the previous one; the rounds of one step are its history.
 * - Version: bumped by every write of a request; a write over a version someone else moved
 *   changes nothing (`updateApprovalRequest` returns false), so two people deciding at once
 *   yield one decision and the other is told.
 * - Approval task: one (request, level, approver) row — the inbox's index: who must decide what.
 *   `open` while the approver's level is being decided and they have not voted; `done` when they
 *   voted; `closed` when the level or the request ended without them.
 * - Lock: while a request is pending, the fields at stake (or the whole record, or nothing) of its
 *   record may not be written by anyone else; `pendingApprovalLocks` is what the record writer
 *   asks before every update.
 * - History: every change of a request, numbered from 1 per request, append-only.
 * - Link token: a one-click decision from an email: the SHA-256 of a random token, bound to the
 *   request, the approver and the decision, expiring, used once (both links of one email are spent
 *   together: they share a `grant`).
 */
import type { ObjectName } from "../crm/fields.js";
import type { ApprovalDecision, RequestState, RequestStatus } from "../engine/approval/request.js";

export type ApprovalLock = "fields" | "record" | "none";

export interface ApprovalRequestRow {
  workspaceId: string;
  /** The engine's request id: `<run id>:<decision seq>`. */
  id: string;
  runId: string;
  workflowId: string;
  step: string;
  round: number;
  previousId: string | null;
  object: ObjectName;
  recordId: string;
  summary: string;
  /** The fields at stake and their values when the request opened. */
  stake: Array<{ field: string; value: unknown }>;
  lock: ApprovalLock;
  /** The route that matched, in words. */
  route: string;
  submitterId: string | null;
  status: RequestStatus;
  state: RequestState;
  dueAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export type ApprovalTaskStatus = "waiting" | "open" | "done" | "closed";

export interface ApprovalTaskRow {
  workspaceId: string;
  requestId: string;
  level: number;
  userId: string;
  /** The away approver this one decides for (delegation). */
  onBehalfOf: string | null;
  status: ApprovalTaskStatus;
  decision: ApprovalDecision | null;
  createdAt: string;
  decidedAt: string | null;
}

export type ApprovalHistoryKind =
  | "opened"
  | "asked"
  | "voted"
  | "escalated"
  | "settled"
  | "resubmitted"
  | "closed"
  | "lock_overridden"
  | "link_sent";

export interface ApprovalHistoryRow {
  workspaceId: string;
  requestId: string;
  seq: number;
  at: string;
  kind: ApprovalHistoryKind;
  /** The person who did it, when a person did. */
  actorId: string | null;
  detail: Record<string, unknown>;
}

export interface ApprovalLinkRow {
  workspaceId: string;
  /** SHA-256 (hex) of the token; the token itself is never stored. */
  tokenHash: string;
  /** Shared by the approve and reject links of one email: using one spends both. */
  grant: string;
  requestId: string;
  userId: string;
  decision: "approve" | "reject";
  expiresAt: string;
  usedAt: string | null;
}

/** The inbox's query (GET /api/v1/approvals). */
export interface ApprovalQuery {
  workspaceId: string;
  /** mine: open tasks of this user; decided: requests this user voted on; all: every request. */
  view: "mine" | "decided" | "all" | "submitted";
  userId: string;
  status?: RequestStatus | undefined;
  object?: ObjectName | undefined;
  recordId?: string | undefined;
  /** Newest first: requests created before this request (the previous page's last id). */
  beforeId?: string | undefined;
  limit: number;
}

/** A pending request's lock on its record, as the record writer checks it. */
export interface ApprovalLockRow {
  requestId: string;
  lock: Exclude<ApprovalLock, "none">;
  fields: string[];
  summary: string;
  /** The names of who must decide now. */
  waitingOn: string[];
}

export interface ApprovalReads {
  getApprovalRequest(workspaceId: string, id: string): Promise<ApprovalRequestRow | undefined>;
  listApprovalRequests(q: ApprovalQuery): Promise<ApprovalRequestRow[]>;
  /** The rounds of one run's step, oldest first. */
  approvalRounds(workspaceId: string, runId: string, step: string): Promise<ApprovalRequestRow[]>;
  /** A request's tasks, by level then user. */
  approvalTasks(workspaceId: string, requestId: string): Promise<ApprovalTaskRow[]>;
  /** A request's history, in order. */
  approvalHistory(workspaceId: string, requestId: string): Promise<ApprovalHistoryRow[]>;
  /** How many requests wait for this user now (the navigation's badge). */
  openApprovalCount(workspaceId: string, userId: string): Promise<number>;
  /** Locks of the record's pending requests (none, the common case, costs one indexed read). */
  pendingApprovalLocks(workspaceId: string, recordId: string): Promise<ApprovalLockRow[]>;
  getApprovalLink(tokenHash: string): Promise<ApprovalLinkRow | undefined>;
}

export interface ApprovalPort extends ApprovalReads {
  insertApprovalRequest(row: ApprovalRequestRow): Promise<void>;
  /** Writes status, state and updatedAt over `expectedVersion` (bumping it); false when the version moved. */
  updateApprovalRequest(
    workspaceId: string,
    id: string,
    expectedVersion: number,
    change: { status: RequestStatus; state: RequestState; updatedAt: string },
  ): Promise<boolean>;
  /** Inserts tasks; a (request, level, user) that exists already is left as it is. */
  insertApprovalTasks(rows: readonly ApprovalTaskRow[]): Promise<void>;
  /** Sets the status (and decision, decidedAt) of tasks of a request: of one level, one user, or all. */
  updateApprovalTasks(
    workspaceId: string,
    requestId: string,
    where: { level?: number | undefined; userId?: string | undefined; status?: ApprovalTaskStatus | undefined },
    change: { status: ApprovalTaskStatus; decision?: ApprovalDecision | null | undefined; decidedAt?: string | null | undefined },
  ): Promise<void>;
  /** Appends history rows; `seq` is given by the store (one more than the request's last). */
  appendApprovalHistory(rows: ReadonlyArray<Omit<ApprovalHistoryRow, "seq">>): Promise<void>;
  insertApprovalLinks(rows: readonly ApprovalLinkRow[]): Promise<void>;
  /** Marks every link of the grant used at `at`, only if none was; false when already used. */
  spendApprovalGrant(workspaceId: string, grant: string, at: string): Promise<boolean>;
}
