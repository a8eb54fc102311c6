/**
 * /kpis/$key/records: the records behind a KPI counted over records (lead response time, manual
 * touches, notifications, adoption, SLA attainment, …) — the ones that weigh most first (slowest
 * answered, most touched, most notified, not reached by any workflow, fewest SLA targets met), each
 * a link to its record page, with its value, when it was created and its owner; the same filters
 * as the overview (in the URL), and the list as CSV.
 */
import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useParams, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { AppLink } from "../../components/AppLink";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../../components/ui";
import { objectsQuery, recordTitle } from "../../records/model";
import { fetchRecordsById, type KpiKey, kpiRecordsQuery, kpisQuery, peopleQuery } from "./data";
import { KpiFilters } from "./Filters";
import { KpiError } from "./KpiError";
import styles from "./Kpis.module.css";
import { apiQuery, csvHref, type KpiSearch } from "./kpi-search";
import { DRILL, instantText, nounOf, valueText, withUnit } from "./words";

const LIMIT = "100";

export function KpiRecords() {
  const { key } = useParams({ from: "/app/kpis/$key/records" });
  const search: KpiSearch = useSearch({ from: "/app/kpis/$key/records" });
  const navigate = useNavigate({ from: "/kpis/$key/records" });
  const [now] = useState(() => Date.now());
  const drill = DRILL[key as KpiKey];
  const asked = apiQuery(search, now);
  // Adoption lists the records a workflow reached and those it missed alike: the Records filter is not its cut (the API refuses handled=false).
  const { handled: _handled, ...everyRecord } = asked;
  const query = drill?.everyRecord ? everyRecord : asked;
  const kpiKey = key as KpiKey;
  const records = useQuery({ ...kpiRecordsQuery(kpiKey, { ...query, limit: LIMIT }), enabled: drill !== undefined });
  const summary = useQuery({ ...kpisQuery(query), enabled: drill !== undefined });
  const objects = useQuery(objectsQuery);
  const people = useQuery(peopleQuery);
  const kpi = summary.data?.data.find((k) => k.key === key);
  const objectName = drill?.object ?? search.object ?? "lead";
  const object = objects.data?.find((o) => o.name === objectName);
  const rows = records.data?.data ?? [];
  const ids = rows.map((r) => r.id);
  const titles = useQuery({
    queryKey: ["kpis", "titles", object?.plural, ids],
    queryFn: () => fetchRecordsById(object?.plural ?? "", ids),
    enabled: object !== undefined && ids.length > 0,
  });
  const owners = new Map((people.data ?? []).map((p) => [p.id, p.name]));
  const title = kpi?.title ?? key;
  const things = drill?.records(nounOf(object, objectName)) ?? "records";

  if (!drill)
    return (
      <div className={styles.page}>
        <PageHeader title="No records behind this KPI" />
        <EmptyState title="This KPI has no records to list">
          Changes made by workflows, the workflow failure rate, workflow overrides and AI predictions corrected count changes, runs or
          predictions, not records you can list.{" "}
          <Link to="/kpis" search={search}>
            Back to the KPIs
          </Link>
          .
        </EmptyState>
      </div>
    );
  return (
    <div className={styles.page}>
      <nav aria-label="Breadcrumb" className={styles.crumbs}>
        <Link to="/kpis" search={search}>
          KPIs
        </Link>{" "}
        › {title}
      </nav>
      <PageHeader title={`${title}: the ${things} behind it`}>
        {kpi && kpi.value !== null
          ? drill.headline
            ? drill.headline(withUnit(kpi, kpi.value), kpi.count, things, nounOf(object, objectName))
            : drill.problemsOnly
              ? `${withUnit(kpi, kpi.value)} of ${kpi.count.toLocaleString("en")} ${nounOf(object, objectName).many} created in the period. `
              : `${withUnit(kpi, kpi.value)}${drill.statistic === "share" ? "" : ` (the ${drill.statistic})`} over ${kpi.count.toLocaleString("en")} ${drill.counted ?? things}. `
          : ""}
        Listed {drill.order}; each opens on its own page.
        {drill.everyRecord && search.workflow
          ? ` Reached means the chosen workflow ran on it${search.handled === false ? "; every record is listed, handled or not: those it never reached come first" : ""}.`
          : drill.everyRecord
            ? " Reached means a workflow ran on it."
            : ""}
      </PageHeader>
      <KpiFilters
        search={search}
        now={now}
        showObject={drill.object === undefined}
        onChange={(next) => void navigate({ search: next, replace: true })}
      />
      {records.error ? <KpiError error={records.error} what={`the ${things}`} /> : null}
      {titles.error ? <ErrorMessage error={titles.error} what={`the ${things}' names`} /> : null}
      {records.isPending ? <p aria-live="polite">Finding the {things}…</p> : null}
      {records.data && rows.length === 0 ? (
        <EmptyState title={`No ${things} with these filters`}>
          {`${drill.none(things)} Choose a longer period or clear a filter.`}
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <>
          <div className={styles.sectionHead}>
            <p className={styles.muted}>
              {records.data?.truncated
                ? `The first ${rows.length} ${things}, ${drill.order}.`
                : `${rows.length} ${things}, ${drill.order}.`}
            </p>
            <a
              className={styles.csv}
              href={csvHref(`/api/v1/kpis/${key}/records`, { ...query, limit: "1000" })}
              download={`${key}_records_${query.from}_${query.to}.csv`}
              aria-label={`Download CSV: the ${things} behind ${title.toLowerCase()}`}
            >
              Download CSV
            </a>
          </div>
          <table className={ui.table} aria-label={`${title}: the ${things} behind it`}>
            <thead>
              <tr>
                <th scope="col">{object?.label ?? "Record"}</th>
                {/* Aligned as its cells: figures to the right, the data-quality KPIs' words to the left. */}
                <th scope="col" className={drill.problemsOnly ? undefined : styles.numeric}>
                  {drill.column}
                </th>
                <th scope="col">Created</th>
                <th scope="col">Owner</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const rec = titles.data?.get(r.id);
                return (
                  <tr key={r.id}>
                    <td>
                      <AppLink href={`/records/${object?.plural ?? `${r.object}s`}/${r.id}`}>
                        {rec && object ? recordTitle(object, rec) : r.id}
                      </AppLink>
                    </td>
                    {r.why !== undefined ? (
                      <td>{r.why}</td>
                    ) : (
                      <td className={styles.numeric}>
                        {drill.value ? drill.value(r.value) : kpi ? withUnit(kpi, r.value) : valueText(r.value)}
                      </td>
                    )}
                    <td>
                      <time dateTime={r.created_at}>{instantText(r.created_at)}</time>
                    </td>
                    <td>{r.owner_id ? (owners.get(r.owner_id) ?? r.owner_id) : "nobody"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : null}
    </div>
  );
}
