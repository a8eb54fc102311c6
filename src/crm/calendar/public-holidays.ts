/**
 * Public holidays of a country (and region) for a year, from the maintained `date-holidays`
 * package (ADR 0009). Only holidays of type "public" close a calendar — not observances, bank,
 * school or optional days. A holiday that lasts several days closes each of its local dates.
 * Results are kept per country, region and year: the rules are evaluated once per process.
 *
 * The package's data takes ~100 ms to load, so it is required on the first holiday asked for —
 * not when the engine (which imports the calendar math for its waits) is imported by every CLI
 * command. The lookup stays synchronous: the math that calls it is pure and synchronous.
 */
import { createRequire } from "node:module";
import type HolidaysClass from "date-holidays";
import type { Holiday, PublicHolidays } from "./calendar.js";

const DAY_MS = 86_400_000;
const cache = new Map<string, readonly Holiday[]>();
let Holidays: typeof HolidaysClass | undefined;

function holidaysOf(where: PublicHolidays): HolidaysClass {
  Holidays ??= createRequire(import.meta.url)("date-holidays") as typeof HolidaysClass;
  return where.region ? new Holidays(where.country, where.region) : new Holidays(where.country);
}

export function publicHolidays(where: PublicHolidays, year: number): readonly Holiday[] {
  const key = `${where.country}|${where.region ?? ""}|${year}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out: Holiday[] = [];
  for (const h of holidaysOf(where).getHolidays(year, "en")) {
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
