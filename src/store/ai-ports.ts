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

export interface AiModelReads extends AiTrainingReads {
  listAiModels(workspaceId: string): Promise<AiModelRow[]>;
  getAiModel(workspaceId: string, idOrName: string): Promise<AiModelRow | undefined>;
  /** The model without what training left: a cheap read of its version before a cached copy is used. */
  getAiModelHead(workspaceId: string, idOrName: string): Promise<AiModelHead | undefined>;
}

export type AiModelHead = Omit<AiModelRow, "trained">;

export type TrainingState = "queued" | "running" | "succeeded" | "failed";

/** One training asked for (044): where it is, and what it made or why it failed. */
export interface AiTrainingJobRow {
  workspaceId: string;
  id: string;
  modelId: string;
  state: TrainingState;
  /** In words: "queued", "reading records", "learning", "measuring", "saving", "done", "failed". */
  phase: string;
  /** 0–1. */
  progress: number;
  error: string | null;
  /** The model version a succeeded training made. */
  modelVersion: number | null;
  requestedBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** A model version: what one successful training learned, and from what (044). */
export interface AiModelVersionRow {
  workspaceId: string;
  modelId: string;
  version: number;
  jobId: string | null;
  trainedAt: string;
  /** The window of labelled records learned from: the first and last one's created_at, and how many. */
  dataFirstAt: string | null;
  dataLastAt: string | null;
  dataRecords: number;
  /** What it read: target, text_fields, value_fields. */
  features: unknown;
  /** The held-out figures, label counts and gate (the model's `training` without its parameters). */
  quality: unknown;
  params: unknown;
  createdBy: string | null;
}

export interface AiTrainingReads {
  /** The model's trainings, newest first. */
  listTrainingJobs(workspaceId: string, modelId: string, limit: number): Promise<AiTrainingJobRow[]>;
  getTrainingJob(workspaceId: string, id: string): Promise<AiTrainingJobRow | undefined>;
  /** The newest training of each model of the workspace, by model id. */
  latestTrainingJobs(workspaceId: string): Promise<Map<string, AiTrainingJobRow>>;
  /** The model's versions, newest first, without their parameters. */
  listModelVersions(workspaceId: string, modelId: string): Promise<Array<Omit<AiModelVersionRow, "params">>>;
}

export interface AiModelPort extends AiModelReads {
  /** False when the name is taken. */
  insertAiModel(row: AiModelRow): Promise<boolean>;
  /** Saved over version − 1. */
  updateAiModel(row: AiModelRow): Promise<VersionedUpdate>;
  /** Deletes the model with its versions and trainings. */
  deleteAiModel(workspaceId: string, id: string): Promise<boolean>;
  insertTrainingJob(row: AiTrainingJobRow): Promise<void>;
  /** Saves the job's state, phase, progress, error, version and times. */
  updateTrainingJob(row: AiTrainingJobRow): Promise<void>;
  /** Marks every queued or running training failed with `error` (start-up, after a stop); returns how many. */
  failUnfinishedTrainingJobs(error: string, at: string): Promise<number>;
  insertModelVersion(row: AiModelVersionRow): Promise<void>;
  /** The model's newest version number, 0 before the first. */
  latestModelVersion(workspaceId: string, modelId: string): Promise<number>;
}
