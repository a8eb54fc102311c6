/**
 * The one place that knows how a workspace is copied into a sandbox (issue 19; docs/testing-workflows.md).
 *
 * `SANDBOX_COPY` classifies every table of the schema — adding a table without saying how the
 * sandbox treats it is a compile error:
 * - `workspace`: the workspace's configuration, copied whole (the `workspaces` row by its id);
 * - `records`: people and teams whole, and the chosen records with their references and referrers;
 * - `never`: history, runtime state and secrets — runs, outbox, events, audit, sessions, tokens,
 *   credentials, idempotency … The sandbox makes its own as the test run goes.
 */
import { type Kysely, sql } from "kysely";
import type { WorkspaceCopy } from "../sandbox-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { Database } from "./schema.js";

type Copy = "workspace" | "records" | "never";

export const SANDBOX_COPY: { [T in keyof Database]: Copy } = {
  workspaces: "workspace",
  custom_fields: "workspace",
  // Without their secrets (below): the sandbox renders what would be sent and never sends it.
  connectors: "workspace",
  email_suppressions: "workspace",
  webhook_subscriptions: "workspace",
  queues: "workspace",
  assignment_rule_sets: "workspace",
  rotations: "workspace",
  calendars: "workspace",
  sla_policies: "workspace",
  // A sandbox run's writes meet the same rules and formats as production's (issue 20).
  validation_rules: "workspace",
  field_formats: "workspace",
  data_quality_epochs: "workspace",
  // Read only by the status accuracy KPI, which a sandbox does not compute (issue 22).
  status_rules: "never",
  records: "records",
  // The workflow under test is installed by the test run, alone: other workflows are not live there.
  workflows: "never",
  workflow_versions: "never",
  workflow_triggers: "never",
  trigger_epochs: "never",
  scheduled_triggers: "never",
  quota_usage: "never",
  workflow_rates: "never",
  runs: "never",
  run_steps: "never",
  work_items: "never",
  event_cursors: "never",
  workflow_log: "never",
  notifications: "never",
  audit_log: "never",
  events: "never",
  api_tokens: "never",
  credentials: "never",
  sessions: "never",
  idempotency_keys: "never",
  config_audit: "never",
  inbound_hooks: "never",
  forms: "never",
  inbound_deliveries: "never",
  queue_holds: "never",
  assignments: "never",
  outbox: "never",
  outbox_attempts: "never",
  sla_clocks: "never",
  sla_clock_history: "never",
  approval_requests: "never",
  approval_tasks: "never",
  approval_history: "never",
  approval_links: "never",
  // Issue 19's own tables: test cases live with the workflow, never in a sandbox.
  workflow_test_cases: "never",
  // A review is about the live workflow, not a run: its task and notification are not a run's.
  workflow_reviews: "never",
  // What people should look at in live data: a sandbox run queues its own, discarded with it.
  review_queue_items: "never",
  // Keys of live records: a sandbox run matches only the records it writes itself.
  match_keys: "never",
  // Configuration: a sandbox run's writes are checked by the workspace's match rules.
  match_rules: "workspace",
  // One-off background passes over live data.
  dedupe_scans: "never",
  // What people did with emails production sent: a sandbox sends nothing (and signs no links).
  tracked_emails: "never",
  tracked_email_clicks: "never",
  // Models are configuration; a test run scores its records from nothing, in the sandbox.
  score_models: "workspace",
  // A model is configuration with what it learned: a test run classifies as production would.
  ai_models: "workspace",
  // History: a sandbox run makes its own predictions.
  ai_predictions: "never",
  // History: the model row carries the newest version's training, all a test run's classify reads.
  ai_model_versions: "never",
  ai_training_jobs: "never",
  score_model_versions: "workspace",
  score_awards: "never",
  score_states: "never",
  score_ledger: "never",
  score_rescores: "never",
  kpi_records: "never",
  kpi_daily: "never",
  kpi_hourly: "never",
  // History, like the clocks' history it sums: a sandbox run keeps its own.
  kpi_sla_hourly: "never",
  workflow_review_history: "never",
  // History: a sandbox's records are copies, and a merge made in it stays in it.
  record_merges: "never",
};

