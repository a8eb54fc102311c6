/** A select of an object's fields (custom ones marked), optionally only those of some types. */
import type { FieldInfo } from "../../../../records/model";
import { fieldsOf, useKit } from "../kit";
import type { ControlProps } from "../PanelField";
import { Choice } from "./Choice";

export function FieldSelect({
  control,
  object,
  value,
  onChange,
  only,
  placeholder = "Choose a field…",
}: {
  control: ControlProps;
  object: string;
  value: string | undefined;
  onChange: (name: string) => void;
  only?: (f: FieldInfo) => boolean;
  placeholder?: string;
}) {
  const kit = useKit();
  const fields = fieldsOf(kit, object).filter((f) => only?.(f) ?? true);
  return (
    <Choice
      control={control}
      value={value}
      placeholder={placeholder}
      options={fields.map((f) => ({ value: f.name, label: f.custom ? `${f.label} (custom)` : f.label }))}
      onChange={onChange}
    />
  );
}
