/**
 * A set of checkboxes with a legend (watched fields, weekdays, an option list): a fieldset, so
 * that its name is read with each box, and the problems of its path under it.
 */
import { problemsAt } from "../../model/problems";
import { controlId, useKit } from "../kit";
import styles from "../panels.module.css";

export function CheckGroup<T extends string>({
  path,
  legend,
  hint,
  options,
  checked,
  onChange,
}: {
  path: string;
  legend: string;
  hint?: string;
  options: readonly { value: T; label: string }[];
  checked: readonly T[];
  /** The ticked values, in the order of the options. */
  onChange: (next: T[]) => void;
}) {
  const kit = useKit();
  const id = controlId(path);
  const problems = problemsAt(kit.problems, path);
  const described = [hint ? `${id}-hint` : "", problems.length > 0 ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className={styles.fieldset} aria-describedby={described} aria-invalid={problems.length > 0 ? true : undefined}>
      <legend>{legend}</legend>
      {hint ? (
        <span id={`${id}-hint`} className={styles.hint}>
          {hint}
        </span>
      ) : null}
      <div className={styles.checks}>
        {options.map((o) => (
          <label key={o.value}>
            <input
              type="checkbox"
              disabled={!kit.editable}
              checked={checked.includes(o.value)}
              onChange={(e) =>
                onChange(options.map((x) => x.value).filter((v) => (v === o.value ? e.target.checked : checked.includes(v))))
              }
            />
            {o.label}
          </label>
        ))}
      </div>
      {problems.length > 0 ? (
        <span id={`${id}-error`} className={styles.error}>
          {problems.map((p) => p.message).join(" ")}
        </span>
      ) : null}
    </fieldset>
  );
}
