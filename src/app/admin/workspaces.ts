/** Creating and finding workspaces (tenants). */
import { DEFAULT_LAST_ACTIVITY_POLICY, lastActivityPolicySchema } from "../../crm/activity-counting.js";
import { isValidTimeZone } from "../../crm/values.js";
import type { Store, Workspace, WorkspaceSettings } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { emailTrackingChangeSchema, emailTrackingOf } from "../email/tracking-settings.js";
import { AppError, invalid, notFound } from "../errors.js";
import { DEFAULT_MERGE_UNDO_DAYS, MAX_MERGE_UNDO_DAYS } from "../merges/undo-window.js";
import type { Clock, IdGenerator } from "../ports.js";

const SETTING_KEYS: readonly string[] = ["last_activity", "merge_undo_days", "email_tracking"] satisfies (keyof WorkspaceSettings)[];

export class WorkspaceService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async create(slug: string, name: string, timeZone = "UTC"): Promise<Workspace> {
    if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(slug)) {
      throw invalid([{ path: ["slug"], code: "invalid_value", message: "lower-case letters, digits and -, 2–63 characters" }]);
    }
    if (!isValidTimeZone(timeZone))
      throw invalid([{ path: ["time_zone"], code: "invalid_value", message: `"${timeZone}" is not an IANA time zone` }]);
    const workspace: Workspace = { id: this.ids.next(), slug, name, timeZone, createdAt: this.clock.now().toISOString() };
    await this.store.transaction((tx) => tx.workspaces.insertWorkspace(workspace));
    return workspace;
  }

  async bySlug(slug: string): Promise<Workspace> {
    const w = await this.store.workspaces.getWorkspaceBySlug(slug);
    if (!w) throw notFound(`workspace "${slug}"`);
    return w;
  }

  find(slug: string): Promise<Workspace | undefined> {
    return this.store.workspaces.getWorkspaceBySlug(slug);
  }

  /** The workspace's settings with every default filled in. */
  async settings(ctx: CallContext): Promise<Required<WorkspaceSettings>> {
    const w = await this.store.workspaces.getWorkspace(ctx.workspaceId);
    if (!w) throw notFound("workspace");
    return {
      last_activity: w.settings?.last_activity ?? DEFAULT_LAST_ACTIVITY_POLICY,
      merge_undo_days: w.settings?.merge_undo_days ?? DEFAULT_MERGE_UNDO_DAYS,
      email_tracking: emailTrackingOf(w.settings),
    };
  }

  /**
   * Changes settings (admins): the fields given replace theirs, the rest stay. Applies to writes
   * from now on; `last_activity_at` values already written stay as they are.
   */
  async updateSettings(ctx: CallContext, input: unknown): Promise<Required<WorkspaceSettings>> {
    if (ctx.role !== "admin") throw new AppError("not_found", `workspace settings are managed by admins, not role ${ctx.role}`);
    const body = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : undefined;
    const unknownKeys = body ? Object.keys(body).filter((k) => !SETTING_KEYS.includes(k)) : [];
    if (!body || unknownKeys.length > 0)
      throw invalid([
        {
          path: unknownKeys.length > 0 ? [unknownKeys[0] ?? ""] : [],
          code: "invalid_value",
          message:
            'expected {"last_activity": {"made_by": [...], "types": [...]}, "merge_undo_days": 7, "email_tracking": {"opens": true, "clicks": true}}',
        },
      ]);
    const current = await this.settings(ctx);
    const next: Required<WorkspaceSettings> = { ...current };
    if (body.last_activity !== undefined) {
      const parsed = lastActivityPolicySchema.safeParse(body.last_activity);
      if (!parsed.success)
        throw invalid(
          parsed.error.issues.map((i) => ({
            path: ["last_activity", ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
            code: "invalid_value",
            message: i.message,
          })),
        );
      next.last_activity = { made_by: [...new Set(parsed.data.made_by)], types: [...new Set(parsed.data.types)] };
    }
    if (body.merge_undo_days !== undefined) {
      const days = body.merge_undo_days;
      if (typeof days !== "number" || !Number.isInteger(days) || days < 0 || days > MAX_MERGE_UNDO_DAYS)
        throw invalid([
          {
            path: ["merge_undo_days"],
            code: "invalid_value",
            message: `a whole number of days from 0 (merges cannot be undone) to ${MAX_MERGE_UNDO_DAYS}`,
          },
        ]);
      next.merge_undo_days = days;
    }
    if (body.email_tracking !== undefined) {
      const parsed = emailTrackingChangeSchema.safeParse(body.email_tracking);
      if (!parsed.success)
        throw invalid(
          parsed.error.issues.map((i) => ({
            path: [
              "email_tracking",
              ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
              ...(i.code === "unrecognized_keys" ? i.keys.slice(0, 1) : []),
            ],
            code: "invalid_value",
            message: i.code === "unrecognized_keys" ? 'only "opens" and "clicks", each true or false' : i.message,
          })),
        );
      next.email_tracking = { ...current.email_tracking, ...parsed.data };
    }
    await this.store.transaction((tx) => tx.workspaces.updateWorkspaceSettings(ctx.workspaceId, next));
    return next;
  }
}
