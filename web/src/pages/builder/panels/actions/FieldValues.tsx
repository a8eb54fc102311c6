/**
 * Field → value pairs an action writes (update_fields, create_record): each row a field of the
 * object (only those a workflow may write) and a value typed by that field; text fields take
 * templates such as {{ record.first_name }}. Rows are added and removed; a field appears once.
 */
import { ValueInput } from "../inputs/ValueInput";
import { fieldsOf, useKit } from "../kit";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";

export function FieldValues({
  path,
  object,
  values,
  onChange,
  legend,
}: {
  path: string;
  object: string;
  values: Record<string, unknown>;
  onChange: (next: Record<string, unknown>, key?: string) => void;
  legend: string;
}) {
  const kit = useKit();
  const writable = fieldsOf(kit, object).filter((f) => !f.managed);
  const entries = Object.entries(values);
  const free = writable.filter((f) => !(f.name in values));
  const rename = (from: string, to: string) =>
    onChange(Object.fromEntries(entries.map(([k, v]) => (k === from ? [to, undefined] : [k, v]))));
  return (
    <fieldset className={styles.fieldset}>
      <legend>{legend}</legend>
      {entries.length === 0 ? <p className={styles.hint}>No fields yet.</p> : null}
      {entries.map(([name, value], i) => {
        const field = writable.find((f) => f.name === name);
        return (
          <div key={name} className={styles.fieldset}>
            <PanelField path={`${path}.${name}`} label={`Field ${i + 1}`} showProblems={false}>
              {(c) => (
                <select {...c} className={styles.select} value={name} onChange={(e) => rename(name, e.target.value)}>
                  {field ? null : <option value={name}>{name} (not a field)</option>}
                  {writable
                    .filter((f) => f.name === name || !(f.name in values))
                    .map((f) => (
                      <option key={f.name} value={f.name}>
                        {f.custom ? `${f.label} (custom)` : f.label}
                      </option>
                    ))}
                </select>
              )}
            </PanelField>
            <PanelField path={`${path}.${name}`} label={`New value of ${field?.label.toLowerCase() ?? name}`} suffix="-value">
              {(c) => (
                <ValueInput
                  field={field}
                  control={c}
                  value={value}
                  onChange={(v) => onChange({ ...values, [name]: v ?? null }, `${path}.${name}`)}
                />
              )}
            </PanelField>
            {kit.editable ? (
              <button
                type="button"
                className={styles.remove}
                onClick={() => onChange(Object.fromEntries(entries.filter(([k]) => k !== name)))}
              >
                Remove {field?.label.toLowerCase() ?? name}
              </button>
            ) : null}
          </div>
        );
      })}
      {kit.editable && free[0] ? (
        <button type="button" className={styles.small} onClick={() => onChange({ ...values, [free[0]?.name ?? ""]: null })}>
          Add a field
        </button>
      ) : null}
    </fieldset>
  );
}
