/** The SMTP connector: a workspace's mail server, delivering `email` items (send_email). */
import type { ConnectorDefinition } from "../contract.js";
import { smtpConfigSchema } from "./smtp-config.js";
import { SmtpDeliverer } from "./smtp-deliverer.js";

export const smtpConnector: ConnectorDefinition = {
  config: smtpConfigSchema,
  secrets: ["password"],
  // A password without a username is allowed to sit unused; a username needs a password.
  requiredSecrets: (c) => (c.username ? ["password"] : []),
  deliverer: (deps) =>
    new SmtpDeliverer({
      egress: deps.egress,
      suppressions: deps.suppressions,
      ...(deps.unsubscribeUrl ? { unsubscribeUrl: deps.unsubscribeUrl } : {}),
    }),
};
