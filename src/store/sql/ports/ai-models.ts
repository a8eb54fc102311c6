/** The AI models port (issue 24). */
import type { AiModelPort, AiModelRow, AiModelVersionRow, AiTrainingJobRow } from "../../ai-ports.js";
import * as ai from "../ai-models.js";
import type { SqlSession } from "../session.js";

export class SqlAiModels implements AiModelPort {
  constructor(private readonly s: SqlSession) {}

  listAiModels(workspaceId: string) {
    return ai.listAiModels(this.s.db, this.s.d, workspaceId);
  }
  getAiModel(workspaceId: string, idOrName: string) {
    return ai.getAiModel(this.s.db, this.s.d, workspaceId, idOrName);
  }
  getAiModelHead(workspaceId: string, idOrName: string) {
    return ai.getAiModelHead(this.s.db, this.s.d, workspaceId, idOrName);
  }
  insertAiModel(row: AiModelRow) {
    return ai.insertAiModel(this.s.db, this.s.d, row);
  }
  updateAiModel(row: AiModelRow) {
    return ai.updateAiModel(this.s.db, this.s.d, row);
  }
  deleteAiModel(workspaceId: string, id: string) {
    return ai.deleteAiModel(this.s.db, workspaceId, id);
  }
  insertTrainingJob(row: AiTrainingJobRow) {
    return ai.insertTrainingJob(this.s.db, row);
  }
  updateTrainingJob(row: AiTrainingJobRow) {
    return ai.updateTrainingJob(this.s.db, row);
  }
  failUnfinishedTrainingJobs(error: string, at: string) {
    return ai.failUnfinishedTrainingJobs(this.s.db, error, at);
  }
  getTrainingJob(workspaceId: string, id: string) {
    return ai.getTrainingJob(this.s.db, workspaceId, id);
  }
  listTrainingJobs(workspaceId: string, modelId: string, limit: number) {
    return ai.listTrainingJobs(this.s.db, workspaceId, modelId, limit);
  }
  latestTrainingJobs(workspaceId: string) {
    return ai.latestTrainingJobs(this.s.db, workspaceId);
  }
  insertModelVersion(row: AiModelVersionRow) {
    return ai.insertModelVersion(this.s.db, this.s.d, row);
  }
  latestModelVersion(workspaceId: string, modelId: string) {
    return ai.latestModelVersion(this.s.db, workspaceId, modelId);
  }
  listModelVersions(workspaceId: string, modelId: string) {
    return ai.listModelVersions(this.s.db, this.s.d, workspaceId, modelId);
  }
}
