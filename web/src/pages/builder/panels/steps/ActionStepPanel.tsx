/** An action step: the action's own panel, chosen from the registry by its type. */
import type { ActionSpec } from "../../../../components/graph/definition";
import type { ActionPanelProps } from "../actions/actionProps";
import { ACTION_PANELS } from "../actions/registry";
import { withAction } from "../edits";
import { useKit } from "../kit";
import type { StepPanelProps } from "./stepProps";

export function ActionStepPanel({ id, step }: StepPanelProps<"action">) {
  const kit = useKit();
  // The registry is typed per action; one call site over the union needs its panel as the union's.
  const Panel = ACTION_PANELS[step.action.type] as React.ComponentType<ActionPanelProps<ActionSpec["type"]>>;
  return (
    <Panel
      id={id}
      action={step.action}
      path={`steps.${id}.action`}
      save={(next, key) => kit.onEdit(withAction(kit.definition, id, next), key)}
    />
  );
}
