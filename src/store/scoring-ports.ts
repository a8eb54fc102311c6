/**
 * Storage port of lead scoring (issue 21; docs/scoring.md).
 *
 * Glossary
 * - Scoring model: a key per workspace naming versions of a definition (`ScoreModelDefinition`,
 *   engine/scoring/definition.ts) on one object; the current version is the one that scores;
 *   `enabled` switches it.
 * - Award: one event × one engagement rule, with its nominal points and instant — the input
 *   decay reads. At most one per (model, record, rule, cause key).
 * - Score state: a record's score under a model as last written — exact fit, engagement and
 *   total, the fit rules that held, and `next_change_at`: the next instant decay or expiry
 *   changes what its fields hold. Due states are claimed with a lease like timers.
 * - Ledger row: one change of a score — kind, rule, cause, nominal points, total before and after.
 *   For every record the rows' (after − before) sum to the state's total.
 * - Rescore: a version recomputing every record of its object in the background, in batches;
 *   `after_id` is the last record done (records are taken in id order).
 */
import type { ObjectName } from "../crm/fields.js";
import type { ScoreModelDefinition } from "../engine/scoring/definition.js";
import type { LedgerKind } from "../engine/scoring/ledger.js";
import type { StoredRecord } from "./record-ports.js";

export type { LedgerKind, ScoreModelDefinition };

