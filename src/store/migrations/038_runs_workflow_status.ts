/**
 * 038 — `runs_workflow` carries the run's status (issue 22: GET /metrics).
 *
 * The operators' metrics count every run by workspace, workflow and status at each scrape. Read
 * from the table, that count walks every run's row with its JSON state: 600 ms at 200,000 runs
 * on SQLite (measured; on SQLite the read also holds the event loop), 120 ms on PostgreSQL. With
 * the status as the last column of the existing (workspace_id, workflow_id, created_at) index,
 * the index alone answers it (65 ms and 61 ms), and the workflows list's 7-day run and failure
 * counts (sql/runs.ts `runCountsSince`, which read the status from the table) too.
 *
 * Widened rather than added: a second index would cost every run insert and every non-HOT
 * update on PostgreSQL one more index entry; this one costs only a status change on SQLite (on
 * PostgreSQL a status change is never a HOT update already: `runs_record` holds the status).
 * A micro A/B on SQLite (50,000 runs inserted, then three status changes each, 1,000 per
 * transaction, twice each way) showed no difference above the noise: 30–50 µs per insert and
 * 15–30 µs per status change either way.
 */
import type { Migration } from "kysely";

export function runsWorkflowStatus(): Migration {
  return {
    async up(db) {
      await db.schema.dropIndex("runs_workflow").execute();
      await db.schema.createIndex("runs_workflow").on("runs").columns(["workspace_id", "workflow_id", "created_at", "status"]).execute();
    },
  };
}
