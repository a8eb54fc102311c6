/** The body of a replay request (issue 19): which version against which triggers of production. */
import { z } from "zod";
import { REPLAY_LIMITS } from "./replay-service.js";

const instant = z.iso.datetime({ offset: true }).describe("ISO 8601 instant");

export const replayBodySchema = z
  .object({
    version: z.number().int().min(1).optional().describe("the version to replay; default: the draft, else the live version"),
    since: instant.optional().describe("triggers that occurred at or after this instant"),
    until: instant.optional().describe("triggers that occurred before this instant"),
    limit: z
      .number()
      .int()
      .min(1)
      .max(REPLAY_LIMITS.maxTriggers)
      .optional()
      .describe(`the newest this many triggers (default ${REPLAY_LIMITS.defaultTriggers}, at most ${REPLAY_LIMITS.maxTriggers})`),
  })
  .strict()
  .refine((b) => !b.since || !b.until || Date.parse(b.since) < Date.parse(b.until), {
    path: ["until"],
    message: "until must be after since",
  });
export type ReplayBody = z.infer<typeof replayBodySchema>;
