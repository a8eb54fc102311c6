/**
 * Queues: who is in each, with weights and caps, how it picks (strategy), whether it respects
 * availability and capacity, where a record goes when nobody is free, and how many wait in it.
 * Read by everyone. Editing a queue is not built in the app yet: admins and managers use the API
 * or the CLI (`handoff routing`).
 */
import { useQuery } from "@tanstack/react-query";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../../components/ui";
import { queuesQuery, STRATEGY_NAMES } from "./data";
import styles from "./Routing.module.css";

export function Queues() {
  const queues = useQuery(queuesQuery);
  return (
    <div className={styles.page}>
      <PageHeader title="Queues">
        A queue shares records among its members. Rules in a rule set send records to a queue; the queue picks the person.
      </PageHeader>
      {queues.error ? <ErrorMessage error={queues.error} what="the queues" /> : null}
      {queues.isPending ? <p aria-live="polite">Loading queues…</p> : null}
      {queues.data?.length === 0 ? (
        <EmptyState title="No queues yet">Create one through the API or the CLI (handoff routing), then point a rule at it.</EmptyState>
      ) : null}
      {(queues.data ?? []).map((q) => (
        <section key={q.id} className={styles.card} aria-labelledby={`queue-${q.id}`}>
          <h2 id={`queue-${q.id}`}>{q.name}</h2>
          {q.description ? <p className={styles.muted}>{q.description}</p> : null}
          <p className={styles.muted}>
            {STRATEGY_NAMES[q.strategy].label} ({STRATEGY_NAMES[q.strategy].hint}) ·{" "}
            {q.respect_availability ? "skips people unavailable, off hours or on PTO" : "ignores availability"} ·{" "}
            {q.respect_capacity ? "skips people at their cap" : "ignores caps"} · when nobody is free: {q.fallback_label || "not assigned"}{" "}
            · {q.held} held
          </p>
          <table className={ui.table} aria-label={`Members of ${q.name}`}>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Weight</th>
                <th scope="col">Cap (open items)</th>
              </tr>
            </thead>
            <tbody>
              {q.members.map((m) => (
                <tr key={m.user_id}>
                  <td>{m.name}</td>
                  <td>{m.weight}</td>
                  <td>{m.capacity ?? "their own capacity"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
