/**
 * The session routes (`/api/v1/session`: sign in, who am I, sign out). Their contract:
 * POST {email, password, workspace?} → 200 Session + HttpOnly cookie `handoff_session`;
 * 401 wrong credentials, 429 too many attempts (problem+json). GET → Session or 401.
 * DELETE → 204 (with X-CSRF-Token).
 *
 * These routes are called with fetch (the session is read before the app's client is of any use,
 * and a 401 here is an answer, not an error); their shapes come from the generated schema, so a
 * change of the API's session answer fails the app's typecheck.
 */
import { ApiError, apiHeaders, type Problem, setCsrfToken } from "./client";
import type { paths } from "./schema";

export type Session = paths["/api/v1/session"]["get"]["responses"][200]["content"]["application/json"];
export type Role = Session["user"]["role"];

export type Credentials = NonNullable<paths["/api/v1/session"]["post"]["requestBody"]>["content"]["application/json"];

const PATH = "/api/v1/session";

async function problemOf(res: Response): Promise<Partial<Problem> | undefined> {
  try {
    return (await res.json()) as Partial<Problem>;
  } catch {
    return undefined;
  }
}

/** The current session, or null when nobody is signed in. */
export async function fetchSession(): Promise<Session | null> {
  const res = await fetch(PATH, { credentials: "same-origin", headers: apiHeaders("GET", false) });
  if (res.status === 401 || res.status === 404) {
    setCsrfToken(undefined);
    return null;
  }
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  const session = (await res.json()) as Session;
  setCsrfToken(session.csrf_token);
  return session;
}

export async function signIn(credentials: Credentials): Promise<Session> {
  const res = await fetch(PATH, {
    method: "POST",
    credentials: "same-origin",
    headers: apiHeaders("POST", true),
    body: JSON.stringify(credentials),
  });
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  const session = (await res.json()) as Session;
  setCsrfToken(session.csrf_token);
  return session;
}

export async function signOut(): Promise<void> {
  const res = await fetch(PATH, { method: "DELETE", credentials: "same-origin", headers: apiHeaders("DELETE", false) });
  setCsrfToken(undefined);
  if (!res.ok && res.status !== 401) throw new ApiError(res.status, await problemOf(res));
}
