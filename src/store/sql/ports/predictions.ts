/** The AI predictions port (issue 24). */
import type { Grain } from "../../kpi-ports.js";
import type { PredictionPort, PredictionRow } from "../../prediction-ports.js";
import * as p from "../predictions.js";
import type { SqlSession } from "../session.js";

export class SqlPredictions implements PredictionPort {
  constructor(private readonly s: SqlSession) {}

  insertPrediction(row: PredictionRow) {
    return p.insertPrediction(this.s.db, this.s.d, row);
  }
  predictionsOfRecord(workspaceId: string, recordId: string, limit: number) {
    return p.predictionsOfRecord(this.s.db, this.s.d, workspaceId, recordId, limit);
  }
  markOverridden(workspaceId: string, recordId: string, field: string, value: string | null, by: string, at: string) {
    return p.markOverridden(this.s.db, workspaceId, recordId, field, value, by, at);
  }
  overrideDays(workspaceId: string, of: { modelId: string } | { object: string }, from: string, to: string, grain?: Grain) {
    return p.overrideDays(this.s.db, workspaceId, of, from, to, grain);
  }
}
