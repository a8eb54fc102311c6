/**
 * Storage ports of assignment and routing (issue 16; docs/routing.md).
 *
 * Glossary
 * - Queue: people who take work of one kind in turn, with a strategy (round-robin, weighted,
 *   least-loaded), switches for availability and capacity, how open work is counted, and a
 *   fallback for when nobody is eligible.
 * - Queue state: the strategy's memory between picks (the last person given an item, or the
 *   weighted credits), locked by every assignment so two workers never take the same slot.
 * - Hold: a record waiting in a queue whose fallback is to hold, until someone is free.
 * - Rule set: ordered rules over one object's records; the first whose condition holds names
 *   the target (a user, a team or a queue), else the default target.
 * - Assignment: the reason record of one owner decision — what was evaluated, who was
 *   considered and excluded with why, and who was chosen (or that the record was held or failed).
 */
import type { CandidateVerdict, QueueDetail, QueueState, QueueStrategyName } from "../crm/assignment/index.js";
import type { ObjectName } from "../crm/fields.js";
import type { Condition } from "../engine/definition.js";

/** Where a rule (or a rule set's default) sends a record. */
export type RoutingTarget = { user_id: string } | { team: string } | { queue: string };

/** What a queue does when nobody in it is eligible. */
export type QueueFallbackSpec = { queue: string } | { user_id: string } | { hold: true };

/** How a member's open work is counted: records of `object` whose `owner_field` is the member and that match `where`. */
export interface QueueLoadSpec {
  object: ObjectName;
  owner_field: string;
  where?: Condition | undefined;
}

export interface QueueMemberSpec {
  user_id: string;
  /** Share in a weighted rotation (a positive integer). */
  weight: number;
  /** The most open items this member should hold in this queue; unset = the user's own capacity. */
  capacity?: number | undefined;
}

export interface QueueRow {
  workspaceId: string;
  id: string;
  name: string;
  description: string;
  strategy: QueueStrategyName;
  respectAvailability: boolean;
  respectCapacity: boolean;
  load: QueueLoadSpec | null;
  fallback: QueueFallbackSpec | null;
  members: QueueMemberSpec[];
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

export interface RoutingRule {
  /** Stable within the rule set (the reason record names it). */
  id: string;
  name: string;
  when: Condition;
  target: RoutingTarget;
}

export interface RuleSetRow {
  workspaceId: string;
  id: string;
  name: string;
  description: string;
  object: ObjectName;
  /** The user reference the rule set fills. */
  field: string;
  onCreate: boolean;
  /** In priority order. */
  rules: RoutingRule[];
  defaultTarget: RoutingTarget | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

export interface HoldRow {
  workspaceId: string;
  queueId: string;
  recordId: string;
  field: string;
  heldAt: string;
  assignmentId: string;
}

/** What started a decision. */
export type AssignmentSource =
  | { kind: "workflow"; run_id: string; workflow_id: string; step: string }
  | { kind: "on_create" }
  | { kind: "hold_released" }
  /** An admin applied the rule set to records without an owner. */
  | { kind: "rule_set_applied" }
  | { kind: "simulation" };

/** One rule as the decision saw it. */
export interface RuleVerdict {
  id: string;
  name: string;
  matched: boolean;
  /** What was compared ("country = DE: yes"). */
  why: string;
}

export type AssignmentOutcome = "assigned" | "held" | "failed";

export interface AssignmentRow {
  workspaceId: string;
  id: string;
  recordId: string;
  object: ObjectName;
  field: string;
  at: string;
  outcome: AssignmentOutcome;
  userId: string | null;
  previousUserId: string | null;
  source: AssignmentSource;
  ruleSet: { id: string; name: string; version: number } | null;
  /** The rules evaluated, in order, up to and including the one that matched. */
  rules: RuleVerdict[];
  /** The rule that matched; null when the default target was used or there was no rule set. */
  matchedRule: string | null;
  target: RoutingTarget | null;
  queue: { id: string; name: string; strategy: QueueStrategyName; version: number } | null;
  /** Every candidate considered, eligible or not, with the reason for each exclusion. */
  candidates: CandidateVerdict[];
  /** The strategy's counters or weights, when a queue assigned; null otherwise. */
  detail: QueueDetail | null;
  /** Queues passed through on the way (fallbacks), in order. */
  fallbacks: string[];
  why: string;
}

/** Assignments per queue and member over a window. */
export interface DistributionRow {
  queueId: string | null;
  userId: string | null;
  outcome: AssignmentOutcome;
  count: number;
}

export interface RoutingReads {
  listQueues(workspaceId: string): Promise<QueueRow[]>;
  getQueue(workspaceId: string, idOrName: string): Promise<QueueRow | undefined>;
  listRuleSets(workspaceId: string): Promise<RuleSetRow[]>;
  getRuleSet(workspaceId: string, idOrName: string): Promise<RuleSetRow | undefined>;
  /** The rule sets that run on every create of `object`. */
  onCreateRuleSets(workspaceId: string, object: ObjectName): Promise<RuleSetRow[]>;
  listHolds(workspaceId: string, queueId?: string): Promise<HoldRow[]>;
  /** Every queue, in any workspace, that holds a record (the hold releaser's round). */
  heldQueues(): Promise<Array<{ workspaceId: string; queueId: string }>>;
  /** A record's assignments, newest first. */
  assignmentsOf(workspaceId: string, recordId: string, limit: number): Promise<AssignmentRow[]>;
  recentAssignments(workspaceId: string, limit: number): Promise<AssignmentRow[]>;
  distribution(workspaceId: string, sinceIso: string): Promise<DistributionRow[]>;
}

/**
 * An update of a versioned row (a queue, a rule set): written only over the version it was read at
 * (`row.version - 1`), so two admins saving at once cannot silently overwrite each other.
 */
export type VersionedUpdate = "saved" | "name_taken" | "stale";

export interface RoutingPort extends RoutingReads {
  /** False when the name is taken. */
  insertQueue(q: QueueRow): Promise<boolean>;
  updateQueue(q: QueueRow): Promise<VersionedUpdate>;
  deleteQueue(workspaceId: string, id: string): Promise<boolean>;
  /** The queue's rotation state, locked until the transaction ends. */
  lockQueueState(workspaceId: string, queueId: string): Promise<QueueState>;
  setQueueState(workspaceId: string, queueId: string, state: QueueState): Promise<void>;
  insertRuleSet(r: RuleSetRow): Promise<boolean>;
  updateRuleSet(r: RuleSetRow): Promise<VersionedUpdate>;
  deleteRuleSet(workspaceId: string, id: string): Promise<boolean>;
  /** False when the record is held there already. */
  addHold(h: HoldRow): Promise<boolean>;
  removeHold(workspaceId: string, queueId: string, recordId: string, field: string): Promise<boolean>;
  insertAssignment(a: AssignmentRow): Promise<void>;
}
