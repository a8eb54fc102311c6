/**
 * Which business calendar a wait counts on (the format's `calendar`: `{of: …}` or `{name}`): the
 * workspace calendar (the default, written as no calendar at all), the record owner's, the
 * owner's team's, or one of the workspace's calendars by name. A stored name the workspace no
 * longer has stays shown, marked, so that publishing's refusal of it can be understood.
 */
import { useQuery } from "@tanstack/react-query";
import type { CalendarRef } from "../../../../components/graph/definition";
import { calendarsQuery } from "../../../calendars/data";
import type { ControlProps } from "../PanelField";
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
