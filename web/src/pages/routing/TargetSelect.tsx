/**
 * Where a rule (or a rule set's default) sends a record: a person or a queue, as one select.
 * A team target set through the API stays selectable as itself. Values are "user:<id>",
 * "queue:<id>", "team:<id or name>".
 */
import { useQuery } from "@tanstack/react-query";
import { queuesQuery, type Target, teamAvailabilityQuery } from "./data";
import styles from "./Routing.module.css";

export const targetKey = (t: Target | null): string =>
  t === null ? "" : "user_id" in t ? `user:${t.user_id}` : "queue" in t ? `queue:${t.queue}` : `team:${t.team}`;

export function targetOfKey(key: string): Target | null {
  const [kind, ...rest] = key.split(":");
  const id = rest.join(":");
  if (kind === "user") return { user_id: id };
  if (kind === "queue") return { queue: id };
  if (kind === "team") return { team: id };
  return null;
}

export function TargetSelect(props: {
  id: string;
  value: Target | null;
  /** The label of the current value, for a team or anything the lists do not hold. */
  currentLabel: string;
  onChange: (t: Target | null) => void;
  allowNone?: string;
  error?: string | undefined;
}) {
  const queues = useQuery(queuesQuery);
  const people = useQuery(teamAvailabilityQuery);
  const key = targetKey(props.value);
  const known = new Set([...(queues.data ?? []).map((q) => `queue:${q.id}`), ...(people.data ?? []).map((p) => `user:${p.user_id}`)]);
  return (
    <select
      id={props.id}
      className={styles.select}
      value={key}
      onChange={(e) => props.onChange(targetOfKey(e.target.value))}
      aria-invalid={props.error ? true : undefined}
      aria-describedby={props.error ? `${props.id}-error` : undefined}
    >
      {props.allowNone !== undefined ? <option value="">{props.allowNone}</option> : null}
      {key && !known.has(key) ? <option value={key}>{props.currentLabel}</option> : null}
      <optgroup label="Queues">
        {(queues.data ?? []).map((q) => (
          <option key={q.id} value={`queue:${q.id}`}>
            Queue: {q.name}
          </option>
        ))}
      </optgroup>
      <optgroup label="People">
        {(people.data ?? []).map((p) => (
          <option key={p.user_id} value={`user:${p.user_id}`}>
            {p.name}
          </option>
        ))}
      </optgroup>
    </select>
  );
}

/** A field's error under it, linked by id (`<id>-error`). */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <span id={`${id}-error`} className={styles.fieldError}>
      {message}
    </span>
  ) : null;
}
