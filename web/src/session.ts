/** The session in the query cache: one query every route and the shell read. */
import { queryOptions } from "@tanstack/react-query";
import { fetchSession } from "./api/session";

export const sessionQuery = queryOptions({
  queryKey: ["session"] as const,
  queryFn: fetchSession,
  staleTime: 60_000,
  retry: false,
});

/** A path inside this app to come back to after signing in; anything else becomes "/". */
export function safeRedirect(target: unknown): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return "/";
  if (target.startsWith("/sign-in")) return "/";
  return target;
}
