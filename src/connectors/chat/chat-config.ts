/** The settings of a chat connector: the public `config` (Zod); the incoming-webhook URL is its secret. */
import { z } from "zod";
import { httpUrl } from "../http-url.js";

export const chatConfigSchema = z
  .object({
    /** Shown as the sender, where the chat service lets a webhook choose (Slack, Mattermost). */
    username: z.string().min(1).max(80).optional(),
    /** Sender icon URL, where supported. */
    icon_url: httpUrl.optional(),
  })
  .strict();
export type ChatConfig = z.infer<typeof chatConfigSchema>;
