/**
 * The value side of one condition, shaped by its comparison: nothing for "is set", a number of
 * days for "within the last … days", two values for "is between", a list for "is one of" (the
 * options as checkboxes, other types as a comma-separated list), one typed value otherwise.
 */

import { useState } from "react";
import type { FieldInfo } from "../../../../records/model";
import { humanize } from "../../../../records/model";
import { CheckGroup } from "../inputs/CheckGroup";
import { ValueInput } from "../inputs/ValueInput";
import type { ControlProps } from "../PanelField";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import { takesDays, takesList, takesNoValue } from "./operators";

const NUMBER_FIELD: FieldInfo = {
  name: "count",
  type: "integer",
  label: "Number",
  required: true,
  managed: false,
  custom: false,
  operators: [],
};

function parseItem(field: FieldInfo | undefined, text: string): unknown {
  if (field?.type === "integer" || field?.type === "number") return Number(text);
  if (field?.type === "boolean") return text === "true" || text === "yes";
  return text;
}

export function ConditionValue({
  path,
  op,
  field,
  isCount,
  value,
  onChange,
}: {
  path: string;
  op: string;
  /** The compared field (undefined for a count). */
  field: FieldInfo | undefined;
  isCount: boolean;
  value: unknown;
  onChange: (v: unknown) => void;
}) {
  if (takesNoValue(op)) return null;
  const f = isCount ? NUMBER_FIELD : field;
  if (takesDays(op))
    return (
      <PanelField path={`${path}.value`} label="Number of days">
        {(control) => <ValueInput field={NUMBER_FIELD} control={control} value={value} onChange={onChange} />}
      </PanelField>
    );
  if (op === "between") {
    const pair = Array.isArray(value) ? value : [undefined, undefined];
    return (
      <div className={styles.row}>
        <PanelField path={`${path}.value.0`} label="From">
          {(control) => <ValueInput field={f} control={control} value={pair[0]} onChange={(v) => onChange([v, pair[1]])} />}
        </PanelField>
        <PanelField path={`${path}.value.1`} label="To">
          {(control) => <ValueInput field={f} control={control} value={pair[1]} onChange={(v) => onChange([pair[0], v])} />}
        </PanelField>
      </div>
    );
  }
  if (takesList(op)) {
    const list = Array.isArray(value) ? value : [];
    if (f?.type === "enum")
      return (
        <CheckGroup
          path={`${path}.value`}
          legend="Values"
          options={(f.options ?? []).map((o) => ({ value: o, label: humanize(o) }))}
          checked={list.filter((x): x is string => typeof x === "string")}
          onChange={onChange}
        />
      );
    return (
      <PanelField path={`${path}.value`} label="Values" hint="Separate the values with commas.">
        {(control) => <ListText control={control} field={f} list={list} onChange={onChange} />}
      </PanelField>
    );
  }
  return (
    <PanelField path={`${path}.value`} label="Value">
      {(control) => <ValueInput field={f} control={control} value={value} onChange={onChange} />}
    </PanelField>
  );
}

const parseList = (field: FieldInfo | undefined, text: string): unknown[] =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => parseItem(field, s));

/**
 * A list typed as text. The text is kept as typed ("DE, " while the next value is on its way):
 * rebuilt from the list alone, the comma just typed would vanish and no second value could be
 * typed. A list changed from elsewhere (undo, another control) replaces the text.
 */
function ListText({
  control,
  field,
  list,
  onChange,
}: {
  control: ControlProps;
  field: FieldInfo | undefined;
  list: unknown[];
  onChange: (v: unknown[]) => void;
}) {
  const [text, setText] = useState(() => list.map(String).join(", "));
  const shown = JSON.stringify(parseList(field, text)) === JSON.stringify(list) ? text : list.map(String).join(", ");
  return (
    <input
      {...control}
      className={styles.input}
      value={shown}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseList(field, e.target.value));
      }}
    />
  );
}
