/**
 * `review_queued`: the record entered the data review queue (docs/data-quality.md) — a warn rule
 * let a write through, a value did not normalise, a duplicate was suspected, or a person or a
 * workflow flagged it. The `record.review_queued` event is appended once per item, when it is
 * queued (not when the same problem, still open, is reported again); its `source` is the kind.
 */
import type { TriggerKind } from "./kind.js";

const KEY = "review_queued";

export const reviewQueued: TriggerKind<"review_queued"> = {
  indexKey: () => KEY,
  lookup: { events: ["record.review_queued"], key: KEY },
  fires: (t, e) => e.type === "record.review_queued" && (t.kinds === undefined || (t.kinds as readonly string[]).includes(e.source ?? "")),
  check(t, ck, _object, path) {
    const seen = new Set<string>();
    (t.kinds ?? []).forEach((k, i) => {
      if (seen.has(k)) ck.push([...path, "kinds", i], "invalid_value", `"${k}" is named twice`);
      seen.add(k);
    });
  },
};
