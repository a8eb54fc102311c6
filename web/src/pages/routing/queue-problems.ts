/**
 * A refused queue save as the editor reads it: the server's problems (application/problem+json
 * `errors`), each with its path ("members[0].weight", "fallback.queue", "load.where.field").
 */
import { ApiError } from "../../api/client";

/** The server's messages at exactly this path (not below it), joined; undefined when none. */
export function problemsExactlyAt(error: unknown, path: string): string | undefined {
  const issues = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
  const found = issues.filter((i) => i.path === path).map((i) => i.message);
  return found.length > 0 ? found.join("; ") : undefined;
}

/** The server's problems of a refused save, each with its path ("members[0].weight"). */
export function serverIssues(error: unknown): { path: string; code: string; message: string }[] {
  const issues = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
  return issues.map((i) => ({ path: i.path, code: i.code, message: i.message }));
}
