/** The workflows port: workflows, their versions and their log. A transaction reads a workflow's row once; its own writes forget that copy. */
import type { WorkflowLogRow, WorkflowPort, WorkflowRow, WorkflowVersionRow } from "../../workflow-ports.js";
import type { SqlSession } from "../session.js";
import { memoized } from "../unit-of-work.js";
import * as wf from "../workflows.js";

const rowKey = (workspaceId: string, id: string) => `${workspaceId}\u0000${id}`;

export class SqlWorkflows implements WorkflowPort {
  constructor(private readonly s: SqlSession) {}

  async getWorkflow(workspaceId: string, id: string) {
    const load = () => wf.getWorkflow(this.s.db, workspaceId, id);
    if (!this.s.uow) return load();
    // A copy each time: a caller that changes the row it got changes nobody else's.
    const row = await memoized(this.s.uow.workflowRows, rowKey(workspaceId, id), load);
    return row ? { ...row } : undefined;
  }
  getWorkflowByKey(workspaceId: string, key: string) {
    return wf.getWorkflowByKey(this.s.db, workspaceId, key);
  }
  listWorkflows(workspaceId: string) {
    return wf.listWorkflows(this.s.db, workspaceId);
  }
  getVersion(workspaceId: string, workflowId: string, version: number) {
    return wf.getVersion(this.s.db, this.s.d, workspaceId, workflowId, version);
  }
  listVersions(workspaceId: string, workflowId: string) {
    return wf.listVersions(this.s.db, this.s.d, workspaceId, workflowId);
  }
  currentVersions(workspaceId: string) {
    return wf.currentVersions(this.s.db, this.s.d, workspaceId);
  }
  readWorkflowLog(workspaceId: string, workflowId: string, limit: number) {
    return wf.readWorkflowLog(this.s.db, this.s.d, workspaceId, workflowId, limit);
  }
  loopStopsOfRecord(workspaceId: string, recordId: string, limit: number) {
    return wf.loopStopsOfRecord(this.s.db, this.s.d, workspaceId, recordId, limit);
  }
  insertWorkflow(w: WorkflowRow) {
    this.s.uow?.workflowRows.delete(rowKey(w.workspaceId, w.id));
    return wf.insertWorkflow(this.s.db, w);
  }
  updateWorkflow(w: WorkflowRow) {
    this.s.uow?.workflowRows.delete(rowKey(w.workspaceId, w.id));
    return wf.updateWorkflow(this.s.db, w);
  }
  upsertVersion(v: WorkflowVersionRow) {
    return wf.upsertVersion(this.s.db, this.s.d, v);
  }
  appendWorkflowLog(rows: readonly WorkflowLogRow[]) {
    return wf.appendWorkflowLog(this.s.db, this.s.d, rows);
  }
}
