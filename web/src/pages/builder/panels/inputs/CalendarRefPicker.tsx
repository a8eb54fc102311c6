/**
 * Which business calendar a wait counts on (the format's `calendar`: `{of: …}` or `{name}`): the
 * workspace calendar (the default, written as no calendar at all), the record owner's, the
 * owner's team's, or one of the workspace's calendars by name. A stored name the workspace no
 * longer has stays shown, marked, so that publishing's refusal of it can be understood.
 * `CalendarRefField` is the picker as one labelled setting of a panel (a wait's business time or
 * opening, an approval's business-time limit), with the problems its path names.
 */
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { CalendarRef } from "../../../../components/graph/definition";
import { calendarsQuery } from "../../../calendars/data";
import { type ControlProps, PanelField } from "../PanelField";
import styles from "../panels.module.css";

const optionOf = (ref: CalendarRef | undefined): string => (!ref ? "of:workspace" : "name" in ref ? `name:${ref.name}` : `of:${ref.of}`);

function refOf(value: string): CalendarRef | undefined {
  if (value.startsWith("name:")) return { name: value.slice(5) };
  if (value === "of:owner") return { of: "owner" };
  if (value === "of:team") return { of: "team" };
  return undefined;
}

export function CalendarRefPicker({
  control,
  value,
  onChange,
}: {
  control: ControlProps;
  value: CalendarRef | undefined;
  onChange: (ref: CalendarRef | undefined) => void;
}) {
  const calendars = useQuery(calendarsQuery);
  const current = optionOf(value);
  const names = (calendars.data ?? []).map((c) => c.name);
  const missing = value && "name" in value && calendars.data && !names.includes(value.name) ? value.name : undefined;
  return (
    <select {...control} className={styles.select} value={current} onChange={(e) => onChange(refOf(e.target.value))}>
      <option value="of:workspace">Workspace calendar</option>
      <option value="of:owner">Record owner’s calendar</option>
      <option value="of:team">Owner’s team’s calendar</option>
      {names.length > 0 ? (
        <optgroup label="A named calendar">
          {names.map((n) => (
            <option key={n} value={`name:${n}`}>
              {n}
            </option>
          ))}
        </optgroup>
      ) : null}
      {missing ? <option value={`name:${missing}`}>{missing} (no such calendar)</option> : null}
      {value && "name" in value && !calendars.data ? <option value={current}>{value.name}</option> : null}
    </select>
  );
}

export const OWNER_CALENDAR_HINT = "The record owner’s calendar is their own, else their team’s, else the workspace’s.";

/** The calendar picker as a labelled setting ("On the calendar of"), with its hint and its path's problems. */
export function CalendarRefField({
  path,
  value,
  onChange,
  label = "On the calendar of",
  hint = OWNER_CALENDAR_HINT,
}: {
  /** The definition path of the `calendar` ("steps.wait.business.calendar"). */
  path: string;
  value: CalendarRef | undefined;
  onChange: (ref: CalendarRef | undefined) => void;
  label?: string;
  hint?: ReactNode;
}) {
  return (
    <PanelField path={path} label={label} hint={hint}>
      {(c) => <CalendarRefPicker control={c} value={value} onChange={onChange} />}
    </PanelField>
  );
}
