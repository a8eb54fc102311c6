/**
 * "3 days before" / "2 hours after" a date: a duration (number and unit) and a direction. The
 * format writes it as a duration with `before: true` for before (after when absent).
 */
import type { Offset } from "../../../../components/graph/definition";
import type { ControlProps } from "../PanelField";
import styles from "../panels.module.css";
import { DurationPicker } from "./DurationPicker";

export function OffsetPicker({
  value,
  onChange,
  control,
  label,
}: {
  value: Offset | undefined;
  onChange: (o: Offset, typed: boolean) => void;
  control: ControlProps;
  label: string;
}) {
  const before = value?.before === true;
  const { before: _b, ...duration } = value ?? {};
  return (
    <div className={styles.row}>
      <DurationPicker
        control={control}
        label={label}
        value={duration}
        onChange={(d, typed) => onChange(before ? { ...d, before: true } : d, typed)}
      />
      <select
        className={styles.select}
        aria-label={`${label}: before or after`}
        disabled={control.disabled}
        value={before ? "before" : "after"}
        onChange={(e) => onChange(e.target.value === "before" ? { ...duration, before: true } : duration, false)}
      >
        <option value="before">before</option>
        <option value="after">after</option>
      </select>
    </div>
  );
}
