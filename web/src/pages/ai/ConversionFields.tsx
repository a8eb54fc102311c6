/**
 * What a conversion model needs beyond a classifier (docs/ai.md "Conversion models"): which of
 * the outcome field's values mean the record converted and which mean it was lost (ticked from
 * the field's options; a value ticked on one side cannot be ticked on the other — records with
 * the other values are still open and not learned from), and the activity types whose counts on
 * the record it reads. Each group shows the server's problems for its path.
 */
import type { FieldInfo } from "../../records/model";
import styles from "./Ai.module.css";
import { BoxProblem, describedBy } from "./box";
import type { ActivityType } from "./data";

export interface ConversionFieldsProps {
  /** The form's id: the groups' problems are `${id}-converted-problem` and so on. */
  id: string;
  object: string;
  /** The outcome field as chosen; undefined before one is. */
  target: FieldInfo | undefined;
  activityOptions: readonly ActivityType[];
  converted: string[];
  lost: string[];
  activityTypes: ActivityType[];
  onConverted: (values: string[]) => void;
  onLost: (values: string[]) => void;
  onActivityTypes: (types: ActivityType[]) => void;
  problemAt: (path: string) => string | undefined;
}

/** "email_opened" → "email opened". */
const words = (value: string) => value.replaceAll("_", " ");

export function ConversionFields(p: ConversionFieldsProps) {
  const options = p.target?.options ?? [];
  const outcome = (path: "converted" | "lost", legend: string, mine: string[], other: string[], set: (v: string[]) => void) => (
    <fieldset
      className={styles.checks}
      aria-invalid={p.problemAt(path) ? true : undefined}
      aria-describedby={describedBy(`${p.id}-${path}`, { hint: true, problem: p.problemAt(path) })}
    >
      <legend>{legend}</legend>
      <span id={`${p.id}-${path}-hint`} className={styles.hint}>
        {options.length === 0
          ? "Choose the outcome field first."
          : other.length > 0
            ? `A value cannot be both; ${other.join(", ")} ${other.length === 1 ? "is" : "are"} on the other side.`
            : "At least one."}
      </span>
      {options.map((v) => (
        <label key={v}>
          <input
            type="checkbox"
            checked={mine.includes(v)}
            disabled={other.includes(v)}
            onChange={(e) => set(e.target.checked ? [...mine, v] : mine.filter((x) => x !== v))}
          />{" "}
          {v}
        </label>
      ))}
      <BoxProblem id={`${p.id}-${path}-problem`} message={p.problemAt(path)} />
    </fieldset>
  );
  return (
    <>
      {outcome("converted", `Values that mean the ${p.object} converted`, p.converted, p.lost, p.onConverted)}
      {outcome("lost", `Values that mean the ${p.object} was lost`, p.lost, p.converted, p.onLost)}
      <fieldset
        className={styles.checks}
        aria-invalid={p.problemAt("activity_types") ? true : undefined}
        aria-describedby={describedBy(`${p.id}-activity_types`, { hint: true, problem: p.problemAt("activity_types") })}
      >
        <legend>Counts the activities of type</legend>
        <span id={`${p.id}-activity_types-hint`} className={styles.hint}>
          How many of each are logged on the {p.object}: “3 meetings logged” can be a reason.
        </span>
        {p.activityOptions.map((t) => (
          <label key={t}>
            <input
              type="checkbox"
              checked={p.activityTypes.includes(t)}
              onChange={(e) => p.onActivityTypes(e.target.checked ? [...p.activityTypes, t] : p.activityTypes.filter((x) => x !== t))}
            />{" "}
            {words(t)}
          </label>
        ))}
        <BoxProblem id={`${p.id}-activity_types-problem`} message={p.problemAt("activity_types")} />
      </fieldset>
    </>
  );
}
