/** `handoff outbox list [--status dead]` and `handoff outbox replay ID`: the dead-letter list from a shell. */
import { systemContext } from "../../app/context.js";
import { OUTBOX_STATUSES } from "../../app/outbox/outbox-service.js";
import type { OutboxRow } from "../../store/outbox-ports.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { configFrom, withServices } from "./open.js";

const USAGE = "outbox takes list [--status pending|delivered|dead] [--limit N] or replay ID";

function line(o: OutboxRow): string {
  const when = o.status === "pending" ? o.nextAttemptAt : (o.deliveredAt ?? o.updatedAt);
  return `${o.id}\t${o.status}\t${o.kind}\t${o.connector ?? "-"}\t${o.attempts}\t${when}\t${o.key}\t${o.lastError ?? "-"}`;
}

export async function outboxCommand(argv: string[]) {
  const { values, positionals } = parse(argv, { ...commonOptions, status: { type: "string" }, limit: { type: "string" } });
  const [action, id, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (action === "replay" && !id) throw new UsageError("outbox replay needs the item id");
  if (action === "list" && id) throw new UsageError(`unexpected argument "${id}"`);
  if (action !== "list" && action !== "replay") throw new UsageError(USAGE);
  if (values.status !== undefined && !(OUTBOX_STATUSES as readonly string[]).includes(values.status))
    throw new UsageError(`--status takes one of ${OUTBOX_STATUSES.join(", ")}, not "${values.status}"`);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 200))
    throw new UsageError(`--limit takes a whole number from 1 to 200, not "${values.limit}"`);

  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const ctx = systemContext(workspace.id);
    if (action === "list") {
      const page = await s.outbox.list(ctx, { status: values.status, limit });
      for (const item of page.items) console.log(line(item));
      return;
    }
    const item = await s.outbox.replay(ctx, id as string);
    console.log(`replayed ${item.id}: pending again with key ${item.key}`);
  });
}
