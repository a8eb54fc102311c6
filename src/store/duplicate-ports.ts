/**
 * Storage port of duplicate detection (issue 20; docs/data-quality.md, "Matching and duplicates", "Scan").
 *
 * Glossary
 * - Match key: a normalised form of a record's identifying fields (crm/dedupe/keys.ts): kind
 *   (`email`, `email_domain`, `phone`, `company`, `surname_phonetic`) and value. Stored per record
 *   in the same transaction as the record's create or update; records sharing a key are the only
 *   ones ever scored against each other (index lookups, never a scan of records).
 * - Match rule: per object, which objects it compares with, the blocking keys it looks up, the
 *   fields it scores with their weights and similarity, a threshold and an action (allow, block,
 *   alert, merge above a score). Versioned; changes go to the configuration audit.
 * - Dedupe scan: a one-off background pass over an object's existing records that indexes their
 *   keys and queues the duplicate pairs already present; its progress is stored here.
 */
import type { MatchKey, MatchKeyKind } from "../crm/dedupe/keys.js";
import type { VersionedUpdate } from "./routing-ports.js";

export interface MatchKeyRow {
  object: string;
  kind: MatchKeyKind;
  value: string;
  recordId: string;
}

export interface KeyHolders {
  holders: MatchKeyRow[];
  tooCommon: MatchKey[];
}

export interface RecordKeys {
  object: string;
  recordId: string;
  keys: readonly MatchKey[];
}

export interface MatchRuleRow {
  workspaceId: string;
  id: string;
  name: string;
  /** The object whose writes the rule checks. */
  object: string;
  enabled: boolean;
  /** The rule as the API shows it (snake_case; app/duplicates/match-rule-schemas.ts). */
  definition: unknown;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

export const SCAN_STATUSES = ["running", "done", "failed"] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

export interface DedupeScanRow {
  workspaceId: string;
  id: string;
  object: string;
  status: ScanStatus;
  /** Records of the object to go through; `done` of them so far. */
  total: number;
  done: number;
  pairsFound: number;
  pairsQueued: number;
  startedAt: string;
  startedBy: string;
  finishedAt: string | null;
  error: string | null;
}

export interface DuplicateReads {
  /**
   * The records of `objects` holding any of `keys` (through the key index), with the key they
   * hold. A key shared by more than `perKey` records is too common to block on: none of its
   * holders are returned, and it is named in `tooCommon`.
   */
  findRecordsByKeys(workspaceId: string, objects: readonly string[], keys: readonly MatchKey[], perKey: number): Promise<KeyHolders>;
  /** A workspace's match rules (of one object when given), by name. */
  listMatchRules(workspaceId: string, object?: string): Promise<MatchRuleRow[]>;
  getMatchRule(workspaceId: string, idOrName: string): Promise<MatchRuleRow | undefined>;
  getDedupeScan(workspaceId: string, id: string): Promise<DedupeScanRow | undefined>;
  /** Newest first. */
  listDedupeScans(workspaceId: string, limit: number): Promise<DedupeScanRow[]>;
}

export interface DuplicatePort extends DuplicateReads {
  /** Keys of records written for the first time (a create). */
  insertMatchKeys(workspaceId: string, records: readonly RecordKeys[]): Promise<void>;
  /**
   * Inserts the records' keys and answers `findRecordsByKeys` for `keys` as the table was just
   * before the insert (the caller adds the records' own keys): on PostgreSQL in one statement, so
   * that detection on a create costs no round trip of its own.
   */
  insertMatchKeysFinding(
    workspaceId: string,
    records: readonly RecordKeys[],
    objects: readonly string[],
    keys: readonly MatchKey[],
    perKey: number,
  ): Promise<KeyHolders>;
  /** A record's keys replaced by `keys` (an update of its key fields, a scan). */
  replaceMatchKeys(workspaceId: string, records: readonly RecordKeys[]): Promise<void>;
  /** False when the name is taken in the workspace. */
  insertMatchRule(rule: MatchRuleRow): Promise<boolean>;
  /** Saved only over `rule.version - 1`. */
  updateMatchRule(rule: MatchRuleRow): Promise<VersionedUpdate>;
  deleteMatchRule(workspaceId: string, id: string): Promise<boolean>;
  insertDedupeScan(scan: DedupeScanRow): Promise<void>;
  updateDedupeScan(scan: DedupeScanRow): Promise<void>;
}
