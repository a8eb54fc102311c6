/** The workflows port: workflows, their versions and their log. */
import type { WorkflowLogRow, WorkflowPort, WorkflowRow, WorkflowVersionRow } from "../../workflow-ports.js";
import type { SqlSession } from "../session.js";
import * as wf from "../workflows.js";

export class SqlWorkflows implements WorkflowPort {
  constructor(private readonly s: SqlSession) {}

  getWorkflow(workspaceId: string, id: string) {
    return wf.getWorkflow(this.s.db, workspaceId, id);
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
    return wf.insertWorkflow(this.s.db, w);
  }
  updateWorkflow(w: WorkflowRow) {
    return wf.updateWorkflow(this.s.db, w);
  }
  upsertVersion(v: WorkflowVersionRow) {
    return wf.upsertVersion(this.s.db, this.s.d, v);
  }
  appendWorkflowLog(rows: readonly WorkflowLogRow[]) {
    return wf.appendWorkflowLog(this.s.db, this.s.d, rows);
  }
}
