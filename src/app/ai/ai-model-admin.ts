/**
 * AI models as admins manage them (issue 24; docs/ai.md): create, read, list, change over the
 * version read, delete, turn on (only a trained model past the label gate) and off, and try a
 * prediction; training runs in the background (ai-trainer.ts). Every signed-in role reads models and
 * predictions (a rep sees why a ticket was routed); changing or training one is for admins. Every
 * change is written to the configuration audit; bad input is refused with its path and nothing is
 * saved.
 */
import { validateWrite } from "../../crm/validation.js";
import { zodIssues } from "../../engine/validate.js";
import type { AiModelRow, AiTrainingJobRow } from "../../store/ai-ports.js";
import type { ConfigAuditAction } from "../../store/config-audit-ports.js";
import type { Store, StoreTx } from "../../store/ports.js";
import { auditConfigChange } from "../config-change-audit.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import { checkIncomingJson } from "../incoming-json.js";
import type { Clock, IdGenerator } from "../ports.js";
import { loadFields } from "../records/schema-cache.js";
import { scoringModelsNamingAiModel } from "../scoring/prediction-rules.js";
import { checkExpectedVersion, checkSaved, nameTaken } from "../versioned-saves.js";
import { workflowsNamingAiModel } from "../workflows/ai-model-uses.js";
import { activityCountsOf } from "./activity-counts.js";
import { aiModelIssues } from "./ai-model-checks.js";
import { type AiModelSpec, aiModelCreateSchema, aiModelPatchSchema, aiPredictSchema, specOf } from "./ai-model-schemas.js";
import { jobView, type TrainingJobView } from "./ai-trainer.js";
import { CONVERSION_GATE, LABELS_PER_CLASS, type Trained } from "./ai-training.js";
import type { ActivityCounts } from "./conversion-features.js";
import { predictRecord } from "./prediction.js";

export interface AiModelView extends AiModelSpec {
  id: string;
  enabled: boolean;
  /** The last training's figures (not its parameters), or null before the first. */
  training: Omit<Trained, "params"> | null;
  /** The newest training asked for (docs/ai.md "Training"): queued, running, succeeded or failed; null before the first. */
  training_job: TrainingJobView | null;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

export interface PredictionView {
  model_id: string;
  field: string;
  value: string;
  confidence: number;
  /** Below the model's threshold: a workflow's classify action takes its low-confidence path. */
  low_confidence: boolean;
  probabilities: Record<string, number>;
  reasons: Array<{ feature: string; weight: number; text: string }>;
}

const trainedOf = (r: AiModelRow): Trained | null => (r.trained as Trained | null) ?? null;

export function aiModelView(r: AiModelRow, job: AiTrainingJobRow | undefined = undefined): AiModelView {
  const t = trainedOf(r);
  const { params: _params, ...training } = t ?? { params: null };
  return {
    id: r.id,
    ...specOf(r.definition),
    name: r.name,
    object: r.object as AiModelSpec["object"],
    target: r.target,
    enabled: r.enabled,
    training: t ? (training as Omit<Trained, "params">) : null,
    training_job: job ? jobView(job) : null,
    version: r.version,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    updated_by: r.updatedBy,
  };
}

function requireAiAdmin(ctx: CallContext, what: string): void {
  if (ctx.role !== "admin") throw new AppError("forbidden", `AI models are ${what} by admins, not role ${ctx.role}`);
}

export class AiModelAdmin {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    /** Told after a model is saved or deleted (the classify steps' predictor forgets its heads). */
    private readonly saved: (workspaceId: string) => void = () => {},
  ) {}

  async list(ctx: CallContext): Promise<AiModelView[]> {
    const jobs = await this.store.aiModels.latestTrainingJobs(ctx.workspaceId);
    return (await this.store.aiModels.listAiModels(ctx.workspaceId)).map((r) => aiModelView(r, jobs.get(r.id)));
  }

  async get(ctx: CallContext, idOrName: string): Promise<AiModelView> {
    const r = await this.row(ctx, idOrName);
    return aiModelView(r, await this.lastJob(ctx, r.id));
  }

  private async lastJob(ctx: CallContext, modelId: string): Promise<AiTrainingJobRow | undefined> {
    return (await this.store.aiModels.listTrainingJobs(ctx.workspaceId, modelId, 1))[0];
  }

  async create(ctx: CallContext, input: unknown): Promise<AiModelView> {
    requireAiAdmin(ctx, "made");
    checkIncomingJson(input, []);
    const parsed = aiModelCreateSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const spec = parsed.data;
    await this.check(ctx, spec);
    const now = this.clock.now().toISOString();
    const row = this.toRow(ctx, spec, { id: this.ids.next(), createdAt: now, version: 1, enabled: false, trained: null }, now);
    await this.store.transaction(async (tx) => {
      await this.lock(tx, ctx);
      if (!(await tx.aiModels.insertAiModel(row))) throw nameTaken("AI model", row.name);
      await this.audit(tx, ctx, row, "create", { name: row.name, object: spec.object, target: spec.target });
    });
    this.saved(ctx.workspaceId);
    return aiModelView(row);
  }

