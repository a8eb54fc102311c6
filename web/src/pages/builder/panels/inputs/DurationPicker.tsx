/**
 * A duration as a number and a unit ("15 minutes"), never typed as text. The format keeps
 * durations as {days, hours, minutes, seconds}; a stored mix (1 day 2 h) is shown in the largest
 * unit that holds it exactly (26 hours), and written back as that one unit.
 */
import type { Duration } from "../../../../components/graph/definition";
import type { ControlProps } from "../PanelField";
import styles from "../panels.module.css";

export const UNITS = [
  { key: "minutes", words: "minutes", seconds: 60 },
  { key: "hours", words: "hours", seconds: 3_600 },
  { key: "days", words: "days", seconds: 86_400 },
  { key: "seconds", words: "seconds", seconds: 1 },
] as const;
export type Unit = (typeof UNITS)[number]["key"];

/** The duration in one unit: the largest that holds it exactly (0 → 0 minutes). */
export function asOneUnit(d: Duration | undefined): { n: number; unit: Unit } {
  const total = (d?.days ?? 0) * 86_400 + (d?.hours ?? 0) * 3_600 + (d?.minutes ?? 0) * 60 + (d?.seconds ?? 0);
  if (total === 0) {
    const named = UNITS.find((u) => d?.[u.key] !== undefined);
    return { n: 0, unit: named?.key ?? "minutes" };
  }
  for (const u of [UNITS[2], UNITS[1], UNITS[0], UNITS[3]]) if (total % u.seconds === 0) return { n: total / u.seconds, unit: u.key };
  return { n: total, unit: "seconds" };
}

export function DurationPicker({
  value,
  onChange,
  control,
  label,
}: {
  value: Duration | undefined;
  /** `typed`: the number was typed (a run of typing is one undo step); false for a chosen unit (a step of its own). */
  onChange: (d: Duration, typed: boolean) => void;
  control: ControlProps;
  /** What the duration is, for the unit's accessible name ("Wait for"). */
  label: string;
}) {
  const { n, unit } = asOneUnit(value);
  return (
    <div className={styles.row}>
      <input
        {...control}
        className={styles.input}
        type="number"
        min={0}
        step={1}
        inputMode="numeric"
        value={Number.isFinite(n) ? n : ""}
        onChange={(e) => {
          const next = Math.max(0, Math.floor(Number(e.target.value) || 0));
          onChange({ [unit]: next }, true);
        }}
      />
      <select
        className={styles.select}
        aria-label={`Unit of ${label.toLowerCase()}`}
        disabled={control.disabled}
        value={unit}
        onChange={(e) => onChange({ [e.target.value as Unit]: n }, false)}
      >
        {UNITS.map((u) => (
          <option key={u.key} value={u.key}>
            {u.words}
          </option>
        ))}
      </select>
    </div>
  );
}
