/**
 * Storage port of workflow test cases (issue 19; docs/testing-workflows.md, "Test cases").
 *
 * Glossary
 * - Test case: a named test run saved on a workflow — the record (`setup`), the tester's
 *   `answers` and what should happen (`expect`) — with its last result, when it ran and on which
 *   version. The service owns the shapes of setup, answers and expectations; the store keeps them whole.
 */

export interface TestCaseRow {
  workspaceId: string;
  id: string;
  workflowId: string;
  /** Unique per workflow. */
  name: string;
  setup: unknown;
  answers: unknown;
  expect: unknown;
  lastResult: unknown;
  lastRunAt: string | null;
  lastVersion: number | null;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

export interface WorkflowTestReads {
  /** A workflow's cases, by name. */
  listTestCases(workspaceId: string, workflowId: string): Promise<TestCaseRow[]>;
  getTestCase(workspaceId: string, workflowId: string, id: string): Promise<TestCaseRow | undefined>;
}

export interface WorkflowTestPort extends WorkflowTestReads {
  /** False when the name is taken on that workflow. */
  insertTestCase(c: TestCaseRow): Promise<boolean>;
  /** False when there is no such case, or the new name is taken. */
  updateTestCase(c: TestCaseRow): Promise<boolean>;
  deleteTestCase(workspaceId: string, workflowId: string, id: string): Promise<boolean>;
  /** Keeps a case's last result. */
  recordTestResult(workspaceId: string, id: string, result: unknown, at: string, version: number): Promise<void>;
}
