/**
 * A wait: for a time ("15 minutes"), until a date field of the record plus or minus an offset
 * ("3 days before the close date"), until a time of day on chosen weekdays in a time zone
 * ("9:00 on weekdays, Europe/Paris"), for business time on a calendar ("4 business hours on the
 * owner's calendar", or business days), or until a calendar opens. The five are one step type in
 * the format; the panel shows one at a time and switching writes that one only.
 */
import type { StepSpec } from "../../../../components/graph/definition";
import { problemsAt } from "../../model/problems";
import { CalendarRefField } from "../inputs/CalendarRefPicker";
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
type Base = Omit<Delay, "duration" | "until_field" | "until_time" | "business" | "until_opening">;
type Business = NonNullable<Delay["business"]>;
type Mode = "duration" | "until_field" | "until_time" | "business" | "until_opening";

const MODES: Record<Mode, string> = {
  duration: "For a length of time",
  until_field: "Until a date of the record",
  until_time: "Until a time of day",
  business: "For business time",
  until_opening: "Until the calendar opens",
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

const modeOf = (s: Delay): Mode =>
  s.until_field ? "until_field" : s.until_time ? "until_time" : s.business ? "business" : s.until_opening ? "until_opening" : "duration";

export function DelayPanel({ id, step }: StepPanelProps<"delay">) {
  const kit = useKit();
  const path = `steps.${id}`;
  const mode = modeOf(step);
  const { duration: _d, until_field: _f, until_time: _t, business: _b, until_opening: _o, ...base } = step;
  const save = (s: Delay, key?: string) => saveStep(kit, id, s, key);
  const switchTo = (m: Mode) => {
    if (m === "duration") save({ ...base, duration: { minutes: 15 } });
    else if (m === "until_field") save({ ...base, until_field: { field: "" } });
    else if (m === "until_time") save({ ...base, until_time: { time: "09:00" } });
    else if (m === "business") save({ ...base, business: { hours: 4 } });
    else save({ ...base, until_opening: {} });
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
      {mode === "business" && step.business ? <BusinessTime path={path} base={base} business={step.business} save={save} /> : null}
      {mode === "until_opening" && step.until_opening ? (
        <CalendarRefField
          path={`${path}.until_opening.calendar`}
          label="Until this calendar opens"
          hint="No wait when it is open already; otherwise until its next opening, holidays skipped."
          value={step.until_opening?.calendar}
          onChange={(calendar) => save({ ...base, until_opening: calendar ? { calendar } : {} })}
        />
      ) : null}
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
  base: Base;
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

/** A whole number as typed; empty or not a number: unset (the server says what is missing). */
const wholeOrUnset = (text: string): number | undefined => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined);

function BusinessTime({
  path,
  base,
  business,
  save,
}: {
  path: string;
  base: Base;
  business: Business;
  save: (s: Delay, key?: string) => void;
}) {
  const kit = useKit();
  const inDays = business.days !== undefined;
  const { hours: _h, minutes: _m, days: _d, ...calendar } = business;
  const set = (b: Business, key?: string) => save({ ...base, business: b }, key);
  const amount = (part: "hours" | "minutes" | "days", text: string) => {
    const n = wholeOrUnset(text);
    const { [part]: _old, ...rest } = business;
    set(n === undefined ? rest : { ...rest, [part]: n }, `${path}.business.${part}`);
  };
  // "business time must be more than zero", "either days, or hours and minutes": about the whole, not one input.
  const whole = problemsAt(kit.problems, `${path}.business`).filter((p) => p.path === `${path}.business`);
  return (
    <>
      <PanelField
        path={`${path}.business.unit`}
        label="Count"
        hint={inDays ? "The same time of day, N open days later." : "Only open time counts: nights, weekends and holidays are skipped."}
      >
        {(c) => (
          <select
            {...c}
            className={styles.select}
            value={inDays ? "days" : "hours"}
            onChange={(e) => set(e.target.value === "days" ? { ...calendar, days: 1 } : { ...calendar, hours: 4 })}
          >
            <option value="hours">Hours and minutes</option>
            <option value="days">Business days</option>
          </select>
        )}
      </PanelField>
      {inDays ? (
        <PanelField path={`${path}.business.days`} label="Business days">
          {(c) => (
            <input
              {...c}
              className={styles.input}
              inputMode="numeric"
              autoComplete="off"
              value={business.days ?? ""}
              onChange={(e) => amount("days", e.target.value)}
            />
          )}
        </PanelField>
      ) : (
        <div className={styles.row}>
          <PanelField path={`${path}.business.hours`} label="Business hours">
            {(c) => (
              <input
                {...c}
                className={styles.input}
                inputMode="numeric"
                autoComplete="off"
                value={business.hours ?? ""}
                onChange={(e) => amount("hours", e.target.value)}
              />
            )}
          </PanelField>
          <PanelField path={`${path}.business.minutes`} label="and minutes">
            {(c) => (
              <input
                {...c}
                className={styles.input}
                inputMode="numeric"
                autoComplete="off"
                value={business.minutes ?? ""}
                onChange={(e) => amount("minutes", e.target.value)}
              />
            )}
          </PanelField>
        </div>
      )}
      {whole.length > 0 ? <p className={styles.error}>{whole.map((p) => p.message).join(" ")}</p> : null}
      <CalendarRefField
        path={`${path}.business.calendar`}
        value={business.calendar}
        onChange={(ref) => {
          const { calendar: _c, ...rest } = business;
          set(ref ? { ...rest, calendar: ref } : rest);
        }}
      />
    </>
  );
}
