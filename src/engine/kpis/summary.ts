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

/** Groups items by the UTC day of an ISO instant (YYYY-MM-DD), days in order. */
export function byDay<T>(items: readonly T[], at: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of [...items].sort((a, b) => at(a).localeCompare(at(b)))) {
    const day = at(item).slice(0, 10);
    const list = out.get(day) ?? [];
    list.push(item);
    out.set(day, list);
  }
  return out;
}
