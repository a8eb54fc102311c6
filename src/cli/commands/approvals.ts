/**
 * `handoff approvals …` (issue 18, docs/approvals.md): a person's approval inbox from the
 * command line — list, show, decide (approve, reject, send back with a comment) and resubmit.
 *
 * Unlike the administrative commands, which open the store and act as the workspace's system
 * administrator, these talk to a running Handoff over its API with the caller's own token: a
 * decision is a person's, and the request's history must name who decided. Acting for someone
 * from a shell with database access would forge exactly that, so this command has no store to
 * open. The token comes from HANDOFF_TOKEN (never from argv, which other users of the machine can
 * read in the process list); the server from --url, HANDOFF_URL or http://127.0.0.1:3000.
 * Refusals (self-approval, already decided, a locked record …) print the API's problem, its
 * fields by path, and exit 1; usage mistakes exit 2.
 */
import type { ApprovalDetail, ApprovalView } from "../../app/approvals/approval-service.js";
import { AppError, type AppErrorKind } from "../../app/errors.js";
import { ConfigError } from "../../composition/config.js";
import type { Issue } from "../../crm/issues.js";
import { parse, UsageError } from "../args.js";

const options = {
  url: { type: "string" },
  json: { type: "boolean", default: false },
  view: { type: "string" },
  status: { type: "string" },
  limit: { type: "string" },
  before: { type: "string" },
  approve: { type: "boolean", default: false },
  reject: { type: "boolean", default: false },
  revise: { type: "boolean", default: false },
  comment: { type: "string" },
} as const;
type Values = ReturnType<typeof parse<typeof options>>["values"];
type Flag = keyof typeof options;

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

