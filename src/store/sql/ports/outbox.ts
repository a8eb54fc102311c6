/** The outbox port, and the store's claims of due items. */
import type { NewOutboxItem, OutboxClaims, OutboxPort, OutboxQuery, Settlement } from "../../outbox-ports.js";
import * as outbox from "../outbox.js";
import type { SqlSession } from "../session.js";

export class SqlOutbox implements OutboxPort, OutboxClaims {
  constructor(private readonly s: SqlSession) {}

  getOutboxItem(workspaceId: string, id: string) {
    return outbox.getOutboxItem(this.s.db, this.s.d, workspaceId, id);
  }
  listOutbox(q: OutboxQuery) {
    return outbox.listOutbox(this.s.db, this.s.d, q);
  }
  listOutboxAttempts(workspaceId: string, outboxIds: readonly string[]) {
    return outbox.listOutboxAttempts(this.s.db, workspaceId, outboxIds);
  }
  insertOutboxItems(items: readonly NewOutboxItem[]) {
    return outbox.insertOutboxItems(this.s.db, this.s.d, items, this.s.now());
  }
  settleOutbox(workspaceId: string, id: string, owner: string, attempt: number, s: Settlement, now: string) {
    return outbox.settleOutbox(this.s.db, this.s.d, workspaceId, id, owner, attempt, s, now);
  }
  replayDeadLetter(workspaceId: string, id: string, by: string, now: string) {
    return outbox.replayDeadLetter(this.s.db, this.s.d, workspaceId, id, by, now);
  }
  claimOutbox(owner: string, limit: number, leaseMs: number) {
    return outbox.claimOutbox(this.s.db, this.s.d, owner, limit, leaseMs);
  }
  extendOutboxLeases(owner: string, items: ReadonlyArray<{ workspaceId: string; id: string }>, leaseMs: number) {
    return outbox.extendOutboxLeases(this.s.db, this.s.d, owner, items, leaseMs);
  }
  explainOutboxClaim() {
    return outbox.explainOutboxClaim(this.s.db, this.s.d);
  }
}
