/**
 * The builder's canvas: the workflow's graph, where a click on a node opens it in the inspector.
 */
import { TRIGGER_ID } from "../../components/graph/graph-model";
import { WorkflowGraph } from "../../components/graph/WorkflowGraph";
import { problemsByNode } from "./model/problems";
import type { BuilderPartProps } from "./types";

export function BuilderCanvas({ definition, selection, onSelect, problems }: BuilderPartProps) {
  return (
    <WorkflowGraph
      definition={definition}
      problems={problemsByNode(problems)}
      label={`Canvas of ${definition.name}`}
      selectedStep={selection.kind === "step" ? selection.id : undefined}
      onSelectStep={(id) => onSelect(id === TRIGGER_ID ? { kind: "trigger" } : { kind: "step", id })}
    />
  );
}
