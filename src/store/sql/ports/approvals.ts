/**
 * The approval port: requests, their tasks, history and email links. A transaction reads a
 * record's pending locks once (the record writer asks before every write to the record); its own
 * request writes forget every copy.
 */
import type {
  ApprovalHistoryRow,
  ApprovalLinkRow,
  ApprovalPort,
  ApprovalQuery,
  ApprovalRequestRow,
  ApprovalTaskRow,
  ApprovalTaskStatus,
} from "../../approval-ports.js";
import * as approvals from "../approvals.js";
import type { SqlSession } from "../session.js";
import { memoized } from "../unit-of-work.js";

export class SqlApprovals implements ApprovalPort {
  constructor(private readonly s: SqlSession) {}

  getApprovalRequest(workspaceId: string, id: string) {
    return approvals.getApprovalRequest(this.s.db, this.s.d, workspaceId, id);
  }
  listApprovalRequests(q: ApprovalQuery) {
    return approvals.listApprovalRequests(this.s.db, this.s.d, q);
  }
  approvalRounds(workspaceId: string, runId: string, step: string) {
    return approvals.approvalRounds(this.s.db, this.s.d, workspaceId, runId, step);
  }
  approvalTasks(workspaceId: string, requestId: string) {
    return approvals.approvalTasks(this.s.db, workspaceId, requestId);
  }
  approvalHistory(workspaceId: string, requestId: string) {
    return approvals.approvalHistory(this.s.db, this.s.d, workspaceId, requestId);
  }
  openApprovalCount(workspaceId: string, userId: string) {
    return approvals.openApprovalCount(this.s.db, workspaceId, userId);
  }
  async pendingApprovalLocks(workspaceId: string, recordId: string) {
    const load = () => approvals.pendingApprovalLocks(this.s.db, this.s.d, workspaceId, recordId);
    if (!this.s.uow) return load();
    return [...(await memoized(this.s.uow.approvalLocks, `${workspaceId}\u0000${recordId}`, load))];
  }
  getApprovalLink(tokenHash: string) {
    return approvals.getApprovalLink(this.s.db, tokenHash);
  }
  insertApprovalRequest(row: ApprovalRequestRow) {
    this.s.uow?.approvalLocks.clear();
    return approvals.insertApprovalRequest(this.s.db, this.s.d, row);
  }
  updateApprovalRequest(
    workspaceId: string,
    id: string,
    expectedVersion: number,
    change: { status: ApprovalRequestRow["status"]; state: ApprovalRequestRow["state"]; updatedAt: string },
  ) {
    this.s.uow?.approvalLocks.clear();
    return approvals.updateApprovalRequest(this.s.db, this.s.d, workspaceId, id, expectedVersion, change);
  }
  insertApprovalTasks(rows: readonly ApprovalTaskRow[]) {
    return approvals.insertApprovalTasks(this.s.db, rows);
  }
  updateApprovalTasks(
    workspaceId: string,
    requestId: string,
    where: { level?: number | undefined; userId?: string | undefined; status?: ApprovalTaskStatus | undefined },
    change: { status: ApprovalTaskStatus; decision?: ApprovalTaskRow["decision"] | undefined; decidedAt?: string | null | undefined },
  ) {
    return approvals.updateApprovalTasks(this.s.db, workspaceId, requestId, where, change);
  }
  appendApprovalHistory(rows: ReadonlyArray<Omit<ApprovalHistoryRow, "seq">>) {
    return approvals.appendApprovalHistory(this.s.db, this.s.d, rows);
  }
  insertApprovalLinks(rows: readonly ApprovalLinkRow[]) {
    return approvals.insertApprovalLinks(this.s.db, rows);
  }
  spendApprovalGrant(workspaceId: string, grant: string, at: string) {
    return approvals.spendApprovalGrant(this.s.db, workspaceId, grant, at);
  }
}
