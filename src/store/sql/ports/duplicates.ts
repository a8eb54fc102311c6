/** The duplicate detection port (issue 20). A transaction reads an object's match rules once; its own rule writes forget them. */
import type { MatchKey } from "../../../crm/dedupe/keys.js";
import type { DedupeScanRow, DuplicatePort, MatchRuleRow, RecordKeys } from "../../duplicate-ports.js";
import * as dup from "../duplicates.js";
import type { SqlSession } from "../session.js";
import { memoized } from "../unit-of-work.js";

export class SqlDuplicates implements DuplicatePort {
  constructor(private readonly s: SqlSession) {}

  findRecordsByKeys(workspaceId: string, objects: readonly string[], keys: readonly MatchKey[], perKey: number) {
    return dup.findRecordsByKeys(this.s.db, workspaceId, objects, keys, perKey);
  }
  async listMatchRules(workspaceId: string, object?: string) {
    const load = () => dup.listMatchRules(this.s.db, this.s.d, workspaceId, object);
    if (!this.s.uow) return load();
    return [...(await memoized(this.s.uow.matchRules, `${workspaceId}\u0000${object ?? ""}`, load))];
  }
  /** A rule written: this transaction's copies of the workspace's rules are stale. */
  private forgetRules(workspaceId: string) {
    const rules = this.s.uow?.matchRules;
    if (rules) for (const key of rules.keys()) if (key.startsWith(`${workspaceId}\u0000`)) rules.delete(key);
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
    this.forgetRules(rule.workspaceId);
    return dup.insertMatchRule(this.s.db, this.s.d, rule);
  }
  updateMatchRule(rule: MatchRuleRow) {
    this.forgetRules(rule.workspaceId);
    return dup.updateMatchRule(this.s.db, this.s.d, rule);
  }
  deleteMatchRule(workspaceId: string, id: string) {
    this.forgetRules(workspaceId);
    return dup.deleteMatchRule(this.s.db, workspaceId, id);
  }
  insertDedupeScan(scan: DedupeScanRow) {
    return dup.insertDedupeScan(this.s.db, scan);
  }
  updateDedupeScan(scan: DedupeScanRow) {
    return dup.updateDedupeScan(this.s.db, scan);
  }
}
