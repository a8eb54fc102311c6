/**
 * The checks every parsed JSON value from outside passes before anything else reads it — API
 * bodies, filters, inbound hook deliveries — so that each edge refuses the same things the same
 * way (docs/security.md, "Text and structure from outside").
 */
import type { IssuePath } from "../crm/issues.js";
import { MAX_JSON_DEPTH, tooDeepAt } from "../crm/json-depth.js";
import { findTextFaults } from "../crm/text.js";
import { AppError } from "./errors.js";

/**
 * The edge's checks of a parsed JSON value from outside: nesting depth first (before anything
 * recursive touches it), then the text rule (no NUL, no lone surrogates) on every key and string.
 */
export function checkIncomingJson(value: unknown, at: IssuePath, maxDepth = MAX_JSON_DEPTH): void {
  const deep = tooDeepAt(value, maxDepth);
  if (deep) {
    throw new AppError("bad_request", `the JSON nests deeper than ${maxDepth} levels`, [
      { path: [...at, ...deep], code: "too_big", message: `nests deeper than the limit of ${maxDepth} levels` },
    ]);
  }
  const faults = findTextFaults(value, at);
  if (faults.length > 0) throw new AppError("bad_request", "the request holds text Handoff cannot accept", faults);
}
