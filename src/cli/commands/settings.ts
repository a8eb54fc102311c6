/**
 * `handoff settings [show] | settings email-tracking [--opens on|off] [--clicks on|off]`: the
 * workspace's settings, and its email tracking switch (docs/scoring.md, "Email engagement
 * tracking"). Through the same service and checks as PATCH /api/v1/workspace/settings.
 */
import { systemContext } from "../../app/context.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { configFrom, withServices } from "./open.js";

const SWITCH: Record<string, boolean> = { on: true, off: false, true: true, false: false };

function onOff(flag: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const v = SWITCH[value.toLowerCase()];
  if (v === undefined) throw new UsageError(`--${flag} takes on or off, not "${value}"`);
  return v;
}

const words = (on: boolean) => (on ? "on" : "off");

export async function settingsCommand(argv: string[]) {
  const { values, positionals } = parse(argv, {
    ...commonOptions,
    opens: { type: "string" },
    clicks: { type: "string" },
    json: { type: "boolean", default: false },
  });
  const [action = "show"] = positionals;
  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const ctx = systemContext(workspace.id);
    switch (action) {
      case "show": {
        const settings = await s.workspaces.settings(ctx);
        if (values.json) {
          console.log(JSON.stringify(settings, null, 2));
          return;
        }
        console.log(
          `last activity: made by ${settings.last_activity.made_by.join(", ")}; types ${settings.last_activity.types.join(", ")}`,
        );
        console.log(`merge undo: ${settings.merge_undo_days} days`);
        console.log(`email tracking: opens ${words(settings.email_tracking.opens)}, clicks ${words(settings.email_tracking.clicks)}`);
        return;
      }
      case "email-tracking": {
        const opens = onOff("opens", values.opens);
        const clicks = onOff("clicks", values.clicks);
        const change = { ...(opens !== undefined ? { opens } : {}), ...(clicks !== undefined ? { clicks } : {}) };
        const settings =
          Object.keys(change).length > 0
            ? await s.workspaces.updateSettings(ctx, { email_tracking: change })
            : await s.workspaces.settings(ctx);
        const t = settings.email_tracking;
        if (values.json) console.log(JSON.stringify(t));
        else console.log(`email tracking in ${workspace.slug}: opens ${words(t.opens)}, clicks ${words(t.clicks)}`);
        return;
      }
      default:
        throw new UsageError("settings takes show or email-tracking");
    }
  });
}
