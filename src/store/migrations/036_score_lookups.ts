/**
 * 036 — what a rescore reads per record, by index (issue 21; docs/scoring.md "Recomputing").
 *
 * A rescore re-derives a record's engagement awards from the activities about it and the
 * `external.received` events on it. Without these, each record read every activity and every
 * event of the workspace: a rescore grew with records × activities (47 leads/s at 100,000).
 *
 * - `records_activity_related`: activities by the record they are about (`related_id`), partial
 *   on `object = 'activity'` so that no other record pays for it.
 * - `events_external_record`: a record's `external.received` events in order, partial on that
 *   type so that the hot event log pays nothing for the other events.
 *
 * The queries that use them (sql/scoring.ts) spell the same expressions and literals, as the
 * planners need to match an expression or partial index.
 */
import type { Migration } from "kysely";
import { sql } from "kysely";
import type { SqlDialectName } from "../sql/dialect.js";

export function scoreLookups(dialect: SqlDialectName): Migration {
  const related = dialect === "postgres" ? sql`(data ->> 'related_id')` : sql`json_extract(data, '$.related_id')`;
  return {
    async up(db) {
      await sql`create index records_activity_related on records (workspace_id, ${related}) where object = 'activity'`.execute(db);
      await sql`create index events_external_record on events (workspace_id, record_id, position) where type = 'external.received'`.execute(
        db,
      );
    },
  };
}
