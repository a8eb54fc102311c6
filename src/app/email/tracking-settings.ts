/**
 * The workspace's email tracking switch (`settings.email_tracking`): opens (the pixel) and clicks
 * (the signed redirects), each off unless an admin turns it on — tracking people's reading is a
 * privacy choice the workspace makes, not a default. Read when an email is enqueued (off: no
 * pixel, links untouched) and again when a pixel or link is followed (off: nothing recorded).
 */
import { z } from "zod";
import type { EmailTrackingSettings, WorkspaceSettings } from "../../store/workspace-ports.js";

export const DEFAULT_EMAIL_TRACKING: EmailTrackingSettings = { opens: false, clicks: false };

/** A change of the switch: the kinds given replace theirs, the other stays. */
export const emailTrackingChangeSchema = z.object({ opens: z.boolean().optional(), clicks: z.boolean().optional() }).strict();

export function emailTrackingOf(settings: WorkspaceSettings | undefined): EmailTrackingSettings {
  return { ...DEFAULT_EMAIL_TRACKING, ...settings?.email_tracking };
}
