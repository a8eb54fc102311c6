/**
 * The queue editor's members: one group per member (the person, picked from the workspace's
 * people; their weight; their cap of open items), add and remove. Each control shows the
 * server's problem at its path (`members[1].weight`) beside it.
 */
import { ui } from "../../components/ui";
import { PeopleSelect } from "../builder/panels/inputs/PersonPicker";
import type { ControlProps } from "../builder/panels/PanelField";
import type { Problems } from "./data";
import { FieldError } from "./FieldError";
import { type MemberDraft, newMember } from "./queue-form";
import styles from "./Routing.module.css";

/** The props a control gets for a path: its id, and its error wired to it. */
export function controlFor(id: string, error: string | undefined, disabled = false): ControlProps {
  return { id, "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${id}-error` : undefined, disabled };
}

export function QueueMembers({
  members,
  onChange,
  problems,
  exactly,
  weighted,
}: {
  members: MemberDraft[];
  onChange: (members: MemberDraft[]) => void;
  problems: Problems | null;
  /** The server's problems at exactly a path: the list's own ("a queue needs at least one member") and a member's own. */
  exactly: (path: string) => string | undefined;
  /** Whether the strategy uses weights (the others ignore them; the hint says so). */
  weighted: boolean;
}) {
  const listError = exactly("members");
  const set = (i: number, patch: Partial<MemberDraft>) => onChange(members.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  return (
    <fieldset className={styles.fieldset} aria-describedby={listError ? "members-error" : undefined}>
      <legend>Members</legend>
      <p className={styles.muted}>
        {weighted
          ? "A member of weight 2 gets twice as many records as a member of weight 1."
          : "Weights only matter with weighted round-robin; they are kept if you switch to it."}{" "}
        A cap is how many open items a member may hold in this queue; left empty, the person's own capacity applies.
      </p>
      {members.map((m, i) => {
        const base = `member-${i}`;
        const userError = problems?.at(`members[${i}].user_id`);
        const weightError = problems?.at(`members[${i}].weight`);
        const capError = problems?.at(`members[${i}].capacity`);
        const ownError = exactly(`members[${i}]`);
        return (
          <fieldset key={m.key} className={styles.member} aria-label={`Member ${i + 1}`}>
            <div className={ui.field}>
              <label htmlFor={`${base}-user`} className={ui.label}>
                Person
              </label>
              <PeopleSelect control={controlFor(`${base}-user`, userError)} value={m.user_id} onChange={(id) => set(i, { user_id: id })} />
              <FieldError id={`${base}-user`} message={userError} />
            </div>
            <div className={ui.field}>
              <label htmlFor={`${base}-weight`} className={ui.label}>
                Weight
              </label>
              <input
                {...controlFor(`${base}-weight`, weightError)}
                className={styles.inputSmall}
                type="number"
                inputMode="numeric"
                min={1}
                max={1000}
                step={1}
                value={m.weight}
                onChange={(e) => set(i, { weight: e.target.value })}
              />
              <FieldError id={`${base}-weight`} message={weightError} />
            </div>
            <div className={ui.field}>
              <label htmlFor={`${base}-cap`} className={ui.label}>
                Cap (open items)
              </label>
              <input
                {...controlFor(`${base}-cap`, capError)}
                className={styles.inputSmall}
                type="number"
                inputMode="numeric"
                min={0}
                step={1}
                placeholder="own"
                value={m.capacity}
                onChange={(e) => set(i, { capacity: e.target.value })}
              />
              <FieldError id={`${base}-cap`} message={capError} />
            </div>
            <button
              type="button"
              className={`${styles.small} ${styles.memberRemove}`}
              disabled={members.length === 1}
              onClick={() => onChange(members.filter((_, j) => j !== i))}
            >
              Remove <span className="visually-hidden">member {i + 1}</span>
            </button>
            {ownError ? <p className={styles.fieldError}>{ownError}</p> : null}
          </fieldset>
        );
      })}
      <div>
        <button type="button" className={styles.small} onClick={() => onChange([...members, newMember()])}>
          Add a member
        </button>
      </div>
      <FieldError id="members" message={listError} />
    </fieldset>
  );
}
