/** Outbox (admins): external actions on their way out, delivered, or dead. */
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../components/ui";

interface OutboxItem {
  id: string;
  kind?: string;
  status?: string;
  attempts?: number;
  updated_at?: string;
}

export function Outbox() {
  const items = useQuery({
    queryKey: ["outbox"],
    queryFn: async () => (unwrap(await api.GET("/api/v1/outbox", { params: { query: { limit: "100" } } })) as { data: OutboxItem[] }).data,
  });
  return (
    <>
      <PageHeader title="Outbox">Emails, webhooks and chat messages that workflows send, and whether they arrived.</PageHeader>
      {items.error ? <ErrorMessage error={items.error} what="the outbox" /> : null}
      {items.isPending ? <p aria-live="polite">Loading the outbox…</p> : null}
      {items.data && items.data.length === 0 ? (
        <EmptyState title="Nothing sent yet">
          External actions appear here once a workflow sends an email, a webhook or a chat message.
        </EmptyState>
      ) : null}
      {items.data && items.data.length > 0 ? (
        <table className={ui.table}>
          <caption className="visually-hidden">Outbox items</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
            </tr>
          </thead>
          <tbody>
            {items.data.map((o) => (
              <tr key={o.id}>
                <td>
                  <code>{o.id}</code>
                </td>
                <td>{o.kind ?? "—"}</td>
                <td>
                  <span className={ui.badge}>{o.status ?? "—"}</span>
                </td>
                <td>{o.attempts ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
