/**
 * `email_engaged`: the record's person opened an email Handoff sent to the record's address, or
 * clicked one of its links — the product's "email opened" trigger (issue 21). Email tracking
 * appends one `record.email_engaged` event on the record per first open of a message and per first
 * click of each of its links (docs/scoring.md, "Email engagement tracking"); its `source` says
 * which. A `record_created` trigger on activities cannot do this: its run is the activity's, not
 * the lead's.
 */
import type { TriggerKind } from "./kind.js";

const KEY = "email_engaged";

export const emailEngaged: TriggerKind<"email_engaged"> = {
  indexKey: () => KEY,
  lookup: { events: ["record.email_engaged"], key: KEY },
  fires: (t, e) => e.type === "record.email_engaged" && (t.on as readonly string[]).includes(e.source ?? ""),
  check(t, ck, _object, path) {
    if (new Set(t.on).size !== t.on.length) ck.push([...path, "on"], "invalid_value", "each of opened, clicked at most once");
  },
};
