/**
 * Which activities count as a record's "last activity" (and so restart inactivity clocks): the
 * workspace admin's choice, by who made the activity and by its type. Pure.
 *
 * `made_by` says who made an activity: a `person` of the workspace (a rep's call, meeting, email,
 * note), the `contact` themselves (their reply, a form they filled in), or `handoff` (what Handoff
 * did by itself: the emails its workflows send, the activities its steps add).
 */
import { z } from "zod";
import { ACTIVITY_TYPES } from "./objects.js";

export const MADE_BY = ["person", "contact", "handoff"] as const;
export type MadeBy = (typeof MADE_BY)[number];

export const lastActivityPolicySchema = z
  .object({
    /** Who made the activities that count. Default: people and the contact, not Handoff. */
    made_by: z.array(z.enum(MADE_BY)).max(MADE_BY.length).default(["person", "contact"]),
    /**
     * Which activity types count. Default: call, email, meeting, note — not the email tracking
     * types (`email_opened`, `email_clicked`): a pixel loading is not someone getting in touch.
     */
    types: z.array(z.enum(ACTIVITY_TYPES)).max(ACTIVITY_TYPES.length).default(["call", "email", "meeting", "note"]),
  })
  .strict();
export type LastActivityPolicy = z.infer<typeof lastActivityPolicySchema>;

export const DEFAULT_LAST_ACTIVITY_POLICY: LastActivityPolicy = lastActivityPolicySchema.parse({});

/** Whether an activity (its stored data) moves `last_activity_at` under the policy. */
export function countsAsActivity(data: Record<string, unknown>, policy: LastActivityPolicy = DEFAULT_LAST_ACTIVITY_POLICY): boolean {
  const madeBy = (typeof data.made_by === "string" ? data.made_by : "person") as MadeBy;
  return policy.made_by.includes(madeBy) && (policy.types as readonly string[]).includes(String(data.type));
}
