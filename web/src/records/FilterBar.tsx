/**
 * The filter rows of a list: field, operator (only those the field's type allows, as
 * `GET /objects` lists them) and value, joined by "all" (AND) or "any" (OR). The rows are a
 * draft until "Apply filters", which puts them in the URL; the list reads them from there.
 */
import { type FormEvent, useState } from "react";
import { ui } from "../components/ui";
import { type FilterRow, type ListSearch, OPERATOR_LABELS, takesList, takesNoValue } from "./filters";
import { type FieldInfo, humanize } from "./model";
import styles from "./records.module.css";

export interface FilterBarProps {
  fields: readonly FieldInfo[];
  search: ListSearch;
  onApply: (filters: FilterRow[], match: "all" | "any") => void;
  onClear: () => void;
  /** The object's plural in words ("leads"), for the labels. */
  noun: string;
}

export function FilterBar({ fields, search, onApply, onClear, noun }: FilterBarProps) {
  const filterable = fields.filter((f) => f.operators.length > 0);
  const [rows, setRows] = useState<FilterRow[]>(search.filters ?? []);
  const [match, setMatch] = useState<"all" | "any">(search.match ?? "all");
  const byName = new Map(filterable.map((f) => [f.name, f]));

  const add = () => {
    const first = filterable[0];
    if (first) setRows((r) => [...r, { field: first.name, op: first.operators[0] ?? "eq", value: "" }]);
  };
  const update = (i: number, patch: Partial<FilterRow>) =>
    setRows((r) =>
      r.map((row, j) => {
        if (j !== i) return row;
        const next = { ...row, ...patch };
        if (patch.field !== undefined) {
          const f = byName.get(patch.field);
          if (f && !f.operators.includes(next.op)) next.op = f.operators[0] ?? "eq";
          next.value = "";
        }
        return next;
      }),
    );
  const remove = (i: number) => setRows((r) => r.filter((_, j) => j !== i));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(rows, match);
  };

  return (
    <form className={styles.filterBar} onSubmit={submit} aria-label={`Filter ${noun}`}>
      <fieldset className={styles.match}>
        <legend>Show {noun} that match</legend>
        <label>
          <input type="radio" name="match" value="all" checked={match === "all"} onChange={() => setMatch("all")} /> all filters (AND)
        </label>
        <label>
          <input type="radio" name="match" value="any" checked={match === "any"} onChange={() => setMatch("any")} /> any filter (OR)
        </label>
      </fieldset>
      {rows.length === 0 ? (
        <p className={ui.hint}>No filters: every {noun.replace(/s$/, "")} is listed. Add one to narrow the list.</p>
      ) : null}
      <ol className={styles.filterRows}>
        {rows.map((row, i) => {
          const field = byName.get(row.field);
          const n = i + 1;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place; removing one re-renders those after it
            <li key={i} className={styles.filterRow}>
              <label className="visually-hidden" htmlFor={`filter-${n}-field`}>
                Filter {n} field
              </label>
              <select
                id={`filter-${n}-field`}
                className={ui.input}
                value={row.field}
                onChange={(e) => update(i, { field: e.target.value })}
              >
                {filterable.map((f) => (
                  <option key={f.name} value={f.name}>
                    {f.label}
                  </option>
                ))}
              </select>
              <label className="visually-hidden" htmlFor={`filter-${n}-op`}>
                Filter {n} operator
              </label>
              <select
                id={`filter-${n}-op`}
                className={ui.input}
                value={row.op}
                onChange={(e) => update(i, { op: e.target.value as FilterRow["op"] })}
              >
                {(field?.operators ?? []).map((op) => (
                  <option key={op} value={op}>
                    {OPERATOR_LABELS[op]}
                  </option>
                ))}
              </select>
              {takesNoValue(row.op) ? (
                <span className={styles.noValue} />
              ) : (
                <ValueInput n={n} field={field} row={row} onChange={(value) => update(i, { value })} />
              )}
              <button type="button" className={ui.secondary} onClick={() => remove(i)} aria-label={`Remove filter ${n}`}>
                Remove
              </button>
            </li>
          );
        })}
      </ol>
      <div className={styles.actions}>
        <button type="button" className={ui.secondary} onClick={add}>
          Add filter
        </button>
        <button type="submit" className={ui.button}>
          Apply filters
        </button>
        {(search.filters?.length ?? 0) > 0 || search.q ? (
          <button type="button" className={ui.secondary} onClick={onClear}>
            Clear filters
          </button>
        ) : null}
      </div>
    </form>
  );
}

function ValueInput({
  n,
  field,
  row,
  onChange,
}: {
  n: number;
  field: FieldInfo | undefined;
  row: FilterRow;
  onChange: (v: string) => void;
}) {
  const id = `filter-${n}-value`;
  const label = (
    <label className="visually-hidden" htmlFor={id}>
      Filter {n} value
    </label>
  );
  const list = takesList(row.op);
  if (!list && (field?.type === "enum" || field?.type === "boolean")) {
    const options = field.type === "boolean" ? ["true", "false"] : (field.options ?? []);
    return (
      <>
        {label}
        <select id={id} className={ui.input} value={row.value} onChange={(e) => onChange(e.target.value)}>
          <option value="">Choose…</option>
          {options.map((o) => (
            <option key={o} value={o}>
              {field.type === "boolean" ? (o === "true" ? "Yes" : "No") : humanize(o)}
            </option>
          ))}
        </select>
      </>
    );
  }
  const type = list ? "text" : field?.type === "date" ? "date" : field?.type === "datetime" ? "datetime-local" : "text";
  const placeholder = row.op === "between" ? "low, high" : list ? "one, two, three" : "";
  return (
    <>
      {label}
      <input
        id={id}
        className={ui.input}
        type={type}
        value={row.value}
        placeholder={placeholder}
        inputMode={field?.type === "integer" || field?.type === "number" ? "decimal" : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    </>
  );
}
