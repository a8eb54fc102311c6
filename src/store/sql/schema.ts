/** Table shapes as Kysely sees them. Timestamps are ISO-8601 UTC strings in both dialects. */
import type { Generated } from "kysely";

export interface WorkspacesTable {
  id: string;
  slug: string;
  name: string;
  time_zone: string;
  created_at: string;
  /** JSON (015); null = defaults. */
  settings: string | null;
}

export interface RecordsTable {
  workspace_id: string;
  id: string;
  object: string;
  version: number;
  /** JSON text on SQLite, jsonb on PostgreSQL. */
  data: unknown;
  created_at: string;
  updated_at: string;
}

export interface AuditLogTable {
  seq: Generated<number>;
  workspace_id: string;
  record_id: string;
  object: string;
  action: string;
  actor_kind: string;
  actor_id: string;
  changes: unknown;
  at: string;
  request_id: string | null;
}

/** 010: external actions per workflow, quota and clock hour. */
export interface QuotaUsageTable {
  workspace_id: string;
  workflow_id: string;
  quota: string;
  window_start: string;
  used: number;
}

/** 013: the rate cap's slots per workflow. */
export interface WorkflowRatesTable {
  workspace_id: string;
  workflow_id: string;
  window_start: string;
  used: number;
  alerted_at: string | null;
}

/** 009: moved with every change of a workspace's trigger rows. */
export interface TriggerEpochsTable {
  workspace_id: string;
  epoch: number;
}

export interface EventsTable {
  position: Generated<number>;
  id: string;
  workspace_id: string;
  type: string;
  object: string;
  record_id: string;
  record_version: number;
  actor_kind: string;
  actor_id: string;
  cause_id: string | null;
  changes: unknown;
  occurred_at: string;
  depth: Generated<number>;
  /** external.received: the hook or form key (008); SLA events: the policy's name. */
  source: string | null;
  /** SLA events: the milestone's facts (025). */
  detail: unknown;
}

export interface CustomFieldsTable {
  workspace_id: string;
  object: string;
  name: string;
  type: string;
  label: string;
  required: number;
  options: unknown;
  created_at: string;
}

export interface CredentialsTable {
  workspace_id: string;
  user_id: string;
  password_hash: string;
  updated_at: string;
}

