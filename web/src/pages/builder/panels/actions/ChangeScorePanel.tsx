/** change_score: add points to (or take them from) a number field of the record. */
import { FieldSelect } from "../inputs/FieldSelect";
import { useKit } from "../kit";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import { isNumberField } from "../trigger/kinds";
import type { ActionPanelProps } from "./actionProps";

export function ChangeScorePanel({ action, path, save }: ActionPanelProps<"change_score">) {
  const kit = useKit();
  return (
    <div className={styles.row}>
      <PanelField path={`${path}.field`} label="Score field">
        {(c) => (
          <FieldSelect
            control={c}
            object={kit.definition.object}
            only={isNumberField}
            value={action.field ?? "score"}
            onChange={(field) => save({ ...action, field })}
          />
        )}
      </PanelField>
      <PanelField path={`${path}.by`} label="Points (negative takes away)">
        {(c) => (
          <input
            {...c}
            className={styles.input}
            type="number"
            step={1}
            value={action.by}
            onChange={(e) => save({ ...action, by: Math.trunc(Number(e.target.value)) }, `${path}.by`)}
          />
        )}
      </PanelField>
    </div>
  );
}
