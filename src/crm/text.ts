/**
 * The one rule for text that enters Handoff from outside (API bodies, path and query
 * parameters, CSV cells, form fields, inbound hooks): no NUL character and no half of a UTF-16
 * surrogate pair. PostgreSQL stores neither (a NUL fails the statement, in text and in jsonb),
 * SQLite would keep them, and libraries such as the email validator throw on a lone surrogate —
 * so both stores would answer differently, and some callers would get a 500. Refusing them at
 * the edge, with the path that holds them, makes every store answer alike. Pure: no IO.
 */
import type { Issue, IssuePath } from "./issues.js";

export type TextFault = "nul" | "lone_surrogate";

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

const MESSAGES: { [K in TextFault]: string } = {
  nul: "contains a NUL character (U+0000), which Handoff does not accept in text",
  lone_surrogate: "contains half of a UTF-16 surrogate pair (an unpaired \\uD800–\\uDFFF), which is not text",
};

/** What is wrong with one string, or undefined when it is acceptable text. */
export function textFault(s: string): TextFault | undefined {
  if (s.includes("\u0000")) return "nul";
  if (LONE_SURROGATE.test(s)) return "lone_surrogate";
  return undefined;
}

export function textFaultMessage(fault: TextFault): string {
  return MESSAGES[fault];
}

/** One issue for a faulty string at `path`, or undefined. */
export function textIssue(s: string, path: IssuePath): Issue | undefined {
  const fault = textFault(s);
  return fault === undefined ? undefined : { path, code: "invalid_value", message: MESSAGES[fault] };
}

/**
 * Every faulty string in a parsed JSON value — object keys included — with its path, at most
 * `limit` of them. Walks with an explicit stack, so a hostile, deeply nested body cannot
 * overflow the call stack here.
 */
export function findTextFaults(value: unknown, at: IssuePath = [], limit = 20): Issue[] {
  const issues: Issue[] = [];
  const stack: Array<{ value: unknown; path: IssuePath }> = [{ value, path: at }];
  while (stack.length > 0 && issues.length < limit) {
    const { value: v, path } = stack.pop() as { value: unknown; path: IssuePath };
    if (typeof v === "string") {
      const issue = textIssue(v, path);
      if (issue) issues.push(issue);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
    } else if (typeof v === "object" && v !== null) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown];
        const keyIssue = textIssue(key, [...path, printableKey(key)]);
        if (keyIssue) issues.push({ ...keyIssue, message: `the key ${keyIssue.message}` });
        stack.push({ value: child, path: [...path, printableKey(key)] });
      }
    }
  }
  return issues.slice(0, limit);
}

/** A key shown in a path without the characters that made it faulty (they would break the response). */
function printableKey(key: string): string {
  return textFault(key) === undefined ? key : key.replace(LONE_SURROGATES, "\uFFFD").replaceAll("\u0000", "\\u0000");
}
