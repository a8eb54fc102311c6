/** The data-quality port (issue 20): a transaction reads the workspace's epoch once; its own changes forget that copy. */
import type { ObjectName } from "../../../crm/fields.js";
import type { DataQualityPort, FieldFormatRow, StatusRuleRow, ValidationRuleRow } from "../../data-quality-ports.js";
import * as dq from "../data-quality.js";
import type { SqlSession } from "../session.js";
import * as sr from "../status-rules.js";
import { memoized } from "../unit-of-work.js";

export class SqlDataQuality implements DataQualityPort {
  constructor(private readonly s: SqlSession) {}

  dataQualityEpoch(workspaceId: string) {
    const load = () => dq.dataQualityEpoch(this.s.db, this.s.d, workspaceId);
    return this.s.uow ? memoized(this.s.uow.dataQualityEpochs, workspaceId, load) : load();
  }
  listValidationRules(workspaceId: string) {
    return dq.listValidationRules(this.s.db, this.s.d, workspaceId);
  }
  getValidationRule(workspaceId: string, idOrName: string) {
    return dq.getValidationRule(this.s.db, this.s.d, workspaceId, idOrName);
  }
  listFieldFormats(workspaceId: string) {
    return dq.listFieldFormats(this.s.db, workspaceId);
  }
  insertValidationRule(r: ValidationRuleRow) {
    this.s.uow?.dataQualityEpochs.delete(r.workspaceId);
    return dq.insertValidationRule(this.s.db, this.s.d, r);
  }
  updateValidationRule(r: ValidationRuleRow) {
    this.s.uow?.dataQualityEpochs.delete(r.workspaceId);
    return dq.updateValidationRule(this.s.db, this.s.d, r);
  }
  deleteValidationRule(workspaceId: string, id: string) {
    this.s.uow?.dataQualityEpochs.delete(workspaceId);
    return dq.deleteValidationRule(this.s.db, this.s.d, workspaceId, id);
  }
  saveFieldFormat(f: FieldFormatRow) {
    this.s.uow?.dataQualityEpochs.delete(f.workspaceId);
    return dq.saveFieldFormat(this.s.db, this.s.d, f);
  }
  deleteFieldFormat(workspaceId: string, object: ObjectName, field: string) {
    this.s.uow?.dataQualityEpochs.delete(workspaceId);
    return dq.deleteFieldFormat(this.s.db, this.s.d, workspaceId, object, field);
  }
  listStatusRules(workspaceId: string) {
    return sr.listStatusRules(this.s.db, this.s.d, workspaceId);
  }
  getStatusRule(workspaceId: string, idOrName: string) {
    return sr.getStatusRule(this.s.db, this.s.d, workspaceId, idOrName);
  }
  insertStatusRule(r: StatusRuleRow) {
    return sr.insertStatusRule(this.s.db, this.s.d, r);
  }
  updateStatusRule(r: StatusRuleRow) {
    return sr.updateStatusRule(this.s.db, this.s.d, r);
  }
  deleteStatusRule(workspaceId: string, id: string) {
    return sr.deleteStatusRule(this.s.db, workspaceId, id);
  }
}
