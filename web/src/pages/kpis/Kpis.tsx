/**
 * /kpis: the workspace's KPIs over a period and a cut (issue 22) — one card per KPI with its
 * number, what it is over, its definition, its daily trend and a CSV; the per-workflow health
 * table; and, when a workflow is chosen, its records handled or not side by side and, when it
 * has been republished, version beside version. The filters
 * live in the URL (kpi-search.ts) so a view can be shared. Every signed-in role reads it.
 */
import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useId, useState } from "react";
import { EmptyState, PageHeader, ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import { kpisQuery, workflowsQuery } from "./data";
import { KpiFilters } from "./Filters";
import { HandledComparison } from "./HandledComparison";
import { KpiCard } from "./KpiCard";
import { KpiError } from "./KpiError";
import styles from "./Kpis.module.css";
import { apiQuery, type KpiSearch, readKpiSearch } from "./kpi-search";
import { VersionComparison } from "./VersionComparison";
import { WorkflowHealth } from "./WorkflowHealth";
import { WorkflowOverrides } from "./WorkflowOverrides";
import { DATA_QUALITY_KPIS, nounOf } from "./words";

export function Kpis() {
  const search: KpiSearch = useSearch({ from: "/app/kpis" });
  const navigate = useNavigate({ from: "/kpis" });
  const [now] = useState(() => Date.now());
  const query = apiQuery(search, now);
  const kpis = useQuery(kpisQuery(query));
  const objects = useQuery(objectsQuery);
  const workflows = useQuery(workflowsQuery);
  const objectName = search.object ?? "lead";
  const noun = nounOf(
    objects.data?.find((o) => o.name === objectName),
    objectName,
  );
  const workflowName = workflows.data?.find((w) => w.id === search.workflow)?.name ?? "the chosen workflow";
  const all = kpis.data?.data ?? [];
  const failures = all.find((k) => k.key === "workflow_failure_rate");
  const overrides = all.find((k) => k.key === "workflow_overrides");
  const nothing = all.length > 0 && all.every((k) => k.count === 0);
  const judgedId = useId();
  const atEnd = search.judged === "end";
  return (
    <div className={styles.page}>
      <PageHeader title="KPIs">
        How fast leads are answered, how much work people still do by hand, how much the workflows do and reach, how often they fail or are
        overridden, how many SLA targets are met, how many escalations are resolved in time, how long deals take to close and how many won
        deals reach onboarding — over the period and the people you choose. Figures are brought up to date in the background within seconds
        of each change.
      </PageHeader>
      <KpiFilters search={search} now={now} onChange={(next) => void navigate({ search: next, replace: true })} />
      {kpis.error ? <KpiError error={kpis.error} what="the KPIs" /> : null}
      {kpis.isPending ? (
        <p aria-live="polite" className={styles.muted}>
          Counting the KPIs…
        </p>
      ) : null}
      {nothing ? (
        <EmptyState title="Nothing to measure in this period">
          No {noun.one} was created, changed or answered and no workflow ran with these filters. Choose a longer period or clear a filter; a
          new workspace fills in as leads come in and workflows run.
        </EmptyState>
      ) : null}
      {/* Choosing a workflow asks "did it help?": the answer comes first. */}
      {search.workflow ? <HandledComparison search={search} now={now} workflowName={workflowName} noun={noun} /> : null}
      {search.workflow && search.version === undefined ? (
        <VersionComparison search={search} now={now} workflowName={workflowName} noun={noun} />
      ) : null}
      {all.length > 0 && !nothing ? (
        <>
          {search.workflow ? (
            <p className={styles.cutNote} role="note">
              Lead response time and manual touches count only the records{" "}
              {search.handled === false ? "that " + workflowName + " never ran on" : "that " + workflowName + " ran on"}
              {search.version !== undefined ? ` (version ${search.version})` : ""}; the workflow failure rate counts only its runs, and
              overrides only its writes.
            </p>
          ) : null}
          <div className={styles.cards}>
            {all
              .filter((k) => !DATA_QUALITY_KPIS.includes(k.key))
              .map((k) => (
                <KpiCard key={k.key} kpi={k} query={query} search={search} noun={noun} />
              ))}
          </div>
          <section aria-labelledby="kpi-data-quality" className={styles.group}>
            <h2 id="kpi-data-quality" className={styles.groupTitle}>
              Data quality
            </h2>
            <div className={styles.filterRow}>
              <div className={styles.filter}>
                <label htmlFor={judgedId}>Judge the {noun.many}</label>
                <select
                  id={judgedId}
                  className={ui.input}
                  value={atEnd ? "end" : "now"}
                  onChange={(e) => void navigate({ search: readKpiSearch({ ...search, judged: e.target.value }), replace: true })}
                >
                  <option value="now">As they stand now</option>
                  <option value="end">As they stood at the period's end</option>
                </select>
              </div>
            </div>
            <p className={styles.muted}>
              The {noun.many} created in the period,{" "}
              {atEnd
                ? "as they stood at the end of the period (or now, for a period that has not ended) — their fields then, with every change made since undone, the duplicates suspected and not dismissed by then — judged by today's rules"
                : "as they stand now"}
              : their required fields, the suspected duplicates among them, and whether their status agrees with the{" "}
              <Link to="/data-quality/rules">status rules</Link>.
            </p>
            <div className={styles.cards}>
              {all
                .filter((k) => DATA_QUALITY_KPIS.includes(k.key))
                .map((k) => (
                  <KpiCard key={k.key} kpi={k} query={query} search={search} noun={noun} level={3} />
                ))}
            </div>
          </section>
        </>
      ) : null}
      {failures && !nothing ? <WorkflowHealth kpi={failures} query={query} /> : null}
      {overrides && !nothing ? <WorkflowOverrides kpi={overrides} query={query} /> : null}
    </div>
  );
}
