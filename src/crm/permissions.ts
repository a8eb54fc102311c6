/**
 * What each role may do. Checked by the application services on every call;
 * what a caller may not see is reported as not found, never as forbidden.
 */
import type { ObjectName } from "./fields.js";
import type { Role } from "./objects.js";

export type RecordAction = "read" | "create" | "update" | "delete";
export type AdminAction =
  | "manage_custom_fields"
  | "manage_tokens"
  | "manage_users"
  | "import"
  | "export"
  | "read_events"
  | "manage_routing"
  | "manage_calendars"
  | "manage_sla"
  | "manage_scoring"
  | "manage_data_quality"
  | "rebuild_kpis";

/** Directory objects (people and teams) shape routing and permissions: only admins and managers edit them. */
const DIRECTORY: readonly ObjectName[] = ["user", "team"];

export function canOnRecords(role: Role, action: RecordAction, object: ObjectName): boolean {
  if (action === "read") return true;
  if (role === "admin") return true;
  if (DIRECTORY.includes(object)) return role === "manager";
  if (action === "delete") return role === "manager" || role === "integration";
  return true;
}

export function canAdmin(role: Role, action: AdminAction): boolean {
  switch (action) {
    case "manage_custom_fields":
    case "manage_tokens":
    case "manage_users":
      return role === "admin";
    case "import":
      return role === "admin" || role === "integration";
    case "export":
    case "read_events":
      return role !== "rep";
    // Queues and rule sets decide who gets the work: the people who run the teams set them.
    case "manage_routing":
      return role === "admin" || role === "manager";
    // Business calendars set the workspace's SLA clocks and business-time waits: admins only.
    case "manage_calendars":
    // SLA policies are promises to customers, measured on everyone's work: admins set them.
    case "manage_sla":
    // Scoring models decide whom sales calls first and start workflows at thresholds: admins set them.
    case "manage_scoring":
    // Validation rules and formats decide which writes of everyone's go through: admins set them.
    case "manage_data_quality":
    // A KPI rebuild re-reads the whole event log: an operator's action, not a dashboard's.
    case "rebuild_kpis":
      return role === "admin";
  }
}
