/**
 * Test runs and test cases of workflows (issue 19; docs/testing-workflows.md), as
 * `services.workflowTests`. A test run opens a sandbox (a throw-away copy of the workspace, see
 * src/app/sandbox/sandbox-port.ts), runs one record through the workflow there and closes it:
 * the live store is only read. Test cases are saved on a workflow, each run as a test run and
 * checked against its expectations; a case keeps its last result, when and on which version.
 *
 * Who may: test runs and case writes are for those who edit workflows (admins and managers);
 * anyone who may see workflows may list their cases.
 */
import type { WorkflowDefinition } from "../../engine/definition.js";
import { parseWorkflow } from "../../engine/validate.js";
import type { Store } from "../../store/ports.js";
import type { TestCaseRow } from "../../store/workflow-test-ports.js";
import { parseBody } from "../approvals/approval-schemas.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import type { Clock, IdGenerator } from "../ports.js";
import { replayBodySchema } from "../replay/replay-schema.js";
import { REPLAY_LIMITS, type ReplayReport, replayWorkflow } from "../replay/replay-service.js";
import type { SandboxOpener, SandboxRuntime } from "../sandbox/sandbox-port.js";
import { type CaseResult, checkExpectations } from "./expectations.js";
import { installWorkflow, runInSandbox, type WorkflowUnderTest } from "./run-in-sandbox.js";
import type { TestRunResult } from "./test-run-result.js";
import {
  type Answers,
  type Expectations,
  MAX_CASES,
  type Setup,
  type TestCaseBody,
  testCaseBodySchema,
  testRunBodySchema,
} from "./test-run-schemas.js";

