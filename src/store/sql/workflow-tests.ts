/** Workflow test cases (workflow-test-ports.ts). */
import type { Kysely } from "kysely";
import type { TestCaseRow } from "../workflow-test-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { Database, WorkflowTestCasesTable } from "./schema.js";

type Db = Kysely<Database>;

const toCase = (d: SqlDialect, r: WorkflowTestCasesTable): TestCaseRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  workflowId: r.workflow_id,
  name: r.name,
  setup: d.parseJson(r.setup),
  answers: d.parseJson(r.answers),
  expect: d.parseJson(r.expect),
  lastResult: r.last_result === null ? null : d.parseJson(r.last_result),
  lastRunAt: r.last_run_at,
  lastVersion: r.last_version === null ? null : Number(r.last_version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

const columns = (d: SqlDialect, c: TestCaseRow) => ({
  name: c.name,
  setup: d.json(c.setup),
  answers: d.json(c.answers),
  expect: d.json(c.expect),
  updated_at: c.updatedAt,
  updated_by: c.updatedBy,
});

async function nameTaken(db: Db, c: TestCaseRow): Promise<boolean> {
  const row = await db
    .selectFrom("workflow_test_cases")
    .select("id")
    .where("workspace_id", "=", c.workspaceId)
    .where("workflow_id", "=", c.workflowId)
    .where("name", "=", c.name)
    .where("id", "<>", c.id)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listTestCases(db: Db, d: SqlDialect, workspaceId: string, workflowId: string): Promise<TestCaseRow[]> {
  const rows = await db
    .selectFrom("workflow_test_cases")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("workflow_id", "=", workflowId)
    .orderBy("name")
    .execute();
  return rows.map((r) => toCase(d, r));
}

export async function getTestCase(db: Db, d: SqlDialect, workspaceId: string, workflowId: string, id: string) {
  const r = await db
    .selectFrom("workflow_test_cases")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("workflow_id", "=", workflowId)
    .where("id", "=", id)
    .executeTakeFirst();
  return r ? toCase(d, r) : undefined;
}

export async function insertTestCase(db: Db, d: SqlDialect, c: TestCaseRow): Promise<boolean> {
  if (await nameTaken(db, c)) return false;
  await db
    .insertInto("workflow_test_cases")
    .values({
      workspace_id: c.workspaceId,
      id: c.id,
      workflow_id: c.workflowId,
      created_at: c.createdAt,
      last_result: null,
      last_run_at: null,
      last_version: null,
      ...columns(d, c),
    })
    .execute();
  return true;
}

export async function updateTestCase(db: Db, d: SqlDialect, c: TestCaseRow): Promise<boolean> {
  if (await nameTaken(db, c)) return false;
  const result = await db
    .updateTable("workflow_test_cases")
    .set(columns(d, c))
    .where("workspace_id", "=", c.workspaceId)
    .where("workflow_id", "=", c.workflowId)
    .where("id", "=", c.id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteTestCase(db: Db, workspaceId: string, workflowId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("workflow_test_cases")
    .where("workspace_id", "=", workspaceId)
    .where("workflow_id", "=", workflowId)
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function recordTestResult(
  db: Db,
  d: SqlDialect,
  workspaceId: string,
  id: string,
  result: unknown,
  at: string,
  version: number,
) {
  await db
    .updateTable("workflow_test_cases")
    .set({ last_result: d.json(result), last_run_at: at, last_version: version })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .execute();
}
