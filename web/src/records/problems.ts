/**
 * A server refusal (problem+json) as a form shows it: each issue under the field its path
 * names, and what names no field of the form in the summary. Reused by every form that writes
 * records (these pages, and the data-quality pages later).
 */
import { ApiError } from "../api/client";

export interface ProblemIssue {
  path: string;
  code: string;
  message: string;
  expected?: string | readonly string[];
}

export interface FormProblem {
  /** One sentence for the summary: what happened. */
  title: string;
  /** What to do next. */
  next: string;
  /** field name → its messages */
  byField: Record<string, string[]>;
  /** Issues that name no field of this form (shown in the summary only). */
  other: string[];
  status?: number;
}

/** `email`, `custom.x`, `records[1].email` → the first name in the path ("email", "custom", "records"). */
export function fieldOfPath(path: string): string {
  const match = /^[^.[]+/.exec(path);
  return match ? match[0] : path;
}

/** "Email: "x" is not an email address" reads as "This is not an email address…" next to the field; keep the server's words. */
function sentence(issue: ProblemIssue): string {
  const m = issue.message.trim();
  return m.charAt(0).toUpperCase() + m.slice(1);
}

export function problemOf(error: unknown, formFields: ReadonlySet<string>): FormProblem {
  if (!(error instanceof ApiError)) {
    return {
      title: "The save did not reach the server.",
      next: "Check your connection and save again; what you typed is still here.",
      byField: {},
      other: [error instanceof Error ? error.message : String(error)],
    };
  }
  const issues = ((error.problem as { errors?: ProblemIssue[] } | undefined)?.errors ?? []) as ProblemIssue[];
  const byField: Record<string, string[]> = {};
  const other: string[] = [];
  for (const issue of issues) {
    const field = fieldOfPath(issue.path);
    if (formFields.has(field)) byField[field] = [...(byField[field] ?? []), sentence(issue)];
    else other.push(issue.path ? `${issue.path}: ${sentence(issue)}` : sentence(issue));
  }
  const detail = error.problem?.detail ?? error.message;
  let title = `The server refused the save: ${detail}.`;
  let next = "Correct the fields marked below and save again; what you typed is still here.";
  const named = Object.keys(byField).length;
  if (error.status === 422 && named > 0) {
    title = named === 1 ? "One field needs a fix before this can be saved." : `${named} fields need a fix before this can be saved.`;
  }
  if (error.status === 401) {
    title = "Your session has ended.";
    next = "Sign in again in another tab, then save here again; what you typed is still here.";
  } else if (error.status === 403 || (error.status === 404 && issues.length === 0)) {
    title = `The server refused the save: ${detail}.`;
    next = "Your role may not allow this change; ask an admin if you need it.";
  } else if (error.status === 423) {
    // A pending approval locks these fields (or the record): the detail names the request and who must decide.
    title = `Not saved: it awaits approval. ${detail.charAt(0).toUpperCase()}${detail.slice(1)}.`;
    next =
      "The fields marked below can change once the request is decided: ask the people it waits on, or open the request from the record's Awaiting approval panel. Your other changes were not saved either; save them without the locked ones.";
  } else if (issues.length === 0) {
    next = "Nothing was saved. Try again in a moment; if it keeps happening, ask your Handoff admin.";
  }
  return { title, next, byField, other, status: error.status };
}