export interface ScoreModelRow {
  workspaceId: string;
  id: string;
  key: string;
  name: string;
  object: ObjectName;
  enabled: boolean;
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

export interface ScoreModelVersionRow {
  workspaceId: string;
  modelId: string;
  version: number;
  definition: ScoreModelDefinition;
  publishedAt: string;
  publishedBy: string | null;
  note: string | null;
}

/** An enabled model with its current definition: what the event path scores with. */
export interface LiveScoreModel {
  model: ScoreModelRow;
  definition: ScoreModelDefinition;
}

export interface ScoreAwardRow {
  workspaceId: string;
  id: string;
  modelId: string;
  version: number;
  recordId: string;
  groupKey: string;
  ruleKey: string;
  points: number;
  awardedAt: string;
  /** `activity:<activity id>` or `event:<external.received event id>`: what earned it, stable across rescores. */
  causeKey: string;
  expiresAt: string | null;
}

export interface ScoreStateRow {
  workspaceId: string;
  modelId: string;
  recordId: string;
  version: number;
  fit: number;
  engagement: number;
  total: number;
  /** `group/rule` of each fit rule that held. */
  fitRules: string[];
  /** `group/rule` → points, for each AI prediction rule that held (its chance × points; 045). */
  fitPoints: Record<string, number>;
  updatedAt: string;
  nextChangeAt: string | null;
}

export interface ScoreLedgerRow {
  workspaceId: string;
  id: string;
  modelId: string;
  version: number;
  recordId: string;
  kind: LedgerKind;
  groupKey: string | null;
  ruleKey: string | null;
  causeEventId: string | null;
  /** What changed: `{activity: {id, type}}`, `{external: source}`, `{fields: [{field, old, new}]}`, `{version: n}`, `{decay: …}`. */
  cause: Record<string, unknown>;
  points: number | null;
  before: number;
  after: number;
  at: string;
}

export const RESCORE_STATES = ["queued", "running", "done", "failed"] as const;
export type RescoreState = (typeof RESCORE_STATES)[number];

export interface ScoreRescoreRow {
  workspaceId: string;
  id: string;
  modelId: string;
  version: number;
  state: RescoreState;
  total: number;
  done: number;
  changed: number;
  afterId: string | null;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export interface LedgerQuery {
  workspaceId: string;
  recordId: string;
  modelId?: string | undefined;
  /** Rows older than this id (newest first). */
  before?: string | undefined;
  limit: number;
}

export interface ScoringReads {
  listScoreModels(workspaceId: string): Promise<ScoreModelRow[]>;
  getScoreModel(workspaceId: string, key: string): Promise<ScoreModelRow | undefined>;
  getScoreModelById(workspaceId: string, id: string): Promise<ScoreModelRow | undefined>;
  scoreModelVersions(workspaceId: string, modelId: string): Promise<ScoreModelVersionRow[]>;
  getScoreModelVersion(workspaceId: string, modelId: string, version: number): Promise<ScoreModelVersionRow | undefined>;
  /** Enabled models with their current definitions; all objects when `object` is omitted. */
  liveScoreModels(workspaceId: string, object?: ObjectName): Promise<LiveScoreModel[]>;
  latestScoreRescore(workspaceId: string, modelId: string): Promise<ScoreRescoreRow | undefined>;
  /** Up to `limit` ids of the object's records after `afterId`, in id order (rescores, previews). */
  scoredRecordIds(workspaceId: string, object: ObjectName, afterId: string | null, limit: number): Promise<string[]>;
  countScoredRecords(workspaceId: string, object: ObjectName): Promise<number>;
}

/** Models, their versions and rescores (`tx.scoring`). */
export interface ScoringPort extends ScoringReads {
  /** False when the key is taken. */
  insertScoreModel(row: ScoreModelRow): Promise<boolean>;
  updateScoreModel(row: ScoreModelRow): Promise<void>;
  /** The model with its versions, awards, states, ledger and rescores. */
  deleteScoreModel(workspaceId: string, id: string): Promise<void>;
  insertScoreModelVersion(row: ScoreModelVersionRow): Promise<void>;
  insertScoreRescore(row: ScoreRescoreRow): Promise<void>;
  updateScoreRescore(row: ScoreRescoreRow): Promise<void>;
  /** Marks the model's unfinished rescores failed with `why` (a newer version replaces them). */
  supersedeScoreRescores(workspaceId: string, modelId: string, why: string, at: string): Promise<void>;
}

export interface ScoringClaims {
  /** Leases one queued or running rescore whose lease lapsed (oldest first). */
  claimScoreRescore(owner: string, leaseMs: number): Promise<ScoreRescoreRow | undefined>;
}

export interface ScoreReads {
  scoreStatesOf(workspaceId: string, recordId: string): Promise<ScoreStateRow[]>;
  scoreAwardsOf(workspaceId: string, modelId: string, recordId: string): Promise<ScoreAwardRow[]>;
  scoreLedger(q: LedgerQuery): Promise<ScoreLedgerRow[]>;
  /** The record's `external.received` events, oldest first (a rescore re-derives their awards). */
  externalReceivedOf(workspaceId: string, recordId: string): Promise<Array<{ id: string; source: string; occurredAt: string }>>;
  /** The activities about the record (`related_id`), oldest first (a rescore re-derives their awards). */
  activitiesAbout(workspaceId: string, recordId: string): Promise<StoredRecord[]>;
  /**
   * The activities about any of these records (`related_id`), in no order: one read for many
   * records through the same index (a conversion model's training counts a page at a time).
   */
  activitiesAboutMany(workspaceId: string, recordIds: readonly string[]): Promise<StoredRecord[]>;
}

/** Records' scores: awards, states and the ledger (`tx.scores`). */
export interface ScorePort extends ScoreReads {
  /** Awards already given (same model, record, rule and cause key) are skipped; returns those inserted. */
  insertScoreAwards(rows: readonly ScoreAwardRow[]): Promise<ScoreAwardRow[]>;
  deleteScoreAwards(workspaceId: string, modelId: string, recordId: string): Promise<void>;
  /** Inserts or replaces the (model, record) state and clears its lease. */
  putScoreState(row: ScoreStateRow): Promise<void>;
  appendScoreLedger(rows: readonly ScoreLedgerRow[]): Promise<void>;
}

export interface ScoreClaims {
  /** Leases up to `limit` states whose next change is due (by the database clock, or `dueBy`). */
  claimDueScoreStates(owner: string, limit: number, leaseMs: number, dueBy?: string): Promise<ScoreStateRow[]>;
  nextScoreChangeInMs(): Promise<number | undefined>;
}
