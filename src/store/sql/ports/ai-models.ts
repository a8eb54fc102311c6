/** The AI models port (issue 24). */
import type { AiModelPort, AiModelRow } from "../../ai-ports.js";
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
}
