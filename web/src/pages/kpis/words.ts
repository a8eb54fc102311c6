/** How the KPI pages say numbers: a value with its unit, what a count is over, a day. */
import type { ObjectInfo } from "../../records/model";
import type { Kpi, KpiKey } from "./data";

/** What a KPI counts, in words: "lead" and "leads", "activity" and "activities". */
export interface Noun {
  one: string;
  many: string;
}
export const LEADS: Noun = { one: "lead", many: "leads" };
export const DEALS: Noun = { one: "deal", many: "deals" };
export const nounOf = (object: ObjectInfo | undefined, name: string): Noun =>
  object ? { one: object.label.toLowerCase(), many: object.plural.replace(/_/g, " ") } : { one: name, many: `${name}s` };
/** Lead response time always counts leads, deal cycle time and onboarding handoff deals; the others count the chosen object. */
export const nounFor = (key: KpiKey, noun: Noun): Noun =>
  key === "lead_response_time" ? LEADS : key === "stage_cycle_time" || key === "onboarding_handoff_completion" ? DEALS : noun;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const num = (x: number) => x.toLocaleString("en", { maximumFractionDigits: 1 });

/** The big number alone ("5", "33.3"); a dash when there was nothing to measure. */
export const valueText = (value: number | null | undefined) => (value === null || value === undefined ? "—" : num(value));

/** The unit beside the big number, for the KPI and the object counted. */
export function unitText(kpi: Pick<Kpi, "unit" | "key">, value: number | null | undefined, noun: Noun): string {
  if (kpi.unit === "percent") return "%";
  if (kpi.unit === "minutes") return value === 1 ? "minute" : "minutes";
  if (kpi.unit === "days") return value === 1 ? "day" : "days";
  if (kpi.unit === "notifications") return `${value === 1 ? "notification" : "notifications"} per ${noun.one}`;
  if (kpi.unit === "overrides") return value === 1 ? "override" : "overrides";
  return `${value === 1 ? "touch" : "touches"} per ${noun.one}`;
}

/** A value with its unit, for tables and sentences ("5 minutes", "33.3%", "2 touches"). */
export function withUnit(kpi: Pick<Kpi, "unit" | "key">, value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (kpi.unit === "percent") return `${num(value)}%`;
  if (kpi.unit === "minutes") return `${num(value)} ${value === 1 ? "minute" : "minutes"}`;
  if (kpi.unit === "days") return `${num(value)} ${value === 1 ? "day" : "days"}`;
  if (kpi.unit === "notifications") return `${num(value)} ${value === 1 ? "notification" : "notifications"}`;
  if (kpi.unit === "overrides") return `${num(value)} ${value === 1 ? "override" : "overrides"}`;
  return `${num(value)} ${value === 1 ? "touch" : "touches"}`;
}

const plural = (n: number, one: string, many: string) => `${num(n)} ${n === 1 ? one : many}`;

/** What the value is over ("over 3 leads that were answered", "of 12 changes"). */
export function countText(key: KpiKey, count: number, noun: Noun, when = "in the period"): string {
  const { one, many } = noun;
  if (count === 0)
    switch (key) {
      case "lead_response_time":
        return "no lead answered by a person";
      case "manual_touches_per_record":
      case "notifications_per_record":
        return `no ${one} created ${when}`;
      case "automation_share":
        return `no change to ${many}`;
      case "sla_attainment":
        return `no SLA target on ${many} ended ${when}`;
      case "stage_cycle_time":
        return `no deal closed ${when}`;
      case "workflow_failure_rate":
        return `no run started ${when}`;
      case "workflow_overrides":
        return `no field a workflow set was changed back by a person ${when}`;
      case "adoption":
        return `no ${one} created ${when}`;
      case "required_field_completion":
      case "duplicate_rate":
      case "status_accuracy":
        return `no ${one} created ${when}`;
      case "escalation_completion":
        return `no SLA escalation on ${many} decided ${when}`;
      case "onboarding_handoff_completion":
        return `no deal won ${when}`;
      case "prediction_overrides":
        return `no AI prediction written into ${many} ${when}`;
    }
  switch (key) {
    case "lead_response_time":
      return `over ${plural(count, "lead", "leads")} answered by a person`;
    case "manual_touches_per_record":
    case "notifications_per_record":
      return `over ${plural(count, one, many)} created ${when}`;
    case "automation_share":
      return `of ${plural(count, `change to ${many}`, `changes to ${many}`)} by workflows and people`;
    case "sla_attainment":
      return `of ${plural(count, `SLA target on ${many}`, `SLA targets on ${many}`)} that ended ${when}`;
    case "stage_cycle_time":
      return `over ${plural(count, "deal", "deals")} closed ${when}`;
    case "workflow_failure_rate":
      return `of ${plural(count, "run", "runs")} started ${when}`;
    case "workflow_overrides":
      return `by people ${when}, of fields a workflow set in the 7 days before`;
    case "adoption":
      return `of ${plural(count, one, many)} created ${when} had a workflow run on them`;
    case "required_field_completion":
      return `of ${plural(count, one, many)} created ${when} have their required fields filled`;
    case "duplicate_rate":
      return `of ${plural(count, one, many)} created ${when} are suspected duplicates or were merged away`;
    case "status_accuracy":
      return `of ${plural(count, one, many)} created ${when} break no status rule`;
    case "escalation_completion":
      return `of ${plural(count, `SLA escalation on ${many}`, `SLA escalations on ${many}`)} ${when} resolved within the next target`;
    case "onboarding_handoff_completion":
      return `of ${plural(count, "deal", "deals")} won ${when} handed off to onboarding in time`;
    case "prediction_overrides":
      return `of ${plural(count, `AI prediction written into ${many}`, `AI predictions written into ${many}`)} ${when} corrected by a person`;
  }
}

