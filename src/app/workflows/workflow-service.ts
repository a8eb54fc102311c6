/**
 * Workflows as a person manages them: save drafts, validate, publish (immutable versions),
 * enroll records by hand, and look at runs, their steps, a record's timeline and the log of
 * suppressions; cancel, retry and skip waits.
 */

import { fieldsOf } from "../../crm/custom-fields.js";
import type { ObjectName } from "../../crm/fields.js";
import type { Issue } from "../../crm/issues.js";
import type { ConflictWarning } from "../../engine/conflicts/find.js";
import { type WorkflowDefinition, workflowSchema } from "../../engine/definition.js";
import type { RunInput } from "../../engine/run-input.js";
import { initialState, TERMINAL } from "../../engine/run-state.js";
import { BACKFILL_TRIGGERS, TRIGGERS, triggerKind } from "../../engine/triggers/index.js";
import { parseWorkflow, validateWorkflow } from "../../engine/validate.js";
import type { Store, StoreTx } from "../../store/ports.js";
import type { RunRow, StepState, TriggerRow, WorkflowLogRow, WorkflowRow, WorkflowVersionRow } from "../../store/workflow-ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import type { Clock, IdGenerator, Nudge } from "../ports.js";
import { authorize } from "../records/write/access.js";
import { aiModelIssues } from "./ai-model-uses.js";
import { missingCalendars } from "./calendar-refs.js";
import { connectorUses } from "./connector-uses.js";
import { withDeliveryAttempts } from "./delivery-attempts.js";
import { acknowledged, type ConflictAcknowledgementInput, publishConflicts } from "./publish-conflicts.js";
import { ensureReview } from "./reviews.js";
import { missingRoutingTargets } from "./routing-uses.js";
import { runDeliveries } from "./run-deliveries.js";
import { missingSlaPolicy } from "./sla-uses.js";

/** Triggers the runtime fires in this release: every kind of the trigger registry. */
export const AVAILABLE_TRIGGERS: ReadonlySet<string> = new Set(Object.keys(TRIGGERS));

/** The trigger index kind a live version is found under (none: started by hand or by its schedule). */
function indexKind(def: WorkflowDefinition): string | undefined {
  return triggerKind(def.trigger).indexKey(def.trigger);
}

export interface PublishedVersion {
  workspaceId: string;
  workflowId: string;
  version: number;
  definition: WorkflowDefinition;
}
export interface PublishOptions {
  /** Enroll the records already past their instant (relative_date, inactivity), paced by the rate cap. */
  backfill?: boolean;
  /** What changed and why, kept with the version (at most NOTE_MAX characters; blank means none). */
  note?: string;
  /**
   * The conflict warnings the publisher acknowledges (publish-conflicts.ts): true for all of them
   * as they are now, or their ids. Publishing with warnings and without it is refused (409).
   */
  acknowledgeConflicts?: ConflictAcknowledgementInput;
}
/** The longest change note a version keeps. */
export const NOTE_MAX = 2000;
export interface PublishPreview {
  version: number;
  trigger: string;
  /** Records publishing with backfill would enroll; null when the trigger has nothing to backfill. */
  backfill: number | null;
  /** What publishing would conflict with among the live workflows: to be acknowledged to publish. */
  conflicts: ConflictWarning[];
}
/** Triggers whose records can be past their instant when the workflow is published. */
const BACKFILLS: ReadonlySet<string> = new Set(BACKFILL_TRIGGERS);

export interface EnrollOptions {
  /** Enroll records that already went through a workflow whose re-enrollment is off (audited). */
  force?: boolean;
}
export interface Enrolled {
  runs: RunRow[];
  /** Records not enrolled, and why (a run under way; re-enrollment off without force). */
  skipped: Array<{ recordId: string; reason: string }>;
}
export interface WorkflowView {
  workflow: WorkflowRow;
  versions: WorkflowVersionRow[];
}

/**
 * Publishing needs the definition's `description`: why the workflow exists (issue 19, item 5 —
 * "document why each rule exists"), what its reviewers judge it against. A draft may lack it.
 */
export function describedIssues(definition: unknown): Issue[] {
  const description = (definition as { description?: unknown } | null)?.description;
  if (typeof description === "string" && description.trim()) return [];
  return [{ path: ["description"], code: "required", message: "say why this workflow exists: publishing needs a description" }];
}

function requireAdmin(ctx: CallContext) {
  if (ctx.role !== "admin" && ctx.role !== "manager")
    throw new AppError("not_found", `workflows are managed by admins and managers, not role ${ctx.role}`);
}

