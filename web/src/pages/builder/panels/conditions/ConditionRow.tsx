/**
 * One condition: what it is about (a field of the record, a field of a record it references, a
 * count of related records), the comparison in words, and the value typed by the field. A count
 * may narrow what it counts with its own conditions ("only those where status is open").
 */
import type { Condition, LeafCondition } from "../../../../components/graph/definition";
import { fieldsOf, useKit } from "../kit";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import { ConditionEditor } from "./ConditionEditor";
import { ConditionValue } from "./ConditionValue";
import { operatorsFor, opWords } from "./operators";
import { findSubject, subjectKeyOf, subjectsFor } from "./subjects";

export function ConditionRow({
  leaf,
  path,
  object,
  changes,
  onChange,
  onRemove,
  position,
}: {
  leaf: LeafCondition;
  path: string;
  object: string;
  changes: boolean;
  onChange: (c: Condition, mergeKey?: string) => void;
  /** Absent when this condition may not be removed (the only one of a rule). */
  onRemove: (() => void) | undefined;
  /** "Condition 2", for the remove button's name. */
  position: string;
}) {
  const kit = useKit();
  const groups = subjectsFor(object, kit.objects);
  const key = subjectKeyOf(leaf);
  const subject = findSubject(groups, key);
  const ops = operatorsFor(subject, changes);
  const field = subject?.kind === "field" ? subject.field : undefined;
  const ownProblems = kit.problems.filter((p) => p.path === path);

  const chooseSubject = (k: string) => {
    const next = findSubject(groups, k);
    if (!next) return;
    const nextOps = operatorsFor(next, changes);
    const op = nextOps.includes(leaf.op as never) ? leaf.op : (nextOps[0] ?? "eq");
    const sameType =
      next.kind === subject?.kind && (next.kind === "count" || (subject?.kind === "field" && next.field.type === subject.field.type));
    const base = next.kind === "count" ? { count: next.count, op } : { field: next.path, op };
    onChange({ ...base, ...(sameType && leaf.value !== undefined ? { value: leaf.value } : {}) } as LeafCondition);
  };

  return (
    // A group named by its place ("Condition 2"): with two conditions there are two "About" and two
    // "Value" controls, and a screen reader (or a test) tells them apart by the group they are in.
    <fieldset className={styles.fieldset} aria-label={position}>
      <PanelField path={leaf.count ? `${path}.count` : `${path}.field`} label="About">
        {(control) => (
          <select {...control} className={styles.select} value={key} onChange={(e) => chooseSubject(e.target.value)}>
            {subject ? null : <option value={key}>{leaf.field || "Choose a field…"}</option>}
            {groups.map((g) => (
              <optgroup key={g.label} label={g.label}>
                {g.subjects.map((s) => (
                  <option key={s.key} value={s.key}>
                    {s.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        )}
      </PanelField>
      <PanelField path={`${path}.op`} label="Comparison">
        {(control) => (
          <select
            {...control}
            className={styles.select}
            value={leaf.op}
            onChange={(e) => {
              const op = e.target.value;
              const keepsValue = !(
                op === "between" ||
                op === "in" ||
                op === "nin" ||
                leaf.op === "between" ||
                leaf.op === "in" ||
                leaf.op === "nin"
              );
              const { value: _drop, ...rest } = leaf;
              onChange({ ...rest, op, ...(keepsValue && leaf.value !== undefined ? { value: leaf.value } : {}) });
            }}
          >
            {ops.includes(leaf.op as never) ? null : <option value={leaf.op}>{opWords(leaf.op, field)}</option>}
            {ops.map((op) => (
              <option key={op} value={op}>
                {opWords(op, field)}
              </option>
            ))}
          </select>
        )}
      </PanelField>
      <ConditionValue
        path={path}
        op={leaf.op}
        field={field}
        isCount={leaf.count !== undefined}
        value={leaf.value}
        onChange={(value) => {
          const { value: _old, ...rest } = leaf;
          onChange(value === undefined ? rest : { ...rest, value }, `${path}.value`);
        }}
      />
      {leaf.count ? (
        <ConditionEditor
          path={`${path}.count.where`}
          object={leaf.count.object}
          legend={`Only count ${fieldsOf(kit, leaf.count.object).length > 0 ? "those" : "records"} where`}
          empty="Every related record is counted."
          changes={false}
          value={leaf.count.where}
          onChange={(where, mergeKey) => {
            const { where: _w, ...count } = leaf.count ?? { object: "", via: "" };
            onChange({ ...leaf, count: where ? { ...count, where } : count }, mergeKey);
          }}
        />
      ) : null}
      {ownProblems.length > 0 ? <span className={styles.error}>{ownProblems.map((p) => p.message).join(" ")}</span> : null}
      {kit.editable && onRemove ? (
        <button type="button" className={styles.remove} onClick={onRemove}>
          Remove {position.toLowerCase()}
        </button>
      ) : null}
    </fieldset>
  );
}
