/**
 * An IANA time zone ("Europe/Paris"), typed with the browser's list of zones as suggestions, so
 * a person finds theirs by city without knowing the spelling by heart.
 */
import { useId } from "react";
import type { ControlProps } from "../PanelField";
import styles from "../panels.module.css";

const ZONES: readonly string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? ["UTC"];
  } catch {
    return ["UTC"];
  }
})();

export function TimeZoneInput({
  control,
  value,
  onChange,
  placeholder,
}: {
  control: ControlProps;
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
}) {
  const list = useId();
  return (
    <>
      <input
        {...control}
        className={styles.input}
        list={list}
        value={value}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={list}>
        {ZONES.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}
