/** The SLA port: policies, clocks and the clocks' history. */
import type { SlaClaims, SlaClockEvent, SlaClockQuery, SlaClockRow, SlaPolicyRow, SlaPort } from "../../sla-ports.js";
import type { SqlSession } from "../session.js";
import * as sla from "../sla.js";

export class SqlSla implements SlaPort, SlaClaims {
  constructor(private readonly s: SqlSession) {}

  listSlaPolicies(workspaceId: string) {
    return sla.listSlaPolicies(this.s.db, this.s.d, workspaceId);
  }
  getSlaPolicy(workspaceId: string, idOrName: string) {
    return sla.getSlaPolicy(this.s.db, this.s.d, workspaceId, idOrName);
  }
  openSlaClockCounts(workspaceId: string) {
    return sla.openSlaClockCounts(this.s.db, workspaceId);
  }
  getSlaClock(workspaceId: string, clockId: string) {
    return sla.getSlaClock(this.s.db, this.s.d, workspaceId, clockId);
  }
  slaClocksOfRecord(workspaceId: string, recordId: string) {
    return sla.slaClocksOfRecord(this.s.db, this.s.d, workspaceId, recordId);
  }
  slaClockHistory(workspaceId: string, clockId: string) {
    return sla.slaClockHistory(this.s.db, this.s.d, workspaceId, clockId);
  }
  insertSlaPolicy(p: SlaPolicyRow) {
    return sla.insertSlaPolicy(this.s.db, this.s.d, p);
  }
  updateSlaPolicy(p: SlaPolicyRow) {
    return sla.updateSlaPolicy(this.s.db, this.s.d, p);
  }
  deleteSlaPolicy(workspaceId: string, id: string) {
    return sla.deleteSlaPolicy(this.s.db, workspaceId, id);
  }
  insertSlaClock(c: SlaClockRow) {
    return sla.insertSlaClock(this.s.db, this.s.d, c);
  }
  appendSlaClockHistory(events: readonly SlaClockEvent[]) {
    return sla.appendSlaClockHistory(this.s.db, this.s.d, events);
  }
  slaClockHistories(workspaceId: string, clockIds: readonly string[]) {
    return sla.slaClockHistories(this.s.db, this.s.d, workspaceId, clockIds);
  }
  slaPoliciesOf(workspaceId: string, object: string) {
    return sla.slaPoliciesOf(this.s.db, this.s.d, workspaceId, object);
  }
  listOpenSlaClocks(q: SlaClockQuery) {
    return sla.listOpenSlaClocks(this.s.db, this.s.d, q);
  }
  lockOpenSlaClocks(workspaceId: string, recordId: string) {
    return sla.lockOpenSlaClocks(this.s.db, this.s.d, workspaceId, recordId);
  }
  updateSlaClock(c: SlaClockRow, expectedVersion: number, leaseOwner?: string) {
    return sla.updateSlaClock(this.s.db, this.s.d, c, expectedVersion, leaseOwner);
  }
  claimDueSlaClocks(owner: string, limit: number, leaseMs: number, dueBy?: string) {
    return sla.claimDueSlaClocks(this.s.db, this.s.d, owner, limit, leaseMs, dueBy);
  }
  nextSlaDueInMs() {
    return sla.nextSlaDueInMs(this.s.db, this.s.d);
  }
}
