/**
 * Secrets shown once (a new API token, a hook's or subscription's signing secret): the response
 * that creates one is the only place it ever appears. A route marks the members of its JSON body
 * that hold such a secret with `showOnce`; the idempotency middleware then keeps and replays the
 * response without them (`withholdSecrets`), with a note saying so. One mechanism for every route,
 * so no route keeps its own copy of the rule.
 */
import type { Context } from "hono";
import type { ApiEnv } from "./env.js";

/** Marks dot-separated paths of the response body (`"token"`, `"signing.secret"`) as shown once. */
export function showOnce(c: Context<ApiEnv>, ...paths: string[]): void {
  c.set("shownOnce", [...(c.get("shownOnce") ?? []), ...paths]);
}

/** What a replay says in place of a withheld secret. */
export const WITHHELD_MESSAGE =
  "a secret is shown only once: it was in the first response to this Idempotency-Key and is never replayed. " +
  "If that response was lost, revoke what it created and create a new one, or rotate the secret.";

/**
 * The body to keep for replays: the JSON body without the members at `paths`, plus
 * `secret_withheld: { fields, message }` naming those it removed. Fails closed: a body that is not
 * a JSON object is not kept at all (only the note is).
 */
export function withholdSecrets(body: string, paths: readonly string[]): { body: string; withheld: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (!isObject(parsed)) return { body: JSON.stringify(note([...paths])), withheld: [...paths] };
  const withheld: string[] = [];
  for (const path of paths) {
    const names = path.split(".");
    const last = names.pop() as string;
    let at: unknown = parsed;
    for (const name of names) at = isObject(at) ? at[name] : undefined;
    if (isObject(at) && Object.hasOwn(at, last)) {
      delete at[last];
      withheld.push(path);
    }
  }
  // Nothing removed (the route answered with an error after marking): the body holds no secret.
  if (withheld.length === 0) return { body, withheld };
  return { body: JSON.stringify({ ...parsed, ...note(withheld) }), withheld };
}

const note = (fields: string[]) => ({ secret_withheld: { fields, message: WITHHELD_MESSAGE } });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
