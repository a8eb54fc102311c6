/** The KPI rollups' port (issue 22). */
import type { CohortQuery, DailyDelta, HourlyDelta, KpiPort, RecordFact, SlaOutcomeQuery } from "../../kpi-ports.js";
import { kpiAdoptionDays, kpiAdoptionRecords } from "../kpi-adoption.js";
import { kpiEscalations } from "../kpi-escalations.js";
import { kpiNotificationDays, kpiNotificationRecords } from "../kpi-notifications.js";
import { kpiChangesSince, kpiDuplicatePairs, kpiLastChangeBefore, kpiQualityRecords } from "../kpi-quality.js";
import { kpiSlaOutcomes, kpiSlaRecords } from "../kpi-sla.js";
import * as kpis from "../kpis.js";
import type { SqlSession } from "../session.js";

export class SqlKpis implements KpiPort {
  constructor(private readonly s: SqlSession) {}

  getKpiRecords(workspaceId: string, recordIds: readonly string[]) {
    return kpis.getKpiRecords(this.s.db, workspaceId, recordIds);
  }
  kpiCohort(q: CohortQuery) {
    return kpis.kpiCohort(this.s.db, q);
  }
  kpiCohortDays(q: Omit<CohortQuery, "limit" | "order">) {
    return kpis.kpiCohortDays(this.s.db, this.s.d, q);
  }
  kpiResponseTimes(q: Omit<CohortQuery, "limit" | "order" | "responded">) {
    return kpis.kpiResponseTimes(this.s.db, this.s.d, q);
  }
  kpiCycleTimes(q: Omit<CohortQuery, "limit" | "order" | "by">) {
    return kpis.kpiCycleTimes(this.s.db, q);
  }
  kpiNotificationDays(q: Omit<CohortQuery, "limit" | "order">) {
    return kpiNotificationDays(this.s.db, this.s.d, q);
  }
  kpiAdoptionDays(q: Omit<CohortQuery, "limit" | "order" | "workflow">, by?: { id: string; version?: number | undefined }) {
    return kpiAdoptionDays(this.s.db, this.s.d, q, by);
  }
  kpiAdoptionRecords(
    q: Omit<CohortQuery, "limit" | "order" | "workflow">,
    by: { id: string; version?: number | undefined } | undefined,
    limit: number,
  ) {
    return kpiAdoptionRecords(this.s.db, q, by, limit);
  }
  kpiNotificationRecords(q: Omit<CohortQuery, "limit" | "order">, limit: number) {
    return kpiNotificationRecords(this.s.db, q, limit);
  }
  kpiSlaRecords(q: SlaOutcomeQuery, limit: number) {
    return kpiSlaRecords(this.s.db, this.s.d, q, limit);
  }
  kpiRunsOn(workspaceId: string, recordIds: readonly string[]) {
    return kpis.kpiRunsOn(this.s.db, workspaceId, recordIds);
  }
  kpiDaily(workspaceId: string, fromDay: string, toDay: string, object?: string) {
    return kpis.kpiDaily(this.s.db, workspaceId, fromDay, toDay, object);
  }
  kpiHourly(workspaceId: string, fromHour: string, toHour: string, object?: string) {
    return kpis.kpiHourly(this.s.db, workspaceId, fromHour, toHour, object);
  }
  kpiSlaOutcomes(q: SlaOutcomeQuery) {
    return kpiSlaOutcomes(this.s.db, this.s.d, q);
  }
  kpiQualityRecords(q: Omit<CohortQuery, "limit" | "order">, limit: number, asAt?: string) {
    return kpiQualityRecords(this.s.db, this.s.d, q, limit, asAt);
  }
  kpiDuplicatePairs(q: Pick<CohortQuery, "workspaceId" | "object" | "from" | "to">, asAt?: string) {
    return kpiDuplicatePairs(this.s.db, q, asAt);
  }
  kpiChangesSince(workspaceId: string, recordIds: readonly string[], at: string) {
    return kpiChangesSince(this.s.db, this.s.d, workspaceId, recordIds, at);
  }
  kpiLastChangeBefore(workspaceId: string, recordIds: readonly string[], at: string) {
    return kpiLastChangeBefore(this.s.db, workspaceId, recordIds, at);
  }
  kpiReadyTickets(workspaceId: string, companyIds: readonly string[], from: string) {
    return kpis.kpiReadyTickets(this.s.db, workspaceId, companyIds, from);
  }
  kpiEscalations(q: SlaOutcomeQuery) {
    return kpiEscalations(this.s.db, this.s.d, q);
  }
  kpiRunCounts(workspaceId: string, from: string, to: string) {
    return kpis.kpiRunCounts(this.s.db, workspaceId, from, to);
  }
  upsertKpiRecords(facts: readonly RecordFact[]) {
    return kpis.upsertKpiRecords(this.s.db, facts);
  }
  addKpiDaily(deltas: readonly DailyDelta[]) {
    return kpis.addKpiDaily(this.s.db, deltas);
  }
  addKpiHourly(deltas: readonly HourlyDelta[]) {
    return kpis.addKpiHourly(this.s.db, deltas);
  }
  clearKpis() {
    return kpis.clearKpis(this.s.db);
  }
}
