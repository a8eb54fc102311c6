/**
 * A validation problem is data (Zod style): where, what kind, and a sentence a person can act on.
 * The API turns a list of these into one problem+json response.
 */
export type IssuePath = ReadonlyArray<string | number>;

export interface Issue {
  path: IssuePath;
  code:
    | "unknown_field"
    | "managed_field"
    | "required"
    | "invalid_type"
    | "invalid_value"
    | "not_in_options"
    | "too_small"
    | "too_big"
    | "too_long"
    | "not_found"
    | "invalid_reference"
    /** The field awaits an approval decision (docs/approvals.md). */
    | "locked"
    /** The write breaks a validation rule or stage gate (docs/data-quality.md); `rule` names it. */
    | "rule";
  message: string;
  /** What would have been accepted (type name or allowed values), when that helps. */
  expected?: string | readonly string[];
  /** The validation rule or stage gate a write broke (code `rule`). */
  rule?: { id: string; name: string };
}

export function prefixIssues(prefix: IssuePath, issues: readonly Issue[]): Issue[] {
  return issues.map((i) => ({ ...i, path: [...prefix, ...i.path] }));
}

/** `records[3].email` — how paths are shown to people. */
export function formatPath(path: IssuePath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out;
}
