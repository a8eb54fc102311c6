/**
 * The condition editor: nested AND / OR groups of conditions on a record (its fields, the fields
 * of records it references, counts of related records), with NOT as "not all" / "none of".
 * Used for the trigger's filter, the enrollment conditions, the goal, a branch's rules, a
 * wait's condition and a count's own conditions. Every change is a whole new condition handed
 * to `onChange` with the path it changed as its undo key; removing the last condition removes
 * the condition altogether (undefined).
 */
import type { Condition, LeafCondition } from "../../../../components/graph/definition";
import { controlId, useKit } from "../kit";
import styles from "../panels.module.css";
import { ConditionRow } from "./ConditionRow";
import { operatorsFor } from "./operators";
import { asGroup, fromGroup, type GroupMode, isLeaf, isLoneLeaf, MODE_WORDS } from "./shape";
import { subjectsFor } from "./subjects";

export interface ConditionEditorProps {
  /** The definition path of the condition ("conditions", "steps.route.rules.0.when"). */
  path: string;
  /** The object the condition reads. */
  object: string;
  legend: string;
  /** What no condition means here ("Every lead enrolls."). */
  empty: string;
  /** Whether "changed / changed from / changed to" apply (conditions checked on the triggering change). */
  changes: boolean;
  value: Condition | undefined;
  /** `mergeKey`: the path typed into (one undo step per run of typing); none for adding and removing. */
  onChange: (c: Condition | undefined, mergeKey?: string) => void;
  /** Whether the condition may be removed altogether (a branch rule's may not). */
  required?: boolean;
}

/** A new condition on the object's first own field, with its first comparison; the person picks from there. */
export function useNewCondition(object: string): () => LeafCondition {
  const kit = useKit();
  return () => {
    const first = subjectsFor(object, kit.objects)[0]?.subjects.find((s) => s.kind === "field" && !s.field.managed);
    if (first?.kind !== "field") return { field: "id", op: "is_set" };
    return { field: first.path, op: operatorsFor(first, false)[0] ?? "eq" };
  };
}

export function ConditionEditor(props: ConditionEditorProps) {
  const { value, onChange, legend, empty, required } = props;
  const kit = useKit();
  const newCondition = useNewCondition(props.object);
  if (!value)
    return (
      <fieldset className={styles.fieldset}>
        <legend>{legend}</legend>
        <p className={styles.hint}>{empty}</p>
        {kit.editable ? (
          <button type="button" className={styles.small} onClick={() => onChange(newCondition())}>
            Add a condition
          </button>
        ) : null}
      </fieldset>
    );
  return <ConditionGroup {...props} condition={value} nested={false} onChange={(c, k) => (c || !required ? onChange(c, k) : undefined)} />;
}

function ConditionGroup({
  path,
  object,
  legend,
  changes,
  condition,
  nested,
  required,
  onChange,
  onRemove,
}: ConditionEditorProps & { condition: Condition; nested: boolean; onRemove?: () => void }) {
  const kit = useKit();
  const newCondition = useNewCondition(object);
  const group = asGroup(condition, path);
  const lone = isLoneLeaf(group, path);
  const items = group.items.map((i) => i.condition);
  const write = (mode: GroupMode, next: Condition[], mergeKey?: string) => onChange(fromGroup(mode, next), mergeKey);
  const replace = (i: number, c: Condition | undefined, mergeKey?: string) =>
    write(group.mode, c ? items.map((x, j) => (j === i ? c : x)) : items.filter((_, j) => j !== i), mergeKey);
  // A condition the format requires (a branch rule's) keeps its last item: removing it would leave none.
  const keepsLast = required === true && !nested && items.length === 1;
  const joiner = group.mode === "any" || group.mode === "none" ? "or" : "and";

  return (
    <fieldset className={styles.fieldset}>
      <legend>{legend}</legend>
      <label className={styles.hint} htmlFor={`${controlId(path)}-mode`}>
        How these conditions combine
      </label>
      <select
        id={`${controlId(path)}-mode`}
        className={styles.select}
        disabled={!kit.editable}
        value={group.mode}
        onChange={(e) => write(e.target.value as GroupMode, items, undefined)}
      >
        {(Object.keys(MODE_WORDS) as GroupMode[]).map((m) => (
          <option key={m} value={m}>
            {MODE_WORDS[m]}
          </option>
        ))}
      </select>
      {group.items.map((item, i) => (
        <div key={item.path} className={styles.field}>
          {i > 0 ? <span className={styles.kind}>{joiner}</span> : null}
          {isLeaf(item.condition) ? (
            <ConditionRow
              leaf={item.condition}
              path={item.path}
              object={object}
              changes={changes}
              position={`Condition ${i + 1}`}
              onChange={(c, k) => (lone ? onChange(c, k) : replace(i, c, k))}
              onRemove={keepsLast ? undefined : () => replace(i, undefined, undefined)}
            />
          ) : (
            <ConditionGroup
              path={item.path}
              object={object}
              legend={`Group ${i + 1}`}
              empty=""
              changes={changes}
              value={item.condition}
              condition={item.condition}
              nested
              onChange={(c, k) => replace(i, c, k)}
              onRemove={() => replace(i, undefined, undefined)}
            />
          )}
        </div>
      ))}
      {kit.editable ? (
        <div className={styles.row}>
          <button type="button" className={styles.small} onClick={() => write(group.mode, [...items, newCondition()], undefined)}>
            Add a condition
          </button>
          <button
            type="button"
            className={styles.small}
            onClick={() => write(group.mode, [...items, { and: [newCondition()] }], undefined)}
          >
            Add a group
          </button>
          {nested && onRemove ? (
            <button type="button" className={styles.remove} onClick={onRemove}>
              Remove this group
            </button>
          ) : null}
        </div>
      ) : null}
    </fieldset>
  );
}
