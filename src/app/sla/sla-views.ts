/** An SLA policy as the API and the CLI show it: the doc's JSON, with its version and open clocks. */
import type { Condition } from "../../engine/definition.js";
import type { SlaPolicyDefinition, SlaPolicyRow } from "../../store/sla-ports.js";

export interface SlaPolicyView extends Omit<SlaPolicyDefinition, "applies_when" | "targets_by" | "pause_when" | "warning"> {
  id: string;
  applies_when: Condition | null;
  targets_by: SlaPolicyDefinition["targets_by"] | null;
  pause_when: Condition | null;
  warning: SlaPolicyDefinition["warning"] | null;
  /** Clocks this policy started that have not stopped (running or paused). */
  open_clocks: number;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

export function slaPolicyView(row: SlaPolicyRow, openClocks: number): SlaPolicyView {
  const d = row.definition;
  return {
    id: row.id,
    name: d.name,
    description: d.description,
    object: d.object,
    enabled: d.enabled,
    applies_when: d.applies_when ?? null,
    starts: d.starts,
    stops: d.stops,
    target: d.target,
    targets_by: d.targets_by ?? null,
    calendar: d.calendar,
    pause_when: d.pause_when ?? null,
    warning: d.warning ?? null,
    escalations: d.escalations,
    open_clocks: openClocks,
    version: row.version,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    updated_by: row.updatedBy,
  };
}
