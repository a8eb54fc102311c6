/**
 * "Did the workflow help?": the KPIs counted over records (lead response time, manual touches)
 * for the records the chosen workflow handled beside those it did not — two reads of the same
 * cut, handled=true and handled=false, side by side.
 */
import { useQuery } from "@tanstack/react-query";
import { byKey, ComparisonTable } from "./ComparisonTable";
import { type Kpi, kpisQuery } from "./data";
import { KpiError } from "./KpiError";
import styles from "./Kpis.module.css";
import { apiQuery, type KpiSearch } from "./kpi-search";
import type { Noun } from "./words";

export function HandledComparison({
  search,
  now,
  workflowName,
  noun,
}: {
  search: KpiSearch;
  now: number;
  workflowName: string;
  noun: Noun;
}) {
  const handled = useQuery(kpisQuery(apiQuery(search, now, true)));
  const others = useQuery(kpisQuery(apiQuery(search, now, false)));
  const of = `${workflowName}${search.version !== undefined ? ` (version ${search.version})` : ""}`;
  // Adoption is not cut by handled: the chosen workflow is what counts as reaching a record, so both columns would read the same.
  const cohort = (k: Kpi) => k.drill && k.key !== "adoption";
  const rows = (handled.data?.data ?? []).filter(cohort);
  return (
    <section className={styles.section} aria-labelledby="handled-heading" data-testid="handled-comparison">
      <h2 id="handled-heading">Handled by {of} or not</h2>
      <p className={styles.muted}>
        The same period and cut, split in two: the records {of} ran on, and the records it never ran on. Compare them to see what the
        workflow changes.
      </p>
      {handled.error ? <KpiError error={handled.error} what="the KPIs of the records it handled" /> : null}
      {others.error ? <KpiError error={others.error} what="the KPIs of the records it did not handle" /> : null}
      {handled.isPending || others.isPending ? (
        <p aria-live="polite">Counting both groups…</p>
      ) : rows.length > 0 ? (
        <ComparisonTable
          label={`Handled by ${of} or not`}
          rows={rows}
          noun={noun}
          columns={[
            { key: "handled", header: "Handled by it", kpis: byKey(handled.data?.data) },
            { key: "others", header: "Not handled by it", kpis: byKey(others.data?.data) },
          ]}
        />
      ) : null}
    </section>
  );
}
