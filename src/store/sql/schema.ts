/** Table shapes as Kysely sees them. Timestamps are ISO-8601 UTC strings in both dialects. */
import type { Generated } from "kysely";

export interface WorkspacesTable {
  id: string;
  slug: string;
  name: string;
  time_zone: string;
  created_at: string;
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
  key: string;
  fingerprint: string;
  state: string;
  status: number | null;
  response: string | null;
  created_at: string;
}

export interface BenchRawTable {
  id: Generated<number>;
  payload: string;
}

export interface Database {
  workspaces: WorkspacesTable;
  records: RecordsTable;
  audit_log: AuditLogTable;
  events: EventsTable;
  custom_fields: CustomFieldsTable;
  api_tokens: ApiTokensTable;
  idempotency_keys: IdempotencyKeysTable;
  bench_raw: BenchRawTable;
}
