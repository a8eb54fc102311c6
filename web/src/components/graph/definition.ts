/**
 * The workflow definition as the app reads it (GET /api/v1/workflows/{id} → versions[].definition).
 * The API types definitions as `unknown` (the format's own schema is /api/schema/workflow.json,
 * from src/engine/definition.ts); these are the parts the graph and the step words use, kept
 * loose where the app only shows a value. A definition from the API was validated when it was
 * saved, so fields are typed as the format has them.
 */

export interface Duration {
  seconds?: number;
  minutes?: number;
  hours?: number;
  days?: number;
}
export interface Offset extends Duration {
  before?: boolean;
}

export type LeafCondition = {
  field?: string;
  count?: { object: string; via: string; of?: string; where?: Condition };
  /** The record's open items in the data review queue, of these kinds (default any). */
  review_items?: { kinds?: ReviewKind[] };
  op: string;
  value?: unknown;
};
export type Condition = { and: Condition[] } | { or: Condition[] } | { not: Condition } | LeafCondition;

/** Which business calendar a wait measures time on (docs/sla.md): by name, or whose; none = the workspace's. */
export type CalendarRef = { name: string } | { of: "owner" | "team" | "workspace" };

export type PersonSpec =
  | { user_id: string }
  | { field: string }
  | { manager_of: string }
  | { team_lead_of: string }
  | { on_call_of: string };

/**
 * Who approves (docs/approvals.md): a user, the manager or team lead of the user in a field of the
 * record, the lead of a team (its id), every active user of a role, or the members of a queue
 * (by name or id). Who it is in fact is looked up when the request opens.
 */
export type ApproverSpec =
  | { user_id: string }
  | { manager_of: string }
  | { team_lead_of: string }
  | { team_lead: string }
  | { role: ApproverRole }
  | { queue: string };

export const APPROVER_ROLES = ["admin", "manager", "rep", "integration"] as const;
export type ApproverRole = (typeof APPROVER_ROLES)[number];

/** How many of a level's approvers must approve: any one, all, or a number of them. */
export type ApprovalRequire = "any" | "all" | number;

/** One level of approvers; levels are asked in sequence. */
export interface ApprovalLevel {
  name?: string;
  approvers: ApproverSpec[];
  /** Default "any". */
  require?: ApprovalRequire;
}

/** One route of an approval step: the first whose `when` holds decides; the last has none (the default). */
export interface ApprovalRoute {
  label?: string;
  when?: Condition;
  levels?: ApprovalLevel[];
  auto?: "approve" | "reject";
  notify?: PersonSpec;
}

/** What a request still pending after its time limit does: escalate, approve, reject, or take the on_timeout path. */
export type ApprovalTimeoutThen = "escalate" | "approve" | "reject" | "path";

export interface ApprovalTimeout {
  /** Absolute time; exactly one of `after` and `business`. */
  after?: Duration;
  /** Business time on a calendar: hours or days. */
  business?: { hours?: number; days?: number; calendar?: CalendarRef };
  then: ApprovalTimeoutThen;
  /** With then = escalate: who may then decide alone. */
  escalate_to?: ApproverSpec[];
  /** With then = escalate: how many times before on_timeout (default 1). */
  escalations?: number;
}

export type ActionSpec =
  | { type: "update_fields"; fields: Record<string, unknown> }
  | {
      type: "create_task";
      subject: string;
      description?: string;
      due_in?: Duration;
      priority?: string;
      owner?: PersonSpec;
    }
  | { type: "create_record"; object: string; fields?: Record<string, unknown>; copy?: Record<string, string>; link_field?: string }
  | {
      type: "assign_owner";
      field?: string;
      to: PersonSpec | { round_robin_team: string } | { company_owner: true } | { queue: string } | { rule_set: string };
      exclude_current?: boolean;
    }
  | { type: "add_activity"; activity_type?: string; subject: string; body?: string }
  | { type: "change_score"; field?: string; by: number }
  | { type: "enroll"; workflow: string }
  | { type: "unenroll"; workflow: string }
  | { type: "notify"; to: PersonSpec; message: string }
  | { type: "add_to_review_queue"; reason: string; assign_to?: PersonSpec }
  | { type: "merge_records"; into: { best_duplicate: true; min_score?: number } | { record_id: string } }
  | { type: "send_chat"; connector?: string; text: string }
  | {
      type: "send_email";
      connector?: string;
      to: PersonSpec | { record_email: true };
      subject: string;
      html?: string;
      text?: string;
      reply_to_owner?: boolean;
    }
  | {
      type: "http_request";
      connector: string;
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: unknown;
      map_response?: Record<string, string>;
      only_if_empty?: boolean;
    };

