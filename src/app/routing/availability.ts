/**
 * A person's availability for routing: the "available now" switch, their time zone, working
 * hours and PTO — fields of their user record. A person edits their own (whatever their role:
 * user records are otherwise edited by admins and managers only); admins and managers edit
 * anyone's. Only these fields can be written here, through the RecordWriter (validated,
 * audited as the person). A change that may free someone releases held records at once.
 */
import { canAdmin } from "../../crm/permissions.js";
import { zodIssues } from "../../engine/validate.js";
import type { Store, StoredRecord } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import type { RecordWriter } from "../records/record-writer.js";
import { availabilitySchema } from "./routing-schemas.js";
import { type AvailabilityView, availabilityView } from "./routing-views.js";

export class AvailabilityService {
  constructor(
    private readonly store: Store,
    private readonly writer: RecordWriter,
    /** Releases the held records of every queue the person is in. */
    private readonly releaseFor: (workspaceId: string, userId: string) => Promise<number>,
  ) {}

  /** Everyone's availability (the team view), by name. */
  async list(ctx: CallContext): Promise<AvailabilityView[]> {
    const users = await this.store.records.queryRecords({
      workspaceId: ctx.workspaceId,
      object: "user",
      sort: { field: { name: "name", type: "string", label: "name" }, direction: "asc" },
      limit: 1_000,
    });
    return users.filter((u) => u.data.active !== false).map(availabilityView);
  }

  async get(ctx: CallContext, who: string): Promise<AvailabilityView> {
    return availabilityView(await this.user(ctx, who));
  }

  async update(ctx: CallContext, who: string, input: unknown): Promise<AvailabilityView> {
    // Authorised on the id alone, before any lookup: a rep learns nothing about other ids.
    const id = idOf(ctx, who);
    const self = ctx.actor.kind === "person" && ctx.actor.id === id;
    if (!self && !canAdmin(ctx.role, "manage_routing"))
      throw new AppError("forbidden", "you can change your own availability; admins and managers change anyone's");
    const user = await this.user(ctx, who);
    const parsed = availabilitySchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const fields = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
    if (Object.keys(fields).length === 0) return availabilityView(user);
    // The service has checked who may write which fields; the write itself is audited as the caller.
    const writer: CallContext = { ...ctx, role: "admin" };
    const updated = await this.writer.update(writer, "user", { id: user.id, fields });
    await this.releaseFor(ctx.workspaceId, user.id);
    return availabilityView(updated);
  }

  private async user(ctx: CallContext, who: string): Promise<StoredRecord> {
    const user = await this.store.records.getRecord(ctx.workspaceId, idOf(ctx, who));
    if (user?.object !== "user") throw notFound(`user ${who}`);
    return user;
  }
}

/** "me" is the caller; anyone else by id. */
function idOf(ctx: CallContext, who: string): string {
  if (who !== "me") return who;
  if (ctx.actor.kind !== "person")
    throw new AppError("bad_request", `"me" is a person signed in; ${ctx.actor.kind} callers name a user id`);
  return ctx.actor.id;
}
