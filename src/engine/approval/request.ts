/**
 * An approval request as a pure state machine (docs/approvals.md): its levels in sequence, who
 * may decide each, the votes, and the rules — any one / all / N of M, no self-approval,
 * delegation while an approver is away, escalation. No IO and no clock: the instant comes in
 * with each event, the people come in resolved (`Candidate`). The runtime stores the state as it
 * is returned and carries out the effects (ask the people of a level, settle the run's wait); the
 * API answers a refused decision with the refusal's words.
 */
import type { ApprovalRequire } from "../definition.js";

export type ApprovalDecision = "approve" | "reject" | "revise";
export type RequestStatus = "pending" | "approved" | "rejected" | "revise" | "timed_out" | "cancelled";
export type LevelStatus = "waiting" | "pending" | "approved" | "rejected" | "revise" | "closed";

/** A person a level's approver spec led to, as the runtime found them. */
export interface Candidate {
  userId: string;
  name: string;
  /** How they were found: "Vera Vp, role manager". */
  why: string;
  /** Away now (PTO), with their delegate if they named one. */
  away?: { until: string; delegateId: string | null; delegateName: string | null } | undefined;
}

export interface Approver {
  userId: string;
  name: string;
  why: string;
  /** Deciding for this person, who is away. */
  onBehalfOf: { userId: string; name: string } | null;
  /** Added by an escalation: their decision settles the level alone. */
  escalated: boolean;
}

export interface Vote {
  userId: string;
  name: string;
  onBehalfOf: string | null;
  decision: ApprovalDecision;
  comment: string;
  at: string;
}

export interface LevelState {
  name: string;
  require: ApprovalRequire;
  approvers: Approver[];
  votes: Vote[];
  status: LevelStatus;
}

export interface RequestState {
  status: RequestStatus;
  /** Index of the level being decided (the last one once settled). */
  level: number;
  levels: LevelState[];
  submitterId: string | null;
  /** Why it ended: who decided, or the timeout, or the cancellation. */
  outcome: string | null;
  settledAt: string | null;
  escalations: number;
}

/** What the runtime does after a transition. */
export type RequestEffect =
  | { type: "ask"; level: number; approvers: Approver[] }
  | { type: "settled"; status: Exclude<RequestStatus, "pending">; outcome: string };

export type RefusalCode = "not_pending" | "self_approval" | "not_approver" | "already_voted";

export type RequestEvent =
  | { kind: "vote"; userId: string; decision: ApprovalDecision; comment: string; at: string }
  /** More people who may decide the current level alone (a timeout's escalation). */
  | { kind: "escalate"; to: Candidate[]; at: string }
  /** Ended from outside: a timeout's automatic decision, the run cancelled; also a request sent back (status revise). */
  | { kind: "close"; status: "approved" | "rejected" | "timed_out" | "cancelled"; outcome: string; at: string };

export type Transition =
  | { ok: true; state: RequestState; effects: RequestEffect[] }
  | { ok: false; code: RefusalCode; reason: string; state: RequestState };

export interface LevelPlan {
  name: string;
  require: ApprovalRequire;
  /** The people each approver spec of the level led to, in order. */
  candidates: Candidate[];
}

/**
 * The people who decide a level: each once, never the submitter, a delegate for whoever is away
 * and named one (unless the delegate is the submitter). Says who was left out and why.
 */
export function pickApprovers(candidates: readonly Candidate[], submitterId: string | null): { approvers: Approver[]; notes: string[] } {
  const approvers: Approver[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (c.userId === submitterId) {
      notes.push(`${c.name} submitted the request and may not approve it`);
      continue;
    }
    const delegate = c.away?.delegateId && c.away.delegateId !== submitterId ? c.away : undefined;
    const who = delegate
      ? {
          userId: delegate.delegateId as string,
          name: delegate.delegateName ?? (delegate.delegateId as string),
          why: `delegate of ${c.name}, away until ${c.away?.until}`,
          onBehalfOf: { userId: c.userId, name: c.name },
        }
      : { userId: c.userId, name: c.name, why: c.why, onBehalfOf: null };
    if (c.away && !delegate) notes.push(awayNote(c, c.away, submitterId));
    if (seen.has(who.userId)) continue;
    seen.add(who.userId);
    approvers.push({ ...who, escalated: false });
  }
  return { approvers, notes };
}

/** Why an away approver decides themselves: they named no delegate, or the one they named is the submitter. */
function awayNote(c: Candidate, away: NonNullable<Candidate["away"]>, submitterId: string | null): string {
  if (!away.delegateId || away.delegateId !== submitterId) return `${c.name} is away until ${away.until} and named no delegate`;
  const delegate = away.delegateName ?? away.delegateId;
  return `${c.name} is away until ${away.until}; their delegate ${delegate} submitted the request and may not decide it`;
}

/** How many approvals settle a level. */
export function needed(level: Pick<LevelState, "require" | "approvers">): number {
  if (level.require === "any") return 1;
  if (level.require === "all") return level.approvers.filter((a) => !a.escalated).length;
  return level.require;
}

export function requireWords(require: ApprovalRequire, of: number): string {
  if (require === "any") return `any one of ${of}`;
  if (require === "all") return `all ${of}`;
  return `${require} of ${of}`;
}

/**
 * Opens a request: every level's approvers picked, the first level asked. A string when it cannot
 * be decided by anyone (a level with fewer approvers than it needs), naming the level.
 */
