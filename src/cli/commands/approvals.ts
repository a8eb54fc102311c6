/**
 * `handoff approvals …` (issue 18, docs/approvals.md): a person's approval inbox from the
 * command line — list, show, decide (approve, reject, send back with a comment) and resubmit.
 *
 * Unlike the administrative commands, which open the store and act as the workspace's system
 * administrator, these talk to a running Handoff over its API with the caller's own token
 * (../api-client.ts): a decision is a person's, and the request's history must name who decided.
 * Refusals (self-approval, already decided, a locked record …) print the API's problem, its
 * fields by path, and exit 1; usage mistakes exit 2.
 */
import type { ApprovalDetail, ApprovalView } from "../../app/approvals/approval-service.js";
import { type PersonCommand, runPersonCommand } from "../api-client.js";
import { UsageError } from "../args.js";

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

const DECISIONS = ["approve", "reject", "revise"] as const;

const commands: Record<string, PersonCommand<typeof options>> = {
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

export function approvalsCommand(argv: string[]) {
  return runPersonCommand("approvals", options, commands, "list", argv);
}
