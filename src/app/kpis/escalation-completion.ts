/**
 * Escalation completion (docs/kpis.md): of the SLA escalations that fired in the period and are
 * decided, the share resolved within their next target (engine/kpis/escalations.ts decides each).
 * Escalations still pending — the clock open, the next target not passed — are left out until they
 * are decided; cancelled ones count as neither. The series is by the day each escalation fired; the
 * records behind it are the records whose escalations these were, the fewest resolved first.
 */
import { type EscalationOutcome, escalationOutcome } from "../../engine/kpis/escalations.js";
import { byBucket, percent, round2 } from "../../engine/kpis/summary.js";
import type { EscalationRow, KpiReads, SlaOutcomeQuery } from "../../store/kpi-ports.js";
import type { KpiFigure, ListedRecord } from "./kpi-figure.js";

type Decided = EscalationRow & { outcome: "resolved" | "unresolved" };

async function decided(reads: Pick<KpiReads, "kpiEscalations">, q: SlaOutcomeQuery, now: Date): Promise<Decided[]> {
  const rows = await reads.kpiEscalations(q);
  return rows
    .map((r) => ({ ...r, outcome: escalationOutcome(r.level, r.firedAt, r, now) as EscalationOutcome }))
    .filter((r): r is Decided => r.outcome === "resolved" || r.outcome === "unresolved");
}

const share = (list: readonly Decided[]) => round2(percent(list.filter((e) => e.outcome === "resolved").length, list.length));

export async function escalationCompletion(reads: Pick<KpiReads, "kpiEscalations">, q: SlaOutcomeQuery, now: Date): Promise<KpiFigure> {
  const list = await decided(reads, q, now);
  const series = [...byBucket(list, (e) => e.firedAt, q.bucket ?? "day")].map(([day, es]) => ({ day, value: share(es), count: es.length }));
  return { value: share(list), count: list.length, series };
}

/** The records whose decided escalations are in the figure, each with the share of its own resolved in time, the fewest first. */
export async function escalatedRecords(reads: Pick<KpiReads, "kpiEscalations">, q: SlaOutcomeQuery, now: Date): Promise<ListedRecord[]> {
  const byRecord = new Map<string, Decided[]>();
  for (const e of await decided(reads, q, now)) byRecord.set(e.recordId, [...(byRecord.get(e.recordId) ?? []), e]);
  return [...byRecord]
    .map(([recordId, es]) => ({ recordId, value: share(es), at: es[0]?.firedAt ?? "" }))
    .sort((a, b) => (a.value ?? 0) - (b.value ?? 0) || a.at.localeCompare(b.at) || a.recordId.localeCompare(b.recordId));
}