/** The heading of a day's count in the numbers table ("Leads answered"). */
export function countHeading(key: KpiKey, noun: Noun): string {
  switch (key) {
    case "lead_response_time":
      return "Leads answered";
    case "manual_touches_per_record":
    case "notifications_per_record":
      return `${cap(noun.many)} created`;
    case "automation_share":
      return "Changes";
    case "sla_attainment":
      return "SLA targets ended";
    case "stage_cycle_time":
      return "Deals closed";
    case "workflow_failure_rate":
      return "Runs";
    case "workflow_overrides":
      return "Overrides";
    case "adoption":
    case "required_field_completion":
    case "duplicate_rate":
    case "status_accuracy":
      return `${cap(noun.many)} created`;
    case "escalation_completion":
      return "Escalations decided";
    case "onboarding_handoff_completion":
      return "Deals won";
    case "prediction_overrides":
      return "Predictions written";
  }
}

/** What there is to say when a KPI has nothing to measure in the cut. */
export function emptyText(key: KpiKey, noun: Noun): string {
  const { one, many } = noun;
  switch (key) {
    case "lead_response_time":
      return "No lead created in this period has been answered yet by a call, email or meeting a person logged.";
    case "manual_touches_per_record":
    case "notifications_per_record":
      return `No ${one} was created in this period.`;
    case "automation_share":
      return `Nobody and no workflow changed any of the ${many} in this period.`;
    case "sla_attainment":
      return `No SLA target on ${many} was met or breached in this period.`;
    case "stage_cycle_time":
      return "No deal reached a closed stage (won or lost) for the first time in this period.";
    case "workflow_failure_rate":
      return "No workflow run started in this period.";
    case "workflow_overrides":
      return "No person changed a field a workflow had set in this period.";
    case "adoption":
    case "required_field_completion":
    case "duplicate_rate":
    case "status_accuracy":
      return `No ${one} was created in this period.`;
    case "escalation_completion":
      return `No SLA escalation on ${many} fired in this period and was resolved or passed its next target.`;
    case "onboarding_handoff_completion":
      return "No deal was won in this period (or its onboarding window is still open).";
    case "prediction_overrides":
      return `No workflow's classify step wrote an AI prediction into ${many} in this period.`;
  }
}

/**
 * The cuts a KPI that is not a cohort of records ignores, and what it counts instead (docs/kpis.md
 * "Cutting"): the card says so when one of them is chosen.
 */
export const NOT_CUT: Partial<Record<KpiKey, { owner: boolean; workflow: boolean; counts: string }>> = {
  automation_share: { owner: true, workflow: true, counts: "change" },
  workflow_failure_rate: { owner: true, workflow: false, counts: "run" },
  workflow_overrides: { owner: true, workflow: false, counts: "override" },
  prediction_overrides: { owner: true, workflow: true, counts: "prediction" },
};

/**
 * The drill-down's words: its column and order, what the records are, the object when the KPI
 * fixes it, whether the figure is a median or an average, and what to say when there are none.
 */
export const DRILL: Partial<
  Record<
    KpiKey,
    {
      column: string;
      order: string;
      records: (noun: Noun) => string;
      object?: string;
      /** A median or an average of the records' values, or a share of them. */
      statistic: "median" | "average" | "share";
      /** A share of records with a problem (the data-quality KPIs): only those are listed, not the whole cohort. */
      problemsOnly?: boolean;
      none: (things: string) => string;
      /** What the KPI's count counts when it is not the records listed (escalations, several on one ticket). */
      counted?: string;
      /** A record's figure when it is not in the KPI's unit (days to hand off beside a percentage). */
      value?: (value: number | null) => string;
      /** The page's first sentence when "<figure> over <count> <records>" does not say it. */
      headline?: (figure: string, count: number, things: string, noun: Noun) => string;
      /** Every record of the cohort is listed whatever the Records filter says (adoption: the reached and the missed). */
      everyRecord?: boolean;
    }
  >
