/**
 * Storage port of idempotency keys. Keys live outside the request's transaction: claim first,
 * complete after; so this port is the store's, never a transaction's.
 *
 * Glossary
 * - Idempotency key: a caller's key for one mutating request; its stored response is replayed to
 *   that caller only. Keys are per (workspace, caller): another caller's same key is another key.
 * - Caller: who sent a request, as one string (`token:<id>` for an API token, `user:<id>` for a web session).
 */

/** Whose key: a key means nothing outside its workspace and its caller. */
export interface IdempotencyScope {
  workspaceId: string;
  /** Who sent the request (`token:<id>` or `user:<id>`); see the glossary. */
  caller: string;
  key: string;
}

export interface IdempotencyEntry extends IdempotencyScope {
  /** The caller's role when the key was claimed: a replay to a caller whose role changed is refused. */
  callerRole: string;
  fingerprint: string;
  state: "running" | "done";
  status: number | null;
  response: string | null;
  createdAt: string;
  /** The request holding (or that last held) the claim. */
  requestId: string | null;
}

/**
 * `abandoned` is the request id of an earlier claim whose process died before completing it:
 * the caller must find out whether that request committed before doing the work again.
 */
export type ClaimResult = { claimed: true; abandoned: string | null } | { claimed: false; existing: IdempotencyEntry };

export interface IdempotencyPort {
  claimIdempotencyKey(entry: IdempotencyEntry, staleBefore: string): Promise<ClaimResult>;
  completeIdempotencyKey(scope: IdempotencyScope, status: number, response: string): Promise<void>;
  releaseIdempotencyKey(scope: IdempotencyScope): Promise<void>;
}