  /**
   * Changes what the model reads or its threshold, or turns it on or off. Changing what it reads or
   * predicts forgets its training (the parameters were learned from other features) and turns it off.
   */
  async update(ctx: CallContext, idOrName: string, input: unknown, expectedVersion?: number): Promise<AiModelView> {
    requireAiAdmin(ctx, "changed");
    checkIncomingJson(input, []);
    const current = await this.row(ctx, idOrName);
    checkExpectedVersion("AI model", current.name, current.version, expectedVersion);
    const patch = aiModelPatchSchema.safeParse(input);
    if (!patch.success) throw invalid(zodIssues(patch.error.issues));
    const { enabled, ...changes } = patch.data;
    const was = specOf(current.definition);
    const spec: AiModelSpec = { ...was, ...changes };
    await this.check(ctx, spec);
    const relearn = (["object", "target", "text_fields", "value_fields", "converted", "lost", "activity_types"] as const).some(
      (k) => JSON.stringify(was[k]) !== JSON.stringify(spec[k]),
    );
    const trained = relearn ? null : trainedOf(current);
    const on = enabled ?? (relearn ? false : current.enabled);
    if (on && !current.enabled) this.checkCanTurnOn(current.name, spec, trained);
    if (on && relearn) throw new AppError("conflict", `"${current.name}" reads other fields now: train it again before turning it on`);
    const now = this.clock.now().toISOString();
    const row = this.toRow(
      ctx,
      spec,
      { id: current.id, createdAt: current.createdAt, version: current.version + 1, enabled: on, trained },
      now,
    );
    if (spec.name !== current.name || spec.object !== was.object || spec.target !== was.target)
      await this.refuseWhileUsed(ctx, current, "renamed or pointed at another field");
    const changed = (Object.keys(spec) as Array<keyof AiModelSpec>).filter((k) => JSON.stringify(was[k]) !== JSON.stringify(spec[k]));
    await this.store.transaction(async (tx) => {
      await this.lock(tx, ctx);
      checkSaved("AI model", row.name, await tx.aiModels.updateAiModel(row));
      await this.audit(tx, ctx, row, "update", {
        name: row.name,
        changed,
        enabled: on,
        forgot_training: relearn && current.trained !== null,
      });
    });
    this.saved(ctx.workspaceId);
    return aiModelView(row, await this.lastJob(ctx, row.id));
  }

  async delete(ctx: CallContext, idOrName: string): Promise<void> {
    requireAiAdmin(ctx, "deleted");
    const r = await this.row(ctx, idOrName);
    await this.refuseWhileUsed(ctx, r, "deleted");
    await this.store.transaction(async (tx) => {
      await this.lock(tx, ctx);
      if (!(await tx.aiModels.deleteAiModel(ctx.workspaceId, r.id))) throw notFound(`AI model ${idOrName}`);
      await this.audit(tx, ctx, r, "delete", { name: r.name });
    });
    this.saved(ctx.workspaceId);
  }

  /** What the model would say of a record (by id, or described inline), with its confidence and why. */
  async predict(ctx: CallContext, idOrName: string, input: unknown): Promise<PredictionView> {
    checkIncomingJson(input, []);
    const body = aiPredictSchema.safeParse(input);
    if (!body.success) throw invalid(zodIssues(body.error.issues));
    const model = await this.row(ctx, idOrName);
    const trained = trainedOf(model);
    if (!trained) throw new AppError("conflict", `"${model.name}" has not been trained yet: train it first`);
    const spec = specOf(model.definition);
    let data: Record<string, unknown>;
    // A record described inline has the activities it is said to have (none unless given).
    let activities: ActivityCounts = {};
    if (body.data.record_id !== undefined) {
      const record = await this.store.records.getRecord(ctx.workspaceId, body.data.record_id);
      if (!record || record.object !== spec.object) throw notFound(`${spec.object} ${body.data.record_id}`);
      data = record.data;
      activities = await activityCountsOf(this.store, ctx.workspaceId, record.id, spec.activity_types);
    } else {
      // Checked like an update's fields (none is required): what is read is what a record could hold.
      const checked = validateWrite(await loadFields(this.store, ctx.workspaceId, spec.object), body.data.record ?? {}, "update");
      if (!checked.ok) throw invalid(checked.issues.map((i) => ({ ...i, path: ["record", ...i.path] })));
      data = checked.data;
      activities = describedActivities(spec, body.data.activities ?? {}, Object.keys(activitiesIn(input)));
    }
    const p = predictRecord(trained.params, spec, data, activities);
    return {
      model_id: model.id,
      field: spec.target,
      value: p.value,
      confidence: p.confidence,
      low_confidence: p.confidence < spec.threshold,
      probabilities: p.probabilities,
      reasons: p.reasons,
    };
  }

