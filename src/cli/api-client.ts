/**
 * Commands that act as a person (approvals, the review queue) talk to a running Handoff over its
 * API with the caller's own token, never through the store: a decision or a dismissal must name
 * who made it, and acting for someone from a shell with database access would forge exactly that.
 * The token comes from HANDOFF_TOKEN (never from argv, which other users of the machine can read
 * in the process list); the server from --url, HANDOFF_URL or http://127.0.0.1:3000. A refusal
 * becomes an AppError carrying the problem's message and its fields by path.
 */

import type { ParseArgsConfig } from "node:util";
import { AppError, type AppErrorKind } from "../app/errors.js";
import { ConfigError } from "../composition/config.js";
import type { Issue } from "../crm/issues.js";
import { parse, UsageError } from "./args.js";

const DEFAULT_URL = "http://127.0.0.1:3000";

/** The status of a refusal → the kind the CLI prints it as (its message is the problem's own). */
const KINDS: Record<number, AppErrorKind> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  412: "precondition_failed",
  422: "validation",
  423: "locked",
};

interface Problem {
  title?: string;
  detail?: string;
  errors?: Array<{ path?: string; code?: Issue["code"]; message?: string }>;
}

/** One call as the token's person: GET without a body, POST (or `method`) with one. */
export type ApiCall = <T>(path: string, body?: unknown, method?: "POST" | "PATCH" | "PUT" | "DELETE") => Promise<T>;

async function call<T>(base: string, token: string, path: string, body?: unknown, method?: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method: body === undefined ? (method ?? "GET") : (method ?? "POST"),
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    throw new AppError(
      "unavailable",
      `cannot reach Handoff at ${base}${cause}; is \`handoff serve\` running there? (--url or HANDOFF_URL)`,
    );
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    throw new AppError("unavailable", `${base} answered ${res.status} with something that is not JSON: is it a Handoff server?`);
  }
  if (res.ok) return parsed as T;
  const problem = parsed as Problem;
  const hint = res.status === 401 ? " — check HANDOFF_TOKEN" : "";
  throw new AppError(
    KINDS[res.status] ?? "unavailable",
    `${problem.detail ?? problem.title ?? "refused"} (HTTP ${res.status}${hint})`,
    (problem.errors ?? []).map((e) => ({ path: [e.path ?? ""], code: e.code ?? "invalid_value", message: e.message ?? "" })),
  );
}

/** The caller for `what` (the command group, named in the message when the token is missing). */
export function personApi(what: string, url: string | undefined): ApiCall {
  const token = process.env.HANDOFF_TOKEN;
  if (!token)
    throw new ConfigError(
      `${what} act as you: set HANDOFF_TOKEN to a token made for your user (an admin creates one with \`handoff token create --user-id ID\`)`,
    );
  const base = (url ?? process.env.HANDOFF_URL ?? DEFAULT_URL).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(base)) throw new UsageError(`--url must be an http(s) URL, got "${base}"`);
  return (path, body, method) => call(base, token, path, body, method);
}

type Options = NonNullable<ParseArgsConfig["options"]>;
type Values<O extends Options> = ReturnType<typeof parse<O>>["values"];

/** One subcommand of a person's command group: its positional arguments and the flags it takes. */
export interface PersonCommand<O extends Options> {
  args: readonly string[];
  flags: ReadonlyArray<keyof O & string>;
  /** Usage checked before anything is sent (or a token is asked for). */
  check?: (v: Values<O>) => void;
  run: (api: ApiCall, args: string[], v: Values<O>) => Promise<void>;
}

/**
 * Parses `argv` as `handoff GROUP [SUBCOMMAND] ARGS… --flags`, checks its usage (arguments, flags
 * that go with the subcommand) before asking for a token, then runs it as the token's person.
 * `options` must declare `url`.
 */
export async function runPersonCommand<O extends Options & { url: { type: "string" } }>(
  group: string,
  options: O,
  commands: Record<string, PersonCommand<O>>,
  fallback: string,
  argv: string[],
): Promise<void> {
  const { values, positionals } = parse(argv, options);
  const [action = fallback, ...args] = positionals;
  const command = commands[action];
  if (!command) throw new UsageError(`unknown ${group} command "${action}" (${Object.keys(commands).join(", ")})`);
  const name = `${group} ${action}`;
  if (args.length < command.args.length) throw new UsageError(`${name} needs ${command.args.slice(args.length).join(" ")}`);
  if (args.length > command.args.length) throw new UsageError(`unexpected argument "${args[command.args.length]}"`);
  const given = values as Record<string, unknown>;
  for (const flag of Object.keys(options)) {
    const set = given[flag] !== undefined && given[flag] !== false;
    if (set && flag !== "url" && !command.flags.includes(flag)) throw new UsageError(`--${flag} does not go with ${name}`);
  }
  command.check?.(values);
  await command.run(personApi(group, given.url as string | undefined), args, values);
}
