/**
 * `handoff workflow validate|publish|conflicts|test|replay|list|reviews|reviewed` and `handoff runs
 * list|show`: thin edges over the WorkflowService, the workflow tests and the reviews
 * (WorkflowReviews), acting as the workspace's system administrator.
 */
import { type CallContext, systemContext } from "../../app/context.js";
import { AppError, invalid } from "../../app/errors.js";
import { describedIssues } from "../../app/workflows/workflow-service.js";
import type { Services } from "../../composition/root.js";
import { formatPath, type Issue } from "../../crm/issues.js";
import { assertNever } from "../../crm/never.js";
import type { ConflictWarning } from "../../engine/conflicts/find.js";
import type { RunStatus } from "../../engine/run-state.js";
import type { RunRow, RunStepRow } from "../../store/workflow-ports.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { readJsonFile } from "../json-file.js";
import { configFrom, withServices } from "./open.js";

/** `steps.assign.next: no step "nowhere"` — how the CLI shows a problem. */
export const issueLine = (issue: Issue) => `${formatPath(issue.path) || "(input)"}: ${issue.message}`;

const WORKFLOW_USAGE =
  'workflow takes validate FILE, publish FILE [--backfill] [--note "what changed and why"] [--acknowledge-conflicts], conflicts KEY|FILE, test FILE [--cases CASES.json], replay FILE [--since ISO] [--until ISO] [--limit N] [--fail-on-change], list, reviews [--overdue] or reviewed KEY --note "what was checked"';

/** `write-1a2b3c4d  write_conflict  "A" (a) sets status to …` — how the CLI shows a conflict warning. */
const warningLine = (w: ConflictWarning) => `${w.id}\t${w.kind}\t${w.message}`;

/** A workflow key names no file: keys have no dot and no slash. */
const isFile = (arg: string) => /[./\\]/.test(arg);
const RUNS_USAGE = "runs takes list or show RUN_ID";

