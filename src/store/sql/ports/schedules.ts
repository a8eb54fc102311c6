/** The time triggers port, and the store's claim of due ones. */
import type { ScheduleClaims, SchedulePort } from "../../schedule-ports.js";
import type { ScheduledTrigger } from "../../workflow-ports.js";
import * as sched from "../schedules.js";
import type { SqlSession } from "../session.js";

export class SqlSchedules implements SchedulePort, ScheduleClaims {
  constructor(private readonly s: SqlSession) {}

  scheduleTrigger(t: Omit<ScheduledTrigger, "id" | "attempts">) {
    return sched.scheduleTrigger(this.s.db, t, this.s.now());
  }
  unscheduleTrigger(workspaceId: string, workflowId: string, recordId: string | null) {
    return sched.unscheduleTrigger(this.s.db, workspaceId, workflowId, recordId);
  }
  cancelScheduledTriggers(workspaceId: string, workflowId: string) {
    return sched.cancelScheduledTriggers(this.s.db, workspaceId, workflowId);
  }
  completeScheduledTrigger(id: number, owner: string, attempt: number) {
    return sched.completeScheduledTrigger(this.s.db, id, owner, attempt);
  }
  claimScheduledTriggers(owner: string, limit: number, leaseMs: number) {
    return sched.claimScheduledTriggers(this.s.db, this.s.d, owner, limit, leaseMs);
  }
}
