/**
 * A queue's members and who it gave records to over the last days (GET /routing/distribution),
 * in one table: each person's weight and cap, then the number of records they got, their share
 * in per cent and a bar. The numbers are text in the table; the bar only repeats them. Members
 * who got nothing have 0; someone no longer a member who got records keeps a row. The caption
 * adds the records held and the decisions that failed in that time.
 */
import { ui } from "../../components/ui";
import type { Distribution as DistributionData, Queue } from "./data";
import styles from "./Routing.module.css";

type QueueCounts = DistributionData["queues"][number];

export interface MemberRow {
  user_id: string;
  name: string;
  /** null: no longer a member. */
  weight: number | null;
  capacity: number | null;
  count: number;
}

/** The queue's members in their order, then anyone else it gave records to. Pure. */
export function memberRows(queue: Queue, counts: QueueCounts | undefined): MemberRow[] {
  const got = new Map((counts?.members ?? []).map((m) => [m.user_id, m.count]));
  const members = new Set(queue.members.map((m) => m.user_id));
  return [
    ...queue.members.map((m) => ({
      user_id: m.user_id,
      name: m.name,
      weight: m.weight,
      capacity: m.capacity,
      count: got.get(m.user_id) ?? 0,
    })),
    ...(counts?.members ?? [])
      .filter((m) => !members.has(m.user_id))
      .map((m) => ({ user_id: m.user_id, name: m.name, weight: null, capacity: null, count: m.count })),
  ];
}

export function Distribution({
  queue,
  counts,
  days,
  loaded = true,
}: {
  queue: Queue;
  counts: QueueCounts | undefined;
  days: number;
  /** False while the distribution is read: the counts say so instead of 0. */
  loaded?: boolean;
}) {
  const rows = memberRows(queue, counts);
  const total = rows.reduce((n, r) => n + r.count, 0);
  const most = Math.max(1, ...rows.map((r) => r.count));
  const extra = [
    counts && counts.held > 0 ? `${counts.held} held` : "",
    counts && counts.failed > 0 ? `${counts.failed} not assigned (nobody free and no fallback)` : "",
  ].filter(Boolean);
  return (
    <div className={styles.distribution}>
      <table className={ui.table} aria-label={`Members of ${queue.name}`}>
        <caption className={styles.caption}>
          Members, and the records each got in the last {days} days: {loaded ? `${total} assigned` : "counting…"}
          {extra.length > 0 ? `, ${extra.join(", ")}` : ""}
        </caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Weight</th>
            <th scope="col">Cap (open items)</th>
            <th scope="col" className={styles.numeric}>
              Records, last {days} days
            </th>
            <th scope="col" className={styles.numeric}>
              Share
            </th>
            <th scope="col">
              <span className="visually-hidden">Share as a bar</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.user_id}>
              <td>{r.name}</td>
              <td>{r.weight ?? "no longer a member"}</td>
              <td>{r.weight === null ? "" : (r.capacity ?? "their own capacity")}</td>
              <td className={styles.numeric}>{loaded ? r.count : "…"}</td>
              <td className={styles.numeric}>{!loaded || total === 0 ? "–" : `${Math.round((100 * r.count) / total)} %`}</td>
              <td className={styles.barCell}>
                <svg className={styles.bar} viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                  <rect className={styles.track} width="100" height="10" />
                  <rect width={(100 * r.count) / most} height="10" />
                </svg>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
