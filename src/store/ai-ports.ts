/** Storage port of the AI models (issue 24; docs/ai.md). */
import type { VersionedUpdate } from "./routing-ports.js";

export interface AiModelRow {
  workspaceId: string;
  id: string;
  name: string;
  object: string;
  /** The field the model predicts. */
  target: string;
  enabled: boolean;
  /** What it reads and its threshold (app/ai/ai-model-schemas.ts), as saved. */
  definition: unknown;
  /** What the last training left (app/ai/ai-model-admin.ts), or null before the first. */
  trained: unknown | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

export interface AiModelReads {
  listAiModels(workspaceId: string): Promise<AiModelRow[]>;
  getAiModel(workspaceId: string, idOrName: string): Promise<AiModelRow | undefined>;
  /** The model without what training left: a cheap read of its version before a cached copy is used. */
  getAiModelHead(workspaceId: string, idOrName: string): Promise<AiModelHead | undefined>;
}

export type AiModelHead = Omit<AiModelRow, "trained">;

export interface AiModelPort extends AiModelReads {
  /** False when the name is taken. */
  insertAiModel(row: AiModelRow): Promise<boolean>;
  /** Saved over version − 1. */
  updateAiModel(row: AiModelRow): Promise<VersionedUpdate>;
  deleteAiModel(workspaceId: string, id: string): Promise<boolean>;
}
