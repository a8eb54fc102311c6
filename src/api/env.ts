/** What middleware hands to route handlers through Hono's context. */
import type { CallContext } from "../app/context.js";
import type { Client } from "../composition/trusted-proxies.js";

export type ApiEnv = {
  Variables: {
    requestId: string;
    /** Who sent the request and whether over HTTPS (client.ts: the peer, or behind a trusted proxy its headers' word). */
    client: Client;
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