> = {
  lead_response_time: {
    column: "Answered after",
    order: "slowest first",
    records: () => "leads",
    object: "lead",
    statistic: "median",
    none: () => "No lead created in this period has been answered yet by a call, email or meeting a person logged.",
  },
  manual_touches_per_record: {
    column: "Touches by people",
    order: "most touched first",
    records: (n) => n.many,
    statistic: "average",
    none: (things) => `No ${things} were created in this period.`,
  },
  notifications_per_record: {
    column: "Notifications about it",
    order: "most notified first",
    records: (n) => n.many,
    statistic: "average",
    none: (things) => `No ${things} were created in this period.`,
    headline: (figure, count, things, noun) =>
      `${figure} per ${noun.one} on average, over the ${num(count)} ${count === 1 ? noun.one : things} created in the period. `,
  },
  // The share of records a workflow reached: the ones none reached (0 runs) are what to look at.
  adoption: {
    column: "Workflow runs on it",
    order: "those not reached first",
    records: (n) => n.many,
    statistic: "share",
    none: (things) => `No ${things} were created in this period.`,
    value: (v) => (v === null || v === 0 ? "not reached" : `${num(v)} ${v === 1 ? "run" : "runs"}`),
    headline: (figure, count, things, noun) =>
      `${figure} of the ${num(count)} ${count === 1 ? noun.one : things} created in the period had a workflow run on them. `,
    everyRecord: true,
  },
  // A record's SLA targets that ended in the period (one per policy that measures it), the share met.
  sla_attainment: {
    column: "Its SLA targets met",
    order: "fewest met first",
    records: (n) => n.many,
    statistic: "share",
    counted: "SLA targets",
    none: (things) => `No SLA target on ${things} was met or breached in this period.`,
    headline: (figure, count, things) =>
      `${figure} of the ${count === 1 ? "SLA target" : `${num(count)} SLA targets`} on ${things} that ended in the period ${count === 1 ? "was" : "were"} met. `,
  },
  stage_cycle_time: {
    column: "Days to close",
    order: "longest first",
    records: () => "deals",
    object: "deal",
    statistic: "median",
    none: () => "No deal reached a closed stage (won or lost) for the first time in this period.",
  },
  // The data-quality KPIs list the records with a problem, each saying what it is.
  required_field_completion: {
    column: "What is missing",
    order: "oldest first",
    records: (n) => `${n.many} with a required field empty`,
    statistic: "share",
    problemsOnly: true,
    none: (things) => `No ${things}: every record created in this period has its required fields filled.`,
  },
  duplicate_rate: {
    column: "Why",
    order: "oldest first",
    records: (n) => `${n.many} found to be duplicates`,
    statistic: "share",
    problemsOnly: true,
    none: (things) => `No ${things} in this period.`,
  },
  status_accuracy: {
    column: "Status rules broken",
    order: "oldest first",
    records: (n) => `${n.many} whose status contradicts their data`,
    statistic: "share",
    problemsOnly: true,
    none: (things) => `No ${things}: every record created in this period agrees with the status rules.`,
  },
  escalation_completion: {
    column: "Escalations resolved in time",
    order: "fewest resolved first",
    records: (n) => n.many,
    statistic: "share",
    counted: "SLA escalations",
    none: (things) => `No SLA escalation on ${things} fired in this period and was decided.`,
  },
  onboarding_handoff_completion: {
    column: "Handed off after",
    order: "not handed off first, then the slowest",
    records: () => "deals",
    object: "deal",
    statistic: "share",
    none: () => "No deal was won in this period, or its onboarding window is still open.",
    value: (v) => (v === null ? "not yet" : `${num(v)} ${v === 1 ? "day" : "days"}`),
  },
};

/** The KPIs of the overview's "Data quality" group (docs/kpis.md "Data quality"). */
export const DATA_QUALITY_KPIS: readonly KpiKey[] = ["required_field_completion", "duplicate_rate", "status_accuracy"];

/** "6 Dec 2026" for a YYYY-MM-DD day (a UTC day, as the API counts). */
export function dayText(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

/** A date-time in the reader's zone ("6 Dec 2026, 10:02"). */
export function instantText(iso: string): string {
  return new Date(iso).toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}
