/** What middleware hands to route handlers through Hono's context. */
import type { CallContext } from "../app/context.js";

export type ApiEnv = {
  Variables: {
    requestId: string;
    call: CallContext;
  };
};
