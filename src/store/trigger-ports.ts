/**
 * Storage port of the trigger index.
 *
 * Glossary
 * - Trigger index: (workspace, object, kind) → workflow and version; what event matching reads.
 * - Trigger epoch: a per-workspace counter moved by every change of the index (009), so that a
 *   copy of the rows read at the current epoch is known to be current (sql/unit-of-work.ts keeps
 *   such copies across transactions).
 */
import type { ObjectName } from "../crm/fields.js";
import type { TriggerRow } from "./workflow-ports.js";

export interface TriggerReads {
  findTriggers(workspaceId: string, object: ObjectName, kinds: readonly string[]): Promise<TriggerRow[]>;
}

export interface TriggerPort extends TriggerReads {
  replaceTriggers(workspaceId: string, workflowId: string, rows: readonly TriggerRow[]): Promise<void>;
}
