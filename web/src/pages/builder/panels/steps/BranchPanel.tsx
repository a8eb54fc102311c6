/**
 * A branch: its rules in order (the first that holds picks the path), each with a label and a
 * condition built in the condition editor; "otherwise" takes the rest. A new rule leads where
 * "otherwise" leads until it is pointed elsewhere on the canvas.
 */
import type { Condition } from "../../../../components/graph/definition";
import { ConditionEditor, useNewCondition } from "../conditions/ConditionEditor";
import { useKit } from "../kit";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import { type StepPanelProps, saveStep } from "./stepProps";

export function BranchPanel({ id, step }: StepPanelProps<"branch">) {
  const kit = useKit();
  const d = kit.definition;
  const newCondition = useNewCondition(d.object);
  const rules = step.rules;
  const setRules = (next: typeof rules, key?: string) => saveStep(kit, id, { ...step, rules: next }, key);
  return (
    <>
      <h3>Rules, in order</h3>
      <p className={styles.hint}>The first rule that holds picks the path; when none holds, the “otherwise” path is taken.</p>
      {rules.map((rule, i) => {
        const path = `steps.${id}.rules.${i}`;
        const name = rule.label ? `“${rule.label}”` : `Rule ${i + 1}`;
        return (
          <fieldset key={path} className={styles.fieldset}>
            <legend>Rule {i + 1}</legend>
            <PanelField path={`${path}.label`} label="Label" hint="Shown on the path of the canvas.">
              {(c) => (
                <input
                  {...c}
                  className={styles.input}
                  value={rule.label ?? ""}
                  onChange={(e) => {
                    const { label: _l, ...rest } = rule;
                    setRules(
                      rules.map((r, j) => (j === i ? (e.target.value ? { ...rest, label: e.target.value } : rest) : r)),
                      `${path}.label`,
                    );
                  }}
                />
              )}
            </PanelField>
            <ConditionEditor
              path={`${path}.when`}
              object={d.object}
              legend={`${name} holds when`}
              empty="No condition."
              changes={false}
              required
              value={rule.when}
              onChange={(when: Condition | undefined, key) => {
                if (when)
                  setRules(
                    rules.map((r, j) => (j === i ? { ...r, when } : r)),
                    key,
                  );
              }}
            />
            {kit.editable && rules.length > 1 ? (
              <button type="button" className={styles.remove} onClick={() => setRules(rules.filter((_, j) => j !== i))}>
                Remove rule {i + 1}
              </button>
            ) : null}
          </fieldset>
        );
      })}
      {kit.editable ? (
        <button
          type="button"
          className={styles.small}
          onClick={() => {
            const to = step.else ?? rules[0]?.next;
            if (to) setRules([...rules, { when: newCondition(), next: to }]);
          }}
        >
          Add a rule
        </button>
      ) : null}
    </>
  );
}
