/**
 * How the queue counts a member's open work (its `load`): which object, which of its user
 * fields makes an item someone's, and which of those items count as open — a condition written
 * with the workflow builder's condition editor. Required by least-loaded and by respecting caps
 * (the server says so at `load`).
 */
import { useMemo } from "react";
import type { ObjectInfo } from "../../records/model";
import type { Problem } from "../builder/model/problems";
import { ConditionEditor } from "../builder/panels/conditions/ConditionEditor";
import { ConditionKit } from "./ConditionKit";
import { FieldError } from "./FieldError";
import { controlFor } from "./QueueMembers";
import { dottedPath, type QueueDraft } from "./queue-form";
import styles from "./Routing.module.css";

type Load = QueueDraft["load"];

const userFields = (o: ObjectInfo | undefined) =>
  (o?.fields ?? []).filter((f) => f.type === "reference" && (f.references ?? []).includes("user"));

export function QueueLoad({
  load,
  onChange,
  objects,
  issues,
  needed,
}: {
  load: Load;
  onChange: (load: Load) => void;
  objects: readonly ObjectInfo[];
  /** The server's problems (every path; the controls pick theirs). */
  issues: readonly Problem[];
  /** Why a load is needed now ("least loaded needs it"), or undefined. */
  needed: string | undefined;
}) {
  // Only objects whose records someone can own: those with a user field.
  const ownable = objects.filter((o) => userFields(o).length > 0);
  const object = objects.find((o) => o.name === load?.object);
  const at = (path: string) => {
    const found = issues.filter((p) => p.path === path).map((p) => p.message);
    return found.length > 0 ? found.join("; ") : undefined;
  };
  const conditionProblems = useMemo(
    () => issues.filter((p) => p.path.startsWith("load.where")).map((p) => ({ ...p, path: dottedPath(p.path) })),
    [issues],
  );
  const loadError = at("load");
  return (
    <fieldset className={styles.fieldset} aria-describedby={loadError ? "load-error" : "load-hint"}>
      <legend>Open work</legend>
      <p id="load-hint" className={styles.muted}>
        How a member's open work is counted: least loaded picks whoever has the least, and caps compare against it.
        {needed ? ` It is needed here: ${needed}.` : ""}
      </p>
      <div className={styles.row}>
        <div className={styles.formField}>
          <label htmlFor="load-object" className={styles.label}>
            Count open
          </label>
          <select
            {...controlFor("load-object", at("load.object") ?? loadError)}
            className={styles.select}
            value={load?.object ?? ""}
            onChange={(e) => {
              const next = objects.find((o) => o.name === e.target.value);
              onChange(next ? { object: next.name, owner_field: userFields(next)[0]?.name ?? "", where: undefined } : null);
            }}
          >
            <option value="">Nothing (open work is not counted)</option>
            {ownable.map((o) => (
              <option key={o.name} value={o.name}>
                {o.plural.replaceAll("_", " ")}
              </option>
            ))}
          </select>
          <FieldError id="load-object" message={at("load.object") ?? loadError} />
        </div>
        {load ? (
          <div className={styles.formField}>
            <label htmlFor="load-owner" className={styles.label}>
              Owned through
            </label>
            <select
              {...controlFor("load-owner", at("load.owner_field"))}
              className={styles.select}
              value={load.owner_field}
              onChange={(e) => onChange({ ...load, owner_field: e.target.value })}
            >
              {userFields(object).some((f) => f.name === load.owner_field) ? null : (
                <option value={load.owner_field}>{load.owner_field || "Choose a field…"}</option>
              )}
              {userFields(object).map((f) => (
                <option key={f.name} value={f.name}>
                  {f.label}
                </option>
              ))}
            </select>
            <FieldError id="load-owner" message={at("load.owner_field")} />
          </div>
        ) : null}
      </div>
      {load && object ? (
        <ConditionKit objects={objects} problems={conditionProblems} editable>
          <ConditionEditor
            path="load.where"
            object={load.object}
            legend={`Which ${object.plural.replaceAll("_", " ")} count as open`}
            empty={`Every ${object.label.toLowerCase()} a member owns counts.`}
            changes={false}
            value={load.where}
            onChange={(where) => onChange({ ...load, where })}
          />
        </ConditionKit>
      ) : null}
    </fieldset>
  );
}
