/**
 * A classify step (docs/ai.md "The classify step"): which AI model fills which field. The model
 * list is the workspace's models of the workflow's object; choosing one sets the field it
 * predicts (a step writes its model's target, nothing else). Where sure and unsure predictions
 * lead is drawn on the canvas; the panel says what unsure means for this model.
 */
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { aiModelsQuery } from "../../../ai/data";
import { fieldLabel, useKit } from "../kit";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import { type StepPanelProps, saveStep } from "./stepProps";

export function ClassifyPanel({ id, step }: StepPanelProps<"classify">) {
  const kit = useKit();
  const models = useQuery(aiModelsQuery);
  // Classifiers only: a conversion model predicts a chance, not a value to write (publish refuses one).
  const mine = (models.data ?? []).filter((m) => m.object === kit.definition.object && m.kind === "classifier");
  const chosen = mine.find((m) => m.name === step.model);
  const known = chosen !== undefined || models.isPending;
  return (
    <>
      <PanelField path={`steps.${id}.model`} label="AI model">
        {(c) => (
          <select
            {...c}
            className={styles.input}
            value={step.model}
            disabled={!kit.editable || c.disabled}
            onChange={(e) => {
              const m = mine.find((x) => x.name === e.target.value);
              if (m) saveStep(kit, id, { ...step, model: m.name, field: m.target });
            }}
          >
            {known ? null : <option value={step.model}>{step.model} (not found)</option>}
            {mine.map((m) => (
              <option key={m.id} value={m.name}>
                {m.name}
                {m.enabled ? "" : " (off)"}
              </option>
            ))}
          </select>
        )}
      </PanelField>
      {models.isSuccess && mine.length === 0 ? (
        <p className={styles.hint}>
          No AI model predicts a field of this object yet. <Link to="/ai">Make and train one on the AI models page</Link>.
        </p>
      ) : null}
      <p className={styles.hint}>
        Writes <strong>{fieldLabel(kit, kit.definition.object, step.field)}</strong>
        {chosen
          ? ` when the model is at least ${Math.round(chosen.threshold * 100)} % sure. Less sure — or with the model off — the field is left as it is and the run takes the unsure path.`
          : ". Less sure than the model's threshold, the field is left as it is and the run takes the unsure path."}
        {chosen && !chosen.enabled ? " This model is off: publishing is refused until it is trained and turned on." : ""}
      </p>
    </>
  );
}
