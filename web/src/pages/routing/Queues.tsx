/**
 * Queues, as cards: each queue's strategy and switches in words, where a record goes when nobody
 * is free, how many wait in it, and its members with weights and caps beside what each got over
 * the last 30 days (Distribution: a table whose numbers are text, bars beside them).
 * Everyone reads it; admins and managers also get New queue and Edit (the API refuses the
 * writes to other roles).
 */
import { useQuery } from "@tanstack/react-query";
import { Link, useRouteContext } from "@tanstack/react-router";
import { EmptyState, ErrorMessage, PageHeader, ui } from "../../components/ui";
import { Distribution } from "./Distribution";
import { distributionQuery, mayManageRouting, queuesQuery, STRATEGY_NAMES } from "./data";
import styles from "./Routing.module.css";

const DAYS = 30;

export function Queues() {
  const { session } = useRouteContext({ from: "/app" });
  const manage = mayManageRouting(session.user.role);
  const queues = useQuery(queuesQuery);
  const distribution = useQuery(distributionQuery(DAYS));
  return (
    <div className={styles.page}>
      <PageHeader title="Queues">
        A queue shares records among its members. Rules in a rule set send records to a queue; the queue picks the person.
      </PageHeader>
      {manage ? (
        <div>
          <Link to="/routing/queues/new" className={ui.button}>
            New queue
          </Link>
        </div>
      ) : (
        <p className={styles.muted}>Only admins and managers change queues; you can read them here.</p>
      )}
      {queues.error ? <ErrorMessage error={queues.error} what="the queues" /> : null}
      {queues.isPending ? <p aria-live="polite">Loading queues…</p> : null}
      {queues.data?.length === 0 ? (
        <EmptyState title="No queues yet">
          {manage
            ? "Create one with New queue, then point a rule set's rule or a workflow's assign step at it."
            : "An admin or a manager creates them; then rules send records to them."}
        </EmptyState>
      ) : null}
      {(queues.data ?? []).map((q) => (
        <section key={q.id} className={styles.card} aria-labelledby={`queue-${q.id}`}>
          <div className={styles.cardHead}>
            <h2 id={`queue-${q.id}`}>{q.name}</h2>
            {manage ? (
              <Link to="/routing/queues/$id" params={{ id: q.id }} className={styles.small}>
                Edit <span className="visually-hidden">{q.name}</span>
              </Link>
            ) : null}
          </div>
          {q.description ? <p className={styles.muted}>{q.description}</p> : null}
          <dl className={styles.facts}>
            <dt>Picks</dt>
            <dd>
              {STRATEGY_NAMES[q.strategy].label} ({STRATEGY_NAMES[q.strategy].hint})
            </dd>
            <dt>Availability</dt>
            <dd>{q.respect_availability ? "skips people unavailable, off hours or on PTO" : "ignores availability"}</dd>
            <dt>Caps</dt>
            <dd>{q.respect_capacity ? "skips people at their cap" : "ignores caps"}</dd>
            <dt>When nobody is free</dt>
            <dd>{q.fallback_label || "not assigned"}</dd>
            <dt>Held now</dt>
            <dd>{q.held === 0 ? "none waiting" : `${q.held} waiting for someone to be free`}</dd>
          </dl>
          {distribution.error ? <ErrorMessage error={distribution.error} what="the distribution" /> : null}
          {/* Members with their weights and caps, and what each got (0 until the distribution has loaded). */}
          <Distribution
            queue={q}
            counts={distribution.data?.queues.find((c) => c.queue_id === q.id)}
            days={DAYS}
            loaded={distribution.data !== undefined}
          />
        </section>
      ))}
    </div>
  );
}
