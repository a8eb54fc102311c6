/**
 * Training AI models in the background, with progress, each success kept as a version (issue 24;
 * docs/ai.md "Training"). An admin's request only checks that there is something to learn from
 * and queues a job (state `queued`); the training then runs in this process, one at a time, off
 * the request: reading the labelled records page by page, learning, measuring on the held-out
 * fifth (phases in words, progress 0–1, saved to the job row about four times a second so any
 * process can read it), then saving the version and the model in one transaction.
 *
 * A training holds the event loop only for a chunk of records at a time (ai-training.ts), so the
 * API keeps answering. A process that stops cannot finish its training: `stop()` fails the running
 * one, and `failInterrupted()` — run when the server starts — fails any a killed process left
 * `queued` or `running`, so that no model shows a training that will never end.
 */
import { setImmediate as breathe } from "node:timers/promises";
import type { CheckedFilter } from "../../crm/filter.js";
import type { AiModelRow, AiModelVersionRow, AiTrainingJobRow, TrainingState } from "../../store/ai-ports.js";
import type { Store, StoredRecord } from "../../store/ports.js";
import { auditConfigChange } from "../config-change-audit.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import type { Clock, IdGenerator } from "../ports.js";
import { activityCountsUntil } from "./activity-counts.js";
import { type AiModelSpec, specOf } from "./ai-model-schemas.js";
import { type Labelled, type Trained, type TrainingWindow, trainClassifier, trainConversion } from "./ai-training.js";
import { outcomeInstants } from "./outcome-instants.js";

/** The most labelled records one training reads, in id order: enough for any helpdesk's categories. */
export const MAX_TRAINING_RECORDS = 50_000;
const PAGE = 1_000;
/** How often a running training's progress is written (ms): often enough for a progress bar. */
const SAVE_EVERY_MS = 250;
/** Where each phase sits on the job's 0–1 progress. */
const SPAN = { "reading records": [0, 0.3], learning: [0.3, 0.8], measuring: [0.8, 0.97], saving: [0.97, 1] } as const;
type Phase = keyof typeof SPAN;

export const INTERRUPTED = "interrupted: the server stopped before the training finished; train the model again";

