/**
 * Notifications per record's read (issue 22; docs/kpis.md): a cohort's records (kpi_records, cut
 * as every cohort KPI) and the in-app notifications about each, counted by the database per
 * creation day through `notifications_record` (migration 039) — one grouped statement.
 */
import { type Kysely, sql } from "kysely";
import type { CohortQuery, NotifiedRecord } from "../kpi-ports.js";
import type { SqlDialect } from "./dialect.js";
import { cohortRows, createdBucket } from "./kpis.js";
import type { Database } from "./schema.js";

export async function kpiNotificationDays(
  db: Kysely<Database>,
  d: SqlDialect,
  q: Omit<CohortQuery, "limit" | "order">,
): Promise<Array<{ day: string; records: number; notifications: number }>> {
  const rows = cohortRows(db, q);
  if (!rows) return [];
  const bucket = createdBucket(d, q);
  const out = await rows
    .leftJoin("notifications", (j) =>
      j.onRef("notifications.workspace_id", "=", "kpi_records.workspace_id").onRef("notifications.record_id", "=", "kpi_records.record_id"),
    )
    .select((eb) => [
      bucket.as("day"),
      eb.fn.count<number>("kpi_records.record_id").distinct().as("records"),
      eb.fn.count<number>("notifications.id").as("notifications"),
    ])
    .groupBy(bucket)
    .orderBy(bucket)
    .execute();
  return out.map((r) => ({ day: r.day, records: Number(r.records), notifications: Number(r.notifications) }));
}

/** Its drill-down: the same cohort, each record with its notifications, the most first, then the oldest. */
export async function kpiNotificationRecords(
  db: Kysely<Database>,
  q: Omit<CohortQuery, "limit" | "order">,
  limit: number,
): Promise<NotifiedRecord[]> {
  const rows = cohortRows(db, q);
  if (!rows) return [];
  const out = await rows
    .leftJoin("notifications", (j) =>
      j.onRef("notifications.workspace_id", "=", "kpi_records.workspace_id").onRef("notifications.record_id", "=", "kpi_records.record_id"),
    )
    .select((eb) => ["kpi_records.record_id", "kpi_records.created_at", eb.fn.count<number>("notifications.id").as("sent")])
    .groupBy(["kpi_records.record_id", "kpi_records.created_at"])
    .orderBy(sql`count(notifications.id)`, "desc")
    .orderBy("kpi_records.created_at")
    .orderBy("kpi_records.record_id")
    .limit(limit)
    .execute();
  return out.map((r) => ({ recordId: r.record_id, createdAt: r.created_at, notifications: Number(r.sent) }));
}
