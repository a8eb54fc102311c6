/**
 * The built-in CRM objects. Admins add custom fields on top (see CustomFieldDef);
 * everything else about an object — validation, filters, CSV columns, the API
 * document — is derived from these lists.
 */
import type { FieldDef, ObjectName } from "./fields.js";

export interface ObjectDef {
  name: ObjectName;
  /** URL segment and collection name. */
  plural: string;
  label: string;
  /** Field shown as the record's title in lists and timelines. */
  titleField: string;
  fields: readonly FieldDef[];
}

export const ROLES = ["admin", "manager", "rep", "integration"] as const;
export type Role = (typeof ROLES)[number];

export const PRIORITIES = ["P1", "P2", "P3", "P4"] as const;
/** A text's tone (crm/sentiment.ts): VADER's compound score ≤ −0.05, between, ≥ 0.05. */
export const SENTIMENT_LABELS = ["negative", "neutral", "positive"] as const;

export const LIFECYCLE_STAGES = [
  "subscriber",
  "lead",
  "marketing_qualified",
  "sales_qualified",
  "opportunity",
  "customer",
  "evangelist",
  "other",
] as const;

export const DEAL_STAGES = ["qualification", "discovery", "proposal", "negotiation", "closed_won", "closed_lost"] as const;

export const TICKET_STATUSES = ["new", "open", "pending", "on_hold", "resolved", "closed"] as const;
export const TASK_STATUSES = ["open", "in_progress", "done", "cancelled"] as const;
/** `email_opened` / `email_clicked`: an email Handoff sent was opened or a link in it clicked (issue 21, email tracking). */
export const ACTIVITY_TYPES = ["call", "email", "meeting", "note", "email_opened", "email_clicked"] as const;
export const EMAIL_STATUSES = ["valid", "bouncing", "unsubscribed"] as const;

/** Records an activity (or a task) can be about. */
const ENGAGEABLE: readonly ObjectName[] = ["lead", "contact", "company", "deal", "ticket"];

const owner: FieldDef = { name: "owner_id", type: "reference", label: "Owner", references: ["user"] };
const lastActivityAt: FieldDef = {
  name: "last_activity_at",
  type: "datetime",
  label: "Last activity at",
  managed: true,
};

/**
 * The tone of a ticket's or activity's text (crm/sentiment.ts, docs/ai.md#sentiment), kept by
 * Handoff on every write that changes the text.
 */
const sentiment: readonly FieldDef[] = [
  { name: "sentiment", type: "number", label: "Sentiment", min: -1, max: 1, managed: true },
  { name: "sentiment_label", type: "enum", label: "Sentiment label", options: SENTIMENT_LABELS, managed: true },
  { name: "sentiment_words", type: "string", label: "Sentiment words", managed: true },
];

const person: readonly FieldDef[] = [
  { name: "first_name", type: "string", label: "First name" },
  { name: "last_name", type: "string", label: "Last name", required: true },
  { name: "email", type: "email", label: "Email" },
  // Set by email delivery (a bounce) and unsubscribe links; unset = nothing known against the address.
  { name: "email_status", type: "enum", label: "Email status", options: EMAIL_STATUSES },
  { name: "phone", type: "phone", label: "Phone" },
  { name: "title", type: "string", label: "Job title" },
  {
    name: "lifecycle_stage",
    type: "enum",
    label: "Lifecycle stage",
    options: LIFECYCLE_STAGES,
  },
  { name: "source", type: "string", label: "Source" },
  { name: "score", type: "integer", label: "Score", default: 0 },
  owner,
  lastActivityAt,
];

