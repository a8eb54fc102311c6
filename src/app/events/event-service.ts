/** Reading the domain event log: integrators follow it by position. */
import { canAdmin } from "../../crm/permissions.js";
import type { DomainEvent, Store } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { AppError } from "../errors.js";

export const MAX_EVENT_PAGE = 1_000;

export class EventService {
  constructor(private readonly store: Store) {}

  async after(ctx: CallContext, position: number, limit: number): Promise<DomainEvent[]> {
    if (!canAdmin(ctx.role, "read_events")) throw new AppError("not_found", `the event log is not available to role ${ctx.role}`);
    if (!Number.isInteger(position) || position < 0) {
      throw new AppError("bad_request", "invalid position", [
        { path: ["after"], code: "invalid_value", message: "after must be a non-negative integer" },
      ]);
    }
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENT_PAGE) {
      throw new AppError("bad_request", "invalid limit", [
        { path: ["limit"], code: "invalid_value", message: `limit must be 1–${MAX_EVENT_PAGE}` },
      ]);
    }
    return this.store.events.readEvents(position, limit, ctx.workspaceId);
  }
}
