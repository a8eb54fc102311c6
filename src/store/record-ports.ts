/**
 * Storage port of CRM records.
 *
 * Glossary
 * - Workspace: a tenant. Every row carries its workspace id, and every read names one.
 * - Record: one row of a CRM object; its fields live in `data`, typed by the object's FieldDefs.
 * - Version: a record's optimistic-concurrency counter; a write names the version it read.
 * - Kept write: inside a transaction, a record write that cannot fail any more is kept and
 *   written with the others of its kind in one statement before anything could see the table
 *   without it (sql/unit-of-work.ts); reads by id are answered from the transaction's copies.
 */
import type { FieldDef, ObjectName } from "../crm/fields.js";
import type { CheckedFilter } from "../crm/filter.js";

export interface StoredRecord {
  workspaceId: string;
  id: string;
  object: ObjectName;
  version: number;
  data: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export type SortDirection = "asc" | "desc";

export interface RecordQuery {
  workspaceId: string;
  object: ObjectName;
  filter?: CheckedFilter;
  sort: { field: FieldDef; direction: SortDirection };
  /** Keyset position: the sort value and id of the last row of the previous page. */
  after?: { value: unknown; id: string };
  limit: number;
}

/** A record field that points at another record: used to refuse deleting what is still referenced. */
export interface ReferenceProbe {
  object: ObjectName;
  field: string;
}

export interface RecordReads {
  getRecord(workspaceId: string, id: string): Promise<StoredRecord | undefined>;
  getRecords(workspaceId: string, ids: readonly string[]): Promise<StoredRecord[]>;
  queryRecords(query: RecordQuery): Promise<StoredRecord[]>;
  countRecords(workspaceId: string, object: ObjectName): Promise<number>;
  /** The first record that still points at `id` through one of the probed fields. */
  findReferrer(workspaceId: string, id: string, probes: readonly ReferenceProbe[]): Promise<StoredRecord | undefined>;
  /** Every record that points at `id` through one of the probed fields, with the field (a merge moves them all). */
  findReferrers(
    workspaceId: string,
    id: string,
    probes: readonly ReferenceProbe[],
  ): Promise<Array<{ record: StoredRecord; field: string }>>;
}

export interface RecordPort extends RecordReads {
  /**
   * Reads records and locks them until the transaction ends, in id order (so that two writers
   * never wait on each other crosswise). A concurrent writer of the same rows waits its turn.
   */
  getRecordsForUpdate(workspaceId: string, ids: readonly string[]): Promise<StoredRecord[]>;
  /**
   * The records as they are to be written under the version guard of `updateRecord`: a copy
   * this transaction has already read or written is used as it is (no round trip), the others
   * are read as getRecordsForUpdate reads them. A copy read without a lock may be stale; the
   * guarded write then returns false, and the caller reads the row again with
   * getRecordsForUpdate (which locks it) and retries.
   */
  getRecordsToWrite(workspaceId: string, ids: readonly string[]): Promise<StoredRecord[]>;
  insertRecords(records: readonly StoredRecord[]): Promise<void>;
  /** Writes `record` if the stored version is still `expectedVersion`; false when it moved on. */
  updateRecord(record: StoredRecord, expectedVersion: number): Promise<boolean>;
  deleteRecord(workspaceId: string, id: string, expectedVersion: number): Promise<boolean>;
}
