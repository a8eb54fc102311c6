/**
 * Sets the email_status of every lead and contact with an address (bouncing, unsubscribed, or valid
 * again once the suppression is lifted), through the record
 * writer (audited, evented, on the record's timeline), inside the caller's transaction.
 */
import type { ObjectName } from "../../crm/fields.js";
import { OBJECTS } from "../../crm/objects.js";
import type { StoreTx } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import type { RecordWriter } from "../records/record-writer.js";

const PEOPLE: readonly ObjectName[] = ["lead", "contact"];
const MAX = 1_000;

export async function markEmailStatus(
  tx: StoreTx,
  writer: RecordWriter,
  call: CallContext,
  email: string,
  status: "valid" | "bouncing" | "unsubscribed",
  /** Only change records whose status is one of these (default: any other status). */
  from?: readonly string[],
): Promise<string[]> {
  const address = email.trim().toLowerCase();
  const marked: string[] = [];
  for (const object of PEOPLE) {
    const field = OBJECTS[object].fields.find((f) => f.name === "email");
    if (!field) continue;
    // Case-insensitive prefix match uses the store's LIKE; equality is then checked exactly.
    const rows = await tx.records.queryRecords({
      workspaceId: call.workspaceId,
      object,
      filter: { field, op: "starts_with", value: address },
      sort: { field: { name: "id", type: "string", label: "ID" }, direction: "asc" },
      limit: MAX,
    });
    const items = rows
      .filter((r) => String(r.data.email ?? "").toLowerCase() === address && r.data.email_status !== status)
      .filter((r) => !from || from.includes(String(r.data.email_status)))
      .map((r) => ({ id: r.id, fields: { email_status: status } }));
    if (items.length > 0) await writer.updateMany(call, object, items, true, tx);
    marked.push(...items.map((i) => i.id));
  }
  return marked;
}
