/** enroll / unenroll: the other workflow to start or stop for this record, picked from the workspace's workflows. */
import { Choice } from "../inputs/Choice";
import { useWorkflowKeys } from "../inputs/directory";
import { useKit } from "../kit";
import { PanelField } from "../PanelField";
import type { ActionPanelProps } from "./actionProps";

export function EnrollPanel({ action, path, save }: ActionPanelProps<"enroll">) {
  return (
    <WorkflowPick
      path={path}
      value={action.workflow}
      onChange={(workflow) => save({ ...action, workflow })}
      label="Start this workflow for the record"
    />
  );
}

export function UnenrollPanel({ action, path, save }: ActionPanelProps<"unenroll">) {
  return (
    <WorkflowPick
      path={path}
      value={action.workflow}
      onChange={(workflow) => save({ ...action, workflow })}
      label="Stop this workflow for the record"
    />
  );
}

function WorkflowPick({ path, value, onChange, label }: { path: string; value: string; onChange: (key: string) => void; label: string }) {
  const kit = useKit();
  const workflows = useWorkflowKeys();
  return (
    <PanelField path={`${path}.workflow`} label={label}>
      {(c) => (
        <Choice
          control={c}
          value={value}
          loading={workflows.isPending}
          placeholder="Choose a workflow…"
          options={(workflows.data ?? [])
            .filter((w) => w.id !== kit.definition.key)
            .map((w) => ({ value: w.id, label: `${w.name} (${w.detail})` }))}
          onChange={onChange}
        />
      )}
    </PanelField>
  );
}