export async function workflowCommand(argv: string[]) {
  const { values, positionals } = parse(argv, {
    ...commonOptions,
    backfill: { type: "boolean", default: false },
    note: { type: "string" },
    cases: { type: "string" },
    since: { type: "string" },
    until: { type: "string" },
    limit: { type: "string" },
    "fail-on-change": { type: "boolean", default: false },
    "acknowledge-conflicts": { type: "boolean", default: false },
    overdue: { type: "boolean", default: false },
  });
  const [action, file, ...extra] = positionals;
  if (action === "reviews" || action === "reviewed") return reviewsCommand(action, file, extra, values);
  if (values.overdue) throw new UsageError("--overdue goes with workflow reviews");
  if (values.cases !== undefined && action !== "test") throw new UsageError("--cases goes with workflow test");
  for (const flag of ["since", "until", "limit", "fail-on-change"] as const)
    if (values[flag] !== undefined && values[flag] !== false && action !== "replay")
      throw new UsageError(`--${flag} goes with workflow replay`);
  if (values.backfill && action !== "publish") throw new UsageError("--backfill goes with workflow publish");
  if (values.note !== undefined && action !== "publish") throw new UsageError("--note goes with workflow publish or workflow reviewed");
  if (values["acknowledge-conflicts"] && action !== "publish") throw new UsageError("--acknowledge-conflicts goes with workflow publish");
  const options = { backfill: values.backfill, ...(values.note !== undefined ? { note: values.note } : {}) };
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if ((action === "validate" || action === "publish" || action === "test" || action === "replay") && !file)
    throw new UsageError(`workflow ${action} needs a definition file (JSON)`);
  if (action === "conflicts" && !file) throw new UsageError("workflow conflicts needs a workflow key or a definition file (JSON)");
  if (action === "list" && file) throw new UsageError(`unexpected argument "${file}"`);
  if (
    action !== "validate" &&
    action !== "publish" &&
    action !== "conflicts" &&
    action !== "list" &&
    action !== "test" &&
    action !== "replay"
  )
    throw new UsageError(WORKFLOW_USAGE);
  const window = replayWindow(values);
  // Read the files before opening the store: a typo in a name should not migrate a database.
  const byKey = action === "conflicts" && file !== undefined && !isFile(file);
  const definition = file && !byKey ? await readJsonFile(file) : undefined;
  const cases = values.cases !== undefined ? casesOf(await readJsonFile(values.cases), values.cases) : undefined;

  const problems = await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const ctx = systemContext(workspace.id);
    switch (action) {
      case "validate": {
        const issues = await s.workflows.validate(ctx, definition);
        if (issues.length === 0) console.log("valid");
        for (const issue of issues) console.log(issueLine(issue));
        return issues.length;
      }
      case "publish": {
        // Checked before saving: a definition that cannot go live leaves no broken draft behind.
        const issues = await s.workflows.validate(ctx, definition);
        if (issues.length === 0) issues.push(...describedIssues(definition), ...s.workflows.optionIssues(definition, options));
        if (issues.length > 0) throw invalid(issues, `${file} cannot be published; nothing was saved`);
        // Conflicts before saving too: refused, they leave no draft behind.
        const warnings = await s.workflows.conflicts(ctx, definition);
        if (warnings.length > 0 && !values["acknowledge-conflicts"]) {
          for (const w of warnings) console.error(warningLine(w));
          throw new AppError(
            "conflict",
            `${file} conflicts with live workflows (above); nothing was saved — publish with --acknowledge-conflicts to go ahead`,
          );
        }
        for (const w of warnings) console.log(`acknowledged ${warningLine(w)}`);
        const saved = await s.workflows.saveDraft(ctx, definition);
        // The count first: a backfill's size is known before anything enrolls.
        const preview = await s.workflows.publishPreview(ctx, saved.workflow.id);
        if (preview.backfill !== null && preview.backfill > 0) {
          console.log(
            values.backfill
              ? `backfill: ${preview.backfill} record(s) already past their instant will enroll, paced by the rate cap`
              : `${preview.backfill} record(s) are already past their instant and will not enroll (publish with --backfill to enroll them)`,
          );
        }
        // The ids shown: if a live workflow changed since, the acknowledgement is stale and refused.
        const acknowledgeConflicts = warnings.map((w) => w.id);
        const { workflow, backfilled } = await s.workflows.publish(ctx, saved.workflow.id, { ...options, acknowledgeConflicts });
        console.log(`published ${workflow.key} v${workflow.liveVersion}${values.backfill ? ` (${backfilled} backfilled)` : ""}`);
        return 0;
      }
      case "test":
        return testWorkflow(s, ctx, definition, cases);
      case "replay":
        return replayWorkflowFile(s, ctx, definition, window, values["fail-on-change"]);
      case "conflicts": {
        let input = definition;
        if (byKey) {
          const { workflow, versions } = await s.workflows.get(ctx, file as string);
          input = versions.find((v) => v.version === workflow.latestVersion)?.definition;
        }
        const warnings = await s.workflows.conflicts(ctx, input);
        if (warnings.length === 0) console.log("no conflicts");
        for (const w of warnings) console.log(warningLine(w));
        return warnings.length;
      }
      case "list": {
        for (const w of await s.workflows.list(ctx)) {
          const { versions } = await s.workflows.get(ctx, w.id);
          const latest = versions.find((v) => v.version === w.latestVersion);
          const live = w.liveVersion === null ? "-" : `v${w.liveVersion}`;
          console.log(`${w.key}\t${live}\tv${w.latestVersion} ${latest?.state ?? "missing"}\t${w.name}`);
        }
        return 0;
      }
      default:
        return assertNever(action);
    }
  });
  // Exit after the store is closed; a non-zero code tells scripts the definition has problems.
  if (problems > 0) process.exitCode = 1;
}

