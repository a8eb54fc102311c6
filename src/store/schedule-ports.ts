/**
 * Storage port of time triggers due for a workflow.
 *
 * Glossary
 * - Scheduled trigger: a time-based trigger due for a workflow (and a record, except for
 *   schedules), at most one pending per (workflow, record). Claimed like a work item.
 */
import type { ScheduledTrigger } from "./workflow-ports.js";

export interface SchedulePort {
  /** Replaces the pending time trigger of (workflow, record) — or of the workflow, for schedules — with one due at `dueAt`. */
  scheduleTrigger(t: Omit<ScheduledTrigger, "id" | "attempts">): Promise<void>;
  /** Drops the pending time trigger of (workflow, record), e.g. when the date was cleared. */
  unscheduleTrigger(workspaceId: string, workflowId: string, recordId: string | null): Promise<void>;
  /** Drops every pending time trigger of a workflow (archived or republished). */
  cancelScheduledTriggers(workspaceId: string, workflowId: string): Promise<void>;
  completeScheduledTrigger(id: number, owner: string, attempt: number): Promise<boolean>;
}

/** The store's, not a transaction's. */
export interface ScheduleClaims {
  /** Claims due time triggers like work items. */
  claimScheduledTriggers(owner: string, limit: number, leaseMs: number): Promise<ScheduledTrigger[]>;
}
