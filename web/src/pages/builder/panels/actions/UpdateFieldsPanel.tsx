/** update_fields: the record's fields to set and their new values. */
import { useKit } from "../kit";
import type { ActionPanelProps } from "./actionProps";
import { FieldValues } from "./FieldValues";

export function UpdateFieldsPanel({ action, path, save }: ActionPanelProps<"update_fields">) {
  const kit = useKit();
  return (
    <FieldValues
      path={`${path}.fields`}
      object={kit.definition.object}
      legend="Set these fields of the record"
      values={action.fields}
      onChange={(fields, key) => save({ ...action, fields }, key)}
    />
  );
}
