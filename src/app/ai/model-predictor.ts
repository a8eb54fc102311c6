/**
 * The prediction a workflow's `classify` step decides on (docs/ai.md "The classify step"), worked
 * out before decide() — the engine does no IO. The model's head (name, version, whether it is on)
 * is read in the step's transaction every time, so turning a model off or retraining it takes
 * effect at the next step; its learned parameters, the large part, are parsed once per version
 * and kept (a few models per workspace).
 */
import type { PredictionFact } from "../../engine/conditions.js";
import type { StoreReads } from "../../store/ports.js";
import type { AiModelSpec } from "./ai-model-schemas.js";
import type { Trained } from "./ai-training.js";
import { predictRecord } from "./prediction.js";

/** Parsed parameters kept, least recently used first out. */
const KEEP = 32;

export class ModelPredictor {
  private readonly trained = new Map<string, Trained | null>();

  async predict(
    reads: Pick<StoreReads, "aiModels">,
    workspaceId: string,
    step: string,
    spec: { model: string; field: string },
    object: string,
    record: Readonly<Record<string, unknown>>,
  ): Promise<PredictionFact> {
    const none = (why: string): PredictionFact => ({ ok: false, step, model: spec.model, why });
    const head = await reads.aiModels.getAiModelHead(workspaceId, spec.model);
    if (!head) return none("there is no such model (deleted or renamed?)");
    if (head.object !== object || head.target !== spec.field)
      return none(`it predicts ${head.object} ${head.target}, not ${object} ${spec.field}`);
    if (!head.enabled) return none("it is turned off");
    const trained = await this.trainedOf(reads, workspaceId, head.id, head.version);
    if (!trained) return none("it has not been trained");
    const def = head.definition as AiModelSpec;
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
