/** Runs: the newest workflow runs with their status and current step. */
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../components/ui";

interface RunInfo {
  id: string;
  workflow_id: string;
  record_id: string;
  status: string;
  step: string | null;
  updated_at: string;
}

export function Runs() {
  const runs = useQuery({
    queryKey: ["runs"],
    queryFn: async () => (unwrap(await api.GET("/api/v1/runs", { params: { query: { limit: "100" } } })) as { data: RunInfo[] }).data,
  });
  return (
    <>
      <PageHeader title="Runs">Each time a workflow works on a record: where it is and what it waits for.</PageHeader>
      {runs.error ? <ErrorMessage error={runs.error} what="the runs" /> : null}
      {runs.isPending ? <p aria-live="polite">Loading runs…</p> : null}
      {runs.data && runs.data.length === 0 ? (
        <EmptyState title="No runs yet">
          Runs appear here when a published workflow's trigger fires, for example when a lead arrives.
        </EmptyState>
      ) : null}
      {runs.data && runs.data.length > 0 ? (
        <table className={ui.table}>
          <caption className="visually-hidden">Newest runs</caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Step</th>
              <th scope="col">Record</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((r) => (
              <tr key={r.id}>
                <td>
                  <code>{r.id}</code>
                </td>
                <td>
                  <span className={ui.badge}>{r.status}</span>
                </td>
                <td>{r.step ?? "—"}</td>
                <td>
                  <code>{r.record_id}</code>
                </td>
                <td>{new Date(r.updated_at).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
