/**
 * A select of named things (people, teams, workflows, connectors, fields) that keeps a stored
 * value the list does not hold visible ("not found: …"), so a person sees what the definition
 * says rather than a silently different first option.
 */
import type { ControlProps } from "../PanelField";
import styles from "../panels.module.css";

export interface Option {
  value: string;
  label: string;
}

export function Choice({
  control,
  value,
  options,
  onChange,
  placeholder,
  loading,
}: {
  control: ControlProps;
  value: string | undefined;
  options: readonly Option[];
  onChange: (value: string) => void;
  /** Shown when nothing is chosen ("Choose a person…"). */
  placeholder: string;
  loading?: boolean;
}) {
  const known = value === undefined || value === "" || options.some((o) => o.value === value);
  return (
    <select {...control} className={styles.select} value={value ?? ""} onChange={(e) => onChange(e.target.value)}>
      <option value="" disabled>
        {loading ? "Loading…" : placeholder}
      </option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
      {known ? null : <option value={value}>{`${value} (not found)`}</option>}
    </select>
  );
}
