/**
 * "Did the new version help?": when a workflow with more than one published version is chosen
 * (and no one version), the KPIs of the records each version handled, side by side, each column
 * headed by when that version was live — a republish's before and after in one table. One read
 * per version of the same cut (GET /api/v1/kpis with `version`), for the newest MAX_VERSIONS only.
 */
import { useQueries, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { byKey, ComparisonTable } from "./ComparisonTable";
import { kpisQuery } from "./data";
import { KpiError } from "./KpiError";
import styles from "./Kpis.module.css";
import { apiQuery, type KpiSearch } from "./kpi-search";
import { NOT_CUT, type Noun } from "./words";

const workflowVersionsQuery = (id: string) => ({
  queryKey: ["kpis", "workflow-versions", id],
  queryFn: async () => unwrap(await api.GET("/api/v1/workflows/{id}", { params: { path: { id } } })).versions,
  staleTime: 60_000,
});

/** How many versions the table sets side by side (the newest); older ones are read by choosing a version. */
const MAX_VERSIONS = 5;

const dateText = (iso: string) =>
  new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

export function VersionComparison({
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
  const workflowId = search.workflow as string;
  const versions = useQuery(workflowVersionsQuery(workflowId));
  // Published versions, oldest first; each was live until the next one was published.
  const published = (versions.data ?? [])
    .filter((v): v is typeof v & { published_at: string } => v.published_at !== null)
    .sort((a, b) => a.version - b.version);
  // The newest versions only: one read each, and a table a person can take in at a glance.
  const shown = published.slice(-MAX_VERSIONS);
  const results = useQueries({
    queries: shown.map((v) => kpisQuery(apiQuery({ ...search, version: v.version }, now, true))),
  });
  if (published.length < 2) return null;
  const first = results[0]?.data?.data ?? [];
  // Every KPI the version cuts (not the changes by workflows, which count every change), that
  // some version has something to show for: a deal KPI under a lead workflow has none.
  const rows = first.filter(
    (k) => NOT_CUT[k.key]?.workflow !== true && results.some((r) => (r.data?.data.find((x) => x.key === k.key)?.count ?? 0) > 0),
  );
  const failed = results.find((r) => r.error);
  return (
    <section className={styles.section} aria-labelledby="versions-heading" data-testid="version-comparison">
      <h2 id="versions-heading">{workflowName}, version by version</h2>
      <p className={styles.muted}>
        The records each version ran on, in the same period and cut: what changed when a new version was published. A version counts only
        the records it started on.
        {published.length > shown.length
          ? ` The newest ${shown.length} of ${published.length} versions are shown; choose a version in the filters to read an older one.`
          : ""}
      </p>
      {failed?.error ? <KpiError error={failed.error} what="the KPIs of each version" /> : null}
      {results.some((r) => r.isPending) ? (
        <p aria-live="polite">Counting each version…</p>
      ) : rows.length > 0 ? (
        <ComparisonTable
          label={`${workflowName}, version by version`}
          rows={rows}
          noun={noun}
          columns={shown.map((v, i) => {
            const next = shown[i + 1];
            return {
              key: String(v.version),
              header: (
                <>
                  Version {v.version}
                  <div className={styles.muted}>
                    {next ? `live ${dateText(v.published_at)} – ${dateText(next.published_at)}` : `live since ${dateText(v.published_at)}`}
                  </div>
                </>
              ),
              kpis: byKey(results[i]?.data?.data),
            };
          })}
        />
      ) : null}
    </section>
  );
}
