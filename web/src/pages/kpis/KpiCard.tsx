/**
 * One KPI as a card: its title, the big number with its unit, what it is over, its definition in
 * plain words, the trend of its daily (or hourly) series (a line chart with the numbers as a table), a CSV
 * of the chart's data, and — for a KPI counted over records — a link to the records behind it.
 */
import { Link } from "@tanstack/react-router";
import { Chart } from "../../components/charts/Chart";
import { dailyLineOption } from "../../components/charts/chart-option";
import { ui } from "../../components/ui";
import type { Kpi } from "./data";
import styles from "./Kpis.module.css";
import { csvHref, type KpiQuery, type KpiSearch } from "./kpi-search";
import { countHeading, countText, DRILL, dayText, emptyText, NOT_CUT, type Noun, nounFor, unitText, valueText, withUnit } from "./words";

export function KpiCard({
  kpi,
  query,
  search,
  noun,
  level = 2,
}: {
  kpi: Kpi;
  query: KpiQuery;
  search: KpiSearch;
  noun: Noun;
  /** 3 inside a group of cards under its own heading. */
  level?: 2 | 3;
}) {
  const Heading = level === 3 ? "h3" : "h2";
  const headingId = `kpi-${kpi.key}`;
  const drill = DRILL[kpi.key];
  const label = nounFor(kpi.key, noun);
  const empty = kpi.value === null;
  const hourly = query.granularity === "hour";
  const step = hourly ? "hour" : "day";
  return (
    <article className={styles.card} aria-labelledby={headingId} data-kpi={kpi.key}>
      <Heading id={headingId} className={styles.cardTitle}>
        {kpi.title}
      </Heading>
      <p className={styles.value} data-testid="kpi-value">
        <span className={styles.big}>{valueText(kpi.value)}</span>
        {empty ? null : <span className={styles.unit}> {unitText(kpi, kpi.value, label)}</span>}
      </p>
      <p className={styles.count}>{empty ? emptyText(kpi.key, label) : countText(kpi.key, kpi.count, label)}</p>
      <p className={styles.better}>{kpi.better === "lower" ? "Lower is better." : "Higher is better."}</p>
      {notCutBy(kpi, search) ? <p className={styles.muted}>{notCutBy(kpi, search)}</p> : null}
      <details className={styles.definition}>
        <summary>How it is counted</summary>
        <p>{kpi.definition}</p>
      </details>
      {kpi.series.length > 0 ? (
        <Chart
          size="small"
          label={`${kpi.title}, ${step} by ${step}`}
          option={dailyLineOption({
            points: kpi.series.map((p) => [bucketOf(p), p.value]),
            yName: unitText(kpi, 2, label),
            from: query.from,
            to: query.to,
            hourly,
          })}
          summary={trendWords(kpi, label, step)}
          tableLabel={`Show the numbers by ${step}`}
          table={
            <table className={ui.table} aria-label={`${kpi.title} by ${step}`}>
              <thead>
                <tr>
                  <th scope="col">{hourly ? "Hour (UTC)" : "Day"}</th>
                  <th scope="col" className={styles.numeric}>
                    {kpi.title}
                  </th>
                  <th scope="col" className={styles.numeric}>
                    {countHeading(kpi.key, label)}
                  </th>
                </tr>
              </thead>
              <tbody>
                {kpi.series.map((p) => (
                  <tr key={bucketOf(p)}>
                    <td className={styles.day}>{pointText(p)}</td>
                    <td className={styles.numeric}>{withUnit(kpi, p.value)}</td>
                    <td className={styles.numeric}>{p.count.toLocaleString("en")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          }
        />
      ) : kpi.key === "workflow_failure_rate" ? (
        <p className={styles.muted}>
          Each workflow and version, with its runs and failures: <a href="#workflow-health">Workflow health</a>, below.
        </p>
      ) : (
        <p className={styles.muted}>No {step} in the period to draw.</p>
      )}
      <div className={styles.actions}>
        {drill && !empty ? (
          <Link to="/kpis/$key/records" params={{ key: kpi.key }} search={search} className={styles.drill}>
            {/* A share of problems: the records listed are only those with one. A count of escalations is not a count of the records they were on. */}
            {drill.problemsOnly
              ? `See the ${drill.records(label)}`
              : `See the ${drill.counted ? "" : `${kpi.count.toLocaleString("en")} `}${drill.records(label)} behind it`}
          </Link>
        ) : null}
        <a
          className={styles.csv}
          href={csvHref(`/api/v1/kpis/${kpi.key}`, query)}
          download={`${kpi.key}_${query.from}_${query.to}.csv`}
          aria-label={`Download CSV: ${kpi.title}`}
        >
          Download CSV
        </a>
      </div>
    </article>
  );
}

type Point = Kpi["series"][number];

/** A point's bucket as the chart reads it: YYYY-MM-DD, or YYYY-MM-DDTHH for an hour. */
const bucketOf = (p: Point) => (p.hour === undefined ? p.day : `${p.day}T${String(p.hour).padStart(2, "0")}`);

/** A point in words: its day, and its hour in UTC when it has one ("7 Dec 2026, 14:00 UTC"). */
const pointText = (p: Point) => (p.hour === undefined ? dayText(p.day) : `${dayText(p.day)}, ${String(p.hour).padStart(2, "0")}:00 UTC`);

/** The chart in one sentence: the span, the latest day (or hour), and the best and worst. */
function trendWords(kpi: Kpi, label: Noun, step: "day" | "hour"): string {
  const points = kpi.series.filter((p) => p.value !== null) as Array<Point & { value: number }>;
  const last = points.at(-1);
  if (!last) return `No ${step} in the period had anything to measure.`;
  const that = `that ${step}`;
  if (points.length === 1)
    return `One ${step} with data: ${pointText(last)}, ${withUnit(kpi, last.value)} ${countText(kpi.key, last.count, label, that)}.`;
  const highest = points.reduce((a, b) => (b.value > a.value ? b : a));
  const lowest = points.reduce((a, b) => (b.value < a.value ? b : a));
  return `${points.length} ${step}s with data. Latest, ${pointText(last)}: ${withUnit(kpi, last.value)} ${countText(kpi.key, last.count, label, that)}. Highest ${withUnit(kpi, highest.value)} on ${pointText(highest)}; lowest ${withUnit(kpi, lowest.value)} on ${pointText(lowest)}.`;
}

/** Which chosen filters a KPI does not apply (it counts writes or runs, not owned records). */
function notCutBy(kpi: Kpi, search: KpiSearch): string | undefined {
  const not = NOT_CUT[kpi.key];
  if (!not) return undefined;
  const ignored = [
    ...(not.owner && (search.owner || search.team) ? ["owner or team"] : []),
    ...(not.workflow && search.workflow ? ["workflow"] : []),
  ];
  return ignored.length > 0 ? `Not cut by ${ignored.join(" or ")}: it counts every ${not.counts}.` : undefined;
}
