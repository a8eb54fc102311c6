/**
 * Storage port of SLA policies and their clocks (issue 17; docs/sla.md, "SLA policies").
 *
 * Glossary
 * - SLA policy: a target on one object's records in business time on a calendar, with a warning,
 *   a breach and escalation levels; when a clock starts, stops and pauses. Its whole definition
 *   (`SlaPolicyDefinition`, the JSON of docs/sla.md) is stored as one document; name, object and
 *   enabled are also columns, written from it.
 * - Clock: one (policy, record)'s count of consumed business time (crm/sla/clock.ts). Its plan
 *   (target, warning, escalations) and calendar are copied in when it starts, with the policy
 *   version: editing a policy changes the clocks started afterwards, never a running one.
 * - Open clock: running or paused. At most one per (policy, record); a stopped clock is history,
 *   and a record may get a new clock afterwards.
 * - Clock history: every change of a clock, numbered from 1 per clock.
 *
 * - Version: a clock's counter, one more for every history row a change writes, so that the
 *   history row of a change is numbered by the version it made (`seq` = version) and a write over
 *   a version someone else moved changes nothing (fencing).
 * - Claim: a worker's lease on due running clocks (`next_due_at` by the database clock), as work
 *   items are claimed; the firing write is guarded by the version and the lease owner.
 *
 * The clock runtime (runtime/sla/) writes clocks in the matcher's transaction (start, stop,
 * pause, resume, retarget) and fires their due milestones from the worker.
 */
import type { ObjectName } from "../crm/fields.js";
import type { ClockPhase, ClockPlan } from "../crm/sla/clock.js";
import type { CalendarRef, Condition } from "../engine/definition.js";
import type { VersionedUpdate } from "./routing-ports.js";

/** Business time: `days` are 24 h of open time each; the parts add up. */
export interface SlaDuration {
  days?: number | undefined;
  hours?: number | undefined;
  minutes?: number | undefined;
}

/** A value of a field, as conditions compare them. */
export type SlaFieldValue = string | number | boolean;

export type SlaStart = { on: "created" } | { on: "field_changed"; field: string; to?: SlaFieldValue[] | undefined };

export type SlaStop =
  | { on: "activity"; types: string[]; by: "owner" | "anyone" }
  | { on: "field_value"; field: string; in: SlaFieldValue[] }
  | { on: "field_changed"; field: string };

export type SlaWarning = { fraction: number } | { before: SlaDuration };

/** A policy as docs/sla.md writes it (its JSON, with defaults filled in). */
export interface SlaPolicyDefinition {
  name: string;
  description: string;
  object: ObjectName;
  enabled: boolean;
  applies_when?: Condition | undefined;
  starts: SlaStart;
  stops: SlaStop;
  target: SlaDuration;
  targets_by?: { field: string; values: Record<string, SlaDuration> } | undefined;
  calendar: CalendarRef;
  pause_when?: Condition | undefined;
  warning?: SlaWarning | undefined;
  escalations: Array<{ after: SlaDuration }>;
}

