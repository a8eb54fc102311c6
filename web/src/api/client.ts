/**
 * The one way the app talks to the API: `api`, an openapi-fetch client typed by schema.d.ts
 * (generated from the API's /openapi.json by `npm run gen:api`). It sends the session cookie
 * (`credentials: "same-origin"`) and, on every state-changing call, the CSRF token the session
 * answer carried (`X-CSRF-Token`).
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];

let csrfToken: string | undefined;

/** Kept from the session answer (sign-in or GET /api/v1/session); cleared on sign-out. */
export function setCsrfToken(token: string | undefined) {
  csrfToken = token;
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** Headers for a call made outside `api` (the session routes): JSON, and the CSRF token when it changes state. */
export function apiHeaders(method: string, json: boolean): Headers {
  const h = new Headers({ accept: "application/json, application/problem+json" });
  if (json) h.set("content-type", "application/json");
  if (!SAFE.has(method.toUpperCase()) && csrfToken) h.set("x-csrf-token", csrfToken);
  return h;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (!SAFE.has(request.method) && csrfToken) request.headers.set("x-csrf-token", csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: "/", credentials: "same-origin" });
api.use(csrf);

/** An API answer that was not 2xx, carrying its problem+json body when it had one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem> | undefined,
  ) {
    super(problem?.detail ?? problem?.title ?? `the server answered ${status}`);
    this.name = "ApiError";
  }
}

/** openapi-fetch's `{ data, error, response }` → the data, or an ApiError thrown. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const p = result.error && typeof result.error === "object" ? (result.error as Partial<Problem>) : undefined;
    throw new ApiError(result.response.status, p);
  }
  return result.data as T;
}

/** `If-Match: "3"` for a write over the version that was read (a 412 if someone saved since). */
export const ifMatch = (version: number) => ({ "if-match": `"${version}"` });

/** Whether an error is the server's 412: someone else saved a newer version first. */
export const isStale = (error: unknown): boolean => error instanceof ApiError && error.status === 412;
