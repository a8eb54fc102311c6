/**
 * A run as GET /api/v1/runs/{id} answers it (the API types it `unknown`; src/api/routes/workflows.ts
 * presents it): its state, every step it logged, and the outbox items of its external actions.
 */

export type RunStatus = "running" | "waiting" | "completed" | "exited" | "failed" | "cancelled";
export const TERMINAL_STATUSES: readonly string[] = ["completed", "exited", "failed", "cancelled"];

export type RunWait =
  | { kind: "timer"; timerId: string; dueAt: string; next: string | null }
  | { kind: "wait_for"; timerId: string; dueAt: string }
  | { kind: "action"; key: string };

export interface DeliveryAttempt {
  outbox_id: string;
  attempt: number;
  at: string;
  outcome: "delivered" | "retry" | "dead";
  status: number | null;
  error: string | null;
  next_attempt_at: string | null;
}

export interface RunStep {
  seq: number;
  step: string | null;
  type: string;
  input: string;
  outcome: string;
  why: string;
  effects: unknown;
  at: string;
  duration_ms: number;
  attempts?: DeliveryAttempt[];
  description: string | null;
}

/** An outbox item of the run, as it stands now. */
export interface RunDelivery {
  id: string;
  key: string;
  kind: string;
  connector: string | null;
  status: "pending" | "delivered" | "dead";
  attempts: number;
  next_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
}

export interface RunDetail {
  id: string;
  workflow_id: string;
  version: number;
  record_id: string;
  status: RunStatus;
  step: string | null;
  wait: RunWait | null;
  reason: string | null;
  steps_taken: number;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  description: string | null;
  steps: RunStep[];
  deliveries?: RunDelivery[];
}

export interface RunSummary {
  id: string;
  workflow_id: string;
  version: number;
  record_id: string;
  status: RunStatus;
  step: string | null;
  created_at: string;
  updated_at: string;
}
