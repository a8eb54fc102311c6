/** What every step type's panel gets: the step's id and its spec, narrowed to its type; and how it writes one back. */
import type { StepSpec } from "../../../../components/graph/definition";
import { withStep } from "../edits";
import type { PanelKit } from "../kit";

export interface StepPanelProps<T extends StepSpec["type"]> {
  id: string;
  step: Extract<StepSpec, { type: T }>;
}

/** The step replaced in the definition; `key` (the full path typed into) makes a run of typing one undo step. */
export function saveStep(kit: PanelKit, id: string, step: StepSpec, key?: string) {
  kit.onEdit(withStep(kit.definition, id, step), key);
}
