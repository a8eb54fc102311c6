/**
 * The KPIs Handoff computes (issue 22; docs/kpis.md defines each precisely): one registry, so the
 * API, the CLI and the pages list the same keys, and a KPI without a definition is a compile error.
 */

export const KPI_KEYS = [
  "lead_response_time",
  "manual_touches_per_record",
  "notifications_per_record",
  "automation_share",
  "sla_attainment",
  "stage_cycle_time",
  "workflow_failure_rate",
  "workflow_overrides",
  "adoption",
  "required_field_completion",
  "duplicate_rate",
  "status_accuracy",
  "escalation_completion",
  "onboarding_handoff_completion",
  "prediction_overrides",
] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

export type KpiUnit = "minutes" | "days" | "touches" | "notifications" | "overrides" | "percent";

export interface KpiDefinition {
  title: string;
  unit: KpiUnit;
  /** Which way is better: a falling response time is good news. */
  better: "lower" | "higher";
  /** One sentence: numerator, denominator, window. */
  definition: string;
  /** Whether the KPI is a cohort of records (drillable to them) or a count of writes or runs. */
  drill: boolean;
}

export const KPIS: Record<KpiKey, KpiDefinition> = {
  lead_response_time: {
    title: "Lead response time",
    unit: "minutes",
    better: "lower",
    definition:
      "Median minutes from a lead's creation to the first call, email or meeting a person logged about it, over the leads created in the period that have one.",
    drill: true,
  },
  manual_touches_per_record: {
    title: "Manual touches per record",
    unit: "touches",
    better: "lower",
    definition:
      "Writes people made to records after creating them, divided by the records of the object created in the period (writes up to now).",
    drill: true,
  },
  notifications_per_record: {
    title: "Notifications per record",
    unit: "notifications",
    better: "lower",
    definition:
      "In-app notifications sent about records of the object, divided by the records of the object created in the period (notifications up to now).",
    drill: true,
  },
  automation_share: {
    title: "Changes made by workflows",
    unit: "percent",
    better: "higher",
    definition: "Writes to records of the object made by workflows, as a share of the writes made by workflows and people, in the period.",
    drill: false,
  },
  sla_attainment: {
    title: "SLA attainment",
    unit: "percent",
    better: "higher",
    definition:
      "SLA targets on records of the object that ended in the period — met when their clock stopped in time, missed when it breached — and the share of them that were met.",
    drill: true,
  },
  stage_cycle_time: {
    title: "Deal cycle time",
    unit: "days",
    better: "lower",
    definition:
      "Median days from a deal's creation to the first time it reached a closed stage (won or lost), over the deals that first closed in the period.",
    drill: true,
  },
  workflow_failure_rate: {
    title: "Workflow failure rate",
    unit: "percent",
    better: "lower",
    definition: "Runs started in the period that failed, as a share of the runs started in the period.",
    drill: false,
  },
  workflow_overrides: {
    title: "Workflow overrides",
    unit: "overrides",
    better: "lower",
    definition:
      "Changes people made in the period to a field a workflow had set at most 7 days before, to another value; per workflow and version.",
    drill: false,
  },
  adoption: {
    title: "Workflow adoption",
    unit: "percent",
    better: "higher",
    definition:
      "Records of the object created in the period that a workflow's run was on (any workflow, or the one chosen), as a share of those records.",
    drill: true,
  },
  // Data quality (docs/kpis.md "Data quality"): the cohort's records judged as they stand now.
  required_field_completion: {
    title: "Required-field completion",
    unit: "percent",
    better: "higher",
    definition:
      "Records of the object created in the period whose required fields are filled now — the fields marked required, and what a stage gate requires at the stage the record is at — as a share of those records.",
    drill: true,
  },
  duplicate_rate: {
    title: "Duplicate rate",
    unit: "percent",
    better: "lower",
    definition:
      "Records of the object created in the period that are the later side of a suspected duplicate pair not dismissed, or were merged into another record, as a share of those records.",
    drill: true,
  },
  status_accuracy: {
    title: "Status accuracy",
    unit: "percent",
    better: "higher",
    definition:
      "Records of the object created in the period whose status contradicts none of the admin's status rules now, as a share of those records.",
    drill: true,
  },
  escalation_completion: {
    title: "Escalation completion",
    unit: "percent",
    better: "higher",
    definition:
      "SLA escalations on records of the object that fired in the period (a breach or an escalation level) and were decided, and the share resolved within their next target: the clock stopped before the next level was due, or within 24 hours of the last level.",
    drill: true,
  },
  onboarding_handoff_completion: {
    title: "Onboarding handoff completion",
    unit: "percent",
    better: "higher",
    definition:
      "Deals first moved to Closed Won in the period, and the share whose company got an onboarding ticket with its company, contact and assignee filled within the window after the win (3 days unless onboarding_days says otherwise).",
    drill: true,
  },
  prediction_overrides: {
    title: "AI predictions corrected",
    unit: "percent",
    better: "lower",
    definition:
      "Of the predictions workflows' classify steps wrote into records of the object in the period, the share a person later changed to another value (corrections up to now).",
    drill: false,
  },
};

export function isKpiKey(key: string): key is KpiKey {
  return (KPI_KEYS as readonly string[]).includes(key);
}
