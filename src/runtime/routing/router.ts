/**
 * The router: carries out one owner decision through a rule set or a queue, in the caller's
 * transaction, and keeps its reason record (glossary: store/routing-ports.ts).
 *
 * A rule set's rules are evaluated in order with the workflow condition language (first match
 * wins, else the default target). A target is a user, a team (round-robin) or a queue. A queue
 * locks its rotation state, judges every member (crm/assignment: pure) and lets its strategy
 * choose; when nobody is eligible it follows its fallback — another queue, a user, or hold the
 * record until someone is free (hold-release.ts). Writing the owner is the caller's: a workflow
 * writes as the workflow, a create-time rule set as the system.
 */
import { chooseFromQueue } from "../../crm/assignment/index.js";
import { assertNever } from "../../crm/never.js";
import { compileCondition } from "../../engine/conditions.js";
import type { StoredRecord, StoreTx } from "../../store/ports.js";
import type {
  AssignmentOutcome,
  AssignmentRow,
  AssignmentSource,
  QueueRow,
  RoutingTarget,
  RuleSetRow,
  RuleVerdict,
} from "../../store/routing-ports.js";
import { loadFacts } from "../facts.js";
import { userRecord } from "../people.js";
import { queueMembers } from "./members.js";
import { findTeam, rotateTeam } from "./team.js";

/** What to route through. */
export type RouteVia = { queue: string } | { rule_set: string } | { ruleSet: RuleSetRow };

export interface RouteRequest {
  tx: StoreTx;
  record: StoredRecord;
  field: string;
  via: RouteVia;
  /** Never chosen (the current owner, on reassignment). */
  exclude: ReadonlySet<string>;
  source: AssignmentSource;
  now: Date;
  newId: () => string;
  /** Writes the chosen owner on the record (as the caller's actor). */
  write: (userId: string) => Promise<void>;
  /** False in a workflow: a failed decision fails the step instead of being kept. */
  keepFailures: boolean;
}

/** Releasing a hold: only an assignment counts; anything else leaves the record held, writing nothing. */
export interface ReleaseRequest extends Omit<RouteRequest, "via" | "keepFailures"> {
  queueId: string;
}

/** The routing configuration is missing something (no such queue): the caller says so. */
export class RoutingError extends Error {}

/** A decision in the making: what the reason record will say. */
interface Draft {
  ruleSet: AssignmentRow["ruleSet"];
  rules: RuleVerdict[];
  matchedRule: string | null;
  target: RoutingTarget | null;
  queue: AssignmentRow["queue"];
  candidates: AssignmentRow["candidates"];
  detail: AssignmentRow["detail"];
  fallbacks: string[];
}

interface Decided {
  outcome: AssignmentOutcome;
  userId: string | null;
  why: string;
  /** The queue the record is held in. */
  holdIn?: QueueRow;
}

/** Queue fallbacks followed at most (the edge refuses cycles; this bounds a race with an edit). */
const MAX_FALLBACKS = 8;

export async function route(req: RouteRequest): Promise<AssignmentRow> {
  return keep(req, await decide(req));
}

/** The assignment when someone in the queue can take the held record now, else undefined (nothing written). */
export async function releaseHold(req: ReleaseRequest): Promise<AssignmentRow | undefined> {
  const routed: RouteRequest = { ...req, via: { queue: req.queueId }, keepFailures: false };
  const decision = await decide(routed);
  return decision.decided.outcome === "assigned" ? keep(routed, decision) : undefined;
}

interface Decision {
  assignment: AssignmentRow;
  decided: Decided;
}

/** Who gets the record and why; nothing is written yet but the chosen queue's rotation. */
async function decide(req: RouteRequest): Promise<Decision> {
  const { tx, record } = req;
  const draft: Draft = {
    ruleSet: null,
    rules: [],
    matchedRule: null,
    target: null,
    queue: null,
    candidates: [],
    detail: null,
    fallbacks: [],
  };
  let decided: Decided;
  if ("queue" in req.via) {
    draft.target = { queue: req.via.queue };
    decided = await toTarget(req, draft, draft.target);
  } else {
    const ruleSet = "ruleSet" in req.via ? req.via.ruleSet : await tx.routing.getRuleSet(record.workspaceId, req.via.rule_set);
    if (!ruleSet) throw new RoutingError(`no rule set "${"rule_set" in req.via ? req.via.rule_set : ""}"`);
    if (ruleSet.object !== record.object)
      throw new RoutingError(`rule set ${ruleSet.name} routes ${ruleSet.object} records, not ${record.object}`);
    draft.ruleSet = { id: ruleSet.id, name: ruleSet.name, version: ruleSet.version };
    const target = await evaluateRules(req, ruleSet, draft);
    draft.target = target;
    decided = target
      ? await toTarget(req, draft, target)
      : { outcome: "failed", userId: null, why: `rule set ${ruleSet.name}: no rule matched and it has no default target` };
    if (draft.matchedRule === null && target) decided.why = `no rule matched; default target: ${decided.why}`;
    else if (draft.matchedRule !== null) decided.why = `rule "${draft.matchedRule}" matched: ${decided.why}`;
  }
  const previous = record.data[req.field];
  const assignment: AssignmentRow = {
    workspaceId: record.workspaceId,
    id: req.newId(),
    recordId: record.id,
    object: record.object,
    field: req.field,
    at: req.now.toISOString(),
    outcome: decided.outcome,
    userId: decided.userId,
    previousUserId: typeof previous === "string" ? previous : null,
    source: req.source,
    ...draft,
    why: decided.why,
  };
  return { assignment, decided };
}

