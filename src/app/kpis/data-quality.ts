/**
 * The data-quality KPIs (issue 22; docs/kpis.md "Data quality"): required-field completion,
 * duplicate rate and status accuracy, each over the records of the object created in the period
 * (the rollup's cohort, cut by owner, team and workflow like every cohort KPI), each record judged
 * as it stands now — its fields, the workspace's required fields, gates and status rules now, the
 * review queue's suspected pairs and the merges. The verdicts give the figure (per creation day)
 * and the records behind it (those with a problem, each with what it is).
 */
import type { ObjectName } from "../../crm/fields.js";
import { compileCondition } from "../../engine/conditions.js";
import type { Condition } from "../../engine/definition.js";
import { laterOf, missingRequired, type RequiredSpec, undoChanges } from "../../engine/kpis/quality.js";
import { bucketOf, type Grain, percent, round2 } from "../../engine/kpis/summary.js";
import { compileStatusRule, contradictions } from "../../engine/status-rules.js";
import type { CohortQuery, QualityRecord, RecordChanges } from "../../store/kpi-ports.js";
import type { StoreReads } from "../../store/ports.js";
import { loadFields } from "../records/schema-cache.js";
import type { KpiFigure } from "./kpi-figure.js";

export const QUALITY_KPIS = ["required_field_completion", "duplicate_rate", "status_accuracy"] as const;
export type QualityKpi = (typeof QUALITY_KPIS)[number];
export const isQualityKpi = (key: string): key is QualityKpi => (QUALITY_KPIS as readonly string[]).includes(key);

/**
 * At most this many of a cohort's records are judged (oldest first); `truncated` says the figure
 * is then over those. Each read is one statement over the cohort and the records' data.
 */
export const QUALITY_MAX_RECORDS = 50_000;

export interface Verdict {
  record: QualityRecord;
  /** What is wrong with it, in words; null when nothing. */
  problem: string | null;
}

/**
 * Each record of the cohort the KPI counts, with its problem — as it stands now, or with `asAtMs`
 * as it stood at that instant (the period's end): its fields with the changes made since undone,
 * its `updated_at` then, the pairs suspected and the merges made by then, and the conditions'
 * "now" at that instant. The yardstick — required fields, gates, status rules — is the one now.
 */
export async function verdicts(
  reads: StoreReads,
  key: QualityKpi,
  q: Omit<CohortQuery, "limit" | "order">,
  nowMs: number,
  asAtMs?: number,
): Promise<{ verdicts: Verdict[]; truncated: boolean }> {
  const asAt = asAtMs === undefined ? undefined : new Date(asAtMs).toISOString();
  const records = await reads.kpis.kpiQualityRecords(q, QUALITY_MAX_RECORDS + 1, asAt);
  const truncated = records.length > QUALITY_MAX_RECORDS;
  // The duplicate rate reads no field: only the others need the records' fields as they stood.
  const cohort =
    asAt === undefined || key === "duplicate_rate"
      ? records.slice(0, QUALITY_MAX_RECORDS)
      : await asTheyStood(reads, q.workspaceId, records.slice(0, QUALITY_MAX_RECORDS), asAt);
  const judgedMs = asAtMs ?? nowMs;
  const facts = (r: QualityRecord) => ({ ...r.data, id: r.id, created_at: r.createdAt, updated_at: r.updatedAt });
  switch (key) {
    case "required_field_completion": {
      const spec = await requiredSpec(reads, q.workspaceId, q.object as ObjectName);
      return {
        truncated,
        verdicts: cohort
          .filter((r) => r.data !== null)
          .map((r) => {
            const missing = missingRequired(spec, facts(r), judgedMs);
            return { record: r, problem: missing.length > 0 ? `missing ${missing.join(", ")}` : null };
          }),
      };
    }
    case "status_accuracy": {
      const rules = (await reads.dataQuality.listStatusRules(q.workspaceId))
        .filter((r) => r.definition.enabled && r.definition.object === q.object)
        .map((r) => compileStatusRule(r.id, r.definition));
      return {
        truncated,
        verdicts: cohort
          .filter((r) => r.data !== null)
          .map((r) => {
            const broken = contradictions(rules, facts(r), judgedMs);
            return { record: r, problem: broken.length > 0 ? `breaks ${broken.map((b) => `"${b.name}"`).join(", ")}` : null };
          }),
      };
    }
    case "duplicate_rate": {
      const duplicateOf = new Map<string, string>();
      for (const p of await reads.kpis.kpiDuplicatePairs(q, asAt)) {
        const { later, earlier } = laterOf(p.a, p.b);
        if (!duplicateOf.has(later)) duplicateOf.set(later, earlier);
      }
      return {
        truncated,
        verdicts: cohort
          .filter((r) => r.data !== null || r.mergedAway)
          .map((r) => {
            const of = duplicateOf.get(r.id);
            const problem = of !== undefined ? `suspected duplicate of ${of}` : r.mergedAway ? "merged into another record" : null;
            return { record: r, problem };
          }),
      };
    }
  }
}