  /** A model a live workflow's classify step names keeps its name and target (the step would lose it). */
  private async refuseWhileUsed(ctx: CallContext, model: AiModelRow, what: string): Promise<void> {
    const name = model.name;
    const users = [
      ...(await workflowsNamingAiModel(this.store, ctx.workspaceId, name)),
      ...(await scoringModelsNamingAiModel(this.store, ctx.workspaceId, model.object as AiModelSpec["object"], name)),
    ];
    if (users.length > 0) throw new AppError("conflict", `AI model "${name}" cannot be ${what} while ${users.join(", ")} use it`);
  }

  private checkCanTurnOn(name: string, spec: AiModelSpec, trained: Trained | null): void {
    if (!trained) throw new AppError("conflict", `"${name}" cannot be turned on before it is trained`);
    if (!trained.ready) {
      const needs = trained.shortfalls.map((s) => `${s.label} needs ${s.more} more`).join(", ");
      const gate =
        spec.kind === "conversion"
          ? `it needs at least ${CONVERSION_GATE.converted} converted and ${CONVERSION_GATE.lost} lost records`
          : `every label needs at least ${LABELS_PER_CLASS} labelled records`;
      throw new AppError("conflict", `"${name}" cannot be turned on: ${gate}${needs ? ` (${needs})` : " and there must be two labels"}`);
    }
  }

  private async row(ctx: CallContext, idOrName: string): Promise<AiModelRow> {
    const r = await this.store.aiModels.getAiModel(ctx.workspaceId, idOrName);
    if (!r) throw notFound(`AI model ${idOrName}`);
    return r;
  }

  private async check(ctx: CallContext, spec: AiModelSpec): Promise<void> {
    const issues = aiModelIssues(spec, await loadFields(this.store, ctx.workspaceId, spec.object));
    if (issues.length > 0) throw invalid(issues);
  }

  /** Model writes of a workspace one at a time: names stay unique under concurrent saves. */
  private lock(tx: StoreTx, ctx: CallContext): Promise<void> {
    return tx.lockKey(`ai-models:${ctx.workspaceId}`);
  }

  private toRow(
    ctx: CallContext,
    spec: AiModelSpec,
    keep: { id: string; createdAt: string; version: number; enabled: boolean; trained: Trained | null },
    now: string,
  ): AiModelRow {
    return {
      workspaceId: ctx.workspaceId,
      id: keep.id,
      name: spec.name,
      object: spec.object,
      target: spec.target,
      enabled: keep.enabled,
      definition: spec,
      trained: keep.trained,
      version: keep.version,
      createdAt: keep.createdAt,
      updatedAt: now,
      updatedBy: ctx.actor.id,
    };
  }

  private async audit(tx: StoreTx, ctx: CallContext, r: AiModelRow, action: ConfigAuditAction, summary: Record<string, unknown>) {
    await auditConfigChange(tx, { ids: this.ids, clock: this.clock }, ctx, {
      entity: "ai_model",
      entityId: r.id,
      action,
      summary: summary,
    });
  }
}

/** A described record's activity counts, of the types the model counts (a 422 at `activities.<type>` for another). */
function describedActivities(spec: AiModelSpec, given: Readonly<Record<string, number>>, sent: readonly string[]): ActivityCounts {
  const counted = new Set<string>(spec.activity_types);
  // The keys as sent: the schema drops a "__proto__" key without a word, and it must be refused like any other.
  const issues = [...new Set([...sent, ...Object.keys(given)])]
    .filter((type) => !counted.has(type))
    .map((type) => ({
      path: ["activities", type],
      code: "invalid_value" as const,
      message:
        spec.activity_types.length === 0
          ? `"${spec.name}" counts no activities`
          : `"${spec.name}" does not count ${type} activities; it counts ${spec.activity_types.join(", ")}`,
      expected: [...spec.activity_types],
    }));
  if (issues.length > 0) throw invalid(issues);
  return Object.fromEntries(Object.entries(given));
}

/** The `activities` object of a predict body as parsed from JSON, before the schema (its own keys, "__proto__" included). */
function activitiesIn(input: unknown): object {
  const a = input !== null && typeof input === "object" ? (input as { activities?: unknown }).activities : undefined;
  return a !== null && typeof a === "object" && !Array.isArray(a) ? a : {};
}
