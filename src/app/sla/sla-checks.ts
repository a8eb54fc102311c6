/**
 * An SLA policy against the workspace, each problem with its path, nothing saved while there is
 * one: the conditions (`applies_when`, `pause_when`) with the workflow checker, exactly as routing
 * checks a rule's condition; the fields `starts`, `stops` and `targets_by` name are fields of the
 * object, and the values they list are values of those fields; activity types are activity types
 * and the object is one activities can be about; every target and escalation is more than zero;
 * the warning falls before the smallest target; a named calendar exists.
 */
import { type FieldDef, OBJECT_NAMES, type ObjectName } from "../../crm/fields.js";
import type { Issue } from "../../crm/issues.js";
import { Checker } from "../../engine/checker.js";
import type { StoreReads } from "../../store/ports.js";
import type { SlaPolicyDefinition } from "../../store/sla-ports.js";
import { loadFields } from "../records/schema-cache.js";
import { allTargets, durationMs, durationWords } from "./sla-plan.js";

/** The names of the workspace's business calendars (the calendars store, once it is wired). */
export type CalendarNames = (workspaceId: string) => Promise<readonly string[]>;

export async function slaPolicyIssues(
  reads: StoreReads,
  workspaceId: string,
  p: SlaPolicyDefinition,
  calendarNames: CalendarNames,
): Promise<Issue[]> {
  // Conditions may name fields of referenced and counted records: every object's fields are at hand.
  const fields = new Map<ObjectName, readonly FieldDef[]>();
  for (const o of OBJECT_NAMES) fields.set(o, await loadFields(reads, workspaceId, o));
  const fieldsOf = (o: ObjectName) => fields.get(o) ?? [];
  const ck = new Checker(fieldsOf, p.object);

  if (p.applies_when) ck.condition(p.applies_when, ["applies_when"]);
  if (p.pause_when) ck.condition(p.pause_when, ["pause_when"]);

  if (p.starts.on === "field_changed") {
    const f = ck.field(p.starts.field, ["starts", "field"], p.object, false);
    if (f) for (const [i, v] of (p.starts.to ?? []).entries()) ck.value(f, v, ["starts", "to", i]);
  }

  const stops = p.stops;
  if (stops.on === "activity") {
    const activity = fieldsOf("activity");
    const about = activity.find((f) => f.name === "related_id")?.references ?? [];
    if (!about.includes(p.object))
      ck.push(["stops", "on"], "invalid_value", `activities are not logged on ${p.object} records; they are on ${about.join(", ")}`);
    const types = activity.find((f) => f.name === "type")?.options ?? [];
    for (const [i, t] of stops.types.entries())
      if (!types.includes(t)) ck.push(["stops", "types", i], "not_in_options", `"${t}" is not an activity type`, types);
  } else {
    const f = ck.field(stops.field, ["stops", "field"], p.object, false);
    if (f && stops.on === "field_value") for (const [i, v] of stops.in.entries()) ck.value(f, v, ["stops", "in", i]);
  }

  if (p.targets_by) {
    const f = ck.field(p.targets_by.field, ["targets_by", "field"], p.object, false);
    if (f) for (const key of Object.keys(p.targets_by.values)) ck.value(f, key, ["targets_by", "values", key]);
  }

  const targets = allTargets(p);
  for (const t of targets)
    if (t.ms <= 0) ck.push(t.path, "too_small", `a target is more than zero business time, not ${durationWords({})}`);
  for (const [i, e] of p.escalations.entries())
    if (durationMs(e.after) <= 0)
      ck.push(["escalations", i, "after"], "too_small", "an escalation comes more than zero business time after the breach");

  const w = p.warning;
  const positive = targets.filter((t) => t.ms > 0);
  if (w && "before" in w && positive.length > 0) {
    const before = durationMs(w.before);
    const smallest = positive.reduce((a, b) => (b.ms < a.ms ? b : a));
    if (before <= 0) ck.push(["warning"], "too_small", "a warning before the target comes more than zero business time before it");
    else if (before >= smallest.ms)
      ck.push(
        ["warning"],
        "invalid_value",
        `the warning (${durationWords(w.before)} before the target) falls at or before the start of the smallest target (${smallest.label}: ${Math.round(smallest.ms / 60_000)} min); it must fall before the target`,
      );
  }

  if ("name" in p.calendar) {
    const names = await calendarNames(workspaceId);
    if (!names.includes(p.calendar.name))
      ck.push(
        ["calendar", "name"],
        "not_found",
        `no calendar is called "${p.calendar.name}"; ${names.length > 0 ? `choose one of: ${names.join(", ")}` : "this workspace has no calendars yet"}`,
        [...names],
      );
  }
  return ck.issues;
}