export interface TestCaseView {
  id: string;
  workflowId: string;
  name: string;
  setup: Setup;
  answers: Answers;
  expect: Expectations;
  lastResult: CaseResult | null;
  lastRunAt: string | null;
  lastVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface CaseRun {
  case: TestCaseView;
  result: CaseResult;
  run: TestRunResult;
}

function requireEditor(ctx: CallContext) {
  if (ctx.role !== "admin" && ctx.role !== "manager")
    throw new AppError("forbidden", `workflows are tested by admins and managers, not role ${ctx.role}`);
}

const view = (c: TestCaseRow): TestCaseView => ({
  id: c.id,
  workflowId: c.workflowId,
  name: c.name,
  setup: c.setup as Setup,
  answers: (c.answers ?? {}) as Answers,
  expect: c.expect as Expectations,
  lastResult: (c.lastResult ?? null) as CaseResult | null,
  lastRunAt: c.lastRunAt,
  lastVersion: c.lastVersion,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

const setupOf = (b: Setup): Setup => ({
  ...(b.record_id !== undefined ? { record_id: b.record_id } : {}),
  ...(b.record !== undefined ? { record: b.record } : {}),
  ...(b.changes !== undefined ? { changes: b.changes } : {}),
});

export class WorkflowTestService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly openSandbox: SandboxOpener,
  ) {}

  /** One test run of a workflow (its draft by default, or `version`), on a live or inline record. */
  async testRun(ctx: CallContext, idOrKey: string, input: unknown): Promise<TestRunResult> {
    requireEditor(ctx);
    const body = parseBody(testRunBodySchema, input);
    const w = await this.underTest(ctx, idOrKey, body.version);
    return this.runOne(ctx, w, setupOf(body), body.answers ?? {}, body.mode ?? "to_end");
  }

  /** A definition from a file (the CLI), as the workflow with its key if there is one. */
  async fromDefinition(ctx: CallContext, raw: unknown): Promise<WorkflowUnderTest> {
    const def = parsed(raw, ["definition"]);
    const existing = await this.store.workflows.getWorkflowByKey(ctx.workspaceId, def.key);
    return { id: existing?.id ?? `file:${def.key}`, key: def.key, name: def.name, version: 0, source: "file", definition: def, raw };
  }

  /**
   * Replays the triggers production received against the draft (or `version`), or against a
   * definition from a file (the CLI), and compares each outcome with production's.
   */
  async replay(ctx: CallContext, idOrKey: string, input: unknown, fromFile?: WorkflowUnderTest): Promise<ReplayReport> {
    requireEditor(ctx);
    const body = parseBody(replayBodySchema, input);
    const workflow = await this.workflow(ctx, idOrKey);
    const w = fromFile ?? (await this.underTest(ctx, workflow.id, body.version));
    if (workflow.liveVersion === null)
      throw new AppError("conflict", `${workflow.key} has never been live: there is nothing of production's to replay`);
    const live = await this.store.workflows.getVersion(ctx.workspaceId, workflow.id, workflow.liveVersion);
    const options = {
      limit: body.limit ?? REPLAY_LIMITS.defaultTriggers,
      ...(body.since ? { since: new Date(body.since).toISOString() } : {}),
      ...(body.until ? { until: new Date(body.until).toISOString() } : {}),
    };
    return replayWorkflow(
      { store: this.store, clock: this.clock, openSandbox: this.openSandbox },
      ctx,
      { ...w, id: workflow.id },
      parsed(live?.definition, ["live"]),
      options,
    );
  }

  async listCases(ctx: CallContext, idOrKey: string): Promise<TestCaseView[]> {
    const workflow = await this.workflow(ctx, idOrKey);
    return (await this.store.workflowTests.listTestCases(ctx.workspaceId, workflow.id)).map(view);
  }

  async createCase(ctx: CallContext, idOrKey: string, input: unknown): Promise<TestCaseView> {
    requireEditor(ctx);
    const body = parseBody(testCaseBodySchema, input);
    checkSetup(body);
    const workflow = await this.workflow(ctx, idOrKey);
    const now = this.clock.now().toISOString();
    const row: TestCaseRow = {
      workspaceId: ctx.workspaceId,
      id: this.ids.next(),
      workflowId: workflow.id,
      name: body.name,
      setup: setupOf(body),
      answers: body.answers ?? {},
      expect: body.expect,
      lastResult: null,
      lastRunAt: null,
      lastVersion: null,
      createdAt: now,
      updatedAt: now,
      updatedBy: `${ctx.actor.kind}:${ctx.actor.id}`,
    };
    await this.store.transaction(async (tx) => {
      if ((await tx.workflowTests.listTestCases(ctx.workspaceId, workflow.id)).length >= MAX_CASES)
        throw invalid([{ path: ["name"], code: "too_big", message: `a workflow keeps at most ${MAX_CASES} test cases` }]);
      if (!(await tx.workflowTests.insertTestCase(row))) throw nameTaken(body.name);
    });
    return view(row);
  }

  async updateCase(ctx: CallContext, idOrKey: string, caseId: string, input: unknown): Promise<TestCaseView> {
    requireEditor(ctx);
    const body = parseBody(testCaseBodySchema, input);
    checkSetup(body);
    const workflow = await this.workflow(ctx, idOrKey);
    const existing = await this.store.workflowTests.getTestCase(ctx.workspaceId, workflow.id, caseId);
    if (!existing) throw notFound(`test case ${caseId}`);
    const row: TestCaseRow = {
      ...existing,
      name: body.name,
      setup: setupOf(body),
      answers: body.answers ?? {},
      expect: body.expect,
      updatedAt: this.clock.now().toISOString(),
      updatedBy: `${ctx.actor.kind}:${ctx.actor.id}`,
    };
    const saved = await this.store.transaction((tx) => tx.workflowTests.updateTestCase(row));
    if (!saved) throw nameTaken(body.name);
    return view(row);
  }

  async deleteCase(ctx: CallContext, idOrKey: string, caseId: string): Promise<void> {
    requireEditor(ctx);
    const workflow = await this.workflow(ctx, idOrKey);
    const deleted = await this.store.transaction((tx) => tx.workflowTests.deleteTestCase(ctx.workspaceId, workflow.id, caseId));
    if (!deleted) throw notFound(`test case ${caseId}`);
  }

  /**
   * Runs a workflow's saved cases (or the one named) against its draft (or `version`) and keeps
   * each one's result; `cases` and `under` let the CLI run a file's cases against a file's definition.
   */
  async runCases(
    ctx: CallContext,
    idOrKey: string,
    options: { caseId?: string | undefined; version?: number | undefined } = {},
  ): Promise<CaseRun[]> {
    requireEditor(ctx);
    const w = await this.underTest(ctx, idOrKey, options.version);
    let cases = (await this.store.workflowTests.listTestCases(ctx.workspaceId, w.id)).map(view);
    if (options.caseId !== undefined) {
      cases = cases.filter((c) => c.id === options.caseId);
      if (cases.length === 0) throw notFound(`test case ${options.caseId}`);
    }
    return this.runCaseList(ctx, w, cases, true);
  }

  /** Cases against a definition, their results kept only when `keep` (saved cases of a saved workflow). */
  async runCaseList(ctx: CallContext, w: WorkflowUnderTest, cases: readonly TestCaseView[], keep: boolean): Promise<CaseRun[]> {
    requireEditor(ctx);
    const out: CaseRun[] = [];
    // Each case in a sandbox of its own: a case's result must not depend on which cases ran before
    // it (round-robin positions moved, a shared live record written, the simulated clock later).
    for (const c of cases) {
      const run = await this.runOne(ctx, w, c.setup, c.answers, "to_end");
      const result = checkExpectations(c.expect, run);
      const at = this.clock.now().toISOString();
      if (keep) await this.store.transaction((tx) => tx.workflowTests.recordTestResult(ctx.workspaceId, c.id, result, at, w.version));
      out.push({ case: keep ? { ...c, lastResult: result, lastRunAt: at, lastVersion: w.version } : c, result, run });
    }
    return out;
  }

  /** Parses a case given as JSON (the CLI's --cases file), with paths under `at`. */
  parseCase(input: unknown, at: number): TestCaseView {
    let body: TestCaseBody;
    try {
      body = parseBody(testCaseBodySchema, input);
      checkSetup(body);
    } catch (error) {
      if (error instanceof AppError && error.issues)
        throw invalid(
          error.issues.map((i) => ({ ...i, path: [at, ...i.path] })),
          error.message,
        );
      throw error;
    }
    const now = this.clock.now().toISOString();
    return {
      id: `case-${at + 1}`,
      workflowId: "",
      name: body.name,
      setup: setupOf(body),
      answers: body.answers ?? {},
      expect: body.expect,
      lastResult: null,
      lastRunAt: null,
      lastVersion: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  /**
   * One sandbox for a batch (replay): holding the live records `recordIds`, with `w` installed,
   * handed to `fn` (which calls runInSandbox once per record), closed after.
   */
  async inSandbox<T>(
    ctx: CallContext,
    w: WorkflowUnderTest,
    recordIds: readonly string[],
    fn: (sandbox: SandboxRuntime) => Promise<T>,
  ): Promise<T> {
    requireEditor(ctx);
    const sandbox = await this.openSandbox(ctx.workspaceId, { recordIds, start: this.clock.now() });
    try {
      await installWorkflow(sandbox, ctx.workspaceId, w);
      return await fn(sandbox);
    } finally {
      await sandbox.close();
    }
  }

  private runOne(ctx: CallContext, w: WorkflowUnderTest, setup: Setup, answers: Answers, mode: "to_end" | "to_next_wait") {
    checkSetup(setup);
    return this.inSandbox(ctx, w, setup.record_id ? [setup.record_id] : [], (sandbox) =>
      runInSandbox(sandbox, ctx.workspaceId, w, setup, answers, mode),
    );
  }

  private async workflow(ctx: CallContext, idOrKey: string) {
    const workflow =
      (await this.store.workflows.getWorkflow(ctx.workspaceId, idOrKey)) ??
      (await this.store.workflows.getWorkflowByKey(ctx.workspaceId, idOrKey));
    if (!workflow) throw notFound(`workflow ${idOrKey}`);
    return workflow;
  }

  /** The version tested: `version`, else the latest (the draft when there is one). */
  async underTest(ctx: CallContext, idOrKey: string, version?: number): Promise<WorkflowUnderTest> {
    const workflow = await this.workflow(ctx, idOrKey);
    const n = version ?? workflow.latestVersion;
    const row = await this.store.workflows.getVersion(ctx.workspaceId, workflow.id, n);
    if (!row) throw invalid([{ path: ["version"], code: "invalid_value", message: `${workflow.key} has no version ${n}` }]);
    const def = parsed(row.definition, ["definition"]);
    return {
      id: workflow.id,
      key: workflow.key,
      name: def.name,
      version: n,
      source: row.state === "draft" ? "draft" : "version",
      definition: def,
      raw: row.definition,
    };
  }
}

function parsed(raw: unknown, path: string[]): WorkflowDefinition {
  const result = parseWorkflow(raw);
  if (!result.ok)
    throw invalid(
      result.issues.map((i) => ({ ...i, path: [...path, ...i.path] })),
      "the workflow definition is malformed",
    );
  return result.definition;
}

function checkSetup(setup: Setup) {
  if ((setup.record === undefined) === (setup.record_id === undefined))
    throw invalid([
      { path: ["record"], code: "required", message: "give record_id (a live record) or record (fields described inline), one of them" },
    ]);
}

const nameTaken = (name: string) =>
  new AppError("conflict", `a test case named "${name}" exists already on this workflow`, [
    { path: ["name"], code: "invalid_value", message: "taken by another test case of this workflow" },
  ]);
