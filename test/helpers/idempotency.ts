/** A claimed-but-unfinished idempotency key, as a request in flight (or a crashed one) leaves it. */
import type { IdempotencyEntry } from "../../src/store/ports.js";

type Given = Pick<IdempotencyEntry, "workspaceId" | "caller" | "key"> & Partial<Omit<IdempotencyEntry, "state" | "status" | "response">>;

export function runningKey({
  callerRole = "admin",
  fingerprint = "-",
  createdAt = new Date().toISOString(),
  requestId = null,
  ...scope
}: Given): IdempotencyEntry {
  return { ...scope, callerRole, fingerprint, state: "running", status: null, response: null, createdAt, requestId };
}