/** One call to the API as the token's person; a refusal becomes an AppError carrying the problem. */
async function call<T>(base: string, token: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method: body === undefined ? "GET" : "POST",
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

const label = (name: string, value: string) => `${name.padEnd(12)}${value}`;
const person = (p: { name: string } | null) => p?.name ?? "nobody";
const record = (a: ApprovalView) => `${a.object} ${a.record.title ?? a.record.id} (${a.record.id})`;
const value = (v: unknown) => (v === null || v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** `01J…:3	pending	round 1	deal Acme renewal (01J…)	Discount of 25% on Acme renewal	waiting on Ann, Bob` */
export function approvalLine(a: ApprovalView): string {
  const now = a.status === "pending" ? `waiting on ${a.waiting_on.join(", ") || "nobody"}` : (a.outcome ?? a.status);
  return [a.id, a.status, `round ${a.round}`, record(a), a.summary, now].join("\t");
}

export function approvalLines(a: ApprovalDetail): string[] {
  return [
    label("request", `${a.id} (round ${a.round}${a.previous_id ? `, after ${a.previous_id}` : ""})`),
    label("summary", a.summary),
    label("record", record(a)),
    label("status", a.outcome ? `${a.status}: ${a.outcome}` : a.status),
    label("submitter", person(a.submitter)),
    label("route", a.route),
    label("locks", a.lock),
    ...(a.due_at ? [label("due", a.due_at)] : []),
    ...a.stake.map((s) => label("  stake", `${s.label}: ${value(s.value)} when asked, ${value(s.now)} now`)),
    ...a.levels.flatMap((l, i) => [
      label(i === a.level && a.status === "pending" ? "→ level" : "  level", `${l.name}: ${l.require}, ${l.status}`),
      ...l.approvers.map((p) => {
        const vote = p.vote ? `${p.vote.decision} at ${p.vote.at}${p.vote.comment ? `: ${p.vote.comment}` : ""}` : "no decision";
        const behalf = p.on_behalf_of ? `, for ${p.on_behalf_of.name}` : "";
        return label("", `${p.name} (${p.why}${behalf})  ${vote}`);
      }),
    ]),
    ...(a.waiting_on.length > 0 ? [label("waiting on", a.waiting_on.join(", "))] : []),
    label("you can", a.you_can.length > 0 ? a.you_can.join(", ") : "nothing now"),
    ...a.history.map((h) => label(`  ${h.seq}`, `${h.at}  ${h.kind}${h.actor ? ` by ${h.actor.name}` : ""}${commentOf(h.detail)}`)),
    ...(a.rounds.length > 1 ? [label("rounds", a.rounds.map((r) => `${r.round}: ${r.id} ${r.status}`).join("; "))] : []),
  ];
}

const commentOf = (detail: Record<string, unknown>) =>
  typeof detail.comment === "string" && detail.comment !== "" ? `: ${detail.comment}` : "";

interface Command {
  args: readonly string[];
  flags: readonly Flag[];
  /** Usage checked before anything is sent (or a token is asked for). */
  check?: (v: Values) => void;
  run: (api: <T>(path: string, body?: unknown) => Promise<T>, args: string[], v: Values) => Promise<void>;
}

const DECISIONS = ["approve", "reject", "revise"] as const;

const commands: Record<string, Command> = {
  list: {
    args: [],
    flags: ["view", "status", "limit", "before", "json"],
    run: async (api, _, v) => {
      const q = new URLSearchParams();
      for (const k of ["view", "status", "limit", "before"] as const) if (v[k] !== undefined) q.set(k, v[k]);
      const page = await api<{ data: ApprovalView[]; next_cursor: string | null }>(`/api/v1/approvals${q.size > 0 ? `?${q}` : ""}`);
      if (v.json) return console.log(JSON.stringify(page, null, 2));
      if (page.data.length === 0) console.log(`no approval requests (${v.view ?? "mine"})`);
      for (const a of page.data) console.log(approvalLine(a));
      if (page.next_cursor) console.log(`… more: --before ${page.next_cursor}`);
    },
  },
  show: {
    args: ["ID"],
    flags: ["json"],
    run: async (api, [id], v) => {
      const a = await api<ApprovalDetail>(`/api/v1/approvals/${encodeURIComponent(id as string)}`);
      console.log(v.json ? JSON.stringify(a, null, 2) : approvalLines(a).join("\n"));
    },
  },
  decide: {
    args: ["ID"],
    flags: ["approve", "reject", "revise", "comment", "json"],
    check: (v) => {
      if (DECISIONS.filter((d) => v[d]).length !== 1)
        throw new UsageError("approvals decide needs exactly one of --approve, --reject, --revise");
    },
    run: async (api, [id], v) => {
      const decision = DECISIONS.find((d) => v[d]) as (typeof DECISIONS)[number];
      const a = await api<ApprovalDetail>(`/api/v1/approvals/${encodeURIComponent(id as string)}/decision`, {
        decision,
        ...(v.comment !== undefined ? { comment: v.comment } : {}),
      });
      if (v.json) return console.log(JSON.stringify(a, null, 2));
      const after = a.status === "pending" ? `still pending, waiting on ${a.waiting_on.join(", ")}` : `now ${a.status}`;
      console.log(`${decision === "revise" ? "sent back" : `${decision}d`} request ${a.id} (${a.summary}): ${after}`);
    },
  },
  resubmit: {
    args: ["ID"],
    flags: ["comment", "json"],
    run: async (api, [id], v) => {
      const a = await api<ApprovalDetail>(
        `/api/v1/approvals/${encodeURIComponent(id as string)}/resubmit`,
        v.comment !== undefined ? { comment: v.comment } : {},
      );
      if (v.json) return console.log(JSON.stringify(a, null, 2));
      console.log(`resubmitted request ${a.id} (${a.summary}): round ${a.round + 1} opens when the workflow takes it`);
    },
  },
};

export async function approvalsCommand(argv: string[]) {
  const { values, positionals } = parse(argv, options);
  const [action = "list", ...args] = positionals;
  const command = commands[action];
  if (!command) throw new UsageError(`unknown approvals command "${action}" (list, show, decide, resubmit)`);
  const name = `approvals ${action}`;
  if (args.length < command.args.length) throw new UsageError(`${name} needs ${command.args.slice(args.length).join(" ")}`);
  if (args.length > command.args.length) throw new UsageError(`unexpected argument "${args[command.args.length]}"`);
  for (const flag of Object.keys(options) as Flag[]) {
    const given = values[flag] !== undefined && values[flag] !== false;
    if (given && flag !== "url" && !command.flags.includes(flag)) throw new UsageError(`--${flag} does not go with ${name}`);
  }
  command.check?.(values);
  const token = process.env.HANDOFF_TOKEN;
  if (!token)
    throw new ConfigError(
      "approvals act as you: set HANDOFF_TOKEN to a token made for your user (an admin creates one with `handoff token create --user-id ID`)",
    );
  const base = (values.url ?? process.env.HANDOFF_URL ?? DEFAULT_URL).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(base)) throw new UsageError(`--url must be an http(s) URL, got "${base}"`);
  await command.run((path, body) => call(base, token, path, body), args, values);
}
