/**
 * The `calendar` field of a user or a team (a business calendar's name): a select of the
 * workspace's calendars instead of a text box, with "none" saying what applies then — a person
 * without one works on their team's calendar, a team without one on the workspace's default.
 * A stored name the list no longer holds stays visible, so the person sees what is there.
 */
import { useQuery } from "@tanstack/react-query";
import type { SelectHTMLAttributes } from "react";
import { ui } from "../components/ui";
import { calendarsQuery } from "../pages/calendars/data";

export const CALENDAR_HINT = "Its business hours and holidays count for SLAs and business-time waits.";

const NONE: Record<string, string> = {
  user: "— none (use the team’s calendar, else the workspace’s)",
  team: "— none (use the workspace’s calendar)",
};

export function CalendarSelect({
  value,
  onChange,
  object,
  ...common
}: Omit<SelectHTMLAttributes<HTMLSelectElement>, "value" | "onChange"> & {
  value: string;
  onChange: (value: string) => void;
  object: string | undefined;
}) {
  const calendars = useQuery(calendarsQuery);
  const names = (calendars.data ?? []).map((c) => ({ name: c.name, isDefault: c.default, zone: c.time_zone }));
  return (
    <select {...common} className={ui.input} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{NONE[object ?? ""] ?? "— none"}</option>
      {names.map((c) => (
        <option key={c.name} value={c.name}>
          {c.name} ({c.zone}){c.isDefault ? " — the workspace default" : ""}
        </option>
      ))}
      {value !== "" && !names.some((c) => c.name === value) ? (
        <option value={value}>{calendars.isPending ? value : `${value} (no longer a calendar)`}</option>
      ) : null}
    </select>
  );
}