/** What this service sets going elsewhere, wired in the composition root. */
export interface WorkflowHooks {
  /** After enrollments, run controls and publishes commit: new work for the in-process worker. */
  onCommit: Nudge;
  /**
   * Runs in the publishing transaction (the runtime schedules time-based triggers); returns how
   * many records it backfilled (enrolled although past their instant, when asked to).
   */
  onPublish(tx: StoreTx, published: PublishedVersion, options: PublishOptions): Promise<number>;
  /** How many records publishing this version with `backfill` would enroll (the runtime counts). */
  backfillCount(tx: StoreTx, version: PublishedVersion): Promise<number>;
}

export class WorkflowService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly hooks: WorkflowHooks,
  ) {}

  /** Everything wrong with a definition, by path; empty when it can be published. */
  async validate(ctx: CallContext, input: unknown): Promise<Issue[]> {
    const custom = await this.store.customFields.listCustomFields(ctx.workspaceId);
    const keys = new Set((await this.store.workflows.listWorkflows(ctx.workspaceId)).map((w) => w.key));
    const ownKey = (input as { key?: unknown })?.key;
    const result = validateWorkflow(
      input,
      (o: ObjectName) => fieldsOf(o, custom),
      (key) => keys.has(key) || key === ownKey,
    );
    if (!result.ok) return result.issues;
    return [
      ...this.runtimeLimits(result.definition),
      ...(await this.missingConnectors(ctx.workspaceId, result.definition)),
      ...(await missingRoutingTargets(this.store, ctx.workspaceId, result.definition)),
      ...(await missingCalendars(this.store, ctx.workspaceId, result.definition)),
      ...(await missingSlaPolicy(this.store, ctx.workspaceId, result.definition)),
      ...(await aiModelIssues(this.store, ctx.workspaceId, result.definition)),
    ];
  }

  /** An external action naming a connector the workspace does not have would only fill the dead-letter list. */
  private async missingConnectors(workspaceId: string, def: WorkflowDefinition): Promise<Issue[]> {
    const issues: Issue[] = [];
    for (const use of connectorUses(def)) {
      const path = ["steps", use.step, "action", "connector"];
      const connector = await this.store.connectors.getConnectorByKey(workspaceId, use.connector);
      if (!connector) {
        issues.push({ path, code: "invalid_reference", message: `no connector "${use.connector}" in this workspace` });
      } else if (connector.kind !== use.kind) {
        issues.push({
          path,
          code: "invalid_reference",
          message: `connector "${use.connector}" is a ${connector.kind} connector; ${use.action} needs a ${use.kind} one`,
        });
      }
    }
    return issues;
  }

  /** What this release's runtime cannot run yet: refused at publish rather than left waiting forever. */
  private runtimeLimits(def: WorkflowDefinition): Issue[] {
    const issues: Issue[] = [];
    if (!AVAILABLE_TRIGGERS.has(def.trigger.type)) {
      issues.push({
        path: ["trigger", "type"],
        code: "not_in_options",
        message: `trigger "${def.trigger.type}" is not available yet`,
        expected: [...AVAILABLE_TRIGGERS],
      });
    }
    return issues;
  }

  /**
   * Saves a definition as the workflow's draft (creating the workflow on first save). Drafts must
   * parse, not validate. With `create`, the key must be new: a workflow with it already is a
   * conflict, so that starting a workflow never replaces another one's draft.
   */
  async saveDraft(ctx: CallContext, input: unknown, options: { create?: boolean } = {}): Promise<WorkflowView> {
    requireAdmin(ctx);
    const parsed = parseWorkflow(input);
    if (!parsed.ok) throw invalid(parsed.issues, "the workflow definition is malformed");
    const def = parsed.definition;
    const now = this.clock.now().toISOString();
    const id = await this.store.transaction(async (tx) => {
      const existing = await tx.workflows.getWorkflowByKey(ctx.workspaceId, def.key);
      if (existing && options.create) {
        throw new AppError("conflict", `a workflow with the key "${def.key}" exists already ("${existing.name}")`, [
          { path: ["definition", "key"], code: "invalid_value", message: `taken by the workflow "${existing.name}"` },
        ]);
      }
      if (!existing) {
        const id = this.ids.next();
        await tx.workflows.insertWorkflow({
          workspaceId: ctx.workspaceId,
          id,
          key: def.key,
          name: def.name,
          object: def.object,
          liveVersion: null,
          latestVersion: 1,
          createdAt: now,
          updatedAt: now,
          updatedBy: ctx.actor,
        });
        await tx.workflows.upsertVersion({
          workspaceId: ctx.workspaceId,
          workflowId: id,
          version: 1,
          state: "draft",
          definition: input,
          createdAt: now,
          publishedAt: null,
          sincePosition: null,
        });
        return id;
      }
      const latest = await tx.workflows.getVersion(ctx.workspaceId, existing.id, existing.latestVersion);
      const version = latest?.state === "draft" ? existing.latestVersion : existing.latestVersion + 1;
      await tx.workflows.upsertVersion({
        workspaceId: ctx.workspaceId,
        workflowId: existing.id,
        version,
        state: "draft",
        definition: input,
        createdAt: now,
        publishedAt: null,
        sincePosition: null,
      });
      await tx.workflows.updateWorkflow({ ...existing, name: def.name, latestVersion: version, updatedAt: now, updatedBy: ctx.actor });
      return existing.id;
    });
    return this.get(ctx, id);
  }

  /** The draft about to be published, validated (and, with backfill, checked that it can backfill). */
  private async publishable(ctx: CallContext, workflowId: string, options: PublishOptions) {
    requireAdmin(ctx);
    const { workflow } = await this.get(ctx, workflowId);
    const draft = await this.store.workflows.getVersion(ctx.workspaceId, workflow.id, workflow.latestVersion);
    if (draft?.state !== "draft")
      throw new AppError(
        "conflict",
        `${workflow.key} has no draft to publish (version ${workflow.latestVersion} is ${draft?.state ?? "missing"})`,
      );
    const issues = await this.validate(ctx, draft.definition);
    if (issues.length > 0) throw invalid(issues, `version ${draft.version} of ${workflow.key} cannot be published`);
    const def = workflowSchema.parse(draft.definition);
    const undescribed = describedIssues(def);
    if (undescribed.length > 0)
      throw invalid(undescribed, `version ${draft.version} of ${workflow.key} cannot be published without a description`);
    const refused = this.optionIssues(def, options);
    if (refused.length > 0) throw invalid(refused, `${workflow.key} cannot be published with these options`);
    return { workflow, draft, def };
  }

  /** Publish options that do not fit the definition (backfill on a trigger without instants). */
  optionIssues(definition: unknown, options: PublishOptions): Issue[] {
    const issues: Issue[] = [];
    if (options.note !== undefined && options.note.length > NOTE_MAX)
      issues.push({ path: ["note"], code: "too_big", message: `at most ${NOTE_MAX} characters (this one has ${options.note.length})` });
    const def = workflowSchema.safeParse(definition);
    if (!options.backfill || !def.success || BACKFILLS.has(def.data.trigger.type)) return issues;
    const message = `backfill applies to ${inWords(BACKFILL_TRIGGERS)} triggers, not ${def.data.trigger.type}`;
    return [...issues, { path: ["backfill"], code: "invalid_value", message }];
  }

  /**
   * The conflict warnings of a definition against the live workflows, without saving it: of a
   * file (`handoff workflow conflicts FILE`, and before `workflow publish` saves anything), or by
   * key of a workflow's latest version. Its own key's live version is the one it would replace.
   */
  async conflicts(ctx: CallContext, input: unknown): Promise<ConflictWarning[]> {
    requireAdmin(ctx);
    const parsed = parseWorkflow(input);
    if (!parsed.ok) throw invalid(parsed.issues, "the workflow definition is malformed");
    return publishConflicts(this.store.workflows, ctx.workspaceId, undefined, parsed.definition);
  }

  /**
   * What publishing the draft would do, without publishing it: how many existing records are
   * already past their instant and would enroll with `backfill` (relative_date, inactivity).
   */
  async publishPreview(ctx: CallContext, workflowId: string): Promise<PublishPreview> {
    const { workflow, draft, def } = await this.publishable(ctx, workflowId, {});
    const backfill = BACKFILLS.has(def.trigger.type)
      ? await this.store.transaction((tx) =>
          this.hooks.backfillCount(tx, { workspaceId: ctx.workspaceId, workflowId: workflow.id, version: draft.version, definition: def }),
        )
      : null;
    const conflicts = await publishConflicts(this.store.workflows, ctx.workspaceId, workflow.id, def);
    return { version: draft.version, trigger: def.trigger.type, backfill, conflicts };
  }

  /**
   * Validates the whole graph and makes the draft the live version; the previous one is archived.
   * With `backfill` (relative_date, inactivity), records already past their instant enroll too,
   * paced by the workflow's rate cap; `backfilled` says how many. Conflicts with the live
   * workflows, read in the same transaction, must be acknowledged; the acknowledgement is kept
   * with the version.
   */
  async publish(ctx: CallContext, workflowId: string, options: PublishOptions = {}): Promise<WorkflowView & { backfilled: number }> {
    const { workflow, draft, def } = await this.publishable(ctx, workflowId, options);
    const now = this.clock.now().toISOString();
    let backfilled = 0;
    await this.store.transaction(async (tx) => {
      const warnings = await publishConflicts(tx.workflows, ctx.workspaceId, workflow.id, def);
      const acked = acknowledged(workflow.key, warnings, options.acknowledgeConflicts);
      const since = await tx.events.lastEventPosition();
      if (workflow.liveVersion !== null) {
        const live = await tx.workflows.getVersion(ctx.workspaceId, workflow.id, workflow.liveVersion);
        if (live) await tx.workflows.upsertVersion({ ...live, state: "archived" });
      }
      const note = options.note?.trim() || null;
      await tx.workflows.upsertVersion({
        ...draft,
        state: "published",
        publishedAt: now,
        sincePosition: since,
        publishedBy: ctx.actor,
        note,
        conflictsAcknowledged: acked.length > 0 ? { by: ctx.actor, at: now, warnings: acked } : null,
      });
      const kind = indexKind(def);
      const rows: TriggerRow[] = kind
        ? [
            {
              workspaceId: ctx.workspaceId,
              workflowId: workflow.id,
              object: def.object,
              kind,
              version: draft.version,
              sincePosition: since,
            },
          ]
        : [];
      await tx.triggers.replaceTriggers(ctx.workspaceId, workflow.id, rows);
      await tx.workflows.updateWorkflow({
        ...workflow,
        name: def.name,
        object: def.object,
        liveVersion: draft.version,
        updatedAt: now,
        updatedBy: ctx.actor,
      });
      await ensureReview(tx, ctx, workflow.id, now);
      backfilled = await this.hooks.onPublish(
        tx,
        { workspaceId: ctx.workspaceId, workflowId: workflow.id, version: draft.version, definition: def },
        options,
      );
    });
    this.hooks.onCommit();
    return { ...(await this.get(ctx, workflow.id)), backfilled };
  }

  /**
   * Retires the workflow: stops new enrollments (running runs finish on their version) and
   * archives its live version and its pending draft, so that it reads as archived everywhere
   * (a draft left behind would make it look like a draft). Saving a definition again starts a
   * new version. Archiving an archived workflow is a conflict: nothing would change.
   */
  async archive(ctx: CallContext, workflowId: string): Promise<WorkflowView> {
    requireAdmin(ctx);
    const { workflow, versions } = await this.get(ctx, workflowId);
    const pending = versions.filter((v) => v.state !== "archived" && (v.version === workflow.liveVersion || v.state === "draft"));
    if (workflow.liveVersion === null && pending.length === 0) throw new AppError("conflict", `${workflow.key} is already archived`);
    const now = this.clock.now().toISOString();
    await this.store.transaction(async (tx) => {
      for (const v of pending) await tx.workflows.upsertVersion({ ...v, state: "archived" });
      await tx.triggers.replaceTriggers(ctx.workspaceId, workflow.id, []);
      await tx.schedules.cancelScheduledTriggers(ctx.workspaceId, workflow.id);
      await tx.workflows.updateWorkflow({ ...workflow, liveVersion: null, updatedAt: now, updatedBy: ctx.actor });
    });
    return this.get(ctx, workflow.id);
  }

  async list(ctx: CallContext): Promise<WorkflowRow[]> {
    return this.store.workflows.listWorkflows(ctx.workspaceId);
  }

  async get(ctx: CallContext, idOrKey: string): Promise<WorkflowView> {
    const workflow =
      (await this.store.workflows.getWorkflow(ctx.workspaceId, idOrKey)) ??
      (await this.store.workflows.getWorkflowByKey(ctx.workspaceId, idOrKey));
    if (!workflow) throw notFound(`workflow ${idOrKey}`);
    return { workflow, versions: await this.store.workflows.listVersions(ctx.workspaceId, workflow.id) };
  }

  /**
   * Starts the live version for each record (manual trigger, or "run now" on any workflow).
   * Enrollment rules hold here as for any trigger: a record with a run of this workflow under way
   * is skipped, and so is one that already went through it when the definition says
   * `reenrollment: false` — unless `force` (admins and managers only), which is written to the
   * workflow's log naming who forced it.
   */
  async enroll(ctx: CallContext, workflowId: string, recordIds: readonly string[], options: EnrollOptions = {}): Promise<Enrolled> {
    if (recordIds.length === 0 || recordIds.length > 1_000)
      throw invalid([{ path: ["record_ids"], code: "invalid_value", message: "give 1–1,000 record ids" }]);
    if (options.force) requireAdmin(ctx);
    const { workflow } = await this.get(ctx, workflowId);
    if (workflow.liveVersion === null) throw new AppError("conflict", `${workflow.key} is not published`);
    const version = workflow.liveVersion;
    const def = workflowSchema.parse((await this.store.workflows.getVersion(ctx.workspaceId, workflow.id, version))?.definition);
    // A run writes the record in the caller's stead: only a caller who may change it may start one.
    authorize(ctx, "update", def.object);
    const now = this.clock.now().toISOString();
    const batch = this.ids.next();
    return this.store
      .transaction(async (tx) => {
        const records = new Map((await tx.records.getRecords(ctx.workspaceId, recordIds)).map((r) => [r.id, r]));
        const issues: Issue[] = [];
        recordIds.forEach((id, i) => {
          if (records.get(id)?.object !== def.object)
            issues.push({ path: ["record_ids", i], code: "invalid_reference", message: `no ${def.object} with id "${id}"` });
        });
        if (issues.length > 0) throw invalid(issues);
        const runs: RunRow[] = [];
        const skipped: Enrolled["skipped"] = [];
        const log: WorkflowLogRow[] = [];
        for (const recordId of new Set(recordIds)) {
          const latest = await tx.runs.latestRunOf(ctx.workspaceId, workflow.id, recordId);
          if (latest && !TERMINAL.has(latest.state.status)) {
            skipped.push({ recordId, reason: `run ${latest.id} of ${workflow.key} is under way (${latest.state.status})` });
            continue;
          }
          if (latest && !def.reenrollment) {
            const history = `it already went through ${workflow.key} (run ${latest.id}, ${latest.state.status})`;
            if (!options.force) {
              skipped.push({ recordId, reason: `${history} and re-enrollment is off; enroll with force to run it again` });
              continue;
            }
            log.push({
              workspaceId: ctx.workspaceId,
              workflowId: workflow.id,
              recordId,
              eventId: null,
              kind: "forced",
              message: `${ctx.actor.kind} ${ctx.actor.id} forced the enrollment of ${def.object} ${recordId}: ${history} and re-enrollment is off${ctx.requestId ? ` (request ${ctx.requestId})` : ""}`,
              at: now,
            });
          }
          const run: RunRow = {
            workspaceId: ctx.workspaceId,
            id: this.ids.next(),
            workflowId: workflow.id,
            version,
            recordId,
            triggerKey: `manual:${batch}:${recordId}`,
            state: initialState(def.start),
            seq: 0,
            depth: (ctx.depth ?? 0) + 1,
            createdAt: now,
            updatedAt: now,
            finishedAt: null,
          };
          await tx.runs.insertRun(run);
          await tx.work.insertWorkItems([
            { workspaceId: ctx.workspaceId, runId: run.id, input: { kind: "continue" }, timerId: null, dueAt: now },
          ]);
          runs.push(run);
        }
        await tx.workflows.appendWorkflowLog(log);
        return { runs, skipped };
      })
      .finally(() => this.hooks.onCommit());
  }

  async runs(
    ctx: CallContext,
    q: {
      workflowId?: string;
      recordId?: string;
      status?: string;
      limit?: number;
      beforeId?: string;
      since?: string;
      until?: string;
      version?: number;
      step?: string;
      stepState?: StepState;
    },
  ) {
    const workflowId = q.workflowId ? (await this.get(ctx, q.workflowId)).workflow.id : undefined;
    return this.store.runs.queryRuns({
      workspaceId: ctx.workspaceId,
      limit: Math.min(Math.max(q.limit ?? 50, 1), 500),
      ...(workflowId ? { workflowId } : {}),
      ...(q.recordId ? { recordId: q.recordId } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.beforeId ? { beforeId: q.beforeId } : {}),
      ...(q.since ? { since: q.since } : {}),
      ...(q.until ? { until: q.until } : {}),
      ...(q.version !== undefined ? { version: q.version } : {}),
      ...(q.step ? { step: q.step } : {}),
      ...(q.stepState ? { stepState: q.stepState } : {}),
    });
  }

  /**
   * A run with its steps (each with its definition's description: why the rule exists) and the
   * outbox items of its external actions as they stand now.
   */
  async run(ctx: CallContext, runId: string) {
    const run = await this.store.runs.getRun(ctx.workspaceId, runId);
    if (!run) throw notFound(`run ${runId}`);
    const version = await this.store.workflows.getVersion(ctx.workspaceId, run.workflowId, run.version);
    const parsed = workflowSchema.safeParse(version?.definition);
    const described = (step: string | null) => (parsed.success && step ? parsed.data.steps[step]?.description : undefined) ?? null;
    const logged = (await this.store.runs.listRunSteps(ctx.workspaceId, runId)).map((s) => ({ ...s, description: described(s.step) }));
    const steps = await withDeliveryAttempts(this.store.outbox, ctx.workspaceId, logged);
    const deliveries = await runDeliveries(this.store.outbox, ctx.workspaceId, logged);
    return { run, steps, deliveries, workflowDescription: parsed.success ? (parsed.data.description ?? null) : null };
  }

  /** Queues a control input for a run: cancel, retry from the failed step, or skip its wait. */
  async control(ctx: CallContext, runId: string, action: "cancel" | "retry" | "skip_wait"): Promise<RunRow> {
    requireAdmin(ctx);
    const { run } = await this.run(ctx, runId);
    const now = this.clock.now().toISOString();
    if (action === "retry" && run.state.status !== "failed")
      throw new AppError("conflict", `run ${runId} is ${run.state.status}; only failed runs can be retried`);
    if (action !== "retry" && TERMINAL.has(run.state.status))
      throw new AppError("conflict", `run ${runId} has already ended (${run.state.status})`);
    await this.store.transaction(async (tx) => {
      if (action === "skip_wait") {
        if ((await tx.work.dueNow(ctx.workspaceId, runId, now)) === 0)
          throw new AppError("conflict", `run ${runId} is not waiting on a timer`);
        return;
      }
      const input: RunInput =
        action === "cancel" ? { kind: "cancel", reason: `cancelled by ${ctx.actor.kind} ${ctx.actor.id}` } : { kind: "retry" };
      await tx.work.insertWorkItems([{ workspaceId: ctx.workspaceId, runId, input, timerId: null, dueAt: now }]);
    });
    this.hooks.onCommit();
    return run;
  }

  async log(ctx: CallContext, workflowId: string, limit = 100) {
    const { workflow } = await this.get(ctx, workflowId);
    return this.store.workflows.readWorkflowLog(ctx.workspaceId, workflow.id, limit);
  }

  /** The enrolments the workflow's rate cap has deferred that have not started yet (the workflow's page shows them). */
  async deferred(ctx: CallContext, workflowId: string) {
    const { workflow } = await this.get(ctx, workflowId);
    return this.store.rates.deferredRuns(ctx.workspaceId, workflow.id);
  }

  /** Loop stops that concern a record, each with the workflows of its chain (ids, keys, names as they are now). */
  async loopStopsOfRecord(ctx: CallContext, recordId: string, limit = 200) {
    const stops = await this.store.workflows.loopStopsOfRecord(ctx.workspaceId, recordId, limit);
    if (stops.length === 0) return [];
    const workflows = new Map((await this.store.workflows.listWorkflows(ctx.workspaceId)).map((w) => [w.id, w]));
    return stops.map((s) => ({ ...s, workflows: (s.chain ?? []).map((id) => workflows.get(id) ?? { id, key: null, name: null }) }));
  }

  /** The steps shown on a record's timeline, with their workflow's key and name. */
  async stepsOfRecord(ctx: CallContext, recordId: string, limit = 200) {
    const steps = await withDeliveryAttempts(
      this.store.outbox,
      ctx.workspaceId,
      await this.store.runs.stepsOfRecord(ctx.workspaceId, recordId, limit),
    );
    const workflows = new Map((await this.store.workflows.listWorkflows(ctx.workspaceId)).map((w) => [w.id, w]));
    return steps.map((s) => ({ ...s, workflow: workflows.get(s.workflowId) }));
  }
}

/** "a", "a and b", "a, b and c". */
function inWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
