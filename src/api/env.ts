/** What middleware hands to route handlers through Hono's context. */
import type { CallContext } from "../app/context.js";

export type ApiEnv = {
  Variables: {
    requestId: string;
    call: CallContext;
    /**
     * Who sent the request, as one string: `token:<id>` for an API token, `user:<id>` for a web
     * session. Set by authentication; what is kept per caller (idempotency keys) is keyed by it.
     */
    caller: string;
    /**
     * Dot-separated paths of members of this response's JSON body that hold a secret shown once
     * (set by the route through `showOnce`): the idempotency middleware never stores or replays them.
     */
    shownOnce: readonly string[] | undefined;
  };
};
