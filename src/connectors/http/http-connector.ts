/** The HTTP connector: an outside HTTP API (enrichment, a CRM of record …), delivering `http` items (http_request). */
import type { ConnectorDefinition } from "../contract.js";
import { HTTP_AUTH_SECRET, type HttpAuth, httpConfigSchema } from "./http-config.js";
import { httpDeliverer } from "./http-deliverer.js";

export const httpConnector: ConnectorDefinition = {
  config: httpConfigSchema,
  secrets: ["token", "password", "hmac_secret"],
  requiredSecrets: (c) => {
    const name = HTTP_AUTH_SECRET[(c.auth as HttpAuth | undefined)?.type ?? "none"];
    return name ? [name] : [];
  },
  deliverer: (deps) => httpDeliverer({ guard: deps.egress, now: deps.now }),
};
