/**
 * Public holidays of a country (and region) for a year, from the maintained `date-holidays`
 * package (ADR 0009). Only holidays of type "public" close a calendar — not observances, bank,
 * school or optional days. A holiday that lasts several days closes each of its local dates.
 * Results are kept per country, region and year: the rules are evaluated once per process.
 */
import Holidays from "date-holidays";
import type { Holiday, PublicHolidays } from "./calendar.js";

const DAY_MS = 86_400_000;
const cache = new Map<string, readonly Holiday[]>();

export function publicHolidays(where: PublicHolidays, year: number): readonly Holiday[] {
  const key = `${where.country}|${where.region ?? ""}|${year}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const hd = where.region ? new Holidays(where.country, where.region) : new Holidays(where.country);
  const out: Holiday[] = [];
  for (const h of hd.getHolidays(year, "en")) {
    if (h.type !== "public") continue;
    // `date` is the local date ("2026-12-25 00:00:00"); `start`/`end` say how many days it lasts.
    const first = h.date.slice(0, 10);
    const days = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY_MS));
    for (let i = 0; i < days; i++) {
      const d = new Date(`${first}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + i);
      const date = d.toISOString().slice(0, 10);
      if (!out.some((o) => o.date === date)) out.push({ date, name: h.name, source: "public" });
    }
  }
  cache.set(key, out);
  return out;
}

/** The countries `date-holidays` knows, code → English name. */
export function holidayCountries(): Record<string, string> {
  return new Holidays().getCountries("en");
}

/** The regions (states) of a country, code → name; {} when it has none. */
export function holidayRegions(country: string): Record<string, string> {
  return new Holidays().getStates(country, "en") ?? {};
}