export interface TrainingJobView {
  id: string;
  model_id: string;
  state: TrainingState;
  /** In words: queued, reading records, learning, measuring, saving, done, failed. */
  phase: string;
  progress: number;
  error: string | null;
  /** The model version a succeeded training made. */
  version: number | null;
  requested_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface ModelVersionView {
  version: number;
  trained_at: string;
  /** The labelled records learned from. */
  data: TrainingWindow;
  features: ReturnType<typeof featuresOf>;
  records: number;
  held_out: number;
  label_counts: Record<string, number>;
  quality: Trained["quality"];
  ready: boolean;
  job_id: string | null;
  created_by: string | null;
}

export const jobView = (j: AiTrainingJobRow): TrainingJobView => ({
  id: j.id,
  model_id: j.modelId,
  state: j.state,
  phase: j.phase,
  progress: Math.round(j.progress * 1000) / 1000,
  error: j.error,
  version: j.modelVersion,
  requested_by: j.requestedBy,
  created_at: j.createdAt,
  started_at: j.startedAt,
  finished_at: j.finishedAt,
});

const unfinished = (j: AiTrainingJobRow | undefined) => j !== undefined && (j.state === "queued" || j.state === "running");
/** What a version learned from: a conversion model's outcomes and activity types too. */
const featuresOf = (spec: AiModelSpec) =>
  spec.kind === "conversion"
    ? {
        kind: spec.kind,
        target: spec.target,
        converted: spec.converted,
        lost: spec.lost,
        text_fields: spec.text_fields,
        value_fields: spec.value_fields,
        activity_types: spec.activity_types,
      }
    : { target: spec.target, text_fields: spec.text_fields, value_fields: spec.value_fields };

class Stopped extends Error {}

/** The records a training learns from: a classifier's with a value in the target, a conversion model's with an outcome. */
function labelledFilter(spec: AiModelSpec): CheckedFilter {
  const target = { name: spec.target, type: "string" as const, label: spec.target };
  if (spec.kind !== "conversion") return { field: target, op: "is_set", value: null };
  return { or: [...spec.converted, ...spec.lost].map((value) => ({ field: target, op: "eq" as const, value })) };
}

const ID_FIELD = { name: "id", type: "string" as const, label: "id" };

export class AiTrainer {
  /** Trainings of this process, one after another (each one's CPU is the whole process's). */
  private tail: Promise<void> = Promise.resolve();
  private readonly mine = new Map<string, Promise<AiTrainingJobRow>>();
  /** Who waits on a job of this process (wait()): told each step, not only what was saved. */
  private readonly listeners = new Map<string, Array<(job: TrainingJobView) => void>>();
  private stopping = false;

  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      ids: IdGenerator;
      logger?: { warn(o: object, m: string): void } | undefined;
      /** Told after a training saved its model (the classify steps' predictor forgets its heads). */
      saved?: ((workspaceId: string) => void) | undefined;
    },
  ) {}

  /**
   * Queues a training of the model (admins). Refused at once — nothing queued — when there is
   * nothing to learn from (422 at `target`) or the model is already training (409).
   */
  async start(ctx: CallContext, idOrName: string): Promise<TrainingJobView> {
    if (ctx.role !== "admin") throw new AppError("forbidden", `AI models are trained by admins, not role ${ctx.role}`);
    const model = await this.model(ctx, idOrName);
    const spec = specOf(model.definition);
    await this.checkLearnable(ctx, model, spec);
    const now = this.deps.clock.now().toISOString();
    const job: AiTrainingJobRow = {
      workspaceId: ctx.workspaceId,
      id: this.deps.ids.next(),
      modelId: model.id,
      state: "queued",
      phase: "queued",
      progress: 0,
      error: null,
      modelVersion: null,
      requestedBy: ctx.actor.id,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
    };
    await this.deps.store.transaction(async (tx) => {
      await tx.lockKey(`ai-models:${ctx.workspaceId}`);
      const [last] = await tx.aiModels.listTrainingJobs(ctx.workspaceId, model.id, 1);
      if (unfinished(last))
        throw new AppError("conflict", `"${model.name}" is already training (job ${last?.id}, ${last?.phase}): wait for it to finish`);
      await tx.aiModels.insertTrainingJob(job);
    });
    if (this.stopping) {
      await this.finish(job, "failed", INTERRUPTED);
      return jobView(job);
    }
    const run = this.tail.then(() => this.run(ctx, job));
    this.mine.set(job.id, run);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    void run.finally(() => this.mine.delete(job.id));
    return jobView(job);
  }

  /**
   * Waits until the job has succeeded or failed, calling `onProgress` as its phase or progress
   * moves: a job of this process is followed as it runs; another process's is read every 250 ms.
   */
  async wait(ctx: CallContext, jobId: string, onProgress?: (job: TrainingJobView) => void): Promise<TrainingJobView> {
    let seen = "";
    const tell = (view: TrainingJobView) => {
      const now = `${view.state}/${view.phase}/${view.progress}`;
      if (now !== seen) {
        seen = now;
        onProgress?.(view);
      }
    };
    const listener = (view: TrainingJobView) => tell(view);
    this.listeners.set(jobId, [...(this.listeners.get(jobId) ?? []), listener]);
    try {
      for (;;) {
        const job = await this.deps.store.aiModels.getTrainingJob(ctx.workspaceId, jobId);
        if (!job || job.workspaceId !== ctx.workspaceId) throw notFound(`training ${jobId}`);
        if (!unfinished(job)) {
          tell(jobView(job));
          return jobView(job);
        }
        const running = this.mine.get(jobId);
        if (running) await running;
        else {
          tell(jobView(job));
          await new Promise((resolve) => setTimeout(resolve, SAVE_EVERY_MS));
        }
      }
    } finally {
      this.listeners.set(
        jobId,
        (this.listeners.get(jobId) ?? []).filter((l) => l !== listener),
      );
      if (this.listeners.get(jobId)?.length === 0) this.listeners.delete(jobId);
    }
  }

  /** The model's trainings, newest first (the last 20). */
  async jobs(ctx: CallContext, idOrName: string): Promise<TrainingJobView[]> {
    const model = await this.model(ctx, idOrName);
    return (await this.deps.store.aiModels.listTrainingJobs(ctx.workspaceId, model.id, 20)).map(jobView);
  }

  /** The model's versions, newest first: what each training learned from and how well. */
  async versions(ctx: CallContext, idOrName: string): Promise<ModelVersionView[]> {
    const model = await this.model(ctx, idOrName);
    return (await this.deps.store.aiModels.listModelVersions(ctx.workspaceId, model.id)).map((v) => {
      const q = v.quality as Omit<Trained, "params" | "trained_at">;
      return {
        version: v.version,
        trained_at: v.trainedAt,
        data: { first_created_at: v.dataFirstAt, last_created_at: v.dataLastAt, records: v.dataRecords },
        features: v.features as ModelVersionView["features"],
        records: q.records,
        held_out: q.held_out,
        label_counts: q.label_counts,
        quality: q.quality,
        ready: q.ready,
        job_id: v.jobId,
        created_by: v.createdBy,
      };
    });
  }

  /** Start-up: trainings a stopped process left queued or running will never end — fail them. */
  async failInterrupted(): Promise<number> {
    const at = this.deps.clock.now().toISOString();
    const n = await this.deps.store.transaction((tx) => tx.aiModels.failUnfinishedTrainingJobs(INTERRUPTED, at));
    if (n > 0) this.deps.logger?.warn({ trainings: n }, "AI trainings left unfinished by a stopped process marked failed");
    return n;
  }

  /** Shutting down: the running training stops at its next chunk and fails; queued ones fail. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.tail;
  }

  private async run(ctx: CallContext, queued: AiTrainingJobRow): Promise<AiTrainingJobRow> {
    const job: AiTrainingJobRow = { ...queued };
    if (this.stopping) return this.finish(job, "failed", INTERRUPTED);
    let saved = 0;
    const progress = async (phase: Phase, fraction: number, force = false) => {
      if (this.stopping) throw new Stopped();
      const [from, to] = SPAN[phase];
      job.phase = phase;
      job.progress = from + (to - from) * Math.min(1, Math.max(0, fraction));
      for (const listener of this.listeners.get(job.id) ?? []) listener(jobView(job));
      const t = Date.now();
      if (force || t - saved >= SAVE_EVERY_MS) {
        saved = t;
        await this.saveJob(job);
      }
      await breathe();
    };
    try {
      job.state = "running";
      job.startedAt = this.deps.clock.now().toISOString();
      await progress("reading records", 0, true);
      const model = await this.model(ctx, job.modelId);
      const spec = specOf(model.definition);
      const records = await this.labelledRecords(ctx, spec, (f) => progress("reading records", f));
      await progress("learning", 0, true);
      const now = this.deps.clock.now().toISOString();
      const step = (phase: "learning" | "measuring", f: number) => progress(phase, f);
      const outcome =
        spec.kind === "conversion" ? await trainConversion(records, spec, now, step) : await trainClassifier(records, spec, now, step);
      if (!outcome.ok) return await this.finish(job, "failed", outcome.reason);
      await progress("saving", 0, true);
      const version = await this.save(ctx, job, model, spec, records, outcome.trained);
      job.modelVersion = version;
      return await this.finish(job, "succeeded", null);
    } catch (error) {
      const why =
        error instanceof Stopped ? INTERRUPTED : error instanceof AppError ? error.message : `the training failed: ${String(error)}`;
      if (!(error instanceof Stopped || error instanceof AppError))
        this.deps.logger?.warn({ err: error, job: job.id }, "an AI training failed");
      return this.finish(job, "failed", why).catch(() => job);
    }
  }

  private async finish(job: AiTrainingJobRow, state: "succeeded" | "failed", error: string | null): Promise<AiTrainingJobRow> {
    job.state = state;
    job.phase = state === "succeeded" ? "done" : "failed";
    if (state === "succeeded") job.progress = 1;
    job.error = error;
    job.finishedAt = this.deps.clock.now().toISOString();
    await this.saveJob(job);
    for (const listener of this.listeners.get(job.id) ?? []) listener(jobView(job));
    return job;
  }

  private saveJob(job: AiTrainingJobRow): Promise<void> {
    const copy = { ...job };
    return this.deps.store.transaction((tx) => tx.aiModels.updateTrainingJob(copy));
  }

  /**
   * Saves the version and the model's copy of it in one transaction. The model is read again
   * under its lock: changed to read other fields meanwhile (or deleted), this training is of no
   * use and fails; turned on or off meanwhile, the training is kept and the switch respected.
   */
  private async save(
    ctx: CallContext,
    job: AiTrainingJobRow,
    was: AiModelRow,
    spec: AiModelSpec,
    records: readonly Labelled[],
    trained: Trained,
  ): Promise<number> {
    const times = records
      .map((r) => r.createdAt)
      .filter((t): t is string => typeof t === "string")
      .sort();
    const window: TrainingWindow = { first_created_at: times[0] ?? null, last_created_at: times.at(-1) ?? null, records: trained.records };
    const version = await this.deps.store.transaction(async (tx) => {
      await tx.lockKey(`ai-models:${ctx.workspaceId}`);
      const current = await tx.aiModels.getAiModel(ctx.workspaceId, was.id);
      if (!current) throw new AppError("not_found", `AI model "${was.name}" was deleted during the training`);
      const now = specOf(current.definition);
      if (JSON.stringify(featuresOf(now)) !== JSON.stringify(featuresOf(spec)) || current.object !== was.object)
        throw new AppError("conflict", `"${current.name}" was changed to read other fields during the training: train it again`);
      const version = (await tx.aiModels.latestModelVersion(ctx.workspaceId, current.id)) + 1;
      const { params, trained_at, ...figures } = trained;
      const kept: Trained = { ...trained, model_version: version, data: window };
      const row: AiModelVersionRow = {
        workspaceId: ctx.workspaceId,
        modelId: current.id,
        version,
        jobId: job.id,
        trainedAt: trained_at,
        dataFirstAt: window.first_created_at,
        dataLastAt: window.last_created_at,
        dataRecords: window.records,
        features: featuresOf(spec),
        quality: figures,
        params,
        createdBy: ctx.actor.id,
      };
      await tx.aiModels.insertModelVersion(row);
      const enabled = current.enabled && trained.ready;
      const update = await tx.aiModels.updateAiModel({
        ...current,
        trained: kept,
        enabled,
        version: current.version + 1,
        updatedAt: this.deps.clock.now().toISOString(),
        updatedBy: ctx.actor.id,
      });
      if (update !== "saved") throw new AppError("conflict", `"${current.name}" could not be saved (${update}): train it again`);
      await auditConfigChange(tx, this.deps, ctx, {
        entity: "ai_model",
        entityId: current.id,
        action: "update",
        summary: {
          name: current.name,
          trained: { records: trained.records, accuracy: trained.quality.accuracy, ready: trained.ready, version },
          enabled,
        },
      });
      return version;
    });
    this.deps.saved?.(ctx.workspaceId);
    return version;
  }

  /**
   * Refuses at once what no training could learn from: no labelled record, or a single label.
   * Two small reads, so the request answers 422 rather than queueing a job bound to fail.
   */
  private async checkLearnable(ctx: CallContext, model: AiModelRow, spec: AiModelSpec): Promise<void> {
    const target = { name: spec.target, type: "string" as const, label: spec.target };
    const refuse = (reason: string, path = "target") =>
      invalid([{ path: [path], code: "invalid_value", message: reason }], `"${model.name}" cannot be trained`);
    if (spec.kind === "conversion") {
      for (const key of ["converted", "lost"] as const) {
        const [one] = await this.deps.store.records.queryRecords({
          workspaceId: ctx.workspaceId,
          object: spec.object,
          filter: { or: spec[key].map((value) => ({ field: target, op: "eq" as const, value })) },
          sort: { field: ID_FIELD, direction: "asc" },
          limit: 1,
        });
        if (!one)
          throw refuse(`no ${spec.object}'s ${spec.target} is ${spec[key].join(" or ")}: there is nothing ${key} to learn from`, key);
      }
      return;
    }
    const [first] = await this.deps.store.records.queryRecords({
      workspaceId: ctx.workspaceId,
      object: spec.object,
      filter: { field: target, op: "is_set", value: null },
      sort: { field: ID_FIELD, direction: "asc" },
      limit: 1,
    });
    const label = typeof first?.data[spec.target] === "string" ? (first.data[spec.target] as string).trim() : "";
    if (!first || label === "") throw refuse(`no record has a value in "${spec.target}" to learn from`);
    const [other] = await this.deps.store.records.queryRecords({
      workspaceId: ctx.workspaceId,
      object: spec.object,
      filter: {
        and: [
          { field: target, op: "is_set", value: null },
          { field: target, op: "neq", value: label },
        ],
      },
      sort: { field: ID_FIELD, direction: "asc" },
      limit: 1,
    });
    if (!other) throw refuse(`every labelled record says "${label}": there is nothing to tell apart`);
  }

  private async labelledRecords(ctx: CallContext, spec: AiModelSpec, step: (fraction: number) => Promise<void>): Promise<Labelled[]> {
    const out: Labelled[] = [];
    let after: { value: unknown; id: string } | undefined;
    // All the object's records bound the labelled ones: a progress that only ever runs ahead of itself.
    const bound = Math.max(1, Math.min(MAX_TRAINING_RECORDS, await this.deps.store.records.countRecords(ctx.workspaceId, spec.object)));
    while (out.length < MAX_TRAINING_RECORDS) {
      const page = await this.deps.store.records.queryRecords({
        workspaceId: ctx.workspaceId,
        object: spec.object,
        filter: labelledFilter(spec),
        sort: { field: ID_FIELD, direction: "asc" },
        ...(after ? { after } : {}),
        limit: PAGE,
      });
      const activities = await this.activitiesOf(ctx, spec, page);
      for (const r of page) out.push({ id: r.id, createdAt: r.createdAt, data: r.data, activities: activities?.get(r.id) ?? {} });
      await step(out.length / bound);
      const last = page.at(-1);
      if (page.length < PAGE || !last) break;
      after = { value: last.id, id: last.id };
    }
    return out.slice(0, MAX_TRAINING_RECORDS);
  }

  /**
   * A conversion model's page of labelled records: each one's activities counted up to when it
   * reached its outcome (docs/ai.md "Conversion models"), in two reads for the page — the
   * outcomes' instants from the audit trail, then the activities. Undefined for a classifier.
   */
  private async activitiesOf(ctx: CallContext, spec: AiModelSpec, page: readonly StoredRecord[]) {
    if (spec.kind !== "conversion" || spec.activity_types.length === 0) return undefined;
    const until = await outcomeInstants(this.deps.store, ctx.workspaceId, page, spec.target);
    return activityCountsUntil(this.deps.store, ctx.workspaceId, until, spec.activity_types);
  }

  private async model(ctx: CallContext, idOrName: string): Promise<AiModelRow> {
    const r = await this.deps.store.aiModels.getAiModel(ctx.workspaceId, idOrName);
    if (!r) throw notFound(`AI model ${idOrName}`);
    return r;
  }
}
