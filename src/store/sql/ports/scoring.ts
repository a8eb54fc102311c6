/** The scoring ports: models, versions and rescores (`SqlScoring`); records' awards, states and ledger (`SqlScores`). */
import type { ObjectName } from "../../../crm/fields.js";
import type {
  LedgerQuery,
  ScoreAwardRow,
  ScoreClaims,
  ScoreLedgerRow,
  ScoreModelRow,
  ScoreModelVersionRow,
  ScorePort,
  ScoreRescoreRow,
  ScoreStateRow,
  ScoringClaims,
  ScoringPort,
} from "../../scoring-ports.js";
import * as scoring from "../scoring.js";
import type { SqlSession } from "../session.js";

export class SqlScoring implements ScoringPort, ScoringClaims {
  constructor(private readonly s: SqlSession) {}

  listScoreModels(workspaceId: string) {
    return scoring.listScoreModels(this.s.db, workspaceId);
  }
  getScoreModel(workspaceId: string, key: string) {
    return scoring.getScoreModel(this.s.db, workspaceId, key);
  }
  getScoreModelById(workspaceId: string, id: string) {
    return scoring.getScoreModel(this.s.db, workspaceId, id, "id");
  }
  scoreModelVersions(workspaceId: string, modelId: string) {
    return scoring.scoreModelVersions(this.s.db, this.s.d, workspaceId, modelId);
  }
  getScoreModelVersion(workspaceId: string, modelId: string, version: number) {
    return scoring.getScoreModelVersion(this.s.db, this.s.d, workspaceId, modelId, version);
  }
  liveScoreModels(workspaceId: string, object?: ObjectName) {
    return scoring.liveScoreModels(this.s.db, this.s.d, workspaceId, object);
  }
  latestScoreRescore(workspaceId: string, modelId: string) {
    return scoring.latestScoreRescore(this.s.db, workspaceId, modelId);
  }
  async scoredRecordIds(workspaceId: string, object: ObjectName, afterId: string | null, limit: number) {
    // Kept record writes of this transaction are written first: this reads records other than by id.
    await this.s.uow?.flushRecords();
    return scoring.scoredRecordIds(this.s.db, workspaceId, object, afterId, limit);
  }
  async countScoredRecords(workspaceId: string, object: ObjectName) {
    await this.s.uow?.flushRecords();
    return scoring.countScoredRecords(this.s.db, workspaceId, object);
  }
  insertScoreModel(row: ScoreModelRow) {
    return scoring.insertScoreModel(this.s.db, row);
  }
  updateScoreModel(row: ScoreModelRow) {
    return scoring.updateScoreModel(this.s.db, row);
  }
  deleteScoreModel(workspaceId: string, id: string) {
    return scoring.deleteScoreModel(this.s.db, workspaceId, id);
  }
  insertScoreModelVersion(row: ScoreModelVersionRow) {
    return scoring.insertScoreModelVersion(this.s.db, this.s.d, row);
  }
  insertScoreRescore(row: ScoreRescoreRow) {
    return scoring.insertScoreRescore(this.s.db, row);
  }
  updateScoreRescore(row: ScoreRescoreRow) {
    return scoring.updateScoreRescore(this.s.db, row);
  }
  supersedeScoreRescores(workspaceId: string, modelId: string, why: string, at: string) {
    return scoring.supersedeScoreRescores(this.s.db, workspaceId, modelId, why, at);
  }
  claimScoreRescore(owner: string, leaseMs: number) {
    return scoring.claimScoreRescore(this.s.db, this.s.d, owner, leaseMs);
  }
}

export class SqlScores implements ScorePort, ScoreClaims {
  constructor(private readonly s: SqlSession) {}

  scoreStatesOf(workspaceId: string, recordId: string) {
    return scoring.scoreStatesOf(this.s.db, this.s.d, workspaceId, recordId);
  }
  scoreAwardsOf(workspaceId: string, modelId: string, recordId: string) {
    return scoring.scoreAwardsOf(this.s.db, workspaceId, modelId, recordId);
  }
  scoreLedger(q: LedgerQuery) {
    return scoring.scoreLedger(this.s.db, this.s.d, q);
  }
  externalReceivedOf(workspaceId: string, recordId: string) {
    return scoring.externalReceivedOf(this.s.db, workspaceId, recordId);
  }
  activitiesAbout(workspaceId: string, recordId: string) {
    return scoring.activitiesAbout(this.s.db, this.s.d, workspaceId, recordId);
  }
  activitiesAboutMany(workspaceId: string, recordIds: readonly string[]) {
    return scoring.activitiesAboutMany(this.s.db, this.s.d, workspaceId, recordIds);
  }
  insertScoreAwards(rows: readonly ScoreAwardRow[]) {
    return scoring.insertScoreAwards(this.s.db, rows);
  }
  deleteScoreAwards(workspaceId: string, modelId: string, recordId: string) {
    return scoring.deleteScoreAwards(this.s.db, workspaceId, modelId, recordId);
  }
  putScoreState(row: ScoreStateRow) {
    return scoring.putScoreState(this.s.db, this.s.d, row);
  }
  appendScoreLedger(rows: readonly ScoreLedgerRow[]) {
    return scoring.appendScoreLedger(this.s.db, this.s.d, rows);
  }
  claimDueScoreStates(owner: string, limit: number, leaseMs: number, dueBy?: string) {
    return scoring.claimDueScoreStates(this.s.db, this.s.d, owner, limit, leaseMs, dueBy);
  }
  nextScoreChangeInMs() {
    return scoring.nextScoreChangeInMs(this.s.db, this.s.d);
  }
}
