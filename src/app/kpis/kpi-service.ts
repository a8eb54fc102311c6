/**
 * The KPIs (issue 22; docs/kpis.md): read from what the rollup keeps (runtime/kpis/rollup.ts),
 * never by scanning history, and cut by period, object, owner, team and workflow (and version,
 * handled or not). Every signed-in role reads them; a rebuild is the operator's.
 */
import { canAdmin } from "../../crm/permissions.js";
import { isKpiKey, KPI_KEYS, KPIS, type KpiDefinition, type KpiKey } from "../../engine/kpis/definitions.js";
import { byBucket, median, percent, placeOf, round2 } from "../../engine/kpis/summary.js";
import type { CohortQuery } from "../../store/kpi-ports.js";
import type { Store, StoreReads } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { AppError, notFound } from "../errors.js";
import type { Clock } from "../ports.js";
import { adoption } from "./adoption.js";
import { isQualityKpi, qualityFigure, verdicts } from "./data-quality.js";
import { DRILLS, LISTS, type ListDrill, listRecords } from "./drills.js";
import { escalationCompletion } from "./escalation-completion.js";
import { type KpiFilters, parseKpiQuery } from "./kpi-query.js";
import { notificationsPerRecord } from "./notifications-per-record.js";
import { onboardingHandoff } from "./onboarding-handoff.js";
import { predictionOverrides } from "./prediction-overrides.js";
import { slaAttainment } from "./sla-attainment.js";
import { stageCycleTime } from "./stage-cycle-time.js";
import { type OverrideCount, workflowOverrides } from "./workflow-overrides.js";

export interface KpiPoint {
  /** The UTC day of the point. */
  day: string;
  /** By hour (granularity=hour): the point's UTC hour, 0–23. */
  hour?: number;
  value: number | null;
  count: number;
}

export interface KpiView extends KpiDefinition {
  key: KpiKey;
  value: number | null;
  /** How many records (or writes, or runs) the value is over. */
  count: number;
  series: KpiPoint[];
  /** workflow_failure_rate: per workflow and version. */
  breakdown?: Array<{
    workflow_id: string;
    workflow_name: string;
    version: number;
    runs: number;
    failed: number;
    failure_rate: number | null;
  }>;
  /** workflow_overrides: per workflow and version. */
  overrides_by_workflow?: OverrideCount[];
  /** workflow_overrides: more changes by people in the period than are read; the count is a lower bound. */
  truncated?: boolean;
}

export interface KpiRecordView {
  id: string;
  object: string;
  created_at: string;
  owner_id: string | null;
  value: number | null;
  /** The data-quality KPIs: what is wrong with the record ("missing amount", "breaks …"). */
  why?: string;
}

export interface KpiRebuilder {
  rebuild(): Promise<number>;
}

