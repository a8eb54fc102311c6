/** The duplicate detection port (issue 20). */
import type { MatchKey } from "../../../crm/dedupe/keys.js";
import type { DedupeScanRow, DuplicatePort, MatchRuleRow, RecordKeys } from "../../duplicate-ports.js";
import * as dup from "../duplicates.js";
import type { SqlSession } from "../session.js";

export class SqlDuplicates implements DuplicatePort {
  constructor(private readonly s: SqlSession) {}

  findRecordsByKeys(workspaceId: string, objects: readonly string[], keys: readonly MatchKey[], perKey: number) {
    return dup.findRecordsByKeys(this.s.db, workspaceId, objects, keys, perKey);
  }
  listMatchRules(workspaceId: string, object?: string) {
    return dup.listMatchRules(this.s.db, this.s.d, workspaceId, object);
  }
  getMatchRule(workspaceId: string, idOrName: string) {
    return dup.getMatchRule(this.s.db, this.s.d, workspaceId, idOrName);
  }
  getDedupeScan(workspaceId: string, id: string) {
    return dup.getDedupeScan(this.s.db, workspaceId, id);
  }
  listDedupeScans(workspaceId: string, limit: number) {
    return dup.listDedupeScans(this.s.db, workspaceId, limit);
  }
  insertMatchKeys(workspaceId: string, records: readonly RecordKeys[]) {
    return dup.insertMatchKeys(this.s.db, workspaceId, records);
  }
  insertMatchKeysFinding(
    workspaceId: string,
    records: readonly RecordKeys[],
    objects: readonly string[],
    keys: readonly MatchKey[],
    perKey: number,
  ) {
    return dup.insertMatchKeysFinding(this.s.db, this.s.d, workspaceId, records, objects, keys, perKey);
  }
  replaceMatchKeys(workspaceId: string, records: readonly RecordKeys[]) {
    return dup.replaceMatchKeys(this.s.db, workspaceId, records);
  }
  insertMatchRule(rule: MatchRuleRow) {
    return dup.insertMatchRule(this.s.db, this.s.d, rule);
  }
  updateMatchRule(rule: MatchRuleRow) {
    return dup.updateMatchRule(this.s.db, this.s.d, rule);
  }
  deleteMatchRule(workspaceId: string, id: string) {
    return dup.deleteMatchRule(this.s.db, workspaceId, id);
  }
  insertDedupeScan(scan: DedupeScanRow) {
    return dup.insertDedupeScan(this.s.db, scan);
  }
  updateDedupeScan(scan: DedupeScanRow) {
    return dup.updateDedupeScan(this.s.db, scan);
  }
}
