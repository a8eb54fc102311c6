/**
 * merge_records: what the run's record is merged into — its best open suspected duplicate (from
 * the review queue, optionally above a score) or a record named by id (a template, e.g. a field
 * holding the master record's id). The other record stays; its values win and its empty fields
 * are filled from this one.
 */
import { TemplateInput } from "../inputs/TemplateInput";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import type { ActionPanelProps } from "./actionProps";

export function MergeRecordsPanel({ action, path, save }: ActionPanelProps<"merge_records">) {
  const into = action.into;
  const named = "record_id" in into;
  return (
    <>
      <PanelField
        path={`${path}.into`}
        label="Merge into"
        hint="The other record stays: its values win, and its empty fields are filled from this record. The merge can be undone from its page."
        exact
      >
        {(c) => (
          <select
            {...c}
            className={styles.select}
            value={named ? "record_id" : "best_duplicate"}
            onChange={(e) =>
              save({ ...action, into: e.target.value === "record_id" ? { record_id: "" } : { best_duplicate: true } }, `${path}.into`)
            }
          >
            <option value="best_duplicate">Its best suspected duplicate</option>
            <option value="record_id">A record named by its id</option>
          </select>
        )}
      </PanelField>
      {"record_id" in into ? (
        <TemplateInput
          path={`${path}.into.record_id`}
          label="Id of the record to merge into"
          hint="For example {{ record.master_id }}. Empty: nothing is merged and the run goes on."
          action="merge_records"
          part="record_id"
          short
          value={into.record_id}
          onChange={(record_id) => save({ ...action, into: { record_id } }, `${path}.into.record_id`)}
        />
      ) : (
        <PanelField
          path={`${path}.into.min_score`}
          label="Lowest score to merge (%)"
          hint="From the review queue: only a pair its match rule scored at least this. Empty: any open pair. With none, nothing is merged and the run goes on."
        >
          {(c) => (
            <input
              {...c}
              className={styles.input}
              type="number"
              min={0}
              max={100}
              step={1}
              value={into.min_score === undefined ? "" : Math.round(into.min_score * 100)}
              onChange={(e) => {
                const raw = e.target.value;
                const { min_score: _drop, ...rest } = into;
                save(
                  { ...action, into: raw === "" ? rest : { ...rest, min_score: Math.min(100, Math.max(0, Number(raw))) / 100 } },
                  `${path}.into.min_score`,
                );
              }}
            />
          )}
        </PanelField>
      )}
    </>
  );
}
