/**
 * Two versions of a workflow compared (issue 15, item 5), at /workflows/$id/compare?from=&to=:
 * a sentence of what changed, every change in words (ChangeList), and the two graphs side by
 * side — the older version's with the steps removed or changed marked, the newer's with the
 * steps added or changed marked — each node saying its part in words ("changed in v3") with a
 * legend, so colour is never the only sign. Without from / to: the live version and the one
 * before it.
 */
import { useQuery } from "@tanstack/react-query";
import { Link, useParams, useSearch } from "@tanstack/react-router";
import { useMemo } from "react";
import { api, unwrap } from "../../../api/client";
import type { WorkflowDefinition } from "../../../components/graph/definition";
import type { NodeHighlight } from "../../../components/graph/graph-model";
import { WorkflowGraph } from "../../../components/graph/WorkflowGraph";
import { ErrorMessage, PageHeader } from "../../../components/ui";
import { CompareVersions, defaultPair, versionName } from "../../workflows/CompareVersions";
import { diff, highlightsOf } from "../model/diff";
import { ChangeList, diffSummary } from "./ChangeList";
import styles from "./versions.module.css";

/** The highlights one side draws: the older graph what left or changed, the newer what came or changed. */
function side(all: Record<string, NodeHighlight>, keep: readonly NodeHighlight[]): Record<string, NodeHighlight> {
  return Object.fromEntries(Object.entries(all).filter(([, h]) => keep.includes(h)));
}

export function VersionCompare() {
  const { id } = useParams({ from: "/app/workflows/$id/compare" });
  const search = useSearch({ from: "/app/workflows/$id/compare" });
  const workflow = useQuery({
    queryKey: ["workflow", id],
    queryFn: async () => unwrap(await api.GET("/api/v1/workflows/{id}", { params: { path: { id } } })),
  });
  const w = workflow.data;
  const pair = useMemo(() => {
    if (!w) return undefined;
    const fallback = defaultPair(w.versions, w.live_version);
    const from = search.from ?? fallback?.from;
    const to = search.to ?? fallback?.to;
    return from !== undefined && to !== undefined ? { from, to } : undefined;
  }, [w, search.from, search.to]);
  const before = w?.versions.find((v) => v.version === pair?.from);
  const after = w?.versions.find((v) => v.version === pair?.to);
  const oldDef = before?.definition as WorkflowDefinition | undefined;
  const newDef = after?.definition as WorkflowDefinition | undefined;
  const changes = useMemo(() => (oldDef && newDef ? diff(oldDef, newDef) : undefined), [oldDef, newDef]);
  const highlight = useMemo(() => (changes ? highlightsOf(changes) : {}), [changes]);

  if (workflow.error)
    return (
      <>
        <PageHeader title="Compare versions" />
        <ErrorMessage error={workflow.error} what="this workflow" />
      </>
    );
  if (!w) return <p aria-live="polite">Loading the versions…</p>;

  const missing = [pair?.from, pair?.to].filter((n) => n !== undefined && !w.versions.some((v) => v.version === n));
  return (
    <div className={styles.page}>
      <p className={styles.muted}>
        <Link to="/workflows">Workflows</Link> /{" "}
        <Link to="/workflows/$id" params={{ id: w.id }}>
          {w.name}
        </Link>{" "}
        / Compare versions
      </p>
      <PageHeader title={`Compare versions of ${w.name}`}>
        {before && after ? `What changed from ${versionName(before, w.live_version)} to ${versionName(after, w.live_version)}.` : null}
      </PageHeader>
      <CompareVersions key={`${pair?.from}-${pair?.to}`} workflowId={w.id} versions={w.versions} live={w.live_version} initial={pair} />
      {!pair ? <p>This workflow has only one version: there is nothing to compare yet.</p> : null}
      {missing.length > 0 ? (
        <p role="alert">This workflow has no version {missing.join(" or ")}. Choose two of its versions above.</p>
      ) : null}
      {changes && oldDef && newDef && before && after ? (
        <>
          <section aria-labelledby="summary">
            <h2 id="summary">What changed</h2>
            <p className={styles.summary}>{diffSummary(changes)}</p>
            <ChangeList diff={changes} before={oldDef} after={newDef} />
          </section>
          <section aria-labelledby="graphs">
            <h2 id="graphs">On the graph</h2>
            <div className={styles.graphs}>
              <div>
                <h3>Before: v{before.version}</h3>
                <p className={styles.muted}>Steps removed or changed in v{after.version} are marked.</p>
                <WorkflowGraph
                  definition={oldDef}
                  label={`Graph of ${w.name}, version ${before.version} (before)`}
                  highlight={side(highlight, ["removed", "changed"])}
                  highlightVersion={after.version}
                />
              </div>
              <div>
                <h3>After: v{after.version}</h3>
                <p className={styles.muted}>Steps added or changed in v{after.version} are marked.</p>
                <WorkflowGraph
                  definition={newDef}
                  label={`Graph of ${w.name}, version ${after.version} (after)`}
                  highlight={side(highlight, ["added", "changed"])}
                  highlightVersion={after.version}
                />
              </div>
            </div>
          </section>
        </>
      ) : null}
    </div>
  );
}