export function openRequest(
  levels: readonly LevelPlan[],
  submitterId: string | null,
): { state: RequestState; effects: RequestEffect[]; notes: string[] } | string {
  const notes: string[] = [];
  const states: LevelState[] = [];
  for (const [i, plan] of levels.entries()) {
    const picked = pickApprovers(plan.candidates, submitterId);
    notes.push(...picked.notes);
    const level: LevelState = {
      name: plan.name,
      require: plan.require,
      approvers: picked.approvers,
      votes: [],
      status: i === 0 ? "pending" : "waiting",
    };
    // "all" of nobody would be 0: a level always needs someone.
    const need = Math.max(needed(level), 1);
    if (need > picked.approvers.length) {
      const why = picked.notes.length > 0 ? ` (${picked.notes.join("; ")})` : "";
      return `level "${plan.name}" needs ${need} approver${need === 1 ? "" : "s"} but has ${picked.approvers.length}${why}`;
    }
    states.push(level);
  }
  if (states.length === 0) return "the route has no levels";
  const state: RequestState = { status: "pending", level: 0, levels: states, submitterId, outcome: null, settledAt: null, escalations: 0 };
  return { state, effects: [{ type: "ask", level: 0, approvers: states[0]?.approvers ?? [] }], notes };
}

const refuse = (state: RequestState, code: RefusalCode, reason: string): Transition => ({ ok: false, code, reason, state });

function lastVote(state: RequestState): Vote | undefined {
  return state.levels
    .flatMap((l) => l.votes)
    .sort((a, b) => a.at.localeCompare(b.at))
    .at(-1);
}

const VERB: Record<ApprovalDecision, string> = { approve: "approved", reject: "rejected", revise: "sent back for revision" };

/** One event of a request: a new state and effects, or a refusal that changes nothing. */
export function decideRequest(state: RequestState, event: RequestEvent): Transition {
  // A request sent back waits for its submitter: nobody votes on it, but the run may still end it
  // (cancelled, failed, its record deleted, the revision's timeout, no rounds left), so that it
  // does not stay "revise" — resubmittable — behind a run that no longer waits for it.
  if (state.status === "revise" && event.kind === "close") return settle(state, event.status, event.outcome, event.at, state.levels);
  if (state.status !== "pending") {
    const last = lastVote(state);
    const by = state.outcome ?? (last ? `${VERB[last.decision]} by ${last.name} at ${last.at}` : state.status);
    return refuse(state, "not_pending", `this request is no longer pending: ${by}`);
  }
  switch (event.kind) {
    case "close":
      return settle(
        state,
        event.status,
        event.outcome,
        event.at,
        state.levels.map((l, i) => (i === state.level ? { ...l, status: "closed" as const } : l)),
      );
    case "escalate": {
      const current = state.levels[state.level] as LevelState;
      const known = new Set(current.approvers.map((a) => a.userId));
      const added = pickApprovers(event.to, state.submitterId)
        .approvers.filter((a) => !known.has(a.userId))
        .map((a) => ({ ...a, escalated: true }));
      const levels = state.levels.map((l, i) => (i === state.level ? { ...l, approvers: [...l.approvers, ...added] } : l));
      return {
        ok: true,
        state: { ...state, levels, escalations: state.escalations + 1 },
        effects: added.length > 0 ? [{ type: "ask", level: state.level, approvers: added }] : [],
      };
    }
    case "vote":
      return vote(state, event);
  }
}

function vote(state: RequestState, event: Extract<RequestEvent, { kind: "vote" }>): Transition {
  if (event.userId === state.submitterId) return refuse(state, "self_approval", "you submitted this request; someone else must decide it");
  const current = state.levels[state.level] as LevelState;
  const approver = current.approvers.find((a) => a.userId === event.userId);
  if (!approver) {
    const names = current.approvers.map((a) => a.name).join(", ");
    return refuse(state, "not_approver", `you are not an approver of level "${current.name}" (its approvers: ${names})`);
  }
  if (current.votes.some((v) => v.userId === event.userId))
    return refuse(state, "already_voted", `you have already decided level "${current.name}"`);
  const cast: Vote = {
    userId: approver.userId,
    name: approver.name,
    onBehalfOf: approver.onBehalfOf?.userId ?? null,
    decision: event.decision,
    comment: event.comment,
    at: event.at,
  };
  const behalf = approver.onBehalfOf ? ` for ${approver.onBehalfOf.name}` : "";
  const words = `${VERB[event.decision]} by ${approver.name}${behalf} at ${event.at}${event.comment ? `: ${event.comment}` : ""}`;
  const votes = [...current.votes, cast];
  if (event.decision !== "approve") {
    const status = event.decision === "reject" ? "rejected" : "revise";
    return settle(state, status, words, event.at, replaceLevel(state, { ...current, votes, status }));
  }
  const approvals = votes.filter((v) => v.decision === "approve").length;
  if (!approver.escalated && approvals < needed(current)) {
    return { ok: true, state: { ...state, levels: replaceLevel(state, { ...current, votes }) }, effects: [] };
  }
  const done = replaceLevel(state, { ...current, votes, status: "approved" });
  const next = state.level + 1;
  const following = done[next];
  if (!following) return settle(state, "approved", words, event.at, done);
  const levels = done.map((l, i) => (i === next ? { ...l, status: "pending" as const } : l));
  return { ok: true, state: { ...state, level: next, levels }, effects: [{ type: "ask", level: next, approvers: following.approvers }] };
}

function replaceLevel(state: RequestState, level: LevelState): LevelState[] {
  return state.levels.map((l, i) => (i === state.level ? level : l));
}

function settle(
  state: RequestState,
  status: Exclude<RequestStatus, "pending">,
  outcome: string,
  at: string,
  levels: LevelState[],
): Transition {
  return {
    ok: true,
    state: { ...state, status, levels, outcome, settledAt: at },
    effects: [{ type: "settled", status, outcome }],
  };
}
