/** The chat connector: an incoming webhook of Slack, Mattermost, Rocket.Chat or Teams, delivering `chat` items (send_chat). */
import type { ConnectorDefinition } from "../contract.js";
import { httpUrl } from "../http-url.js";
import { chatConfigSchema } from "./chat-config.js";
import { ChatDeliverer } from "./chat-deliverer.js";

export const chatConnector: ConnectorDefinition = {
  config: chatConfigSchema,
  // The incoming-webhook URL carries its own credential: whoever has it can post.
  secrets: ["webhook_url"],
  requiredSecrets: () => ["webhook_url"],
  secretValueProblem: (name, value) =>
    name === "webhook_url" && !httpUrl.safeParse(value).success ? "expected an http:// or https:// URL" : undefined,
  deliverer: (deps) => new ChatDeliverer({ guard: deps.egress, now: deps.now }),
};
