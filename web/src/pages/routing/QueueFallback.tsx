/**
 * Where a record goes when no member is eligible (the queue's `fallback`): held in this queue
 * until someone is free, passed to another queue (whose own fallback applies in turn), given to
 * one person, or left unassigned. A choice that would make queues go round in a circle is
 * refused by the server at `fallback.queue`, shown under the queue's select.
 */
import { useQuery } from "@tanstack/react-query";
import { PeopleSelect } from "../builder/panels/inputs/PersonPicker";
import { queuesQuery } from "./data";
import { FieldError } from "./FieldError";
import { controlFor } from "./QueueMembers";
import type { FallbackKind, QueueDraft } from "./queue-form";
import styles from "./Routing.module.css";

type Fallback = QueueDraft["fallback"];

const CHOICES: { kind: FallbackKind; label: string }[] = [
  { kind: "hold", label: "Hold the record in this queue until a member is free" },
  { kind: "queue", label: "Send it to another queue" },
  { kind: "user", label: "Give it to one person" },
  { kind: "none", label: "Leave it unassigned (the assignment fails)" },
];

export function QueueFallback({
  value,
  onChange,
  selfId,
  error,
}: {
  value: Fallback;
  onChange: (f: Fallback) => void;
  /** The queue being edited, left out of the queues offered. */
  selfId: string | undefined;
  error: (path: string) => string | undefined;
}) {
  const queues = useQuery(queuesQuery);
  const others = (queues.data ?? []).filter((q) => q.id !== selfId);
  const queueError = error("fallback.queue");
  const userError = error("fallback.user_id");
  const own = error("fallback");
  return (
    <fieldset className={styles.fieldset} aria-describedby={own ? "fallback-error" : undefined}>
      <legend>When nobody is free</legend>
      {CHOICES.map((c) => (
        <div key={c.kind} className={styles.choice}>
          <label className={styles.radio}>
            <input
              type="radio"
              name="fallback"
              value={c.kind}
              checked={value.kind === c.kind}
              onChange={() => onChange({ ...value, kind: c.kind })}
            />
            {c.label}
          </label>
          {c.kind === "queue" && value.kind === "queue" ? (
            <div className={styles.formField}>
              <label htmlFor="fallback-queue" className={styles.label}>
                Fallback queue
              </label>
              <select
                {...controlFor("fallback-queue", queueError)}
                className={styles.select}
                value={value.queue}
                onChange={(e) => onChange({ ...value, queue: e.target.value })}
              >
                <option value="" disabled>
                  {queues.isPending ? "Loading…" : "Choose a queue…"}
                </option>
                {others.map((q) => (
                  <option key={q.id} value={q.id}>
                    {q.name}
                  </option>
                ))}
              </select>
              <FieldError id="fallback-queue" message={queueError} />
            </div>
          ) : null}
          {c.kind === "user" && value.kind === "user" ? (
            <div className={styles.formField}>
              <label htmlFor="fallback-user" className={styles.label}>
                Fallback person
              </label>
              <PeopleSelect
                control={controlFor("fallback-user", userError)}
                value={value.user_id}
                onChange={(id) => onChange({ ...value, user_id: id })}
              />
              <FieldError id="fallback-user" message={userError} />
            </div>
          ) : null}
        </div>
      ))}
      <FieldError id="fallback" message={own} />
    </fieldset>
  );
}