/** The objects a run resolves people against (assign_owner, notify, approvers, tasks' owners). */
const PEOPLE = ["user", "team"];
/** Referrers of one chosen record copied at most (its tasks and activities, for goals and counts). */
const DEFAULT_REFERRER_CAP = 500;

type Row = Record<string, unknown>;

export async function readWorkspaceCopy(
  db: Kysely<Database>,
  workspaceId: string,
  recordIds: readonly string[],
  referrerCap = DEFAULT_REFERRER_CAP,
): Promise<WorkspaceCopy> {
  const tables: Record<string, Row[]> = {};
  for (const [table, how] of Object.entries(SANDBOX_COPY) as Array<[keyof Database, Copy]>) {
    if (how !== "workspace") continue;
    const rows = (await db
      .selectFrom(table as "custom_fields")
      .selectAll()
      .where(table === "workspaces" ? ("id" as "workspace_id") : "workspace_id", "=", workspaceId)
      .execute()) as Row[];
    tables[table] = table === "connectors" ? rows.map((r) => ({ ...r, secrets: null })) : rows;
  }
  const records = new Map<string, Row>();
  const keep = (rows: readonly Row[]) => {
    for (const r of rows) records.set(String(r.id), r);
  };
  keep(await db.selectFrom("records").selectAll().where("workspace_id", "=", workspaceId).where("object", "in", PEOPLE).execute());
  const chosen = recordIds.length
    ? await db
        .selectFrom("records")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("id", "in", [...recordIds])
        .execute()
    : [];
  keep(chosen);
  // What the chosen records reference: every text value of their data that is a record id here.
  const candidates = new Set<string>();
  for (const r of chosen) for (const v of Object.values(dataOf(r.data))) if (typeof v === "string" && v.length <= 64) candidates.add(v);
  const unknown = [...candidates].filter((id) => !records.has(id));
  if (unknown.length)
    keep(await db.selectFrom("records").selectAll().where("workspace_id", "=", workspaceId).where("id", "in", unknown).execute());
  // What references them (tasks, activities, contacts of a company): their data names the id.
  for (const r of chosen) {
    const pattern = `%"${String(r.id).replace(/[\\%_]/g, (c) => `\\${c}`)}"%`;
    keep(
      await db
        .selectFrom("records")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where(sql<boolean>`cast(data as text) like ${pattern} escape '\\'`)
        .limit(referrerCap)
        .execute(),
    );
  }
  tables.records = [...records.values()];
  return { workspaceId, tables };
}

function dataOf(data: unknown): Record<string, unknown> {
  const parsed = typeof data === "string" ? JSON.parse(data) : data;
  return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

/**
 * Writes a copy into `db`, workspace first (the others reference it). Values are made what the
 * target's driver binds: a PostgreSQL source hands JSON columns back parsed and booleans as
 * booleans; SQLite keeps JSON as text and booleans as 0 / 1.
 */
export async function writeWorkspaceCopy(db: Kysely<Database>, d: SqlDialect, copy: WorkspaceCopy): Promise<void> {
  const order = ["workspaces", ...Object.keys(copy.tables).filter((t) => t !== "workspaces")];
  await db.transaction().execute(async (trx) => {
    for (const table of order) {
      const rows = copy.tables[table] ?? [];
      if (SANDBOX_COPY[table as keyof Database] === undefined || SANDBOX_COPY[table as keyof Database] === "never")
        throw new Error(`table ${table} is not copied into a sandbox`);
      for (let i = 0; i < rows.length; i += 100) {
        const chunk = rows.slice(i, i + 100).map((r) => bindable(r, d));
        if (chunk.length)
          await trx
            .insertInto(table as "records")
            .values(chunk as never)
            .execute();
      }
    }
  });
}

function bindable(row: Row, d: SqlDialect): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (d.name === "sqlite") out[k] = typeof v === "boolean" ? (v ? 1 : 0) : typeof v === "object" && v !== null ? JSON.stringify(v) : v;
    else out[k] = typeof v === "object" && v !== null ? d.json(v) : v;
  }
  return out;
}
