/**
 * Test runs and test cases of a workflow (issue 19; docs/testing-workflows.md): thin over
 * `services.workflowTests`. A test run happens in a sandbox and writes nothing live; the only
 * live writes here are the test cases and their last results.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { parseBody } from "../../app/approvals/approval-schemas.js";
import type { CaseResult } from "../../app/workflow-tests/expectations.js";
import type { TestRunResult } from "../../app/workflow-tests/test-run-result.js";
import {
  answersSchema,
  expectationsSchema,
  MESSAGE_KINDS,
  MODES,
  testCaseBodySchema,
  testRunBodySchema,
} from "../../app/workflow-tests/test-run-schemas.js";
import type { TestCaseView } from "../../app/workflow-tests/workflow-test-service.js";
import type { Services } from "../../composition/root.js";
import type { ApiEnv } from "../env.js";
import { jsonBody } from "../request.js";
import { presentRun, presentStep, runSchema, runStepSchema } from "./run-schemas.js";

const caseResultSchema = z
  .object({
    passed: z.boolean(),
    failures: z.array(
      z.object({
        expectation: z.string().meta({ description: "status, path, fields.<name>, owner.user, owner.team, messages[i]" }),
        expected: z.unknown(),
        actual: z.unknown(),
        message: z.string().meta({
          description: 'in words; a path failure names the first step that differed ("step 2: expected call-task, got auto-reply")',
        }),
      }),
    ),
  })
  .openapi("TestCaseResult");

const testRunResultSchema = z
  .object({
    workflow: z.object({ id: z.string(), key: z.string(), version: z.number(), source: z.enum(["draft", "version", "file"]) }),
    record_id: z.string(),
    record: z.record(z.string(), z.unknown()).nullable().meta({ description: "the record after the run, in the sandbox" }),
    status: z.string().meta({ description: "the run's status, or not_enrolled" }),
    stopped: z.enum(["ended", "waiting", "nothing_due", "cap", "not_enrolled"]),
    reason: z.string().nullable(),
    run: runSchema.nullable(),
    steps: z.array(runStepSchema),
    path: z.array(z.string()).meta({ description: "the step ids taken, in order (for the canvas)" }),
    fields_written: z.array(
      z.object({ record_id: z.string(), object: z.string(), field: z.string(), from: z.unknown(), to: z.unknown(), at: z.string() }),
    ),
    owner: z
      .object({
        user_id: z.string().nullable(),
        name: z.string().nullable(),
        email: z.string().nullable(),
        team: z.string().nullable(),
        why: z.string(),
      })
      .nullable(),
    messages: z.array(z.record(z.string(), z.unknown())).meta({
      description: `what would have been sent, rendered: kind ${MESSAGE_KINDS.join(" | ")}; email to/subject/text/html, http method/url/headers (credentials redacted)/body, chat text, webhook type/data`,
    }),
    notifications: z.array(z.object({ user_id: z.string(), user: z.string().nullable(), message: z.string(), at: z.string() })),
    tasks: z.array(z.object({ id: z.string(), fields: z.record(z.string(), z.unknown()) })),
    approvals_waiting: z.array(
      z.object({
        request_id: z.string(),
        step: z.string(),
        round: z.number(),
        status: z.string(),
        waiting_on: z.array(z.object({ user_id: z.string(), name: z.string().nullable() })),
      }),
    ),
    answered: z
      .array(z.object({ step: z.string(), what: z.string(), at: z.string(), applied: z.boolean() }))
      .meta({ description: "the tester's answers at waits as carried out (simulated instants); applied false: the wait ended first" }),
    sla_clocks: z
      .array(z.object({ policy: z.string(), phase: z.string(), fired: z.array(z.string()), next_due_at: z.string().nullable() }))
      .meta({ description: "the record's SLA clocks in the sandbox when the run stopped (what an sla answer can settle)" }),
    simulated: z.object({ started_at: z.string(), ended_at: z.string() }),
  })
  .openapi("TestRunResult");

const testCaseSchema = z
  .object({
    id: z.string(),
    workflow_id: z.string(),
    name: z.string(),
    record_id: z.string().optional(),
    record: z.record(z.string(), z.unknown()).optional(),
    changes: z.record(z.string(), z.unknown()).optional(),
    answers: answersSchema,
    expect: expectationsSchema,
    last_result: caseResultSchema.nullable(),
    last_run_at: z.string().nullable(),
    last_version: z.number().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("TestCase");

export const presentTestRun = (r: TestRunResult) => ({
  ...r,
  run: r.run ? presentRun(r.run) : null,
  steps: r.steps.map((s) => presentStep(s)),
});

export const presentTestCase = (c: TestCaseView) => ({
  id: c.id,
  workflow_id: c.workflowId,
  name: c.name,
  ...c.setup,
  answers: c.answers,
  expect: c.expect,
  last_result: c.lastResult,
  last_run_at: c.lastRunAt,
  last_version: c.lastVersion,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});

const presentCaseRun = (r: { case: TestCaseView; result: CaseResult; run: TestRunResult }) => ({
  case: presentTestCase(r.case),
  result: r.result,
  run: presentTestRun(r.run),
});

export function workflowTestRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["Workflow tests"];
  const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
  const tests = services.workflowTests;
  const idParam = z.object({ id: z.string().meta({ description: "workflow id or key" }) });
  const caseParam = idParam.extend({ caseId: z.string() });
  const problems = {
    403: { description: "Not an admin or manager" },
    404: { description: "No such workflow (or test case) in this workspace" },
    422: { description: "Invalid body: problem+json naming the field path and allowed values" },
  };

  reg.registerPath({
    method: "post",
    path: "/api/v1/workflows/{id}/test-runs",
    tags,
    security,
    summary: `Run the draft (or a version) on one record in a sandbox: nothing live is written, nothing is sent; waits pass on a simulated clock (mode ${MODES.join(" | ")})`,
    request: { params: idParam, body: json(testRunBodySchema) },
    responses: { 200: { description: "What the run did (errors of the workflow included)", ...json(testRunResultSchema) }, ...problems },
  });
  app.post("/api/v1/workflows/:id/test-runs", async (c) => {
    const result = await tests.testRun(c.get("call"), c.req.param("id"), await jsonBody(c));
    return c.json(presentTestRun(result));
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/workflows/{id}/test-cases",
    tags,
    security,
    summary: "The test cases saved on a workflow, each with its last result",
    request: { params: idParam },
    responses: { 200: { description: "Test cases", ...json(z.object({ data: z.array(testCaseSchema) })) }, 404: problems[404] },
  });
  app.get("/api/v1/workflows/:id/test-cases", async (c) => {
    const cases = await tests.listCases(c.get("call"), c.req.param("id"));
    return c.json({ data: cases.map(presentTestCase) });
  });

  reg.registerPath({
    method: "post",
    path: "/api/v1/workflows/{id}/test-cases",
    tags,
    security,
    summary: "Save a test case: the record, the answers, the expectations (admins and managers)",
    request: { params: idParam, body: json(testCaseBodySchema) },
    responses: {
      201: { description: "Saved", ...json(testCaseSchema) },
      409: { description: "The name is taken on this workflow" },
      ...problems,
    },
  });
  app.post("/api/v1/workflows/:id/test-cases", async (c) => {
    const saved = await tests.createCase(c.get("call"), c.req.param("id"), await jsonBody(c));
    return c.json(presentTestCase(saved), 201);
  });

  reg.registerPath({
    method: "put",
    path: "/api/v1/workflows/{id}/test-cases/{caseId}",
    tags,
    security,
    summary: "Replace a test case (admins and managers)",
    request: { params: caseParam, body: json(testCaseBodySchema) },
    responses: {
      200: { description: "Saved", ...json(testCaseSchema) },
      409: { description: "The name is taken on this workflow" },
      ...problems,
    },
  });
  app.put("/api/v1/workflows/:id/test-cases/:caseId", async (c) => {
    const saved = await tests.updateCase(c.get("call"), c.req.param("id"), c.req.param("caseId"), await jsonBody(c));
    return c.json(presentTestCase(saved));
  });

  reg.registerPath({
    method: "delete",
    path: "/api/v1/workflows/{id}/test-cases/{caseId}",
    tags,
    security,
    summary: "Delete a test case (admins and managers)",
    request: { params: caseParam },
    responses: { 204: { description: "Deleted" }, ...problems },
  });
  app.delete("/api/v1/workflows/:id/test-cases/:caseId", async (c) => {
    await tests.deleteCase(c.get("call"), c.req.param("id"), c.req.param("caseId"));
    return c.body(null, 204);
  });

  const runBody = z
    .object({
      case_id: z.string().optional().describe("run only this case; default: all of the workflow's cases"),
      version: z.number().int().min(1).optional().describe("the version to test; default: the draft, else the live version"),
    })
    .strict();
  reg.registerPath({
    method: "post",
    path: "/api/v1/workflows/{id}/test-cases/run",
    tags,
    security,
    summary: "Run the workflow's test cases (all, or one) in sandboxes and keep each one's result",
    request: { params: idParam, body: json(runBody) },
    responses: {
      200: {
        description: "Each case with its result and its run",
        ...json(
          z.object({
            passed: z.number(),
            failed: z.number(),
            data: z.array(z.object({ case: testCaseSchema, result: caseResultSchema, run: testRunResultSchema })),
          }),
        ),
      },
      ...problems,
    },
  });
  app.post("/api/v1/workflows/:id/test-cases/run", async (c) => {
    const body = parseBody(runBody, (await jsonBody(c)) ?? {});
    const runs = await tests.runCases(c.get("call"), c.req.param("id"), { caseId: body.case_id, version: body.version });
    const passed = runs.filter((r) => r.result.passed).length;
    return c.json({ passed, failed: runs.length - passed, data: runs.map(presentCaseRun) });
  });
}
