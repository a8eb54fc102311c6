/** The records port: reads by id from the unit of work's copies, writes kept where they cannot fail any more. */
import type { ObjectName } from "../../../crm/fields.js";
import type { RecordPort, RecordQuery, ReferenceProbe, StoredRecord } from "../../record-ports.js";
import * as rec from "../records.js";
import type { SqlSession } from "../session.js";
import { recordKey } from "../unit-of-work.js";

export class SqlRecords implements RecordPort {
  constructor(private readonly s: SqlSession) {}

  async getRecord(workspaceId: string, id: string) {
    const { db, d, uow } = this.s;
    const copies = uow?.records;
    const k = recordKey(workspaceId, id);
    if (copies?.has(k)) return copies.get(k);
    const found = await rec.getRecord(db, d, workspaceId, id);
    copies?.set(k, found);
    return found;
  }
  async getRecords(workspaceId: string, ids: readonly string[]) {
    const { db, d, uow } = this.s;
    if (!uow) return rec.getRecords(db, d, workspaceId, ids);
    const missing = [...new Set(ids)].filter((id) => !uow.records.has(recordKey(workspaceId, id)));
    if (missing.length > 0) uow.remember(workspaceId, missing, await rec.getRecords(db, d, workspaceId, missing));
    return uow.copies(workspaceId, ids);
  }
  async queryRecords(query: RecordQuery) {
    await this.s.uow?.flushRecords();
    return rec.queryRecords(this.s.db, this.s.d, query);
  }
  async countRecords(workspaceId: string, object: ObjectName) {
    await this.s.uow?.flushRecords();
    return rec.countRecords(this.s.db, workspaceId, object);
  }
  async findReferrer(workspaceId: string, id: string, probes: readonly ReferenceProbe[]) {
    await this.s.uow?.flushRecords();
    return rec.findReferrer(this.s.db, this.s.d, workspaceId, id, probes);
  }
  async findReferrers(workspaceId: string, id: string, probes: readonly ReferenceProbe[]) {
    await this.s.uow?.flushRecords();
    return rec.findReferrers(this.s.db, this.s.d, workspaceId, id, probes);
  }
  async getRecordsForUpdate(workspaceId: string, ids: readonly string[]) {
    // Without row locks (SQLite) the transaction already holds the database's write lock: no
    // other writer can have moved a row it has read, so its copies serve.
    if (!this.s.d.rowLocks) return this.getRecords(workspaceId, ids);
    return this.readLocking(workspaceId, ids, (k) => this.s.uow?.locked.has(k) === true);
  }
  async getRecordsToWrite(workspaceId: string, ids: readonly string[]) {
    if (!this.s.d.rowLocks) return this.getRecords(workspaceId, ids);
    // A copy read without a lock may be stale: the caller's version guard catches that.
    return this.readLocking(workspaceId, ids, (k) => this.s.uow?.records.get(k) !== undefined);
  }
  /** Copies that `served` accepts, the other rows read from the database with a lock. */
  private async readLocking(workspaceId: string, ids: readonly string[], served: (key: string) => boolean) {
    const { db, d, uow } = this.s;
    if (!uow) return rec.getRecords(db, d, workspaceId, ids, true);
    const missing = [...new Set(ids)].filter((id) => !served(recordKey(workspaceId, id)));
    if (missing.length > 0) {
      const found = await rec.getRecords(db, d, workspaceId, missing, true);
      uow.remember(workspaceId, missing, found);
      // Only rows that exist are locked (a row inserted later by another writer is not).
      for (const r of found) uow.locked.add(recordKey(workspaceId, r.id));
    }
    return uow.copies(workspaceId, ids);
  }
  async insertRecords(records: readonly StoredRecord[]) {
    const uow = this.s.uow;
    if (!uow) return rec.insertRecords(this.s.db, this.s.d, records);
    uow.keepInserts(records);
  }
  async updateRecord(record: StoredRecord, expectedVersion: number) {
    const uow = this.s.uow;
    const kept = uow?.keepUpdate(record, expectedVersion);
    if (kept !== undefined) return kept;
    const updated = await rec.updateRecord(this.s.db, this.s.d, record, expectedVersion);
    const k = recordKey(record.workspaceId, record.id);
    // A lost race means the copy is stale: read it again next time.
    if (updated) uow?.keep(k, record);
    else uow?.records.delete(k);
    return updated;
  }
  async deleteRecord(workspaceId: string, id: string, expectedVersion: number) {
    const uow = this.s.uow;
    await uow?.flushRecords();
    const deleted = await rec.deleteRecord(this.s.db, workspaceId, id, expectedVersion);
    const k = recordKey(workspaceId, id);
    if (deleted) uow?.keep(k, undefined);
    else uow?.records.delete(k);
    return deleted;
  }
}