/** Writes the decision: the owner, the reason record, and the hold when the record waits. */
async function keep(req: RouteRequest, { assignment, decided }: Decision): Promise<AssignmentRow> {
  const { tx, record } = req;
  if (decided.outcome === "failed" && !req.keepFailures) throw new RoutingError(decided.why);
  if (decided.userId !== null) await req.write(decided.userId);
  await tx.routing.insertAssignment(assignment);
  if (decided.holdIn)
    await tx.routing.addHold({
      workspaceId: record.workspaceId,
      queueId: decided.holdIn.id,
      recordId: record.id,
      field: req.field,
      heldAt: assignment.at,
      assignmentId: assignment.id,
    });
  return assignment;
}

/** Evaluates the rules in order; the target of the first that holds, else the default. */
async function evaluateRules(req: RouteRequest, ruleSet: RuleSetRow, draft: Draft): Promise<RoutingTarget | null> {
  const compiled = ruleSet.rules.map((rule) => ({ rule, condition: compileCondition(rule.when) }));
  const refs = new Set<string>();
  for (const c of compiled) for (const r of c.condition.needs.refs) refs.add(r);
  const facts = await loadFacts(req.tx, req.record, { refs, counts: compiled.flatMap((c) => c.condition.needs.counts) }, req.now.getTime());
  for (const { rule, condition } of compiled) {
    const matched = condition.test(facts);
    draft.rules.push({ id: rule.id, name: rule.name, matched, why: condition.explain(facts) });
    if (matched) {
      draft.matchedRule = rule.name;
      return rule.target;
    }
  }
  return ruleSet.defaultTarget;
}

async function toTarget(req: RouteRequest, draft: Draft, target: RoutingTarget): Promise<Decided> {
  const ws = req.record.workspaceId;
  if ("user_id" in target) return toUser(req, target.user_id, draft);
  if ("team" in target) {
    const team = await findTeam(req.tx, ws, target.team);
    if (!team) throw new RoutingError(`no team "${target.team}"`);
    const choice = await rotateTeam(req.tx, team, req.exclude);
    return choice.ok
      ? { outcome: "assigned", userId: choice.userId, why: choice.why }
      : { outcome: "failed", userId: null, why: choice.why };
  }
  if ("queue" in target) return toQueue(req, draft, target.queue, new Set());
  return assertNever(target);
}

async function toUser(req: RouteRequest, userId: string, draft: Draft): Promise<Decided> {
  const user = await userRecord(req.tx, req.record.workspaceId, userId);
  if (!user) throw new RoutingError(`no user "${userId}"`);
  const name = String(user.data.name);
  if (user.data.active === false || req.exclude.has(user.id)) {
    const why = user.data.active === false ? `${name} is inactive` : `${name} is the current owner`;
    return { outcome: "failed", userId: null, why };
  }
  if (draft.candidates.length === 0) draft.candidates = [{ userId: user.id, name, eligible: true, weight: 1 }];
  return { outcome: "assigned", userId: user.id, why: `to ${name}` };
}

async function toQueue(req: RouteRequest, draft: Draft, idOrName: string, seen: Set<string>): Promise<Decided> {
  const ws = req.record.workspaceId;
  const queue = await req.tx.routing.getQueue(ws, idOrName);
  if (!queue) throw new RoutingError(`no queue "${idOrName}"`);
  if (seen.has(queue.id) || seen.size >= MAX_FALLBACKS)
    return { outcome: "failed", userId: null, why: `queue fallbacks go round in a circle at ${queue.name}` };
  seen.add(queue.id);
  // The state is locked first: two workers assigning from this queue take turns from here.
  const state = await req.tx.routing.lockQueueState(ws, queue.id);
  const members = await queueMembers(req.tx, queue, req.now.getTime());
  const decision = chooseFromQueue({
    queue: {
      id: queue.id,
      name: queue.name,
      strategy: queue.strategy,
      respectAvailability: queue.respectAvailability,
      respectCapacity: queue.respectCapacity,
    },
    members,
    state,
    exclude: req.exclude,
    at: req.now,
  });
  // The reason keeps the last queue that decided (the one that assigned, or the last that could not).
  draft.queue = { id: queue.id, name: queue.name, strategy: queue.strategy, version: queue.version };
  draft.candidates = decision.candidates;
  if (decision.outcome === "assigned") {
    draft.detail = decision.detail;
    await req.tx.routing.setQueueState(ws, queue.id, decision.state);
    return { outcome: "assigned", userId: decision.userId, why: decision.why };
  }
  const fb = queue.fallback;
  if (fb === null) return { outcome: "failed", userId: null, why: `${decision.why}; the queue has no fallback` };
  draft.fallbacks.push(queue.name);
  if ("hold" in fb)
    return { outcome: "held", userId: null, why: `${decision.why}; held in queue ${queue.name} until someone is free`, holdIn: queue };
  if ("user_id" in fb) {
    const d = await toUser(req, fb.user_id, draft);
    return { ...d, why: `${decision.why}; fallback ${d.why}` };
  }
  const d = await toQueue(req, draft, fb.queue, seen);
  return { ...d, why: `${decision.why}; fallback: ${d.why}` };
}
