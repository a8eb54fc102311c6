/**
 * A chart with its text alternative: the chart itself (EChart.tsx, loaded lazily — ECharts
 * downloads only on a page that draws one), a one-sentence summary under it, and the numbers
 * behind it in a table a person can open (and a screen reader reads, since the canvas is hidden
 * from it). While ECharts loads, the summary and table are already there.
 */
import { lazy, type ReactNode, Suspense, useId } from "react";
import styles from "./Chart.module.css";
import type { ChartOption } from "./chart-option";

const EChart = lazy(() => import("./EChart"));

export function Chart({
  label,
  option,
  summary,
  table,
  tableLabel = "Show the numbers",
  size = "medium",
}: {
  /** What the chart shows ("Distribution of scores"): the figure's accessible name. */
  label: string;
  option: ChartOption;
  /** What the chart says, in words (read with the figure). */
  summary: ReactNode;
  /** The numbers behind the chart. */
  table: ReactNode;
  tableLabel?: string;
  size?: "small" | "medium";
}) {
  const summaryId = useId();
  return (
    <figure className={styles.figure} aria-label={label} aria-describedby={summaryId}>
      <Suspense fallback={<div className={size === "small" ? styles.small : styles.medium} aria-hidden="true" />}>
        <EChart option={option} className={size === "small" ? styles.small : styles.medium} />
      </Suspense>
      <figcaption id={summaryId} className={styles.summary}>
        {summary}
      </figcaption>
      <details className={styles.numbers}>
        <summary>{tableLabel}</summary>
        {table}
      </details>
    </figure>
  );
}