/** The figure: the share of records without a problem (completion, accuracy) or with one (duplicate rate), per creation day. */
export function qualityFigure(
  key: QualityKpi,
  vs: readonly Verdict[],
  truncated: boolean,
  grain: Grain = "day",
): KpiFigure & { truncated?: boolean } {
  const counts = (v: Verdict) => (key === "duplicate_rate" ? v.problem !== null : v.problem === null);
  const days = new Map<string, { records: number; counted: number }>();
  for (const v of vs) {
    const bucket = grain === "day" ? v.record.day : bucketOf(v.record.createdAt, grain);
    const d = days.get(bucket) ?? { records: 0, counted: 0 };
    d.records += 1;
    if (counts(v)) d.counted += 1;
    days.set(bucket, d);
  }
  const series = [...days]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, d]) => ({ day, value: round2(percent(d.counted, d.records)), count: d.records }));
  const counted = vs.filter(counts).length;
  return { value: round2(percent(counted, vs.length)), count: vs.length, series, ...(truncated ? { truncated } : {}) };
}

async function requiredSpec(reads: StoreReads, workspaceId: string, object: ObjectName): Promise<RequiredSpec> {
  const fields = (await loadFields(reads, workspaceId, object)).filter((f) => f.required && !f.managed).map((f) => f.name);
  const gates = (await reads.dataQuality.listValidationRules(workspaceId)).flatMap((r) => {
    const d = r.definition;
    if (d.kind !== "gate" || !d.enabled || d.object !== object) return [];
    // What the gate demands, in the words of the fields its `requires` names (else the field its message is shown on).
    const named = [...new Set(fieldsIn(d.requires))].join(", ");
    return [{ name: d.name, field: d.field, to: d.to, shownOn: named || (d.shown_on ?? d.field), requires: compileCondition(d.requires) }];
  });
  return { fields, gates };
}

function fieldsIn(c: Condition): string[] {
  if ("and" in c) return c.and.flatMap(fieldsIn);
  if ("or" in c) return c.or.flatMap(fieldsIn);
  if ("not" in c) return fieldsIn(c.not);
  return c.field ? [c.field] : [];
}

/** The records as they stood at an instant: the changes made since undone, `updated_at` their last change before it. */
async function asTheyStood(reads: StoreReads, workspaceId: string, records: QualityRecord[], asAt: string): Promise<QualityRecord[]> {
  const ids = records.filter((r) => r.data !== null).map((r) => r.id);
  const since = new Map<string, RecordChanges[]>();
  for (const c of await reads.kpis.kpiChangesSince(workspaceId, ids, asAt)) since.set(c.recordId, [...(since.get(c.recordId) ?? []), c]);
  const changed = [...since.keys()];
  const lastBefore = changed.length === 0 ? new Map<string, string>() : await reads.kpis.kpiLastChangeBefore(workspaceId, changed, asAt);
  return records.map((r) => {
    const undo = since.get(r.id);
    if (r.data === null || !undo) return r;
    return { ...r, data: undoChanges(r.data, undo), updatedAt: lastBefore.get(r.id) ?? r.createdAt };
  });
}
