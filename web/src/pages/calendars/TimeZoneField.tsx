/**
 * The calendar's IANA time zone, searchable: type a city or a region ("Paris", "New_York",
 * "Europe") and pick from the browser's zones (`Intl.supportedValuesOf("timeZone")`); the server
 * checks what is kept. Shows the time it is there now, so the choice can be checked at a glance.
 */
import { useId } from "react";
import { ui } from "../../components/ui";
import { FieldError } from "../routing/FieldError";
import styles from "./Calendars.module.css";

const ZONES: readonly string[] = (() => {
  try {
    const zones = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
    return zones.includes("UTC") ? zones : [...zones, "UTC"];
  } catch {
    return ["UTC"];
  }
})();

function nowIn(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(new Date());
  } catch {
    return undefined;
  }
}

export function TimeZoneField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error: string | undefined }) {
  const list = useId();
  const now = value.includes("/") || value === "UTC" ? nowIn(value) : undefined;
  return (
    <div className={ui.field}>
      <label htmlFor="calendar-zone-input" className={ui.label}>
        Time zone
      </label>
      <span id="calendar-zone-input-hint" className={ui.hint}>
        Type a city to search ({ZONES.length} zones): the hours and the closed dates are read in this zone.
        {now ? ` It is ${now} there now.` : ""}
      </span>
      <input
        id="calendar-zone-input"
        className={styles.wide}
        list={list}
        value={value}
        autoComplete="off"
        spellCheck={false}
        placeholder="Europe/Paris"
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "calendar-zone-input-hint calendar-zone-input-error" : "calendar-zone-input-hint"}
      />
      <datalist id={list}>
        {ZONES.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <FieldError id="calendar-zone-input" message={error} />
    </div>
  );
}
