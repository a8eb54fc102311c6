/**
 * A KPI query's cut, checked at the edge (docs/kpis.md "Cutting"): the period in whole UTC days
 * (`from` and `to` inclusive, YYYY-MM-DD; the last 30 days by default, at most 400), the object,
 * an owner or a team, a workflow with its version and whether the records were handled by it, and
 * the series' grain (a point per day, or per hour over at most 7 days).
 * Every problem names its parameter and what it allows.
 */
import type { ObjectName } from "../../crm/fields.js";
import type { Issue } from "../../crm/issues.js";
import { OBJECTS } from "../../crm/objects.js";
import { GRAINS, type Grain } from "../../engine/kpis/summary.js";
import { AppError } from "../errors.js";
import { checkIncomingJson } from "../incoming-json.js";

const DAY = 86_400_000;
export const DEFAULT_DAYS = 30;
export const MAX_DAYS = 400;
/** An hourly series covers at most this many days: 168 points is as many as a chart can show. */
export const MAX_HOURLY_DAYS = 7;
const MAX_LIMIT = 1_000;
/** Onboarding handoff completion's window after a win, in days (docs/kpis.md). */
export const DEFAULT_ONBOARDING_DAYS = 3;
export const MAX_ONBOARDING_DAYS = 90;

export interface KpiFilters {
  /** Instants: from inclusive, to exclusive (the day after `to`). */
  from: string;
  to: string;
  fromDay: string;
  /** The day after the last day of the period. */
  toDayExclusive: string;
  object: ObjectName;
  ownerId?: string | undefined;
  teamId?: string | undefined;
  workflow?: { id: string; version?: number | undefined; handled: boolean } | undefined;
  /** Drill-down: records listed at most. */
  limit: number;
  /** Onboarding handoff completion: the days after a win the onboarding ticket has to be ready in. */
  onboardingDays: number;
  /** The series' points: one per UTC day (default) or per UTC hour (a period of at most 7 days). */
  granularity: Grain;
  /** The data-quality KPIs judge the records as they stand now (default) or as they stood at the period's end. */
  asAt: "now" | "end";
}

const ALLOWED = [
  "from",
  "to",
  "object",
  "owner_id",
  "team_id",
  "workflow",
  "version",
  "handled",
  "limit",
  "onboarding_days",
  "granularity",
  "as_at",
];

export function parseKpiQuery(query: Record<string, string | undefined>, now: Date): KpiFilters {
  checkIncomingJson(query, []);
  const issues: Issue[] = [];
  for (const key of Object.keys(query))
    if (!ALLOWED.includes(key) && query[key] !== undefined)
      issues.push({ path: [key], code: "unknown_field", message: `not a KPI parameter: one of ${ALLOWED.join(", ")}` });
  const today = Math.floor(now.getTime() / DAY) * DAY;
  const to = dayOf(query.to, "to", today, issues);
  const from = dayOf(query.from, "from", to - (DEFAULT_DAYS - 1) * DAY, issues);
  if (from > to) issues.push({ path: ["from"], code: "invalid_value", message: "from is after to" });
  else if ((to - from) / DAY + 1 > MAX_DAYS)
    issues.push({ path: ["from"], code: "invalid_value", message: `a period is at most ${MAX_DAYS} days` });
  const granularity = (query.granularity ?? "day") as Grain;
  if (!GRAINS.includes(granularity)) issues.push({ path: ["granularity"], code: "not_in_options", message: `one of ${GRAINS.join(", ")}` });
  else if (granularity === "hour" && from <= to && (to - from) / DAY + 1 > MAX_HOURLY_DAYS)
    issues.push({
      path: ["granularity"],
      code: "invalid_value",
      message: `an hourly series covers at most ${MAX_HOURLY_DAYS} days; this period has ${(to - from) / DAY + 1}: shorten it or choose day`,
    });
  const asAt = query.as_at ?? "now";
  if (asAt !== "now" && asAt !== "end")
    issues.push({
      path: ["as_at"],
      code: "not_in_options",
      message: "now (the records as they stand now) or end (as they stood at the period's end)",
    });
  const object = query.object ?? "lead";
  if (!(object in OBJECTS)) issues.push({ path: ["object"], code: "not_in_options", message: `one of ${Object.keys(OBJECTS).join(", ")}` });
  const version = query.version === undefined ? undefined : Number(query.version);
  if (version !== undefined && !(Number.isInteger(version) && version >= 1))
    issues.push({ path: ["version"], code: "invalid_type", message: "a version is a whole number from 1", expected: "integer" });
  if (version !== undefined && query.workflow === undefined)
    issues.push({ path: ["version"], code: "invalid_value", message: "a version needs its workflow" });
  if (query.handled !== undefined && !["true", "false"].includes(query.handled))
    issues.push({ path: ["handled"], code: "not_in_options", message: "true or false" });
  const limit = query.limit === undefined ? 100 : Number(query.limit);
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT))
    issues.push({ path: ["limit"], code: "invalid_type", message: `a whole number from 1 to ${MAX_LIMIT}`, expected: "integer" });
  const onboardingDays = query.onboarding_days === undefined ? DEFAULT_ONBOARDING_DAYS : Number(query.onboarding_days);
  if (
    !(
      /^\d+$/.test(query.onboarding_days ?? "3") &&
      Number.isInteger(onboardingDays) &&
      onboardingDays >= 1 &&
      onboardingDays <= MAX_ONBOARDING_DAYS
    )
  )
    issues.push({
      path: ["onboarding_days"],
      code: "invalid_type",
      message: `a whole number of days from 1 to ${MAX_ONBOARDING_DAYS}`,
      expected: "integer",
    });
  for (const key of ["owner_id", "team_id", "workflow"] as const) {
    const v = query[key];
    if (v !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(v))
      issues.push({ path: [key], code: "invalid_value", message: "an id: letters, digits, - and _, at most 64" });
  }
  if (issues.length > 0) throw new AppError("bad_request", "the KPI query has invalid parameters", issues);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to + DAY).toISOString(),
    fromDay: new Date(from).toISOString().slice(0, 10),
    toDayExclusive: new Date(to + DAY).toISOString().slice(0, 10),
    object: object as ObjectName,
    ownerId: query.owner_id,
    teamId: query.team_id,
    workflow: query.workflow === undefined ? undefined : { id: query.workflow, version, handled: query.handled !== "false" },
    limit,
    onboardingDays,
    granularity,
    asAt: asAt as "now" | "end",
  };
}

function dayOf(value: string | undefined, path: string, fallback: number, issues: Issue[]): number {
  if (value === undefined) return fallback;
  const t = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00.000Z`) : Number.NaN;
  if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== value) {
    issues.push({ path: [path], code: "invalid_value", message: `a day, YYYY-MM-DD (UTC), not ${JSON.stringify(value.slice(0, 40))}` });
    return fallback;
  }
  return t;
}