export type StepSpec = { description?: string } & (
  | { type: "action"; action: ActionSpec; next?: string; on_failure?: string }
  | { type: "branch"; rules: Array<{ when: Condition; next: string; label?: string }>; else?: string }
  | { type: "switch"; field: string; cases: Record<string, string>; default?: string }
  | {
      type: "delay";
      duration?: Duration;
      until_field?: { field: string; offset?: Offset };
      until_time?: { time: string; days?: string[]; time_zone?: string };
      business?: { hours?: number; minutes?: number; days?: number; calendar?: CalendarRef };
      until_opening?: { calendar?: CalendarRef };
      next?: string;
    }
  | {
      type: "wait_for";
      event?: { object: string; kind?: "created" | "updated"; link: string; where?: Condition };
      condition?: Condition;
      timeout: Duration;
      next?: string;
      on_timeout?: string;
    }
  | {
      type: "approval";
      /** What is being approved: a template over {{ record.* }}. */
      summary: string;
      /** The fields at stake, shown to approvers and locked (default none). */
      fields?: string[];
      /** What is locked while the request is pending (default "fields"). */
      lock?: "fields" | "record" | "none";
      /** Who asks (default the record's owner); never an approver of their own request. */
      submitter?: PersonSpec;
      routes: ApprovalRoute[];
      timeout?: ApprovalTimeout;
      /** How many rounds (the first request and each resubmission after a revision); default 5. */
      max_rounds?: number;
      on_approved?: string;
      on_rejected?: string;
      on_timeout?: string;
    }
  | {
      type: "classify";
      /** The AI model that predicts the field, by name (docs/ai.md). */
      model: string;
      /** The field written: the model's target. */
      field: string;
      next?: string;
      /** Where a prediction below the model's threshold goes, unwritten (default next). */
      low_confidence?: string;
    }
  | { type: "end" }
);

export type TriggerSpec =
  | { type: "record_created"; filter?: Condition }
  | { type: "record_updated"; fields?: string[]; filter?: Condition }
  | { type: "record_deleted" }
  | { type: "field_changed"; field: string; from?: unknown; to?: unknown }
  | { type: "relative_date"; field: string; offset: Offset; at?: string }
  | { type: "inactivity"; days: number; field?: string }
  | { type: "score_threshold"; field?: string; threshold: number; direction?: "up" | "down" }
  | { type: "external"; key: string }
  | { type: "manual" }
  | { type: "review_queued"; kinds?: ReviewKind[] }
  | { type: "schedule"; cron: string; time_zone?: string; filter?: Condition }
  | { type: "sla"; policy: string; milestones: SlaMilestone[]; level?: number }
  | { type: "email_engaged"; on?: EmailEngagement[] };

/** What an `email_engaged` trigger can name (docs/scoring.md, "Email engagement tracking"). */
export const EMAIL_ENGAGEMENTS = ["opened", "clicked"] as const;
export type EmailEngagement = (typeof EMAIL_ENGAGEMENTS)[number];

/** The problems of the data review queue a `review_queued` trigger can name (docs/data-quality.md). */
export const REVIEW_QUEUE_KINDS = ["duplicate", "rule", "format", "required", "manual"] as const;
export type ReviewKind = (typeof REVIEW_QUEUE_KINDS)[number];

/** The milestones of an SLA clock an `sla` trigger can name (docs/sla.md, "Milestones as events"). */
export const SLA_MILESTONES = ["warning", "breach", "escalation"] as const;
export type SlaMilestone = (typeof SLA_MILESTONES)[number];

export interface WorkflowDefinition {
  key: string;
  name: string;
  description?: string;
  object: string;
  trigger: TriggerSpec;
  conditions?: Condition;
  goal?: Condition;
  /** May a record enroll again after its run ended (default no). */
  reenrollment?: boolean;
  /** May this workflow's own writes trigger it again (default no). */
  allow_self_trigger?: boolean;
  /** Hourly quotas of its emails and calls to other systems (defaults 1,000 and 10,000). */
  limits?: { emails_per_hour?: number; calls_per_hour?: number };
  start: string;
  steps: Record<string, StepSpec>;
}