export const OBJECTS: Record<ObjectName, ObjectDef> = {
  user: {
    name: "user",
    plural: "users",
    label: "User",
    titleField: "name",
    fields: [
      { name: "name", type: "string", label: "Name", required: true },
      { name: "email", type: "email", label: "Email", required: true },
      { name: "role", type: "enum", label: "Role", options: ROLES, required: true, default: "rep" },
      { name: "manager_id", type: "reference", label: "Manager", references: ["user"] },
      { name: "team_id", type: "reference", label: "Team", references: ["team"] },
      { name: "time_zone", type: "string", label: "Time zone (IANA)", default: "UTC", format: "time_zone" },
      { name: "working_hours", type: "json", label: "Working hours", shape: "working_hours" },
      { name: "pto", type: "json", label: "PTO periods", shape: "periods" },
      // Decides this person's approval requests while they are on PTO (docs/approvals.md).
      { name: "delegate_id", type: "reference", label: "Approvals delegate", references: ["user"] },
      { name: "capacity", type: "integer", label: "Capacity (open items)", min: 0 },
      // The person's own switch: off keeps them out of queue rotations whatever their hours say.
      { name: "available_now", type: "boolean", label: "Available now", default: true },
      { name: "territories", type: "json", label: "Territories", shape: "string_list" },
      { name: "calendar_link", type: "url", label: "Calendar link" },
      // The business calendar (by name) of this person's SLAs and business-time waits; unset = their team's.
      { name: "calendar", type: "string", label: "Business calendar", names: "calendar" },
      { name: "active", type: "boolean", label: "Active", default: true },
    ],
  },
  team: {
    name: "team",
    plural: "teams",
    label: "Team",
    titleField: "name",
    fields: [
      { name: "name", type: "string", label: "Name", required: true },
      { name: "lead_id", type: "reference", label: "Team lead", references: ["user"] },
      // Who is paged for the team (SLA escalations): its members a week each, in turn.
      { name: "on_call", type: "json", label: "On-call rotation", shape: "on_call_rotation" },
      { name: "territories", type: "json", label: "Territories", shape: "string_list" },
      { name: "time_zone", type: "string", label: "Time zone (IANA)", default: "UTC", format: "time_zone" },
      // The business calendar (by name) of the team's members who name none; unset = the workspace's default.
      { name: "calendar", type: "string", label: "Business calendar", names: "calendar" },
    ],
  },
  company: {
    name: "company",
    plural: "companies",
    label: "Company",
    titleField: "name",
    fields: [
      { name: "name", type: "string", label: "Name", required: true },
      { name: "domain", type: "string", label: "Domain" },
      { name: "industry", type: "string", label: "Industry" },
      { name: "employee_count", type: "integer", label: "Employees", min: 0 },
      { name: "annual_revenue", type: "number", label: "Annual revenue", min: 0 },
      { name: "country", type: "string", label: "Country (ISO 3166 alpha-2)" },
      { name: "region", type: "string", label: "Region" },
      { name: "state", type: "string", label: "State / province" },
      { name: "postal_code", type: "string", label: "Postal code" },
      owner,
      lastActivityAt,
    ],
  },
  contact: {
    name: "contact",
    plural: "contacts",
    label: "Contact",
    titleField: "last_name",
    fields: [
      ...person,
      { name: "company_id", type: "reference", label: "Company", references: ["company"] },
      {
        name: "status",
        type: "enum",
        label: "Status",
        options: ["active", "inactive", "bouncing", "unsubscribed"],
        default: "active",
      },
    ],
  },
  lead: {
    name: "lead",
    plural: "leads",
    label: "Lead",
    titleField: "last_name",
    fields: [
      ...person,
      { name: "company_id", type: "reference", label: "Company", references: ["company"] },
      { name: "company_name", type: "string", label: "Company name" },
      { name: "employee_count", type: "integer", label: "Company size (employees)", min: 0 },
      { name: "country", type: "string", label: "Country (ISO 3166 alpha-2)" },
      {
        name: "status",
        type: "enum",
        label: "Status",
        options: ["new", "working", "nurturing", "qualified", "unqualified", "converted"],
        default: "new",
      },
    ],
  },
  deal: {
    name: "deal",
    plural: "deals",
    label: "Deal",
    titleField: "name",
    fields: [
      { name: "name", type: "string", label: "Name", required: true },
      { name: "pipeline", type: "string", label: "Pipeline", default: "sales" },
      {
        name: "stage",
        type: "enum",
        label: "Stage",
        options: DEAL_STAGES,
        required: true,
        default: "qualification",
      },
      { name: "stage_entered_at", type: "datetime", label: "Stage entered at", managed: true },
      { name: "amount", type: "number", label: "Amount", min: 0 },
      { name: "discount_pct", type: "number", label: "Discount %", min: 0, max: 100 },
      { name: "close_date", type: "date", label: "Close date" },
      { name: "contract_end_date", type: "date", label: "Contract end date" },
      { name: "company_id", type: "reference", label: "Company", references: ["company"] },
      { name: "contact_id", type: "reference", label: "Primary contact", references: ["contact"] },
      owner,
      lastActivityAt,
    ],
  },
  ticket: {
    name: "ticket",
    plural: "tickets",
    label: "Ticket",
    titleField: "subject",
    fields: [
      { name: "subject", type: "string", label: "Subject", required: true },
      { name: "description", type: "text", label: "Description" },
      { name: "priority", type: "enum", label: "Priority", options: PRIORITIES, default: "P3" },
      { name: "category", type: "string", label: "Category" },
      { name: "status", type: "enum", label: "Status", options: TICKET_STATUSES, default: "new" },
      { name: "company_id", type: "reference", label: "Company", references: ["company"] },
      { name: "contact_id", type: "reference", label: "Contact", references: ["contact"] },
      { name: "assignee_id", type: "reference", label: "Assignee", references: ["user"] },
      { name: "first_response_at", type: "datetime", label: "First response at" },
      { name: "resolved_at", type: "datetime", label: "Resolved at" },
      lastActivityAt,
      ...sentiment,
    ],
  },
  task: {
    name: "task",
    plural: "tasks",
    label: "Task",
    titleField: "subject",
    fields: [
      { name: "subject", type: "string", label: "Subject", required: true },
      { name: "description", type: "text", label: "Description" },
      { name: "due_at", type: "datetime", label: "Due at" },
      { name: "priority", type: "enum", label: "Priority", options: PRIORITIES, default: "P3" },
      { name: "status", type: "enum", label: "Status", options: TASK_STATUSES, default: "open" },
      owner,
      { name: "related_id", type: "reference", label: "Related record", references: ENGAGEABLE },
      { name: "completed_at", type: "datetime", label: "Completed at", managed: true },
    ],
  },
  activity: {
    name: "activity",
    plural: "activities",
    label: "Activity",
    titleField: "subject",
    fields: [
      { name: "type", type: "enum", label: "Type", options: ACTIVITY_TYPES, required: true },
      { name: "subject", type: "string", label: "Subject" },
      { name: "body", type: "text", label: "Body" },
      { name: "occurred_at", type: "datetime", label: "Occurred at" },
      { name: "user_id", type: "reference", label: "By", references: ["user"] },
      {
        name: "related_id",
        type: "reference",
        label: "Related record",
        references: ENGAGEABLE,
        required: true,
      },
      { name: "duration_minutes", type: "integer", label: "Duration (minutes)", min: 0 },
      // Who made it: a person, the contact themselves, or Handoff (automated). When not given: handoff
      // for a workflow's or the system's write, person for anyone else's. See activity-counting.ts.
      { name: "made_by", type: "enum", label: "Made by", options: ["person", "contact", "handoff"] },
      ...sentiment,
    ],
  },
};

export function objectByPlural(plural: string): ObjectDef | undefined {
  return Object.values(OBJECTS).find((o) => o.plural === plural);
}

/**
 * The user reference that makes a record someone's: `owner_id`, or `assignee_id` where the object
 * has an assignee instead (tickets). Undefined for objects nobody owns (users, teams, activities).
 * What "the owner's calendar" and an SLA's "by the owner" read.
 */
export function ownerFieldOf(object: ObjectName): "owner_id" | "assignee_id" | undefined {
  const names = OBJECTS[object].fields.map((f) => f.name);
  if (names.includes("owner_id")) return "owner_id";
  if (names.includes("assignee_id")) return "assignee_id";
  return undefined;
}
