/**
 * Where a rule (or a rule set's default) sends a record, as an admin says it: first what kind —
 * a queue, a person, or a team (round-robin over its members) — then which one, from the
 * workspace's queues, its people (the builder's people picker) or its teams. The server's
 * problem about the target (an unknown or deleted queue, person or team) is shown under the
 * second control and read out with it; a value the lists no longer hold stays visible as
 * "(not found)" rather than silently becoming another.
 */
import { useQuery } from "@tanstack/react-query";
import { useRef } from "react";
import { Choice } from "../builder/panels/inputs/Choice";
import { PeopleSelect } from "../builder/panels/inputs/PersonPicker";
import { TeamSelect } from "../builder/panels/inputs/ValueInput";
import type { ControlProps } from "../builder/panels/PanelField";
import panels from "../builder/panels/panels.module.css";
import { queuesQuery, type Target } from "./data";
import { FieldError } from "./FieldError";
import edit from "./RuleEdit.module.css";

type Kind = "queue" | "user_id" | "team";

const KINDS: { kind: Kind; words: string; which: string }[] = [
  { kind: "queue", words: "A queue (it picks the person)", which: "Queue" },
  { kind: "user_id", words: "A person", which: "Person" },
  { kind: "team", words: "A team (each member in turn)", which: "Team" },
];

export const targetKind = (t: Target | null): Kind | "" => (t === null ? "" : "user_id" in t ? "user_id" : "queue" in t ? "queue" : "team");
const targetValue = (t: Target | null): string => (t === null ? "" : "user_id" in t ? t.user_id : "queue" in t ? t.queue : t.team);
const makeTarget = (kind: Kind, value: string): Target =>
  kind === "user_id" ? { user_id: value } : kind === "queue" ? { queue: value } : { team: value };

/** What to say before saving a target whose "which one" is not chosen yet; undefined when it is complete. */
export function targetMissing(t: Target | null): string | undefined {
  if (t === null || targetValue(t) !== "") return undefined;
  return `Choose which ${KINDS.find((k) => k.kind === targetKind(t))?.which.toLowerCase() ?? "one"}.`;
}

export function TargetPicker({
  id,
  legend,
  value,
  onChange,
  none,
  error,
  gone = false,
  disabled = false,
}: {
  /** The second control's id; the kind's is `<id>-kind`, the error's `<id>-error`. */
  id: string;
  legend: string;
  value: Target | null;
  onChange: (t: Target | null) => void;
  /** Offered as a choice when "nobody" is allowed (a rule set's default): its words. */
  none?: string;
  error?: string | undefined;
  /** The server said the chosen queue, person or team does not exist (deleted since the list was read). */
  gone?: boolean;
  disabled?: boolean;
}) {
  const queues = useQuery(queuesQuery);
  // The names of the queues this picker has listed, so one deleted meanwhile is still named.
  const seen = useRef(new Map<string, string>()).current;
  for (const q of queues.data ?? []) seen.set(q.id, q.name);
  const kind = targetKind(value);
  const current = targetValue(value);
  const which = KINDS.find((k) => k.kind === kind)?.which.toLowerCase() ?? "target";
  const staleQueue = kind === "queue" && current !== "" && queues.data !== undefined && !queues.data.some((q) => q.id === current);
  const staleName = staleQueue ? seen.get(current) : undefined;
  // The server names the target by the id the picker sent; the person knows it by its name.
  const message =
    error && gone
      ? `${staleName ? `The queue “${staleName}”` : `The chosen ${which}`} no longer exists: it may have been deleted or renamed. Choose another ${which}.`
      : error;
  const control: ControlProps = {
    id,
    "aria-invalid": message ? true : undefined,
    "aria-describedby": message ? `${id}-error` : undefined,
    disabled,
  };
  const pick = (v: string) => onChange(kind === "" ? null : makeTarget(kind, v));
  return (
    <fieldset className={edit.targetPicker}>
      <legend>{legend}</legend>
      <div className={edit.targetRow}>
        <div className={edit.targetPart}>
          <label htmlFor={`${id}-kind`}>Send to</label>
          <select
            id={`${id}-kind`}
            // The pickers beside it are the builder's: the same box, so the two line up.
            className={panels.select}
            disabled={disabled}
            value={kind}
            onChange={(e) => {
              const k = e.target.value as Kind | "";
              onChange(k === "" ? null : makeTarget(k, ""));
            }}
          >
            {none !== undefined ? <option value="">{none}</option> : null}
            {kind === "" && none === undefined ? (
              <option value="" disabled>
                Choose…
              </option>
            ) : null}
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.words}
              </option>
            ))}
          </select>
        </div>
        {kind === "" ? null : (
          <div className={edit.targetPart}>
            <label htmlFor={id}>{KINDS.find((k) => k.kind === kind)?.which}</label>
            {kind === "user_id" ? (
              <PeopleSelect control={control} value={current} onChange={pick} />
            ) : kind === "team" ? (
              <TeamSelect control={control} value={current} onChange={pick} />
            ) : (
              <Choice
                control={control}
                value={current}
                loading={queues.isPending}
                placeholder="Choose a queue…"
                options={[
                  ...(queues.data ?? []).map((q) => ({ value: q.id, label: q.name })),
                  ...(staleName ? [{ value: current, label: `${staleName} (deleted)` }] : []),
                ]}
                onChange={pick}
              />
            )}
          </div>
        )}
      </div>
      <FieldError id={id} message={message} />
    </fieldset>
  );
}
