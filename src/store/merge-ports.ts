/**
 * Storage port of record merges (issue 20, item 4; docs/data-quality.md "Merge" and "Undo").
 *
 * Glossary
 * - Merge: one record (the merged record) folded into another of the same object (the survivor):
 *   per field, the caller chose whose value wins; every reference to the merged record now points
 *   at the survivor. One row per merge, written in the merge's transaction.
 * - Tombstone: the merged record as it was, kept on its merge row after the record itself left
 *   `records`: its id keeps resolving (to the survivor), and an undo puts it back exactly.
 * - Moved reference: a record whose reference field named the merged record and was pointed at
 *   the survivor by the merge (undo points it back).
 * - Open merge: one not undone. A record is merged at most once at a time.
 */
import type { ObjectName } from "../crm/fields.js";
import type { FieldChange } from "./audit-ports.js";
import type { StoredRecord } from "./record-ports.js";

/** Whose value a field takes in a merge. */
export type FieldChoice = "survivor" | "merged";

export interface MovedReference {
  recordId: string;
  object: ObjectName;
  field: string;
}

export interface MergeRow {
  workspaceId: string;
  id: string;
  object: ObjectName;
  survivorId: string;
  mergedId: string;
  /** The merged record exactly as it was when merged (the tombstone). */
  mergedSnapshot: StoredRecord;
  /** The survivor's data and version before the merge. */
  survivorBefore: { version: number; data: Record<string, unknown> };
  /** The survivor's fields the merge changed, old → new. */
  survivorChanges: FieldChange[];
  moved: MovedReference[];
  /** The caller's per-field choices, as given. */
  fields: Record<string, FieldChoice>;
  /** Who merged, as `kind:id` (an actor). */
  mergedBy: string;
  mergedAt: string;
  undoneAt: string | null;
  undoneBy: string | null;
}

export interface MergeReads {
  getMerge(workspaceId: string, id: string): Promise<MergeRow | undefined>;
  /** The open merge whose merged record is `recordId`: its tombstone. */
  openMergeOf(workspaceId: string, recordId: string): Promise<MergeRow | undefined>;
  /** Merges into `survivorId`, newest first (undone ones too). */
  mergesInto(workspaceId: string, survivorId: string, limit: number): Promise<MergeRow[]>;
}

export interface MergePort extends MergeReads {
  /** Fails the transaction when the merged record has an open merge already (unique index). */
  insertMerge(row: MergeRow): Promise<void>;
  /** Closes an open merge; false when it was undone already (a concurrent undo won). */
  markUndone(workspaceId: string, id: string, at: string, by: string): Promise<boolean>;
}
