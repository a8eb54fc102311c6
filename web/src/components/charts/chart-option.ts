/**
 * The options of the charts Handoff draws, as plain data built by each page (no ECharts import
 * here, so a page can build its chart's option without loading ECharts): a bar chart of counts
 * (a histogram) and a step line over time. Colours are the app's tokens' values; tooltips are
 * drawn on the canvas (`renderMode: "richText"`) because HTML tooltips write inline styles the
 * app's CSP refuses.
 */

export type ChartOption = Record<string, unknown>;

const BRAND = "#3b4cca";
const MUTED = "#4a5163";
const GRID = "#d5d9e2";
const FONT = 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

const axisText = { color: MUTED, fontFamily: FONT, fontSize: 12 };
const tooltip = (trigger: "axis" | "item") => ({
  trigger,
  renderMode: "richText",
  textStyle: { fontFamily: FONT, fontSize: 12, color: "#1b1f2a" },
  backgroundColor: "#ffffff",
  borderColor: GRID,
});

/** Bars, one per category (a histogram's bins), with an optional second series beside them. */
export function barOption({
  categories,
  series,
  xName,
  yName,
}: {
  categories: string[];
  series: { name: string; values: number[]; color?: string }[];
  xName: string;
  yName: string;
}): ChartOption {
  return {
    animation: false,
    grid: { left: 48, right: 16, top: 28, bottom: 48, containLabel: false },
    tooltip: tooltip("axis"),
    xAxis: {
      type: "category",
      data: categories,
      name: xName,
      nameLocation: "middle",
      nameGap: 30,
      nameTextStyle: axisText,
      axisLabel: { ...axisText, hideOverlap: true },
      axisLine: { lineStyle: { color: GRID } },
    },
    yAxis: {
      type: "value",
      name: yName,
      nameTextStyle: axisText,
      minInterval: 1,
      axisLabel: axisText,
      splitLine: { lineStyle: { color: GRID } },
    },
    series: series.map((s, i) => ({
      type: "bar",
      name: s.name,
      data: s.values,
      barGap: "10%",
      itemStyle: { color: s.color ?? (i === 0 ? BRAND : "#a9b1e8"), borderRadius: [3, 3, 0, 0] },
    })),
  };
}

/** A value over time, held between changes (a step line: a score stays until the next ledger row). */
export function stepLineOption({
  points,
  yName,
  now,
}: {
  /** [instant in ms, value], oldest first. */
  points: [number, number][];
  yName: string;
  /** Where the line ends: the last value held until now. */
  now: number;
}): ChartOption {
  const last = points[points.length - 1];
  const data = last && last[0] < now ? [...points, [now, last[1]]] : points;
  return {
    animation: false,
    grid: { left: 48, right: 16, top: 28, bottom: 32 },
    tooltip: tooltip("axis"),
    xAxis: { type: "time", axisLabel: { ...axisText, hideOverlap: true }, axisLine: { lineStyle: { color: GRID } } },
    yAxis: { type: "value", name: yName, nameTextStyle: axisText, axisLabel: axisText, splitLine: { lineStyle: { color: GRID } } },
    series: [
      {
        type: "line",
        name: yName,
        step: "end",
        data,
        symbolSize: 6,
        lineStyle: { color: BRAND, width: 2 },
        itemStyle: { color: BRAND },
        areaStyle: { color: "rgba(59, 76, 202, 0.08)" },
      },
    ],
  };
}

/** A bucket of a series as an instant: a day (YYYY-MM-DD) at midnight UTC, an hour (YYYY-MM-DDTHH) at its start. */
const bucketMs = (bucket: string) => Date.parse(bucket.length > 10 ? `${bucket}:00:00Z` : `${bucket}T00:00:00Z`);

/** A daily (or hourly) series as a line over a period's days (a gap where a day or an hour had nothing to measure). */
export function dailyLineOption({
  points,
  yName,
  from,
  to,
  hourly = false,
}: {
  /** [YYYY-MM-DD, value] — or, hourly, [YYYY-MM-DDTHH, value] — oldest first. */
  points: [string, number | null][];
  yName: string;
  /** The period's first and last day (YYYY-MM-DD): the axis spans it, so a quiet stretch shows as one. */
  from: string;
  to: string;
  /** Points per hour: the axis runs to the last day's last hour and its labels name hours. */
  hourly?: boolean;
}): ChartOption {
  const ms = bucketMs;
  return {
    animation: false,
    grid: { left: 48, right: 24, top: 28, bottom: 32 },
    tooltip: tooltip("axis"),
    xAxis: {
      type: "time",
      min: ms(from),
      max: hourly ? ms(to) + 23 * 3_600_000 : ms(to),
      minInterval: hourly ? 3_600_000 : 86_400_000,
      axisLabel: {
        ...axisText,
        hideOverlap: true,
        formatter: hourly ? { day: "{d} {MMM}", hour: "{HH}:00", minute: "{HH}:{mm}" } : "{d} {MMM}",
      },
      axisLine: { lineStyle: { color: GRID } },
    },
    yAxis: { type: "value", name: yName, nameTextStyle: axisText, axisLabel: axisText, splitLine: { lineStyle: { color: GRID } } },
    series: [
      {
        type: "line",
        name: yName,
        data: points.map(([day, v]) => [ms(day), v]),
        connectNulls: false,
        symbolSize: 7,
        lineStyle: { color: BRAND, width: 2 },
        itemStyle: { color: BRAND },
      },
    ],
  };
}
