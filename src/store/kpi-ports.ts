/**
 * Storage port of the KPI rollups (issue 22; docs/kpis.md): the per-record facts and the daily
 * counts the rollup consumer keeps (runtime/kpis/rollup.ts), and the reads the KPI service makes.
 */
import type { EscalationClock } from "../engine/kpis/escalations.js";
import type { DailyDelta, HourlyDelta, RecordFact } from "../engine/kpis/fold.js";
import type { ReadyTicket } from "../engine/kpis/handoff.js";
import type { Grain } from "../engine/kpis/summary.js";

/** The bucket of an ISO instant (engine/kpis/summary.ts bucketOf), for adapters that group in JavaScript: the store reaches the engine only through its ports. */
export { bucketOf as instantBucket } from "../engine/kpis/summary.js";
/** The rollup's rows are the fold's own shapes (engine/kpis/fold.ts), named here for the adapters. */
/** A series' grain (engine/kpis/summary.ts), named here for the adapters. */
export type { DailyDelta, Grain, HourlyDelta, RecordFact };

/** Records of one object created in a period, narrowed as a KPI is cut. */
export interface CohortQuery {
  workspaceId: string;
  object: string;
  /** Created at or after (ISO). */
  from: string;
  /** Created before (ISO). */
  to: string;
  ownerIds?: readonly string[] | undefined;
  /** Only records a run of this workflow (and version) was on, or (`handled: false`) none was. */
  workflow?: { id: string; version?: number | undefined; handled: boolean } | undefined;
  /** Only records that have a response. */
  responded?: boolean | undefined;
  /** The period is of creations (default), of deals' first closings (only those with a cycle), or of deals' wins. */
  by?: "created" | "closed" | "won" | undefined;
  /** Oldest first (default); the slowest answers first; the most touched first; the longest cycles first; by win. */
  order?: "created" | "slowest" | "most_touched" | "longest_cycle" | "won" | undefined;
  /**
   * The series reads' grain: a row per UTC day of creation (default) or per UTC hour; the rows'
   * `day` is then the bucket, YYYY-MM-DD or YYYY-MM-DDTHH (engine/kpis/summary.ts bucketOf).
   */
  bucket?: Grain | undefined;
  limit: number;
}

/** A cohort's day (or hour: `day` is the bucket): its records, and the sum of their writes by people. */
export interface CohortDay {
  day: string;
  records: number;
  personWrites: number;
}

export interface DailyRow {
  day: string;
  object: string;
  actorKind: string;
  workflowId: string;
  writes: number;
  creates: number;
}

/** A cohort's day: its records, and how many of them a workflow's run was on. */
export interface AdoptionDay {
  day: string;
  records: number;
  reached: number;
}

/** A cohort's record with the runs that were on it (adoption's drill-down): any workflow's, or `by`'s. */
export interface AdoptionRecord {
  recordId: string;
  createdAt: string;
  runs: number;
}

/** A cohort's record with the in-app notifications sent about it, up to now. */
export interface NotifiedRecord {
  recordId: string;
  createdAt: string;
  notifications: number;
}

/** A record whose SLA targets ended in the period: how many were met, missed, and when the first ended. */
export interface SlaRecord {
  recordId: string;
  met: number;
  missed: number;
  firstEndedAt: string;
}

export interface RunOnRecord {
  workflowId: string;
  recordId: string;
  version: number;
  createdAt: string;
}

export interface RunCountRow {
  workflowId: string;
  version: number;
  status: string;
  runs: number;
}

/** SLA targets of one object's policies that ended in a period (docs/kpis.md "SLA attainment"). */
export interface SlaOutcomeQuery {
  workspaceId: string;
  /** The policy's object. */
  object: string;
  /** Ended at or after, before (ISO). */
  from: string;
  to: string;
  /** Only the clocks of records these users own (as the rollup last saw it). */
  ownerIds?: readonly string[] | undefined;
  /** Only the clocks of records a run of this workflow (and version) was on, or none was. */
  workflow?: { id: string; version?: number | undefined; handled: boolean } | undefined;
  /** The series' grain: per UTC day (default; `day` is YYYY-MM-DD) or per UTC hour (`day` is YYYY-MM-DDTHH). */
  bucket?: "day" | "hour" | undefined;
}

/** A day's (or, by hour, an hour's) ended SLA targets. */
export interface SlaOutcomeDay {
  /** YYYY-MM-DD, or YYYY-MM-DDTHH by hour. */
  day: string;
  met: number;
  missed: number;
}

/** A cohort's record as it stands now (the data-quality KPIs; docs/kpis.md "Data quality"). */
export interface QualityRecord {
  id: string;
  createdAt: string;
  /** Its creation day, YYYY-MM-DD. */
  day: string;
  ownerId: string | null;
  /** Its fields now; null when it is gone (deleted, or merged away). */
  data: Record<string, unknown> | null;
  updatedAt: string | null;
  /** Folded into another record by a merge not undone. */
  mergedAway: boolean;
}

/** A record's audited change: when, and each field's old and new value. */
export interface RecordChanges {
  recordId: string;
  at: string;
  changes: ReadonlyArray<{ field: string; old: unknown; new: unknown }>;
}

/** A suspected duplicate pair of the review queue, not dismissed, with both sides' creation instants. */
export interface DuplicatePair {
  itemId: string;
  a: { id: string; createdAt: string };
  b: { id: string; createdAt: string };
}

