/** The arithmetic of the KPIs over facts and rollup rows (docs/kpis.md): pure, tested by hand-worked answers. */

/** The median of some numbers (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A ratio as a percentage, null when the denominator is zero. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : (part / whole) * 100;
}

/** Rounds a figure for display in the API: two decimals are what a dashboard shows. */
export function round2(n: number | null): number | null {
  return n === null ? null : Math.round(n * 100) / 100;
}

/**
 * A series' grain (docs/kpis.md "By hour"): a point per UTC day, or per UTC hour. A point's
 * **bucket** is the instant's prefix — YYYY-MM-DD for a day, YYYY-MM-DDTHH for an hour — which is
 * also how the database spells it (SqlDialect.utcDay / utcHour), so both sides group alike.
 */
export type Grain = "day" | "hour";
export const GRAINS: readonly Grain[] = ["day", "hour"];

/** The bucket of an ISO instant in UTC (…Z, as the stores give them). */
export function bucketOf(instant: string, grain: Grain): string {
  return instant.slice(0, grain === "day" ? 10 : 13);
}

/** Groups items by the bucket of an ISO instant, buckets in order. */
export function byBucket<T>(items: readonly T[], at: (item: T) => string, grain: Grain): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of [...items].sort((a, b) => at(a).localeCompare(at(b)))) {
    const bucket = bucketOf(at(item), grain);
    const list = out.get(bucket) ?? [];
    list.push(item);
    out.set(bucket, list);
  }
  return out;
}

/** Groups items by the UTC day of an ISO instant (YYYY-MM-DD), days in order. */
export function byDay<T>(items: readonly T[], at: (item: T) => string): Map<string, T[]> {
  return byBucket(items, at, "day");
}

/** Where a bucket sits on a series: its day, and for an hour its hour (0–23). */
export function placeOf(bucket: string): { day: string; hour?: number } {
  return bucket.length > 10 ? { day: bucket.slice(0, 10), hour: Number(bucket.slice(11, 13)) } : { day: bucket };
}