/** --since, --until and --limit as a replay body (checked by the service, with the flag's name). */
function replayWindow(values: { since?: string | undefined; until?: string | undefined; limit?: string | undefined }) {
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !Number.isInteger(limit)) throw new UsageError(`--limit takes a whole number, not "${values.limit}"`);
  return {
    ...(values.since !== undefined ? { since: values.since } : {}),
    ...(values.until !== undefined ? { until: values.until } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}

/**
 * Replays the triggers the live workflow with the file's key received against the file's
 * definition, in a sandbox (nothing live is written): the counts, then one line per trigger that
 * would change. With --fail-on-change, the number of those (a CI gate); else 0.
 */
async function replayWorkflowFile(s: Services, ctx: CallContext, definition: unknown, window: object, failOnChange: boolean) {
  const issues = await s.workflows.validate(ctx, definition);
  if (issues.length > 0) {
    for (const issue of issues) console.log(issueLine(issue));
    return issues.length;
  }
  const w = await s.workflowTests.fromDefinition(ctx, definition);
  if (w.id.startsWith("file:")) {
    console.log(`no workflow ${w.key} in this workspace: there is nothing of production's to replay`);
    return 1;
  }
  const r = await s.workflowTests.replay(ctx, w.id, window, w);
  const c = r.counts;
  console.log(
    `${r.read} trigger(s) read: ${c.unchanged} unchanged, ${c.changed} changed, ${c.new} new, ${c.no_longer_enrolled} no longer enrolled`,
  );
  for (const t of r.triggers) {
    if (t.verdict === "unchanged") continue;
    const why = t.differences.map((d) => d.sentence).join(" ");
    console.log(`${t.verdict.toUpperCase().replaceAll("_", " ")}  ${t.record_id}  ${t.occurred_at}${why ? `  ${why}` : ""}`);
  }
  return failOnChange ? c.changed + c.new + c.no_longer_enrolled : 0;
}

/** A --cases file: a list of test cases, or `{ "cases": [ … ] }` (the shape GET …/test-cases serves under `data` works too). */
function casesOf(json: unknown, file: string): unknown[] {
  const list = Array.isArray(json)
    ? json
    : ((json as { cases?: unknown; data?: unknown } | null)?.cases ?? (json as { data?: unknown } | null)?.data);
  if (!Array.isArray(list)) throw new UsageError(`${file} holds no list of test cases (expected [ … ] or {"cases": [ … ]})`);
  return list;
}

/** The saved fields of a case as served (GET …/test-cases): what a case file may hold beyond the body. */
const SERVED = ["id", "workflow_id", "last_result", "last_run_at", "last_version", "created_at", "updated_at"];

/**
 * Runs test cases against a file's definition in sandboxes (nothing live is written): those of
 * `--cases`, else those saved on the workflow with the file's key. One line per case, PASS or
 * FAIL with what differed; the count of failures (none run is a failure too).
 */
async function testWorkflow(s: Services, ctx: CallContext, definition: unknown, given: unknown[] | undefined): Promise<number> {
  const issues = await s.workflows.validate(ctx, definition);
  if (issues.length > 0) {
    for (const issue of issues) console.log(issueLine(issue));
    return issues.length;
  }
  const w = await s.workflowTests.fromDefinition(ctx, definition);
  const cases = given
    ? given.map((c, i) => {
        const body = { ...(c as Record<string, unknown>) };
        for (const k of SERVED) delete body[k];
        return s.workflowTests.parseCase(body, i);
      })
    : w.id.startsWith("file:")
      ? []
      : await s.workflowTests.listCases(ctx, w.id);
  if (cases.length === 0) {
    console.log(`no test cases for ${w.key}: save some on the workflow, or give --cases FILE`);
    return 1;
  }
  let failed = 0;
  for (const { case: c, result, run } of await s.workflowTests.runCaseList(ctx, w, cases, false)) {
    if (result.passed) {
      console.log(`PASS  ${c.name}  (${run.path.join(" → ") || run.status})`);
      continue;
    }
    failed += 1;
    console.log(`FAIL  ${c.name}: ${result.failures.map((f) => f.message).join("; ")}`);
  }
  console.log(`${cases.length - failed} passed, ${failed} failed`);
  return failed;
}

/** When a review falls: "in 12 days", "today", "overdue since 2026-04-15 (3 days)". */
export function reviewWhen(nextReviewAt: string, dueInDays: number, overdue: boolean): string {
  if (!overdue) return dueInDays === 0 ? "due today" : `due in ${dueInDays} day${dueInDays === 1 ? "" : "s"}`;
  const days = -dueInDays - 1;
  return `overdue since ${nextReviewAt.slice(0, 10)}${days > 0 ? ` (${days} day${days === 1 ? "" : "s"})` : ""}`;
}

/** `workflow reviews [--overdue]` and `workflow reviewed KEY --note "…"`. */
async function reviewsCommand(
  action: "reviews" | "reviewed",
  key: string | undefined,
  extra: string[],
  values: Parameters<typeof configFrom>[0] & {
    overdue: boolean;
    note?: string | undefined;
    backfill: boolean;
    workspace?: string | undefined;
  },
) {
  if (values.backfill) throw new UsageError("--backfill goes with workflow publish");
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (action === "reviews" && key) throw new UsageError(`unexpected argument "${key}"`);
  if (action === "reviews" && values.note !== undefined) throw new UsageError("--note goes with workflow reviewed");
  if (action === "reviewed" && values.overdue) throw new UsageError("--overdue goes with workflow reviews");
  if (action === "reviewed" && !key)
    throw new UsageError('workflow reviewed needs the workflow key: workflow reviewed KEY --note "what was checked"');
  if (action === "reviewed" && !values.note?.trim()) throw new UsageError('workflow reviewed needs --note "what was checked and found"');
  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const ctx = systemContext(workspace.id);
    if (action === "reviewed") {
      const detail = await s.reviews.markReviewed(ctx, key as string, values.note);
      console.log(`reviewed ${key}; next review ${detail.status?.review.nextReviewAt.slice(0, 10) ?? "-"}`);
      return;
    }
    // Tab-separated like `workflow list`: key, owner, next review date, when, overrides in 30 days.
    for (const i of await s.reviews.list(ctx, { overdue: values.overdue }))
      console.log(
        [
          i.workflow.key,
          i.ownerName ?? "-",
          i.review.nextReviewAt.slice(0, 10),
          reviewWhen(i.review.nextReviewAt, i.dueInDays, i.overdue),
          `${i.overrides} override${i.overrides === 1 ? "" : "s"}`,
        ].join("\t"),
      );
  });
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes a positive whole number, not "${value}"`);
  return n;
}

const STATUSES: readonly string[] = ["running", "waiting", "completed", "exited", "failed", "cancelled"] satisfies RunStatus[];

const compact = (value: unknown) => (value === null || value === undefined ? "-" : JSON.stringify(value));

function runLine(run: RunRow, key: string): string {
  return `${run.id}\t${key}\t${run.recordId}\t${run.state.status}\t${run.state.step ?? "-"}\t${run.createdAt}`;
}

function stepLine(step: RunStepRow): string {
  return `${step.seq}\t${step.step ?? "-"}\t${step.type}\t${step.outcome}\t${step.why}\t${compact(step.effects)}`;
}

export async function runsCommand(argv: string[]) {
  const { values, positionals } = parse(argv, {
    ...commonOptions,
    workflow: { type: "string" },
    record: { type: "string" },
    status: { type: "string" },
    limit: { type: "string" },
  });
  const [action, runId, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (action === "show" && !runId) throw new UsageError("runs show needs the run id");
  if (action === "list" && runId) throw new UsageError(`unexpected argument "${runId}"`);
  if (action !== "list" && action !== "show") throw new UsageError(RUNS_USAGE);
  const limit = positiveInt(values.limit, "--limit");
  if (values.status !== undefined && !STATUSES.includes(values.status))
    throw new UsageError(`--status takes one of ${STATUSES.join(", ")}, not "${values.status}"`);

  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const ctx = systemContext(workspace.id);
    const keys = new Map((await s.workflows.list(ctx)).map((w) => [w.id, w.key]));
    const keyOf = (workflowId: string) => keys.get(workflowId) ?? workflowId;
    if (action === "list") {
      const runs = await s.workflows.runs(ctx, {
        ...(values.workflow ? { workflowId: values.workflow } : {}),
        ...(values.record ? { recordId: values.record } : {}),
        ...(values.status ? { status: values.status } : {}),
        ...(limit ? { limit } : {}),
      });
      for (const run of runs) console.log(runLine(run, keyOf(run.workflowId)));
      return;
    }
    const { run, steps } = await s.workflows.run(ctx, runId as string);
    const { state } = run;
    console.log(`run       ${run.id}`);
    console.log(`workflow  ${keyOf(run.workflowId)} v${run.version}`);
    console.log(`record    ${run.recordId}`);
    console.log(`status    ${state.status}${state.step ? ` at ${state.step}` : ""}`);
    if (state.wait) console.log(`waiting   ${compact(state.wait)}`);
    if (state.reason) console.log(`reason    ${state.reason}`);
    console.log(`trigger   ${run.triggerKey}`);
    console.log(`created   ${run.createdAt}`);
    console.log(`updated   ${run.updatedAt}`);
    if (run.finishedAt) console.log(`finished  ${run.finishedAt}`);
    console.log(`steps     ${steps.length}`);
    for (const step of steps) console.log(stepLine(step));
  });
}
