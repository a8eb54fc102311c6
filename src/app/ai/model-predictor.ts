/**
 * The prediction a workflow's `classify` step decides on (docs/ai.md "The classify step"), worked
 * out before decide() — the engine does no IO. The model's head (name, version, whether it is on)
 * is kept for at most HEAD_TTL_MS and forgotten at once when this process saves a model (`forget`,
 * called by the admin and the trainer through the composition root): a query per step was most of
 * a step's added cost on PostgreSQL (docs/benchmarks.md "AI"). Another process's save reaches the
 * steps within HEAD_TTL_MS. Its learned parameters, the large part, are parsed once per version
 * and kept (a few models per workspace).
 */
import type { ConversionFact, PredictionFact } from "../../engine/conditions.js";
import type { AiModelHead } from "../../store/ai-ports.js";
import type { StoredRecord, StoreReads } from "../../store/ports.js";
import { activityCountsOf } from "./activity-counts.js";
import { specOf } from "./ai-model-schemas.js";
import type { Trained } from "./ai-training.js";
import { predictRecord } from "./prediction.js";

/** Parsed parameters kept, least recently used first out. */
const KEEP = 32;
/** How long a model's head read by a step is used again without reading it (another process's save). */
export const HEAD_TTL_MS = 2000;
/** Heads kept at most (by workspace and the name a step gives), oldest first out. */
const KEEP_HEADS = 256;

export class ModelPredictor {
  private readonly trained = new Map<string, Trained | null>();
  private readonly heads = new Map<string, { head: AiModelHead | undefined; at: number }>();
  /** Per workspace, how many times its models were saved here: a head read across a save is not kept. */
  private readonly saves = new Map<string, number>();

  /** A model of the workspace was created, changed, trained or deleted in this process: read heads again. */
  forget(workspaceId: string): void {
    this.saves.set(workspaceId, (this.saves.get(workspaceId) ?? 0) + 1);
    for (const key of [...this.heads.keys()]) if (key.startsWith(`${workspaceId}/`)) this.heads.delete(key);
  }

  async predict(
    reads: Pick<StoreReads, "aiModels">,
    workspaceId: string,
    step: string,
    spec: { model: string; field: string },
    object: string,
    record: Readonly<Record<string, unknown>>,
  ): Promise<PredictionFact> {
    const none = (why: string): PredictionFact => ({ ok: false, step, model: spec.model, why });
    const head = await this.headOf(reads, workspaceId, spec.model);
    if (!head) return none("there is no such model (deleted or renamed?)");
    if (head.object !== object || head.target !== spec.field)
      return none(`it predicts ${head.object} ${head.target}, not ${object} ${spec.field}`);
    if (!head.enabled) return none("it is turned off");
    const def = specOf(head.definition);
    if (def.kind !== "classifier") return none("it predicts the chance to convert, not a field's value");
    const trained = await this.trainedOf(reads, workspaceId, head.id, head.version);
    if (!trained) return none("it has not been trained");
    const p = predictRecord(trained.params, def, record);
    return {
      ok: true,
      step,
      model: head.name,
      modelId: head.id,
      modelVersion: head.version,
      value: p.value,
      confidence: p.confidence,
      threshold: def.threshold,
      reasons: p.reasons,
    };
  }

  /**
   * Scoring's AI prediction rules (docs/scoring.md): the conversion model's chance that the record
   * converts — its fields and its activities as the model reads them — with the model's version
   * and the features that raised it most, in words (the three predictLogistic names), or null when the model gives none
   * (no such model, a classifier, another object's, off, untrained).
   */
  async chance(
    reads: Pick<StoreReads, "aiModels" | "scores">,
    workspaceId: string,
    model: string,
    record: StoredRecord,
  ): Promise<ConversionFact | null> {
    const head = await this.headOf(reads, workspaceId, model);
    if (!head?.enabled || head.object !== record.object) return null;
    const def = specOf(head.definition);
    if (def.kind !== "conversion") return null;
    const trained = await this.trainedOf(reads, workspaceId, head.id, head.version);
    if (!trained) return null;
    const activities = await activityCountsOf(reads, workspaceId, record.id, def.activity_types);
    const p = predictRecord(trained.params, def, record.data, activities);
    const chance = p.probabilities.converted;
    if (chance === undefined) return null;
    return { chance, modelVersion: head.version, reasons: p.reasons.map((r) => r.text) };
  }

  private async headOf(reads: Pick<StoreReads, "aiModels">, workspaceId: string, model: string): Promise<AiModelHead | undefined> {
    const key = `${workspaceId}/${model}`;
    const now = performance.now();
    const kept = this.heads.get(key);
    if (kept && now - kept.at < HEAD_TTL_MS) return kept.head;
    const saves = this.saves.get(workspaceId) ?? 0;
    const head = await reads.aiModels.getAiModelHead(workspaceId, model);
    // Read while this process saved a model: it may be the old head, so it is used once, not kept.
    if ((this.saves.get(workspaceId) ?? 0) === saves) {
      this.heads.delete(key);
      this.heads.set(key, { head, at: now });
      if (this.heads.size > KEEP_HEADS) this.heads.delete(this.heads.keys().next().value as string);
    }
    return head;
  }

  private async trainedOf(reads: Pick<StoreReads, "aiModels">, workspaceId: string, id: string, version: number) {
    const key = `${workspaceId}/${id}@${version}`;
    if (this.trained.has(key)) {
      const kept = this.trained.get(key) ?? null;
      this.trained.delete(key);
      this.trained.set(key, kept);
      return kept;
    }
    const row = await reads.aiModels.getAiModel(workspaceId, id);
    // Saved again since the head was read: this step uses what it finds (and keeps nothing).
    if (!row || row.version !== version) return (row?.trained as Trained | null) ?? null;
    const trained = (row.trained as Trained | null) ?? null;
    this.trained.set(key, trained);
    if (this.trained.size > KEEP) this.trained.delete(this.trained.keys().next().value as string);
    return trained;
  }
}
