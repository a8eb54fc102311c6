/** Run rows for store tests: a running run at step "a", seq 0, depth 1, unless told otherwise. */
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
    state: { status, step: "a", wait: null, stepsTaken: 0, reason: null },
    seq: 0,
    depth: 1,
    createdAt,
    updatedAt: createdAt,
    finishedAt: null,
    ...rest,
  };
}
