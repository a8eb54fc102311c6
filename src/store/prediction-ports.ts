/**
 * Storage port of the AI predictions (issue 24; docs/ai.md "Predictions").
 *
 * Glossary: a **prediction** is what a model said of a record when a workflow's `classify` step
 * asked — the value, its confidence and its reasons; **applied** when it was confident enough to
 * be written into the field; **overridden** when a person later changed that field to another
 * value (the first such change counts, once).
 */

import type { Grain } from "../engine/kpis/summary.js";

export interface PredictionReason {
  feature: string;
  weight: number;
  text: string;
}

export interface PredictionRow {
  workspaceId: string;
  id: string;
  recordId: string;
  object: string;
  modelId: string;
  modelName: string;
  modelVersion: number;
  field: string;
  value: string;
  confidence: number;
  threshold: number;
  applied: boolean;
  reasons: PredictionReason[];
  runId: string | null;
  step: string | null;
  createdAt: string;
  overriddenAt: string | null;
  overriddenValue: string | null;
  overriddenBy: string | null;
}

/** A model's applied predictions and their overrides, per UTC day. */
export interface OverrideDay {
  /** YYYY-MM-DD, or YYYY-MM-DDTHH by hour. */
  day: string;
  applied: number;
  overridden: number;
}

export interface PredictionReads {
  /** A record's predictions, newest first. */
  predictionsOfRecord(workspaceId: string, recordId: string, limit: number): Promise<PredictionRow[]>;
  /** Per day from `from` (inclusive) to `to` (exclusive), by when the prediction was made: one model's, or those on one object's records. */
  overrideDays(
    workspaceId: string,
    of: { modelId: string } | { object: string },
    from: string,
    to: string,
    grain?: Grain,
  ): Promise<OverrideDay[]>;
}

export interface PredictionPort extends PredictionReads {
  insertPrediction(row: PredictionRow): Promise<void>;
  /**
   * A person set `field` of the record to `value`: the record's applied, not yet overridden
   * predictions of that field whose value differs are marked overridden. How many were.
   */
  markOverridden(workspaceId: string, recordId: string, field: string, value: string | null, by: string, at: string): Promise<number>;
}