export class KpiService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly rollup: KpiRebuilder,
  ) {}

  /** Every KPI over the query's period and cut. */
  async overview(ctx: CallContext, query: Record<string, string | undefined>): Promise<{ filters: KpiFilters; kpis: KpiView[] }> {
    const filters = await this.filtersOf(ctx, query);
    const kpis: KpiView[] = [];
    for (const key of KPI_KEYS) kpis.push(await this.view(ctx, key, filters));
    return { filters, kpis };
  }

  async one(ctx: CallContext, key: string, query: Record<string, string | undefined>): Promise<{ filters: KpiFilters; kpi: KpiView }> {
    const k = keyOf(key);
    const filters = await this.filtersOf(ctx, query);
    return { filters, kpi: await this.view(ctx, k, filters) };
  }

  /** The records behind a cohort KPI, the ones that weigh most first (slowest response, most touches, longest cycle). */
  async records(
    ctx: CallContext,
    key: string,
    query: Record<string, string | undefined>,
  ): Promise<{ kpi: KpiKey; data: KpiRecordView[]; truncated: boolean }> {
    const k = keyOf(key);
    if (isQualityKpi(k)) return this.qualityRecords(ctx, k, query);
    const drill = DRILLS[k];
    const list = LISTS[k];
    if (!drill && !list)
      throw new AppError("bad_request", `${k} has no records to list (docs/kpis.md: the records behind a number)`, [
        {
          path: ["key"],
          code: "invalid_value",
          message: `one of ${KPI_KEYS.filter((x) => DRILLS[x] || LISTS[x] || isQualityKpi(x)).join(", ")}`,
        },
      ]);
    const filters = await this.filtersOf(ctx, query);
    if (!drill) {
      const cut = await this.cohortOf(ctx, k, filters);
      return { kpi: k, ...(await listRecords(this.store.kpis, list as ListDrill, cut, filters, this.clock.now())) };
    }
    const facts = await this.store.kpis.kpiCohort({
      ...(await this.cohortOf(ctx, k, filters)),
      ...drill.narrow,
      order: drill.order,
      limit: filters.limit + 1,
    });
    const value = drill.value;
    const data = facts
      .slice(0, filters.limit)
      .map((f) => ({ id: f.recordId, object: f.object, created_at: f.createdAt, owner_id: f.ownerId, value: round2(value(f)) }));
    return { kpi: k, data, truncated: facts.length > filters.limit };
  }

  /** The records with a problem behind a data-quality KPI, oldest first, each with what is wrong. */
  private async qualityRecords(ctx: CallContext, k: KpiKey & Parameters<typeof verdicts>[1], query: Record<string, string | undefined>) {
    const filters = await this.filtersOf(ctx, query);
    const { verdicts: vs } = await verdicts(
      this.store,
      k,
      await this.cohortOf(ctx, k, filters),
      this.clock.now().getTime(),
      judgedAt(filters, this.clock.now()),
    );
    const bad = vs.filter((v) => v.problem !== null);
    const data = bad.slice(0, filters.limit).map((v) => ({
      id: v.record.id,
      object: filters.object,
      created_at: v.record.createdAt,
      owner_id: v.record.ownerId,
      value: null,
      why: v.problem as string,
    }));
    return { kpi: k, data, truncated: bad.length > filters.limit };
  }

  /** Empties every workspace's rollups and folds the whole event log again: the operator's CLI command, never a route. */
  async rebuild(ctx: CallContext): Promise<{ events: number }> {
    if (!canAdmin(ctx.role, "rebuild_kpis")) throw new AppError("forbidden", `KPIs are rebuilt by admins, not role ${ctx.role}`);
    return { events: await this.rollup.rebuild() };
  }

  private async filtersOf(ctx: CallContext, query: Record<string, string | undefined>): Promise<KpiFilters> {
    const filters = parseKpiQuery(query, this.clock.now());
    const reads: StoreReads = this.store;
    if (filters.workflow) {
      const w = await reads.workflows.getWorkflow(ctx.workspaceId, filters.workflow.id);
      if (!w) throw notFound(`workflow ${filters.workflow.id}`);
    }
    if (filters.teamId !== undefined) {
      const team = await reads.records.getRecord(ctx.workspaceId, filters.teamId);
      if (team?.object !== "team") throw notFound(`team ${filters.teamId}`);
    }
    return filters;
  }

  /** The owners a team cut means: the team's members as they are now. */
  private async ownersOf(ctx: CallContext, filters: KpiFilters): Promise<string[] | undefined> {
    if (filters.teamId === undefined) return filters.ownerId === undefined ? undefined : [filters.ownerId];
    const members = await this.store.records.queryRecords({
      workspaceId: ctx.workspaceId,
      object: "user",
      filter: { field: { name: "team_id", type: "reference", label: "team_id" }, op: "eq", value: filters.teamId },
      sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
      limit: 10_000,
    });
    const ids = members.map((m) => m.id);
    return filters.ownerId === undefined ? ids : ids.filter((id) => id === filters.ownerId);
  }

  /** The cohort a KPI is over: its object's records created in the period, cut by owner, team and workflow. */
  private async cohortOf(ctx: CallContext, key: KpiKey, filters: KpiFilters): Promise<Omit<CohortQuery, "limit" | "order">> {
    return {
      workspaceId: ctx.workspaceId,
      object:
        key === "lead_response_time"
          ? "lead"
          : key === "stage_cycle_time" || key === "onboarding_handoff_completion"
            ? "deal"
            : filters.object,
      from: filters.from,
      to: filters.to,
      ownerIds: await this.ownersOf(ctx, filters),
      workflow: filters.workflow,
      bucket: filters.granularity,
    };
  }

  /** A KPI with its series' points placed: each computation keys its points by bucket (a day, or a day and an hour). */
  private async view(ctx: CallContext, key: KpiKey, filters: KpiFilters): Promise<KpiView> {
    const kpi = await this.compute(ctx, key, filters);
    return { ...kpi, series: kpi.series.map((p) => ({ ...p, ...placeOf(p.day) })) };
  }

  private async compute(ctx: CallContext, key: KpiKey, filters: KpiFilters): Promise<KpiView> {
    const def = { key, ...KPIS[key] };
    if (key === "lead_response_time") {
      // Medians do not add up: the answered leads' times are read (two small columns) and ranked here.
      const times = await this.store.kpis.kpiResponseTimes(await this.cohortOf(ctx, key, filters));
      const series = [...byBucket(times, (t) => t.day, filters.granularity)].map(([day, ts]) => ({
        day,
        value: round2(median(ts.map((t) => t.ms / 60_000))),
        count: ts.length,
      }));
      return { ...def, value: round2(median(times.map((t) => t.ms / 60_000))), count: times.length, series };
    }
    if (key === "manual_touches_per_record") {
      const days = await this.store.kpis.kpiCohortDays(await this.cohortOf(ctx, key, filters));
      const records = days.reduce((a, d) => a + d.records, 0);
      const writes = days.reduce((a, d) => a + d.personWrites, 0);
      const series = days.map((d) => ({ day: d.day, value: round2(d.personWrites / d.records), count: d.records }));
      return { ...def, value: records === 0 ? null : round2(writes / records), count: records, series };
    }
    if (isQualityKpi(key)) {
      const { verdicts: vs, truncated } = await verdicts(
        this.store,
        key,
        await this.cohortOf(ctx, key, filters),
        this.clock.now().getTime(),
        judgedAt(filters, this.clock.now()),
      );
      return { ...def, ...qualityFigure(key, vs, truncated, filters.granularity) };
    }
    if (key === "adoption") return { ...def, ...(await adoption(this.store.kpis, await this.cohortOf(ctx, key, filters))) };
    if (key === "workflow_overrides") return { ...def, ...(await workflowOverrides(this.store, ctx.workspaceId, filters)) };
    if (key === "notifications_per_record")
      return { ...def, ...(await notificationsPerRecord(this.store.kpis, await this.cohortOf(ctx, key, filters))) };
    if (key === "stage_cycle_time") return { ...def, ...(await stageCycleTime(this.store.kpis, await this.cohortOf(ctx, key, filters))) };
    if (key === "sla_attainment") {
      const cut = await this.cohortOf(ctx, key, filters);
      return { ...def, ...(await slaAttainment(this.store.kpis, cut)) };
    }
    if (key === "prediction_overrides")
      return {
        ...def,
        ...(await predictionOverrides(this.store, ctx.workspaceId, {
          object: filters.object,
          from: filters.from,
          to: filters.to,
          grain: filters.granularity,
        })),
      };
    if (key === "escalation_completion")
      return { ...def, ...(await escalationCompletion(this.store.kpis, await this.cohortOf(ctx, key, filters), this.clock.now())) };
    if (key === "onboarding_handoff_completion") {
      const cut = await this.cohortOf(ctx, key, filters);
      return { ...def, ...(await onboardingHandoff(this.store.kpis, cut, filters.onboardingDays, this.clock.now())) };
    }
    if (key === "automation_share") {
      const rows = (
        filters.granularity === "hour"
          ? await this.store.kpis.kpiHourly(ctx.workspaceId, filters.from.slice(0, 13), filters.to.slice(0, 13), filters.object)
          : await this.store.kpis.kpiDaily(ctx.workspaceId, filters.fromDay, filters.toDayExclusive, filters.object)
      ).filter((r) => r.actorKind === "workflow" || r.actorKind === "person");
      const days = new Map<string, { workflow: number; all: number }>();
      for (const r of rows) {
        const d = days.get(r.day) ?? { workflow: 0, all: 0 };
        d.all += r.writes;
        if (r.actorKind === "workflow") d.workflow += r.writes;
        days.set(r.day, d);
      }
      const workflow = [...days.values()].reduce((a, d) => a + d.workflow, 0);
      const all = [...days.values()].reduce((a, d) => a + d.all, 0);
      const series = [...days].map(([day, d]) => ({ day, value: round2(percent(d.workflow, d.all)), count: d.all }));
      return { ...def, value: round2(percent(workflow, all)), count: all, series };
    }
    const counts = await this.store.kpis.kpiRunCounts(ctx.workspaceId, filters.from, filters.to);
    const names = new Map((await this.store.workflows.listWorkflows(ctx.workspaceId)).map((w) => [w.id, w.name]));
    const per = new Map<string, { workflow_id: string; workflow_name: string; version: number; runs: number; failed: number }>();
    for (const c of counts) {
      if (
        filters.workflow &&
        (c.workflowId !== filters.workflow.id || (filters.workflow.version !== undefined && c.version !== filters.workflow.version))
      )
        continue;
      const k = `${c.workflowId}@${c.version}`;
      const row = per.get(k) ?? {
        workflow_id: c.workflowId,
        workflow_name: names.get(c.workflowId) ?? c.workflowId,
        version: c.version,
        runs: 0,
        failed: 0,
      };
      row.runs += c.runs;
      if (c.status === "failed") row.failed += c.runs;
      per.set(k, row);
    }
    const breakdown = [...per.values()]
      .map((r) => ({ ...r, failure_rate: round2(percent(r.failed, r.runs)) }))
      .sort((a, b) => b.runs - a.runs || a.workflow_name.localeCompare(b.workflow_name) || a.version - b.version);
    const runs = breakdown.reduce((a, r) => a + r.runs, 0);
    const failed = breakdown.reduce((a, r) => a + r.failed, 0);
    return { ...def, value: round2(percent(failed, runs)), count: runs, series: [], breakdown };
  }
}

/** As at the period's end: the end (exclusive) — or now, for a period that has not ended yet; undefined: as the records stand now. */
function judgedAt(filters: KpiFilters, now: Date): number | undefined {
  return filters.asAt === "end" ? Math.min(Date.parse(filters.to), now.getTime()) : undefined;
}

function keyOf(key: string): KpiKey {
  if (!isKpiKey(key)) throw new AppError("not_found", `no KPI ${JSON.stringify(key)}: one of ${KPI_KEYS.join(", ")}`);
  return key;
}
