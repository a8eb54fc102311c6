/**
 * `handoff workflow validate|publish|list|reviews|reviewed` and `handoff runs list|show`: thin
 * edges over the WorkflowService and the reviews (WorkflowReviews), acting as the workspace's
 * system administrator.
 */
import { systemContext } from "../../app/context.js";
import { invalid } from "../../app/errors.js";
import { describedIssues } from "../../app/workflows/workflow-service.js";
import { formatPath, type Issue } from "../../crm/issues.js";
import { assertNever } from "../../crm/never.js";
import type { RunStatus } from "../../engine/run-state.js";
import type { RunRow, RunStepRow } from "../../store/workflow-ports.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { readJsonFile } from "../json-file.js";
import { configFrom, withServices } from "./open.js";

/** `steps.assign.next: no step "nowhere"` — how the CLI shows a problem. */
export const issueLine = (issue: Issue) => `${formatPath(issue.path) || "(input)"}: ${issue.message}`;

const WORKFLOW_USAGE =
  'workflow takes validate FILE, publish FILE [--backfill] [--note "what changed and why"], list, reviews [--overdue] or reviewed KEY --note "what was checked"';
const RUNS_USAGE = "runs takes list or show RUN_ID";

export async function workflowCommand(argv: string[]) {
  const { values, positionals } = parse(argv, {
    ...commonOptions,
    backfill: { type: "boolean", default: false },
    note: { type: "string" },
    overdue: { type: "boolean", default: false },
  });
  const [action, file, ...extra] = positionals;
  if (action === "reviews" || action === "reviewed") return reviewsCommand(action, file, extra, values);
  if (values.overdue) throw new UsageError("--overdue goes with workflow reviews");
  if (values.backfill && action !== "publish") throw new UsageError("--backfill goes with workflow publish");
  if (values.note !== undefined && action !== "publish") throw new UsageError("--note goes with workflow publish or workflow reviewed");
  const options = { backfill: values.backfill, ...(values.note !== undefined ? { note: values.note } : {}) };
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if ((action === "validate" || action === "publish") && !file) throw new UsageError(`workflow ${action} needs a definition file (JSON)`);
  if (action === "list" && file) throw new UsageError(`unexpected argument "${file}"`);
  if (action !== "validate" && action !== "publish" && action !== "list") throw new UsageError(WORKFLOW_USAGE);
  // Read the file before opening the store: a typo in its name should not migrate a database.
  const definition = file ? await readJsonFile(file) : undefined;

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
        const { workflow, backfilled } = await s.workflows.publish(ctx, saved.workflow.id, options);
        console.log(`published ${workflow.key} v${workflow.liveVersion}${values.backfill ? ` (${backfilled} backfilled)` : ""}`);
        return 0;
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
