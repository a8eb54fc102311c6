/** What each action's panel gets: the action narrowed to its type, the path of its settings, and how it writes one back. */
import type { ActionSpec } from "../../../../components/graph/definition";

export interface ActionPanelProps<K extends ActionSpec["type"]> {
  /** The step's id. */
  id: string;
  action: Extract<ActionSpec, { type: K }>;
  /** "steps.<id>.action": the settings' paths start here. */
  path: string;
  /** The action replaced; `key` (the full path typed into) makes a run of typing one undo step. */
  save: (next: Extract<ActionSpec, { type: K }>, key?: string) => void;
}
