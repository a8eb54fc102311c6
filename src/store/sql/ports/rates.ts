/** The rate cap port: deferred runs are counted in the runs table, so the kept new runs are written first. */
import type { RatePort, WorkflowRate } from "../../rate-ports.js";
import * as rates from "../rates.js";
import type { SqlSession } from "../session.js";

export class SqlRates implements RatePort {
  constructor(private readonly s: SqlSession) {}

  async deferredRuns(workspaceId: string, workflowId: string) {
    await this.s.uow?.flushNewRuns();
    return rates.deferredRuns(this.s.db, this.s.d, workspaceId, workflowId);
  }
  lockWorkflowRates(workspaceId: string, workflowIds: readonly string[]) {
    return rates.lockWorkflowRates(this.s.db, this.s.d, workspaceId, workflowIds);
  }
  saveWorkflowRates(rows: readonly WorkflowRate[]) {
    return rates.saveWorkflowRates(this.s.db, this.s.d, rows);
  }
}
