/** `record_prediction`: a `classify` step's prediction kept with the record, its model and the run (docs/ai.md). */
import type { CommandHandler } from "./scope.js";

export const recordPredictionHandler: CommandHandler<"record_prediction"> = {
  recordsOnly: true,
  async apply(s, c) {
    const id = s.ids.next();
    const p = c.prediction;
    await s.tx.predictions.insertPrediction({
      workspaceId: s.record.workspaceId,
      id,
      recordId: s.record.id,
      object: s.record.object,
      modelId: p.modelId,
      modelName: p.model,
      modelVersion: p.modelVersion,
      field: c.field,
      value: p.value,
      confidence: p.confidence,
      threshold: p.threshold,
      applied: c.applied,
      reasons: p.reasons.map((r) => ({ feature: r.feature, weight: r.weight, text: r.text })),
      runId: s.run.id,
      step: p.step,
      createdAt: s.now,
      overriddenAt: null,
      overriddenValue: null,
      overriddenBy: null,
    });
    return {
      command: c.type,
      prediction_id: id,
      model: p.model,
      field: c.field,
      value: p.value,
      confidence: p.confidence,
      threshold: p.threshold,
      applied: c.applied,
      reasons: p.reasons.map((r) => r.text),
    };
  },
};
