/**
 * A wait: for a time ("15 minutes"), until a date field of the record plus or minus an offset
 * ("3 days before the close date"), or until a time of day on chosen weekdays in a time zone
 * ("9:00 on weekdays, Europe/Paris"). The three are one step type in the format; the panel
 * shows one at a time and switching writes that one only.
 */
import type { StepSpec } from "../../../../components/graph/definition";
import { CheckGroup } from "../inputs/CheckGroup";
import { DurationPicker } from "../inputs/DurationPicker";
import { FieldSelect } from "../inputs/FieldSelect";
import { OffsetPicker } from "../inputs/OffsetPicker";
import { TimeZoneInput } from "../inputs/TimeZoneInput";
import { useKit } from "../kit";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import { isDateField } from "../trigger/kinds";
import { type StepPanelProps, saveStep } from "./stepProps";

type Delay = Extract<StepSpec, { type: "delay" }>;
type Mode = "duration" | "until_field" | "until_time";

const MODES: Record<Mode, string> = {
  duration: "For a length of time",
  until_field: "Until a date of the record",
  until_time: "Until a time of day",
};
const DAYS = [
  ["mon", "Mon"],
  ["tue", "Tue"],
  ["wed", "Wed"],
  ["thu", "Thu"],
  ["fri", "Fri"],
  ["sat", "Sat"],
  ["sun", "Sun"],
] as const;

const modeOf = (s: Delay): Mode => (s.until_field ? "until_field" : s.until_time ? "until_time" : "duration");

export function DelayPanel({ id, step }: StepPanelProps<"delay">) {
  const kit = useKit();
  const path = `steps.${id}`;
  const mode = modeOf(step);
  const { duration: _d, until_field: _f, until_time: _t, ...base } = step;
  const save = (s: Delay, key?: string) => saveStep(kit, id, s, key);
  const switchTo = (m: Mode) => {
    if (m === "duration") save({ ...base, duration: { minutes: 15 } });
    else if (m === "until_field") save({ ...base, until_field: { field: "" } });
    else save({ ...base, until_time: { time: "09:00" } });
  };
  return (
    <>
      <PanelField path={`${path}.mode`} label="Wait">
        {(c) => (
          <select {...c} className={styles.select} value={mode} onChange={(e) => switchTo(e.target.value as Mode)}>
            {(Object.keys(MODES) as Mode[]).map((m) => (
              <option key={m} value={m}>
                {MODES[m]}
              </option>
            ))}
          </select>
        )}
      </PanelField>
      {mode === "duration" ? (
        <PanelField path={`${path}.duration`} label="How long">
          {(c) => (
            <DurationPicker
              control={c}
              label="How long"
              value={step.duration}
              onChange={(duration, typed) => save({ ...base, duration }, typed ? `${path}.duration` : undefined)}
            />
          )}
        </PanelField>
      ) : null}
      {mode === "until_field" && step.until_field ? (
        <>
          <PanelField path={`${path}.until_field.field`} label="Date field">
            {(c) => (
              <FieldSelect
                control={c}
                object={kit.definition.object}
                only={isDateField}
                value={step.until_field?.field}
                onChange={(field) => save({ ...base, until_field: { ...step.until_field, field } })}
              />
            )}
          </PanelField>
          <PanelField path={`${path}.until_field.offset`} label="How long before or after it (0: on the date)">
            {(c) => (
              <OffsetPicker
                control={c}
                label="Offset"
                value={step.until_field?.offset}
                onChange={(offset, typed) =>
                  save(
                    { ...base, until_field: { field: step.until_field?.field ?? "", offset } },
                    typed ? `${path}.until_field.offset` : undefined,
                  )
                }
              />
            )}
          </PanelField>
        </>
      ) : null}
      {mode === "until_time" && step.until_time ? <UntilTime path={path} base={base} until={step.until_time} save={save} /> : null}
    </>
  );
}

function UntilTime({
  path,
  base,
  until,
  save,
}: {
  path: string;
  base: Omit<Delay, "duration" | "until_field" | "until_time">;
  until: NonNullable<Delay["until_time"]>;
  save: (s: Delay, key?: string) => void;
}) {
  const set = (u: NonNullable<Delay["until_time"]>, key?: string) => save({ ...base, until_time: u }, key);
  const days = until.days ?? [];
  return (
    <>
      <PanelField path={`${path}.until_time.time`} label="Time of day">
        {(c) => (
          <input
            {...c}
            className={styles.input}
            type="time"
            value={until.time}
            onChange={(e) => set({ ...until, time: e.target.value }, `${path}.until_time.time`)}
          />
        )}
      </PanelField>
      <CheckGroup
        path={`${path}.until_time.days`}
        legend="On these days"
        hint="None ticked: any day."
        options={DAYS.map(([value, label]) => ({ value, label }))}
        checked={days}
        onChange={(next) => {
          const { days: _d, ...rest } = until;
          set(next.length > 0 ? { ...rest, days: next } : rest);
        }}
      />
      <PanelField path={`${path}.until_time.time_zone`} label="Time zone (empty: the workspace's)">
        {(c) => (
          <TimeZoneInput
            control={c}
            value={until.time_zone ?? ""}
            onChange={(z) => {
              const { time_zone: _z, ...rest } = until;
              set(z ? { ...rest, time_zone: z } : rest, `${path}.until_time.time_zone`);
            }}
          />
        )}
      </PanelField>
    </>
  );
}
