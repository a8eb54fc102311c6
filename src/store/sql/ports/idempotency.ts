/** The idempotency keys port: the store's only (keys live outside the request's transaction). */
import type { ClaimResult, IdempotencyEntry, IdempotencyPort, IdempotencyScope } from "../../idempotency-ports.js";
import * as idem from "../idempotency.js";
import type { SqlSession } from "../session.js";

export class SqlIdempotency implements IdempotencyPort {
  constructor(private readonly s: SqlSession) {}

  claimIdempotencyKey(entry: IdempotencyEntry, staleBefore: string): Promise<ClaimResult> {
    return idem.claimIdempotencyKey(this.s.db, entry, staleBefore);
  }
  completeIdempotencyKey(scope: IdempotencyScope, status: number, response: string) {
    return idem.completeIdempotencyKey(this.s.db, scope, status, response);
  }
  releaseIdempotencyKey(scope: IdempotencyScope) {
    return idem.releaseIdempotencyKey(this.s.db, scope);
  }
}
