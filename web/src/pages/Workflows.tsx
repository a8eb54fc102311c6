/** Workflows: each with its live version (published) or draft. */
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../components/ui";

interface WorkflowInfo {
  id: string;
  key: string;
  name: string;
  object: string;
  live_version: number | null;
  latest_version: number;
  updated_at: string;
}

export function Workflows() {
  const workflows = useQuery({
    queryKey: ["workflows"],
    queryFn: async () => unwrap(await api.GET("/api/v1/workflows")).data as WorkflowInfo[],
  });
  return (
    <>
      <PageHeader title="Workflows">What runs on its own when records change, forms arrive or time passes.</PageHeader>
      {workflows.error ? <ErrorMessage error={workflows.error} what="the workflows" /> : null}
      {workflows.isPending ? <p aria-live="polite">Loading workflows…</p> : null}
      {workflows.data && workflows.data.length === 0 ? (
        <EmptyState title="No workflows yet">
          Publish one with <code>handoff workflow publish</code> (the ready recipes are in the <code>recipes/</code> folder), or save one
          through the API.
        </EmptyState>
      ) : null}
      {workflows.data && workflows.data.length > 0 ? (
        <table className={ui.table}>
          <caption className="visually-hidden">Workflows</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">On</th>
              <th scope="col">Status</th>
              <th scope="col">Last changed</th>
            </tr>
          </thead>
          <tbody>
            {workflows.data.map((w) => (
              <tr key={w.id}>
                <td>{w.name}</td>
                <td>{w.object}</td>
                <td>
                  <span className={ui.badge}>{w.live_version === null ? "Draft" : `Published v${w.live_version}`}</span>
                </td>
                <td>{new Date(w.updated_at).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