/** An SLA escalation that fired, with its clock's plan, the levels fired on it and its stop. */
export interface EscalationRow extends EscalationClock {
  clockId: string;
  recordId: string;
  level: number;
  firedAt: string;
}

export interface KpiReads {
  /** The facts of these records that exist. */
  getKpiRecords(workspaceId: string, recordIds: readonly string[]): Promise<RecordFact[]>;
  /** A cohort's facts, in `order`, at most `limit`. */
  kpiCohort(q: CohortQuery): Promise<RecordFact[]>;
  /** A cohort's records and people's writes per creation day, summed by the database. */
  kpiCohortDays(q: Omit<CohortQuery, "limit" | "order">): Promise<CohortDay[]>;
  /** The response times (ms) of a cohort's answered records with their creation day, by day. */
  kpiResponseTimes(q: Omit<CohortQuery, "limit" | "order" | "responded">): Promise<Array<{ day: string; ms: number }>>;
  /** The cycle times (ms) of the deals that first closed in the period, with their closing day. */
  kpiCycleTimes(q: Omit<CohortQuery, "limit" | "order" | "by">): Promise<Array<{ day: string; ms: number }>>;
  /** A cohort's records and the notifications sent about them (up to now), per creation day. */
  kpiNotificationDays(q: Omit<CohortQuery, "limit" | "order">): Promise<Array<{ day: string; records: number; notifications: number }>>;
  /** A cohort's records per creation day and how many any workflow's run was on — or, `by`, that workflow's (version's). */
  kpiAdoptionDays(
    q: Omit<CohortQuery, "limit" | "order" | "workflow">,
    by?: { id: string; version?: number | undefined },
  ): Promise<AdoptionDay[]>;
  /** A cohort's records with their runs (any workflow's, or `by`'s), the fewest first, then the oldest; at most `limit`. */
  kpiAdoptionRecords(
    q: Omit<CohortQuery, "limit" | "order" | "workflow">,
    by: { id: string; version?: number | undefined } | undefined,
    limit: number,
  ): Promise<AdoptionRecord[]>;
  /** A cohort's records with their notifications, the most first, then the oldest; at most `limit`. */
  kpiNotificationRecords(q: Omit<CohortQuery, "limit" | "order">, limit: number): Promise<NotifiedRecord[]>;
  /** The records whose SLA targets ended in a period, the smallest share met first; at most `limit`. */
  kpiSlaRecords(q: SlaOutcomeQuery, limit: number): Promise<SlaRecord[]>;
  /** The runs on these records (through `runs_record`): which workflow version was on which record, when it started. */
  kpiRunsOn(workspaceId: string, recordIds: readonly string[]): Promise<RunOnRecord[]>;
  /** The daily rollup's rows of a period (days from ≤ day < to, YYYY-MM-DD), of one object when given. */
  kpiDaily(workspaceId: string, fromDay: string, toDay: string, object?: string): Promise<DailyRow[]>;
  /** The hourly rollup's rows of a period (hours from ≤ hour < to, YYYY-MM-DDTHH; in the rows' `day`), of one object when given. */
  kpiHourly(workspaceId: string, fromHour: string, toHour: string, object?: string): Promise<DailyRow[]>;
  /** SLA targets that ended in a period, met or missed, per UTC day of their end, days in order. */
  kpiSlaOutcomes(q: SlaOutcomeQuery): Promise<SlaOutcomeDay[]>;
  /** A cohort's records as they stand now (merged away: now, or with `asAt` as at that instant), oldest first, at most `limit`. */
  kpiQualityRecords(q: Omit<CohortQuery, "limit" | "order">, limit: number, asAt?: string): Promise<QualityRecord[]>;
  /** Suspected duplicate pairs (not dismissed — now, or with `asAt` suspected before it and not dismissed by then) with a side of the object created in the period. */
  kpiDuplicatePairs(q: Pick<CohortQuery, "workspaceId" | "object" | "from" | "to">, asAt?: string): Promise<DuplicatePair[]>;
  /** The audited changes of these records at or after an instant, newest first (to undo back to it). */
  kpiChangesSince(workspaceId: string, recordIds: readonly string[], at: string): Promise<RecordChanges[]>;
  /** Each record's last audited change before an instant (its `updated_at` then); records with none are absent. */
  kpiLastChangeBefore(workspaceId: string, recordIds: readonly string[], at: string): Promise<Map<string, string>>;
  /** The ready onboarding tickets of these companies, ready at or after `from` (ISO). */
  kpiReadyTickets(workspaceId: string, companyIds: readonly string[], from: string): Promise<ReadyTicket[]>;
  /** SLA escalations (breaches and escalation levels) that fired in a period, with what their clock did. */
  kpiEscalations(q: SlaOutcomeQuery): Promise<EscalationRow[]>;
  /** Runs started in a period, by workflow, version and status. */
  kpiRunCounts(workspaceId: string, from: string, to: string): Promise<RunCountRow[]>;
}

export interface KpiPort extends KpiReads {
  upsertKpiRecords(facts: readonly RecordFact[]): Promise<void>;
  addKpiDaily(deltas: readonly DailyDelta[]): Promise<void>;
  addKpiHourly(deltas: readonly HourlyDelta[]): Promise<void>;
  /** Empties every workspace's facts and rollups (a rebuild starts here). */
  clearKpis(): Promise<void>;
}
