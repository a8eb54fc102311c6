/**
 * A switch: the field whose value picks the path, and its cases (one value each, typed by the
 * field); any other value takes the default path. A new case leads where the default leads
 * until it is pointed elsewhere on the canvas.
 */
import { FieldSelect } from "../inputs/FieldSelect";
import { ValueInput } from "../inputs/ValueInput";
import { fieldsOf, useKit } from "../kit";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import { type StepPanelProps, saveStep } from "./stepProps";

export function SwitchPanel({ id, step }: StepPanelProps<"switch">) {
  const kit = useKit();
  const d = kit.definition;
  const field = fieldsOf(kit, d.object).find((f) => f.name === step.field);
  const cases = Object.entries(step.cases);
  const setCases = (next: [string, string][], key?: string) => saveStep(kit, id, { ...step, cases: Object.fromEntries(next) }, key);
  const unused = (field?.options ?? []).find((o) => !(o in step.cases));
  return (
    <>
      <PanelField path={`steps.${id}.field`} label="Choose the path by">
        {(c) => (
          <FieldSelect control={c} object={d.object} value={step.field} onChange={(name) => saveStep(kit, id, { ...step, field: name })} />
        )}
      </PanelField>
      <h3>Cases</h3>
      {cases.length === 0 ? <p className={styles.hint}>No cases: every record takes the default path.</p> : null}
      {cases.map(([value], i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a case is its position while its value is being typed (keyed by value, the input would lose focus at each key)
        <div key={i} className={styles.row}>
          <PanelField path={`steps.${id}.cases.${value}`} label={`Case ${i + 1}: when it is`}>
            {(c) => (
              <ValueInput
                field={field}
                control={c}
                value={value}
                onChange={(v) => {
                  const text = v === undefined ? "" : String(v);
                  if (text === value || (text !== "" && text in step.cases)) return;
                  setCases(
                    cases.map(([k, t], j) => (j === i ? [text, t] : [k, t])),
                    `steps.${id}.cases.${i}`,
                  );
                }}
              />
            )}
          </PanelField>
          {kit.editable ? (
            <button type="button" className={styles.remove} onClick={() => setCases(cases.filter((_, j) => j !== i))}>
              Remove case {i + 1}
            </button>
          ) : null}
        </div>
      ))}
      {kit.editable ? (
        <button
          type="button"
          className={styles.small}
          onClick={() => {
            const to = step.default ?? cases[0]?.[1];
            const value = unused ?? `value ${cases.length + 1}`;
            if (to && !(value in step.cases)) setCases([...cases, [value, to]]);
          }}
        >
          Add a case
        </button>
      ) : null}
    </>
  );
}
