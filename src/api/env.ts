/** What middleware hands to route handlers through Hono's context. */
import type { CallContext } from "../app/context.js";

export type ApiEnv = {
  Variables: {
    requestId: string;
    call: CallContext;
    /**
     * Who sent the request, as one string: `token:<id>` for an API token (a web session would be
     * `user:<id>`). Set by authentication; what is kept per caller (idempotency keys) is keyed by it.
     */
    caller: string;
  };
};