export interface SessionsTable {
  workspace_id: string;
  id: string;
  user_id: string;
  secret_hash: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface ApiTokensTable {
  id: string;
  workspace_id: string;
  name: string;
  role: string;
  secret_hash: string;
  user_id: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface IdempotencyKeysTable {
  workspace_id: string;
  caller: string;
  key: string;
  caller_role: string;
  fingerprint: string;
  state: string;
  status: number | null;
  response: string | null;
  created_at: string;
  request_id: string | null;
}

export interface WorkflowsTable {
  workspace_id: string;
  id: string;
  key: string;
  name: string;
  object: string;
  live_version: number | null;
  latest_version: number;
  created_at: string;
  updated_at: string;
  /** `kind:id` of the actor of the latest change (019); null before it. */
  updated_by: string | null;
}

export interface WorkflowVersionsTable {
  workspace_id: string;
  workflow_id: string;
  version: number;
  state: string;
  definition: unknown;
  created_at: string;
  published_at: string | null;
  since_position: number | null;
  /** `kind:id` of the actor who published it (019). */
  published_by: string | null;
  /** What changed and why, said by its publisher (021); null for drafts and versions without one. */
  note: string | null;
  /** The conflict warnings its publisher acknowledged, who and when (028, JSON); null without any. */
  conflicts_acknowledged: unknown;
}

export interface WorkflowTriggersTable {
  workspace_id: string;
  workflow_id: string;
  object: string;
  kind: string;
  version: number;
  since_position: number;
}

export interface RunsTable {
  workspace_id: string;
  id: string;
  workflow_id: string;
  version: number;
  record_id: string;
  trigger_key: string;
  status: string;
  state: unknown;
  seq: number;
  depth: number;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface RunStepsTable {
  workspace_id: string;
  run_id: string;
  seq: number;
  step: string | null;
  type: string;
  input: string;
  outcome: string;
  why: string;
  effects: unknown;
  at: string;
  duration_ms: number;
  run_input: unknown;
  record_version: number | null;
  facts_digest: string | null;
  facts_seen: unknown;
}

export interface WorkItemsTable {
  id: Generated<number>;
  workspace_id: string;
  run_id: string;
  input: unknown;
  timer_id: string | null;
  status: string;
  due_at: string;
  attempts: Generated<number>;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
}

export interface EventCursorsTable {
  consumer: string;
  position: number;
  lease_owner: string | null;
  lease_until: string | null;
}

export interface WorkflowLogTable {
  seq: Generated<number>;
  workspace_id: string;
  workflow_id: string;
  record_id: string | null;
  event_id: string | null;
  kind: string;
  message: string;
  at: string;
  /** 013: the workflow ids of the chain a loop stop ended (JSON), else null. */
  chain: unknown;
}

export interface RotationsTable {
  workspace_id: string;
  key: string;
  last_user_id: string;
}

export interface NotificationsTable {
  workspace_id: string;
  id: string;
  user_id: string;
  message: string;
  record_id: string | null;
  run_id: string | null;
  created_at: string;
  read_at: string | null;
}

export interface ScheduledTriggersTable {
  id: Generated<number>;
  workspace_id: string;
  workflow_id: string;
  version: number;
  record_id: string;
  due_at: string;
  status: string;
  attempts: Generated<number>;
  lease_owner: string | null;
  lease_until: string | null;
  created_at: string;
}

export interface ConnectorsTable {
  workspace_id: string;
  id: string;
  key: string;
  kind: string;
  name: string;
  config: unknown;
  secrets: string | null;
  secret_names: unknown;
  created_at: string;
  updated_at: string;
}

export interface InboundHooksTable {
  workspace_id: string;
  id: string;
  key: string;
  name: string;
  object: string;
  mapping: unknown;
  defaults: unknown;
  match_on: string | null;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_expires_at: string | null;
  rate_per_min: number;
  created_at: string;
  updated_at: string;
}

export interface ConfigAuditTable {
  seq: Generated<number>;
  workspace_id: string;
  id: string;
  at: string;
  actor_kind: string;
  actor_id: string;
  request_id: string | null;
  entity: string;
  entity_id: string;
  action: string;
  summary: unknown;
}

export interface EmailSuppressionsTable {
  workspace_id: string;
  email: string;
  reason: string;
  detail: string | null;
  created_at: string;
}

export interface FormsTable {
  workspace_id: string;
  id: string;
  key: string;
  title: string;
  intro: string;
  object: string;
  fields: unknown;
  hidden: unknown;
  success_message: string;
  rate_per_min: number;
  created_at: string;
  updated_at: string;
}

export interface InboundDeliveriesTable {
  workspace_id: string;
  source_kind: string;
  source_id: string;
  delivery_id: string;
  received_at: string;
  record_id: string;
  action: string;
  event_id: string;
}

export interface WebhookSubscriptionsTable {
  workspace_id: string;
  id: string;
  url: string;
  description: string;
  events: unknown;
  secret_sealed: string;
  active: number;
  created_at: string;
  updated_at: string;
}

/** 022: routing (see routing-ports.ts). Switches are 0/1. */
export interface QueuesTable {
  workspace_id: string;
  id: string;
  name: string;
  description: string;
  strategy: string;
  respect_availability: number;
  respect_capacity: number;
  load: unknown;
  fallback: unknown;
  members: unknown;
  state: unknown;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

export interface QueueHoldsTable {
  workspace_id: string;
  queue_id: string;
  record_id: string;
  field: string;
  held_at: string;
  assignment_id: string;
}

export interface AssignmentRuleSetsTable {
  workspace_id: string;
  id: string;
  name: string;
  description: string;
  object: string;
  field: string;
  on_create: number;
  rules: unknown;
  default_target: unknown;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

export interface AssignmentsTable {
  workspace_id: string;
  id: string;
  record_id: string;
  object: string;
  field: string;
  at: string;
  outcome: string;
  user_id: string | null;
  queue_id: string | null;
  rule_set_id: string | null;
  run_id: string | null;
  reason: unknown;
}

/** 023: business calendars (see calendar-ports.ts). `is_default` is 0/1. */
export interface CalendarsTable {
  workspace_id: string;
  id: string;
  name: string;
  description: string;
  time_zone: string;
  hours: unknown;
  holidays: unknown;
  closed_dates: unknown;
  is_default: number;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

export interface Database {
  calendars: CalendarsTable;
  connectors: ConnectorsTable;
  config_audit: ConfigAuditTable;
  email_suppressions: EmailSuppressionsTable;
  inbound_hooks: InboundHooksTable;
  forms: FormsTable;
  queues: QueuesTable;
  queue_holds: QueueHoldsTable;
  assignment_rule_sets: AssignmentRuleSetsTable;
  assignments: AssignmentsTable;
  inbound_deliveries: InboundDeliveriesTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  scheduled_triggers: ScheduledTriggersTable;
  workflows: WorkflowsTable;
  workflow_versions: WorkflowVersionsTable;
  workflow_triggers: WorkflowTriggersTable;
  trigger_epochs: TriggerEpochsTable;
  quota_usage: QuotaUsageTable;
  workflow_rates: WorkflowRatesTable;
  runs: RunsTable;
  run_steps: RunStepsTable;
  work_items: WorkItemsTable;
  event_cursors: EventCursorsTable;
  workflow_log: WorkflowLogTable;
  rotations: RotationsTable;
  notifications: NotificationsTable;
  workspaces: WorkspacesTable;
  records: RecordsTable;
  audit_log: AuditLogTable;
  events: EventsTable;
  custom_fields: CustomFieldsTable;
  api_tokens: ApiTokensTable;
  credentials: CredentialsTable;
  sessions: SessionsTable;
  idempotency_keys: IdempotencyKeysTable;
}

export interface OutboxTable {
  workspace_id: string;
  id: string;
  key: string;
  kind: string;
  connector: string | null;
  subscription_id: string | null;
  run_id: string | null;
  record_id: string | null;
  payload: unknown;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  last_status: number | null;
  result: unknown;
  lease_owner: string | null;
  lease_until: string | null;
  delivered_at: string | null;
  replayed_by: string | null;
  replayed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface OutboxAttemptsTable {
  workspace_id: string;
  outbox_id: string;
  attempt: number;
  at: string;
  outcome: string;
  status: number | null;
  error: string | null;
  next_attempt_at: string | null;
}

// Declaration merging: each feature adds its tables here without editing the list above.
export interface Database {
  outbox: OutboxTable;
  outbox_attempts: OutboxAttemptsTable;
}

/** 024: SLA policies and clocks (see sla-ports.ts). `enabled` is 0/1. */
export interface SlaPoliciesTable {
  workspace_id: string;
  id: string;
  name: string;
  description: string;
  object: string;
  enabled: number;
  definition: unknown;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

export interface SlaClocksTable {
  workspace_id: string;
  id: string;
  policy_id: string;
  policy_version: number;
  record_id: string;
  phase: string;
  plan: unknown;
  calendar: unknown;
  /** bigint (parsed as a number by the PostgreSQL adapter). */
  consumed_ms: number;
  since: string;
  started_at: string;
  stopped_at: string | null;
  fired: unknown;
  next_due_at: string | null;
  version: number;
  lease_owner: string | null;
  lease_until: string | null;
}

export interface SlaClockHistoryTable {
  workspace_id: string;
  clock_id: string;
  seq: number;
  at: string;
  kind: string;
  detail: unknown;
}

export interface Database {
  sla_policies: SlaPoliciesTable;
  sla_clocks: SlaClocksTable;
  sla_clock_history: SlaClockHistoryTable;
}

/** 026: approval requests, their tasks, history and email links (see approval-ports.ts). */
export interface ApprovalRequestsTable {
  workspace_id: string;
  id: string;
  run_id: string;
  workflow_id: string;
  step: string;
  round: number;
  previous_id: string | null;
  object: string;
  record_id: string;
  summary: string;
  stake: unknown;
  lock: string;
  route: string;
  submitter_id: string | null;
  status: string;
  state: unknown;
  due_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ApprovalTasksTable {
  workspace_id: string;
  request_id: string;
  level: number;
  user_id: string;
  on_behalf_of: string | null;
  status: string;
  decision: string | null;
  created_at: string;
  decided_at: string | null;
}

export interface ApprovalHistoryTable {
  workspace_id: string;
  request_id: string;
  seq: number;
  at: string;
  kind: string;
  actor_id: string | null;
  detail: unknown;
}

/** `grant_id` is the row's `grant` (GRANT is a reserved word). */
export interface ApprovalLinksTable {
  token_hash: string;
  workspace_id: string;
  grant_id: string;
  request_id: string;
  user_id: string;
  decision: string;
  expires_at: string;
  used_at: string | null;
}

export interface Database {
  approval_requests: ApprovalRequestsTable;
  approval_tasks: ApprovalTasksTable;
  approval_history: ApprovalHistoryTable;
  approval_links: ApprovalLinksTable;
}

export interface WorkflowTestCasesTable {
  workspace_id: string;
  id: string;
  workflow_id: string;
  name: string;
  setup: unknown;
  answers: unknown;
  expect: unknown;
  last_result: unknown;
  last_run_at: string | null;
  last_version: number | null;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

/** 029: workflow reviews and their history (see review-ports.ts). */
export interface WorkflowReviewsTable {
  workspace_id: string;
  workflow_id: string;
  owner_id: string | null;
  interval_months: number;
  next_review_at: string;
  notified_for: string | null;
  task_id: string | null;
  updated_at: string;
}

export interface WorkflowReviewHistoryTable {
  workspace_id: string;
  id: string;
  workflow_id: string;
  reviewed_by: string;
  reviewed_at: string;
  due_at: string;
  note: string;
}

export interface Database {
  workflow_test_cases: WorkflowTestCasesTable;
  workflow_reviews: WorkflowReviewsTable;
  workflow_review_history: WorkflowReviewHistoryTable;
}

/** The data review queue (030; review-queue-ports.ts). */
export interface ReviewQueueItemsTable {
  workspace_id: string;
  id: string;
  kind: string;
  subject_key: string;
  object: string;
  record_id: string;
  other_record_id: string | null;
  reason: string;
  detail: unknown;
  status: string;
  resolution: string | null;
  assignee_id: string | null;
  created_by: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  note: string | null;
}

export interface Database {
  review_queue_items: ReviewQueueItemsTable;
}

/** 031: record merges, each keeping the merged record's tombstone (see merge-ports.ts). */
export interface RecordMergesTable {
  workspace_id: string;
  id: string;
  object: string;
  survivor_id: string;
  merged_id: string;
  merged_snapshot: unknown;
  survivor_before: unknown;
  survivor_changes: unknown;
  moved: unknown;
  fields: unknown;
  merged_by: string;
  merged_at: string;
  undone_at: string | null;
  undone_by: string | null;
}

export interface Database {
  record_merges: RecordMergesTable;
}

/** Validation rules, stage gates, field formats and their epoch (032; data-quality-ports.ts). */
export interface ValidationRulesTable {
  workspace_id: string;
  id: string;
  name: string;
  object: string;
  enabled: number;
  definition: unknown;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

/** Status rules (041; data-quality-ports.ts): when a record's status contradicts its data. */
export interface StatusRulesTable {
  workspace_id: string;
  id: string;
  name: string;
  object: string;
  enabled: number;
  definition: unknown;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

export interface Database {
  status_rules: StatusRulesTable;
}

export interface FieldFormatsTable {
  workspace_id: string;
  object: string;
  field: string;
  on_invalid: string;
  version: number;
  updated_at: string;
  updated_by: string | null;
}

export interface DataQualityEpochsTable {
  workspace_id: string;
  epoch: number;
}

export interface Database {
  validation_rules: ValidationRulesTable;
  field_formats: FieldFormatsTable;
  data_quality_epochs: DataQualityEpochsTable;
}

/** 033: duplicate detection (duplicate-ports.ts). `enabled` is 0/1. */
export interface MatchKeysTable {
  workspace_id: string;
  kind: string;
  value: string;
  object: string;
  record_id: string;
}

export interface MatchRulesTable {
  workspace_id: string;
  id: string;
  name: string;
  object: string;
  enabled: number;
  definition: unknown;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

export interface AiModelsTable {
  workspace_id: string;
  id: string;
  name: string;
  object: string;
  target: string;
  enabled: number;
  definition: unknown;
  trained: unknown | null;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

export interface AiTrainingJobsTable {
  workspace_id: string;
  id: string;
  model_id: string;
  state: string;
  phase: string;
  progress: number;
  error: string | null;
  model_version: number | null;
  requested_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface AiModelVersionsTable {
  workspace_id: string;
  model_id: string;
  version: number;
  job_id: string | null;
  trained_at: string;
  data_first_at: string | null;
  data_last_at: string | null;
  data_records: number;
  features: unknown;
  quality: unknown;
  params: unknown;
  created_by: string | null;
}

export interface AiPredictionsTable {
  workspace_id: string;
  id: string;
  record_id: string;
  object: string;
  model_id: string;
  model_name: string;
  model_version: number;
  field: string;
  value: string;
  confidence: number;
  threshold: number;
  applied: number;
  reasons: unknown;
  run_id: string | null;
  step: string | null;
  created_at: string;
  overridden_at: string | null;
  overridden_value: string | null;
  overridden_by: string | null;
}

export interface DedupeScansTable {
  workspace_id: string;
  id: string;
  object: string;
  status: string;
  total: number;
  done: number;
  pairs_found: number;
  pairs_queued: number;
  started_at: string;
  started_by: string;
  finished_at: string | null;
  error: string | null;
}

export interface Database {
  match_keys: MatchKeysTable;
  match_rules: MatchRulesTable;
  dedupe_scans: DedupeScansTable;
  ai_models: AiModelsTable;
  ai_predictions: AiPredictionsTable;
  ai_training_jobs: AiTrainingJobsTable;
  ai_model_versions: AiModelVersionsTable;
}

/** Email engagement tracking (034; email-tracking-ports.ts). */
export interface TrackedEmailsTable {
  workspace_id: string;
  id: string;
  record_id: string;
  run_id: string | null;
  subject: string;
  links: unknown;
  created_at: string;
  opened_at: string | null;
}

export interface TrackedEmailClicksTable {
  workspace_id: string;
  message_id: string;
  link: number;
  clicked_at: string;
}

export interface Database {
  tracked_emails: TrackedEmailsTable;
  tracked_email_clicks: TrackedEmailClicksTable;
}

export interface ScoreModelsTable {
  workspace_id: string;
  id: string;
  key: string;
  name: string;
  object: string;
  enabled: number;
  current_version: number;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

export interface ScoreModelVersionsTable {
  workspace_id: string;
  model_id: string;
  version: number;
  definition: unknown;
  published_at: string;
  published_by: string | null;
  note: string | null;
}

export interface ScoreAwardsTable {
  workspace_id: string;
  id: string;
  model_id: string;
  version: number;
  record_id: string;
  group_key: string;
  rule_key: string;
  points: number;
  awarded_at: string;
  cause_key: string;
  expires_at: string | null;
}

export interface ScoreStatesTable {
  workspace_id: string;
  model_id: string;
  record_id: string;
  version: number;
  fit: number;
  engagement: number;
  total: number;
  fit_rules: unknown;
  fit_points: unknown;
  updated_at: string;
  next_change_at: string | null;
  lease_owner: string | null;
  lease_until: string | null;
}

export interface ScoreLedgerTable {
  workspace_id: string;
  id: string;
  model_id: string;
  version: number;
  record_id: string;
  kind: string;
  group_key: string | null;
  rule_key: string | null;
  cause_event_id: string | null;
  cause: unknown;
  points: number | null;
  before: number;
  after: number;
  at: string;
}

export interface ScoreRescoresTable {
  workspace_id: string;
  id: string;
  model_id: string;
  version: number;
  state: string;
  total: number;
  done: number;
  changed: number;
  after_id: string | null;
  started_at: string;
  finished_at: string | null;
  error: string | null;
  lease_owner: string | null;
  lease_until: string | null;
}

export interface Database {
  score_models: ScoreModelsTable;
  score_model_versions: ScoreModelVersionsTable;
  score_awards: ScoreAwardsTable;
  score_states: ScoreStatesTable;
  score_ledger: ScoreLedgerTable;
  score_rescores: ScoreRescoresTable;
}

export interface KpiRecordsTable {
  workspace_id: string;
  record_id: string;
  object: string;
  created_at: string;
  created_day: string;
  owner_id: string | null;
  person_writes: number;
  workflow_writes: number;
  other_writes: number;
  responded_at: string | null;
  response_ms: number | null;
  /** 039: a deal's first closing. */
  closed_at: string | null;
  cycle_ms: number | null;
  /** 042: a deal's win; a deal's or ticket's company; a ticket's contact and category; an onboarding ticket's ready instant. */
  won_at: string | null;
  company_id: string | null;
  contact_id: string | null;
  category: string | null;
  ready_at: string | null;
}

export interface KpiDailyTable {
  workspace_id: string;
  day: string;
  object: string;
  actor_kind: string;
  workflow_id: string;
  writes: number;
  creates: number;
}

export interface KpiHourlyTable {
  workspace_id: string;
  /** YYYY-MM-DDTHH (UTC). */
  hour: string;
  object: string;
  actor_kind: string;
  workflow_id: string;
  writes: number;
  creates: number;
}

/** SLA targets ended per workspace, policy and UTC hour (migration 046), kept with the clocks' history. */
export interface KpiSlaHourlyTable {
  workspace_id: string;
  policy_id: string;
  /** YYYY-MM-DDTHH (UTC). */
  hour: string;
  met: number;
  missed: number;
}

export interface Database {
  kpi_records: KpiRecordsTable;
  kpi_daily: KpiDailyTable;
  kpi_hourly: KpiHourlyTable;
  kpi_sla_hourly: KpiSlaHourlyTable;
}