export interface SlaPolicyRow {
  workspaceId: string;
  id: string;
  definition: SlaPolicyDefinition;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

/** The calendar a clock measures on: the policy's reference and what it resolved to (null: none, 24×7). */
export interface SlaClockCalendar {
  ref: CalendarRef;
  id: string | null;
  name: string | null;
}

export interface SlaClockRow {
  workspaceId: string;
  id: string;
  policyId: string;
  policyVersion: number;
  recordId: string;
  phase: ClockPhase;
  plan: ClockPlan;
  calendar: SlaClockCalendar;
  consumedMs: number;
  /** ISO instants. */
  since: string;
  startedAt: string;
  stoppedAt: string | null;
  fired: string[];
  nextDueAt: string | null;
  /** Bumped by every write of the clock (fencing). */
  version: number;
}

export type SlaClockEventKind = "started" | "paused" | "resumed" | "retargeted" | "warned" | "breached" | "escalated" | "stopped";

export interface SlaClockEvent {
  workspaceId: string;
  clockId: string;
  seq: number;
  at: string;
  kind: SlaClockEventKind;
  detail: Record<string, unknown>;
}

/** A clock row as a claim returns it: leased to the claimer until the lease ends. */
export interface ClaimedSlaClock extends SlaClockRow {
  leaseOwner: string;
}

/** Filters of the at-risk list (GET /api/v1/sla/clocks): open clocks only. */
export interface SlaClockQuery {
  workspaceId: string;
  /** warning: running with the warning fired and the breach not; breached: open with the breach fired. */
  status?: "warning" | "breached" | undefined;
  policyId?: string | undefined;
  /** Clocks after this id (the previous page's last). */
  afterId?: string | undefined;
  limit: number;
}

export interface SlaReads {
  /** By name. */
  listSlaPolicies(workspaceId: string): Promise<SlaPolicyRow[]>;
  /** By id, else by name. */
  getSlaPolicy(workspaceId: string, idOrName: string): Promise<SlaPolicyRow | undefined>;
  /** Open (running or paused) clocks per policy id; policies without any are absent. */
  openSlaClockCounts(workspaceId: string): Promise<Map<string, number>>;
  getSlaClock(workspaceId: string, clockId: string): Promise<SlaClockRow | undefined>;
  /** A record's clocks, newest first. */
  slaClocksOfRecord(workspaceId: string, recordId: string): Promise<SlaClockRow[]>;
  /** A clock's history, in order. */
  slaClockHistory(workspaceId: string, clockId: string): Promise<SlaClockEvent[]>;
  /** The histories of several clocks, each in order. */
  slaClockHistories(workspaceId: string, clockIds: readonly string[]): Promise<Map<string, SlaClockEvent[]>>;
  /** Every policy (enabled or not) measuring the object's records. */
  slaPoliciesOf(workspaceId: string, object: string): Promise<SlaPolicyRow[]>;
  /** Open clocks (running, paused) matching the query, by id. */
  listOpenSlaClocks(q: SlaClockQuery): Promise<SlaClockRow[]>;
}

export interface SlaClaims {
  /**
   * Leases up to `limit` running clocks whose next milestone is due to `owner` for `leaseMs` (by
   * the database clock), oldest due first, skipping rows another worker holds. `dueBy` (an ISO
   * instant) judges due-ness instead of the database clock: tests on a simulated clock only.
   */
  claimDueSlaClocks(owner: string, limit: number, leaseMs: number, dueBy?: string): Promise<ClaimedSlaClock[]>;
  /** How long until the next running clock falls due, by the database clock; undefined when none. */
  nextSlaDueInMs(): Promise<number | undefined>;
}

export interface SlaPort extends SlaReads {
  /** False when the name is taken. */
  insertSlaPolicy(p: SlaPolicyRow): Promise<boolean>;
  /** Written only over the version it was read at (`p.version - 1`). */
  updateSlaPolicy(p: SlaPolicyRow): Promise<VersionedUpdate>;
  /**
   * Deletes the policy with its stopped clocks and their history; the number of clocks forgotten.
   * Undefined when the policy does not exist. The caller refuses while a clock is open.
   */
  deleteSlaPolicy(workspaceId: string, id: string): Promise<number | undefined>;
  /** False when the policy has an open clock on the record already. */
  insertSlaClock(c: SlaClockRow): Promise<boolean>;
  appendSlaClockHistory(events: readonly SlaClockEvent[]): Promise<void>;
  /**
   * The record's open clocks, locked until the transaction ends where the database locks rows
   * (PostgreSQL: a firing worker then waits for the matcher's change, and its version check fails).
   */
  lockOpenSlaClocks(workspaceId: string, recordId: string): Promise<SlaClockRow[]>;
  /**
   * Writes the clock's state over `expectedVersion` (and, for a firing worker, only while it still
   * holds the lease); clears the lease. False when someone else moved it meanwhile.
   */
  updateSlaClock(c: SlaClockRow, expectedVersion: number, leaseOwner?: string): Promise<boolean>;
}
