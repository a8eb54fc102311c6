/**
 * The KPIs of one cut beside another's, a row per KPI and a column per side: the one table behind
 * "handled or not" and "version by version", so that both read the same way (value, then what it
 * is over; which way is better under the KPI's name).
 */
import type { ReactNode } from "react";
import { ui } from "../../components/ui";
import type { Kpi } from "./data";
import styles from "./Kpis.module.css";
import { countText, type Noun, nounFor, withUnit } from "./words";

export interface ComparisonColumn {
  key: string;
  header: ReactNode;
  /** This side's KPIs by key (a KPI it has nothing for is shown as none). */
  kpis: ReadonlyMap<string, Kpi>;
}

export function ComparisonTable({
  label,
  rows,
  columns,
  noun,
}: {
  label: string;
  rows: readonly Kpi[];
  columns: readonly ComparisonColumn[];
  noun: Noun;
}) {
  return (
    <table className={`${ui.table} ${styles.compare}`} aria-label={label}>
      <thead>
        <tr>
          <th scope="col">KPI</th>
          {columns.map((c) => (
            <th scope="col" key={c.key}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((k) => {
          const unitLabel = nounFor(k.key, noun);
          return (
            <tr key={k.key}>
              <th scope="row">
                {k.title}
                <div className={styles.muted}>{k.better === "lower" ? "lower is better" : "higher is better"}</div>
              </th>
              {columns.map((c) => {
                const cell = c.kpis.get(k.key);
                return (
                  <td key={c.key}>
                    <strong className={styles.compareValue}>{withUnit(k, cell?.value)}</strong>
                    <div className={styles.muted}>{cell ? countText(cell.key, cell.count, unitLabel) : ""}</div>
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** A side's KPIs by key, for a column. */
export const byKey = (kpis: readonly Kpi[] | undefined): ReadonlyMap<string, Kpi> => new Map((kpis ?? []).map((k) => [k.key, k]));
