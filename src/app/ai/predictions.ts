/**
 * The predictions people read (issue 24; docs/ai.md "Predictions"): a record's, with their
 * reasons and whether a person overrode them — for whoever may read the record — and a model's
 * override rate week by week, the figure that says whether people trust it.
 */
import type { ObjectName } from "../../crm/fields.js";
import type { Store } from "../../store/ports.js";
import type { PredictionRow } from "../../store/prediction-ports.js";
import type { CallContext } from "../context.js";
import { invalid, notFound } from "../errors.js";
import type { Clock } from "../ports.js";
import type { RecordReader } from "../records/record-reader.js";

/** A record's predictions shown, newest first. */
const RECORD_PREDICTIONS = 20;
const DAY_MS = 86_400_000;

export interface PredictionItem {
  id: string;
  model_id: string;
  model: string;
  model_version: number;
  field: string;
  value: string;
  confidence: number;
  threshold: number;
  applied: boolean;
  reasons: Array<{ feature: string; weight: number; text: string }>;
  run_id: string | null;
  step: string | null;
  created_at: string;
  overridden: { at: string; value: string | null; by: string | null } | null;
}

export interface OverrideWeek {
  /** The Monday (UTC) the week starts on. */
  week: string;
  applied: number;
  overridden: number;
  /** Overridden ÷ applied; null for a week with no applied prediction. */
  rate: number | null;
}

export function predictionItem(r: PredictionRow): PredictionItem {
  return {
    id: r.id,
    model_id: r.modelId,
    model: r.modelName,
    model_version: r.modelVersion,
    field: r.field,
    value: r.value,
    confidence: r.confidence,
    threshold: r.threshold,
    applied: r.applied,
    reasons: r.reasons,
    run_id: r.runId,
    step: r.step,
    created_at: r.createdAt,
    overridden: r.overriddenAt ? { at: r.overriddenAt, value: r.overriddenValue, by: r.overriddenBy } : null,
  };
}

/** The Monday of a UTC day. */
function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
}

export class PredictionReader {
  constructor(
    private readonly store: Store,
    private readonly records: RecordReader,
    private readonly clock: Clock,
  ) {}

  async ofRecord(ctx: CallContext, object: ObjectName, id: string): Promise<PredictionItem[]> {
    await this.records.get(ctx, object, id);
    return (await this.store.predictions.predictionsOfRecord(ctx.workspaceId, id, RECORD_PREDICTIONS)).map(predictionItem);
  }

  /** The model's applied predictions and overrides per week, the last `weeks` weeks, oldest first, empty weeks included. */
  async overrideWeeks(ctx: CallContext, idOrName: string, weeks: unknown): Promise<{ model_id: string; weeks: OverrideWeek[] }> {
    const n = weeks === undefined ? 12 : Number(weeks);
    if (!Number.isInteger(n) || n < 1 || n > 104)
      throw invalid([{ path: ["weeks"], code: "invalid_value", message: "weeks is a whole number from 1 to 104" }]);
    const model = await this.store.aiModels.getAiModelHead(ctx.workspaceId, idOrName);
    if (!model) throw notFound(`AI model ${idOrName}`);
    const thisWeek = weekOf(this.clock.now().toISOString().slice(0, 10));
    const from = new Date(Date.parse(`${thisWeek}T00:00:00Z`) - (n - 1) * 7 * DAY_MS);
    const to = new Date(Date.parse(`${thisWeek}T00:00:00Z`) + 7 * DAY_MS);
    const days = await this.store.predictions.overrideDays(ctx.workspaceId, { modelId: model.id }, from.toISOString(), to.toISOString());
    const out = new Map<string, OverrideWeek>();
    for (let i = 0; i < n; i++) {
      const week = new Date(from.getTime() + i * 7 * DAY_MS).toISOString().slice(0, 10);
      out.set(week, { week, applied: 0, overridden: 0, rate: null });
    }
    for (const d of days) {
      const w = out.get(weekOf(d.day));
      if (!w) continue;
      w.applied += d.applied;
      w.overridden += d.overridden;
    }
    for (const w of out.values()) w.rate = w.applied === 0 ? null : Math.round((w.overridden / w.applied) * 10_000) / 10_000;
    return { model_id: model.id, weeks: [...out.values()] };
  }
}
