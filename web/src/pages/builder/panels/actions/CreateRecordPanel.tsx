/**
 * create_record: a new record of any object, with the values it starts with, fields copied from
 * this record, and the field of the new record that points back at this one.
 */
import { setKey } from "../edits";
import { Choice } from "../inputs/Choice";
import { FieldSelect } from "../inputs/FieldSelect";
import { fieldsOf, objectInfo, useKit } from "../kit";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import type { ActionPanelProps } from "./actionProps";
import { FieldValues } from "./FieldValues";

export function CreateRecordPanel({ action, path, save }: ActionPanelProps<"create_record">) {
  const kit = useKit();
  const own = kit.definition.object;
  const target = objectInfo(kit, action.object);
  const noun = target?.label.toLowerCase() ?? action.object;
  const links = fieldsOf(kit, action.object).filter((f) => f.type === "reference" && f.references?.includes(own));
  const copy = Object.entries(action.copy ?? {});
  const targetFields = fieldsOf(kit, action.object).filter((f) => !f.managed);
  const setCopy = (next: [string, string][]) => save(setKey(action, "copy", next.length > 0 ? Object.fromEntries(next) : undefined));
  return (
    <>
      <PanelField path={`${path}.object`} label="Create a">
        {(c) => (
          <Choice
            control={c}
            value={action.object}
            placeholder="Choose an object…"
            options={kit.objects.map((o) => ({ value: o.name, label: o.label }))}
            onChange={(object) => save({ type: "create_record", object, fields: {} })}
          />
        )}
      </PanelField>
      <FieldValues
        path={`${path}.fields`}
        object={action.object}
        legend={`The new ${noun}'s values`}
        values={action.fields ?? {}}
        onChange={(fields, key) => save({ ...action, fields }, key)}
      />
      <fieldset className={styles.fieldset}>
        <legend>Copied from this {objectInfo(kit, own)?.label.toLowerCase() ?? own}</legend>
        {copy.length === 0 ? <p className={styles.hint}>Nothing copied.</p> : null}
        {copy.map(([to, from], i) => (
          <div key={to} className={styles.row}>
            <PanelField path={`${path}.copy.${to}`} label={`The new ${noun}'s`} showProblems={false}>
              {(c) => (
                <FieldSelect
                  control={c}
                  object={action.object}
                  value={to}
                  only={(f) => !f.managed}
                  onChange={(name) => setCopy(copy.map(([k, v], j) => (j === i ? [name, v] : [k, v])))}
                />
              )}
            </PanelField>
            <PanelField path={`${path}.copy.${to}`} label="from this record's" suffix="-from">
              {(c) => (
                <FieldSelect
                  control={c}
                  object={own}
                  value={from}
                  onChange={(name) => setCopy(copy.map(([k, v], j) => (j === i ? [k, name] : [k, v])))}
                />
              )}
            </PanelField>
            {kit.editable ? (
              <button type="button" className={styles.remove} onClick={() => setCopy(copy.filter((_, j) => j !== i))}>
                Remove copy {i + 1}
              </button>
            ) : null}
          </div>
        ))}
        {kit.editable && targetFields[0] ? (
          <button
            type="button"
            className={styles.small}
            onClick={() => {
              const free = targetFields.find((f) => !(f.name in (action.copy ?? {})));
              if (free) setCopy([...copy, [free.name, free.name]]);
            }}
          >
            Copy a field
          </button>
        ) : null}
      </fieldset>
      <PanelField path={`${path}.link_field`} label={`The new ${noun}'s field that points back at this record`}>
        {(c) => (
          <select
            {...c}
            className={styles.select}
            value={action.link_field ?? ""}
            onChange={(e) => save(setKey(action, "link_field", e.target.value || undefined))}
          >
            <option value="">None</option>
            {links.map((f) => (
              <option key={f.name} value={f.name}>
                {f.label}
              </option>
            ))}
          </select>
        )}
      </PanelField>
    </>
  );
}
