/** The action quotas port. */
import type { QuotaPort } from "../../quota-ports.js";
import * as runs from "../runs.js";
import type { SqlSession } from "../session.js";

export class SqlQuotas implements QuotaPort {
  constructor(private readonly s: SqlSession) {}

  takeQuota(workspaceId: string, workflowId: string, quota: string, windowStart: string, limit: number) {
    return runs.takeQuota(this.s.db, this.s.d, workspaceId, workflowId, quota, windowStart, limit);
  }
}
