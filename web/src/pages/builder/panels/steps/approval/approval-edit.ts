/**
 * The approval panel's edits, pure (test/web/builder-approval-model.test.ts): approver specs by
 * kind and value, the routes as an ordered list whose last route — the one without a condition —
 * stays the default (new routes go before it, and only the routes with a condition move), a
 * route's decision (levels of approvers, or approve / reject automatically), how many of a
 * level must approve, and the time limit's kind. Relative imports carry `.js` so that the root
 * TypeScript project (which checks the unit tests) resolves them too.
 */
import type {
  ApprovalLevel,
  ApprovalRoute,
  ApprovalTimeout,
  ApproverRole,
  ApproverSpec,
  Condition,
} from "../../../../../components/graph/definition.js";
import { soleEntry } from "../../inputs/sole-entry.js";

export const APPROVER_KINDS = [
  { key: "user_id", words: "A named person" },
  { key: "manager_of", words: "The manager of the user in a field" },
  { key: "team_lead_of", words: "The team lead of the user in a field" },
  { key: "team_lead", words: "The lead of a team" },
  { key: "role", words: "Everyone with a role" },
  { key: "queue", words: "The members of a queue" },
] as const;
export type ApproverKind = (typeof APPROVER_KINDS)[number]["key"];

export const ROLE_WORDS: Record<ApproverRole, string> = {
  admin: "Admins",
  manager: "Managers",
  rep: "Reps",
  integration: "Integrations (API users)",
};

export function approverKind(a: ApproverSpec): ApproverKind {
  return soleEntry(a)[0] as ApproverKind;
}

export function approverValue(a: ApproverSpec): string {
  return soleEntry(a)[1];
}

const isRole = (v: string): v is ApproverRole => v in ROLE_WORDS;

export function makeApprover(kind: ApproverKind, value: string): ApproverSpec {
  switch (kind) {
    case "user_id":
      return { user_id: value };
    case "manager_of":
      return { manager_of: value };
    case "team_lead_of":
      return { team_lead_of: value };
    case "team_lead":
      return { team_lead: value };
    case "role":
      return { role: isRole(value) ? value : "manager" };
    case "queue":
      return { queue: value };
  }
}

/**
 * A new approver of a kind, with a likely value where there is one (the user field for "the
 * manager of …", the managers for a role); a person, a team or a queue is left to choose.
 */
export function startApprover(kind: ApproverKind, userField: string): ApproverSpec {
  if (kind === "manager_of" || kind === "team_lead_of") return makeApprover(kind, userField);
  if (kind === "role") return { role: "manager" };
  return makeApprover(kind, "");
}

/** Whether the route is the default: the last one, without a condition. */
export const isDefaultRoute = (routes: readonly ApprovalRoute[], i: number) => i === routes.length - 1 && routes[i]?.when === undefined;

/** A new level: nobody yet (the panel asks who), any one of them. */
export const newLevel = (): ApprovalLevel => ({ approvers: [], require: "any" });

/** A route with a condition, added before the default route (or last, when there is no default). */
export function addRoute(routes: readonly ApprovalRoute[], when: Condition): { routes: ApprovalRoute[]; index: number } {
  const route: ApprovalRoute = { when, levels: [newLevel()] };
  const at = isDefaultRoute(routes, routes.length - 1) ? routes.length - 1 : routes.length;
  return { routes: [...routes.slice(0, at), route, ...routes.slice(at)], index: at };
}

/** Whether route `i` may move by `delta` (-1 up, +1 down): routes with a condition swap among themselves; the default stays last. */
export function canMove(routes: readonly ApprovalRoute[], i: number, delta: -1 | 1): boolean {
  const j = i + delta;
  return j >= 0 && j < routes.length && !isDefaultRoute(routes, i) && !isDefaultRoute(routes, j);
}

export function moveRoute(routes: readonly ApprovalRoute[], i: number, delta: -1 | 1): ApprovalRoute[] {
  if (!canMove(routes, i, delta)) return [...routes];
  const next = [...routes];
  const [a, b] = [next[i] as ApprovalRoute, next[i + delta] as ApprovalRoute];
  next[i] = b;
  next[i + delta] = a;
  return next;
}

export function removeAt<T>(list: readonly T[], i: number): T[] {
  return list.filter((_, j) => j !== i);
}

export function replaceAt<T>(list: readonly T[], i: number, item: T): T[] {
  return list.map((x, j) => (j === i ? item : x));
}

export type Decision = "levels" | "approve" | "reject";

export const DECISION_WORDS: Record<Decision, string> = {
  levels: "Ask approvers, level by level",
  approve: "Approve automatically",
  reject: "Reject automatically",
};

export const decisionOf = (r: ApprovalRoute): Decision => r.auto ?? "levels";

/** The route deciding another way: its levels (one empty level when it had none) or an automatic decision (keeping whom it tells). */
export function withDecision(r: ApprovalRoute, d: Decision): ApprovalRoute {
  const { levels, auto: _auto, notify, ...rest } = r;
  if (d === "levels") return { ...rest, levels: levels && levels.length > 0 ? levels : [newLevel()] };
  return { ...rest, auto: d, ...(notify ? { notify } : {}) };
}

export type RequireMode = "any" | "all" | "number";

export const requireModeOf = (l: ApprovalLevel): RequireMode =>
  typeof l.require === "number" ? "number" : l.require === "all" ? "all" : "any";

/** The level needing `mode` of its approvers: a number starts at 2 when it has two or more, else 1. */
export function withRequireMode(l: ApprovalLevel, mode: RequireMode): ApprovalLevel {
  if (mode !== "number") return { ...l, require: mode };
  return { ...l, require: typeof l.require === "number" ? l.require : Math.min(2, Math.max(1, l.approvers.length)) };
}

export type TimeoutMode = "none" | "after" | "business_hours" | "business_days";

export const TIMEOUT_WORDS: Record<TimeoutMode, string> = {
  none: "No time limit",
  after: "A length of time",
  business_hours: "Business hours",
  business_days: "Business days",
};

export function timeoutModeOf(t: ApprovalTimeout | undefined): TimeoutMode {
  if (!t) return "none";
  if (t.business) return t.business.days !== undefined ? "business_days" : "business_hours";
  return "after";
}

/**
 * The time limit of another kind, keeping what it then does (and its calendar between the two
 * business kinds); a new one takes the timed-out path after 2 days, 16 business hours or 2
 * business days.
 */
export function withTimeoutMode(t: ApprovalTimeout | undefined, mode: TimeoutMode): ApprovalTimeout | undefined {
  if (mode === "none") return undefined;
  // biome-ignore lint/suspicious/noThenProperty: the format names what a time limit does `then`
  const { after: _a, business, ...rest } = t ?? { then: "path" as const, escalations: 1 };
  const calendar = business?.calendar ? { calendar: business.calendar } : {};
  if (mode === "after") return { ...rest, after: { days: 2 } };
  if (mode === "business_hours") return { ...rest, business: { hours: 16, ...calendar } };
  return { ...rest, business: { days: 2, ...calendar } };
}

export const THEN_WORDS: Record<ApprovalTimeout["then"], string> = {
  escalate: "Escalate to other approvers",
  approve: "Approve",
  reject: "Reject",
  path: "Take the “timed out” path",
};
