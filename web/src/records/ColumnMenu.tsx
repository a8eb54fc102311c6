/**
 * "Columns": a menu of checkboxes, one per field of the object (Radix DropdownMenu: arrow keys,
 * Space to tick, Escape to close). Ticking keeps the menu open so several can be chosen at once.
 * Not modal: a modal menu would lock the page's scroll with an injected <style>, which the CSP refuses.
 */
import { DropdownMenu } from "radix-ui";
import { ui } from "../components/ui";
import type { FieldInfo } from "./model";
import styles from "./records.module.css";

export function ColumnMenu({
  fields,
  shown,
  onChange,
  onReset,
}: {
  fields: readonly FieldInfo[];
  shown: readonly string[];
  onChange: (names: string[]) => void;
  onReset: () => void;
}) {
  const toggle = (name: string, on: boolean) => {
    const next = on ? [...shown, name] : shown.filter((n) => n !== name);
    // A table needs at least one column.
    if (next.length > 0) onChange(next);
  };
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger className={ui.secondary}>Columns ({shown.length})</DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className={styles.menu} align="end" sideOffset={4} aria-label="Columns to show">
          <DropdownMenu.Label className={styles.menuLabel}>Columns to show</DropdownMenu.Label>
          {fields.map((f) => (
            <DropdownMenu.CheckboxItem
              key={f.name}
              className={styles.menuItem}
              checked={shown.includes(f.name)}
              onCheckedChange={(on) => toggle(f.name, on === true)}
              onSelect={(e) => e.preventDefault()}
            >
              <span className={styles.menuCheck} aria-hidden="true">
                {shown.includes(f.name) ? "✓" : ""}
              </span>
              {f.label}
            </DropdownMenu.CheckboxItem>
          ))}
          <DropdownMenu.Separator className={styles.menuSeparator} />
          <DropdownMenu.Item className={styles.menuItem} onSelect={onReset}>
            <span className={styles.menuCheck} aria-hidden="true" />
            Back to the default columns
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
