/** The API's refusals of a decision, a resubmission or an email link, in words a person can act on. */
import { ApiError } from "../../api/client";
import { when } from "../../components/time";

/** The server's instants ("at 2026-12-05T21:12:03.000Z") in the reader's zone and words. */
export const humanInstants = (text: string) => text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, (iso) => when(iso));

/** The server's message about the comment field (a 422 naming `comment`), if that is what it refused. */
export function commentProblem(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.status !== 422) return undefined;
  const issues = (error.problem as { errors?: { path: string; message: string }[] } | undefined)?.errors ?? [];
  const issue = issues.find((i) => i.path === "comment");
  if (!issue) return undefined;
  const m = issue.message.trim();
  return `${m.charAt(0).toUpperCase()}${m.slice(1)}.`;
}

const capital = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

/** One sentence: the server's own reason, then what to do next. */
export function refusalWords(error: unknown): string {
  if (!(error instanceof ApiError)) return "The server could not be reached: check your connection and try again.";
  const detail = capital(humanInstants(error.problem?.detail ?? error.message)).replace(/\.?$/, ".");
  if (error.status === 409) return `${detail} Nothing else is needed from you; the page shows the request as it is now.`;
  if (error.status === 403) return `${detail} Only the people the request names may decide it.`;
  if (error.status === 404) return `${detail} It may have been removed, or it is not one you may see.`;
  if (error.status === 401) return "Your session has ended: sign in again.";
  return `${detail} Try again in a moment.`;
}
