/** The workflow test case port (issue 19). */
import type { TestCaseRow, WorkflowTestPort } from "../../workflow-test-ports.js";
import type { SqlSession } from "../session.js";
import * as tests from "../workflow-tests.js";

export class SqlWorkflowTests implements WorkflowTestPort {
  constructor(private readonly s: SqlSession) {}

  listTestCases(workspaceId: string, workflowId: string) {
    return tests.listTestCases(this.s.db, this.s.d, workspaceId, workflowId);
  }
  getTestCase(workspaceId: string, workflowId: string, id: string) {
    return tests.getTestCase(this.s.db, this.s.d, workspaceId, workflowId, id);
  }
  insertTestCase(c: TestCaseRow) {
    return tests.insertTestCase(this.s.db, this.s.d, c);
  }
  updateTestCase(c: TestCaseRow) {
    return tests.updateTestCase(this.s.db, this.s.d, c);
  }
  deleteTestCase(workspaceId: string, workflowId: string, id: string) {
    return tests.deleteTestCase(this.s.db, workspaceId, workflowId, id);
  }
  recordTestResult(workspaceId: string, id: string, result: unknown, at: string, version: number) {
    return tests.recordTestResult(this.s.db, this.s.d, workspaceId, id, result, at, version);
  }
}
