/** The work items port, and the store's claims of due items. */
import type { WorkClaims, WorkPort } from "../../work-ports.js";
import type { NewWorkItem } from "../../workflow-ports.js";
import { nextDueInMs } from "../claim-due.js";
import * as runs from "../runs.js";
import type { SqlSession } from "../session.js";

export class SqlWork implements WorkPort, WorkClaims {
  constructor(private readonly s: SqlSession) {}

  pendingWorkCount() {
    return runs.pendingWorkCount(this.s.db);
  }
  insertWorkItems(items: readonly NewWorkItem[]) {
    return runs.insertWorkItems(this.s.db, this.s.d, items, this.s.now());
  }
  dueNow(workspaceId: string, runId: string, now: string) {
    return runs.dueNow(this.s.db, workspaceId, runId, now);
  }
  cancelTimer(workspaceId: string, timerId: string) {
    return runs.cancelTimer(this.s.db, workspaceId, timerId);
  }
  completeWorkItem(id: number, owner: string, attempt: number) {
    return runs.completeWorkItem(this.s.db, this.s.d, id, owner, attempt);
  }
  completeWorkItems(owner: string, items: ReadonlyArray<{ id: number; attempt: number }>) {
    return runs.completeWorkItems(this.s.db, this.s.d, owner, items);
  }
  claimWork(owner: string, limit: number, leaseMs: number) {
    return runs.claimWork(this.s.db, this.s.d, owner, limit, leaseMs);
  }
  extendLeases(owner: string, ids: readonly number[], leaseMs: number) {
    return runs.extendLeases(this.s.db, this.s.d, owner, ids, leaseMs);
  }
  nextDueInMs() {
    return nextDueInMs(this.s.db, this.s.d);
  }
  releaseWork(id: number, owner: string, delayMs: number, error: string) {
    return runs.releaseWork(this.s.db, this.s.d, id, owner, delayMs, error);
  }
}
