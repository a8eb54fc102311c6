/**
 * The panel beside the canvas: the settings of what is selected, in the admin's words — the
 * workflow's own settings, the trigger with its enrollment conditions, or one step (panels/).
 * It reads the workspace's objects and fields once (custom fields included) and hands them, the
 * definition, the problems and the edit to the panels through their kit.
 */
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { ErrorMessage } from "../../components/ui";
import { objectsQuery } from "../../records/model";
import { type PanelKit, PanelKitContext } from "./panels/kit";
import styles from "./panels/panels.module.css";
import { StepPanel } from "./panels/StepPanel";
import { TriggerPanel } from "./panels/TriggerPanel";
import { WorkflowPanel } from "./panels/WorkflowPanel";
import type { BuilderPartProps } from "./types";

export function Inspector({ definition, selection, onSelect, onEdit, problems, editable }: BuilderPartProps) {
  const objects = useQuery(objectsQuery);
  // Chosen once for every template preview of this builder (the newest record until changed).
  const [previewRecord, setPreviewRecord] = useState<string | undefined>(undefined);
  const kit = useMemo<PanelKit | undefined>(
    () => (objects.data ? { definition, onEdit, problems, editable, objects: objects.data, previewRecord, setPreviewRecord } : undefined),
    [definition, onEdit, problems, editable, objects.data, previewRecord],
  );
  if (objects.error) return <ErrorMessage error={objects.error} what="the objects and their fields" />;
  if (!kit) return <p aria-live="polite">Loading the fields…</p>;
  return (
    <PanelKitContext.Provider value={kit}>
      {/* The workflow and its trigger are always one click away, whatever the canvas has selected. */}
      <nav className={styles.sections} aria-label="Inspector">
        <button type="button" aria-pressed={selection.kind === "workflow"} onClick={() => onSelect({ kind: "workflow" })}>
          Workflow settings
        </button>
        <button type="button" aria-pressed={selection.kind === "trigger"} onClick={() => onSelect({ kind: "trigger" })}>
          Trigger &amp; conditions
        </button>
      </nav>
      {selection.kind === "step" ? <StepPanel id={selection.id} /> : selection.kind === "trigger" ? <TriggerPanel /> : <WorkflowPanel />}
    </PanelKitContext.Provider>
  );
}
