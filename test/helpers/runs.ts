/** Run rows for store tests: a running run at step "a", seq 0, depth 1, unless told otherwise. */
import type { RunState } from "../../src/engine/run-state.js";
import type { RunRow } from "../../src/store/workflow-ports.js";

export const T0 = "2026-01-01T00:00:00.000Z";

type Given = Pick<RunRow, "workspaceId" | "id" | "workflowId" | "recordId"> & {
  status?: RunRow["state"]["status"];
  createdAt?: string;
} & Partial<Omit<RunRow, "state" | "createdAt">>;

export function runRow({ status = "running", createdAt = T0, ...rest }: Given): RunRow {
  return {
    version: 1,
    triggerKey: `key-${rest.id}`,
    state: stateAt(status),
    seq: 0,
    depth: 1,
    createdAt,
    updatedAt: createdAt,
    finishedAt: null,
    ...rest,
  };
}

/** A state of each status, at step "a" (a completed run is past its last step). */
export function stateAt(status: RunState["status"], stepsTaken = 0): RunState {
  switch (status) {
    case "running":
      return { status, step: "a", wait: null, stepsTaken, reason: null };
    case "waiting":
      return { status, step: "a", wait: { kind: "action", key: "k" }, stepsTaken, reason: null };
    case "completed":
      return { status, step: null, wait: null, stepsTaken, reason: "reached the end" };
    case "exited":
    case "failed":
    case "cancelled":
      return { status, step: "a", wait: null, stepsTaken, reason: status };
  }
}
