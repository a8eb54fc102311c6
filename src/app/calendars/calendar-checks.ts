/**
 * A calendar's checks beyond its shape: it opens at some time of the week, the holidays name a
 * country (and region) of date-holidays, and no closed date is given twice. Each problem names its path; nothing is saved
 * while there is one.
 */
import type { Issue } from "../../crm/issues.js";
import type { CalendarInput } from "./calendar-schemas.js";
import { holidayLists } from "./holiday-lists.js";

export async function calendarIssues(v: CalendarInput): Promise<Issue[]> {
  const issues: Issue[] = [];
  // `{}` is 24×7; days listed with no span at all would never open: every wait on it would fail.
  const days = Object.values(v.hours);
  if (days.length > 0 && days.every((spans) => (spans ?? []).length === 0))
    issues.push({
      path: ["hours"],
      code: "invalid_value",
      message: "the calendar never opens: give at least one day a span such as 09:00–17:00, or {} for open 24×7",
    });
  if (v.holidays !== null) {
    const { countries, regions } = await holidayLists();
    const { country, region } = v.holidays;
    if (!Object.hasOwn(countries, country)) {
      const near = Object.keys(countries).filter((c) => c === country.toUpperCase());
      issues.push({
        path: ["holidays", "country"],
        code: "invalid_value",
        message: `"${country}" is not a country of the public holidays list${near.length > 0 ? ` (did you mean "${near[0]}"?)` : ""}; use an ISO 3166-1 code such as "US", "FR" or "DE"`,
        expected: "ISO 3166-1 country code",
      });
    } else if (region !== undefined && !Object.hasOwn(regions(country), region)) {
      const known = Object.keys(regions(country));
      issues.push({
        path: ["holidays", "region"],
        code: "invalid_value",
        message:
          known.length > 0
            ? `"${region}" is not a region of ${countries[country]} in the public holidays list; one of: ${known.join(", ")}`
            : `${countries[country]} has no regions in the public holidays list; leave region out`,
        expected: known,
      });
    }
  }
  const seen = new Map<string, number>();
  v.closed_dates.forEach((d, i) => {
    const first = seen.get(d.date);
    if (first !== undefined)
      issues.push({
        path: ["closed_dates", i, "date"],
        code: "invalid_value",
        message: `${d.date} is closed already (closed_dates[${first}])`,
      });
    else seen.set(d.date, i);
  });
  return issues;
}
