/**
 * A queue's own pages, for admins and managers (RoleGate; the API refuses the writes to other
 * roles): `/routing/queues/new` creates one and returns to the list, `/routing/queues/$id` edits
 * one (QueueForm), lists the records held in it — each a link to the record — with its
 * distribution, and deletes it (DeleteQueue).
 */
import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { RoleGate } from "../../components/RoleGate";
import { timeAgo, when } from "../../components/time";
import { ErrorMessage, PageHeader, ui } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import { DeleteQueue } from "./DeleteQueue";
import { Distribution } from "./Distribution";
import { distributionQuery, holdsQuery, type Queue, queueQuery } from "./data";
import { QueueForm } from "./QueueForm";
import { createQueue, updateQueue } from "./queue-api";
import { draftOf, emptyDraft } from "./queue-form";
import styles from "./Routing.module.css";

const MANAGERS = ["admin", "manager"] as const;
const DAYS = 30;

export function NewQueue() {
  const navigate = useNavigate();
  return (
    <RoleGate roles={MANAGERS} who="admins and managers" title="New queue">
      <div className={styles.page}>
        <PageHeader title="New queue">
          A queue shares records among its members. Once it exists, point a rule set's rule or a workflow's assign step at it.
        </PageHeader>
        <QueueForm
          initial={emptyDraft()}
          queueId={undefined}
          save={createQueue}
          submitLabel="Create queue"
          onSaved={() => navigate({ to: "/routing/queues" })}
        />
      </div>
    </RoleGate>
  );
}

export function QueuePage() {
  return (
    <RoleGate roles={MANAGERS} who="admins and managers" title="Edit queue">
      <EditQueue />
    </RoleGate>
  );
}

function EditQueue() {
  const { id } = useParams({ from: "/app/routing/queues/$id" });
  const queue = useQuery(queueQuery(id));
  if (queue.error) return <ErrorMessage error={queue.error} what="this queue" />;
  if (!queue.data) return <p aria-live="polite">Loading the queue…</p>;
  const q = queue.data;
  return (
    <div className={styles.page}>
      <PageHeader title={`Queue: ${q.name}`}>
        Changes apply to the next record routed here; records held in the queue are handed out at once if the change frees someone.
      </PageHeader>
      {/* Keyed by the queue: another queue's page starts from its own values. */}
      <QueueForm
        key={q.id}
        initial={draftOf(q)}
        queueId={q.id}
        save={(body) => updateQueue(q.id, q.version, body)}
        submitLabel="Save changes"
        onSaved={() => undefined}
      />
      <HeldRecords queue={q} />
      <QueueDistribution queue={q} />
      <section className={styles.card} aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete this queue</h2>
        <p className={styles.muted}>
          A queue that a rule set or another queue's fallback still uses cannot be deleted; change those first.
        </p>
        <div>
          <DeleteQueue id={q.id} name={q.name} held={q.held} />
        </div>
      </section>
    </div>
  );
}

function HeldRecords({ queue }: { queue: Queue }) {
  const holds = useQuery(holdsQuery(queue.id));
  const objects = useQuery(objectsQuery);
  const plural = (object: string | null) => objects.data?.find((o) => o.name === object)?.plural;
  return (
    <section className={styles.card} aria-labelledby="held-heading">
      <h2 id="held-heading">Held records</h2>
      {holds.error ? <ErrorMessage error={holds.error} what="the held records" /> : null}
      {holds.data?.length === 0 ? <p className={styles.muted}>None: no record is waiting in this queue for someone to be free.</p> : null}
      {holds.data && holds.data.length > 0 ? (
        <>
          <p className={styles.muted}>Waiting for a member to be free; they are handed out in this order, oldest first.</p>
          <table className={ui.table} aria-label={`Held in ${queue.name}`}>
            <thead>
              <tr>
                <th scope="col">Record</th>
                <th scope="col">Waiting since</th>
              </tr>
            </thead>
            <tbody>
              {holds.data.map((h) => {
                const p = plural(h.record_object);
                return (
                  <tr key={`${h.record_id}:${h.field}`}>
                    <td>
                      {p ? (
                        <Link to="/records/$object/$id" params={{ object: p, id: h.record_id }}>
                          {h.record_name}
                        </Link>
                      ) : (
                        `${h.record_name} (deleted)`
                      )}
                    </td>
                    <td>
                      <time dateTime={h.held_at} title={when(h.held_at)}>
                        {timeAgo(h.held_at)}
                      </time>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

function QueueDistribution({ queue }: { queue: Queue }) {
  const distribution = useQuery(distributionQuery(DAYS));
  return (
    <section className={styles.card} aria-labelledby="distribution-heading">
      <h2 id="distribution-heading">Who got records</h2>
      {distribution.error ? <ErrorMessage error={distribution.error} what="the distribution" /> : null}
      {distribution.data ? (
        <Distribution queue={queue} counts={distribution.data.queues.find((c) => c.queue_id === queue.id)} days={DAYS} />
      ) : (
        <p aria-live="polite">Loading the distribution…</p>
      )}
    </section>
  );
}
