/**
 * What every panel of the inspector works with, handed down once through a React context instead
 * of through every component: the definition and how to change it, the server's problems, whether
 * the person may edit, and the workspace's objects with their fields (custom fields included).
 */
import { createContext, useContext } from "react";
import type { WorkflowDefinition } from "../../../components/graph/definition";
import type { FieldInfo, ObjectInfo } from "../../../records/model";
import { SYSTEM_FIELDS } from "../../../records/model";
import type { Problem } from "../model/problems";
import type { Edit } from "../types";

export interface PanelKit {
  definition: WorkflowDefinition;
  onEdit: Edit;
  problems: readonly Problem[];
  editable: boolean;
  objects: readonly ObjectInfo[];
  /** The record the template previews render against (chosen once for every template of the builder). */
  previewRecord: string | undefined;
  setPreviewRecord: (id: string | undefined) => void;
}

export const PanelKitContext = createContext<PanelKit | null>(null);

export function useKit(): PanelKit {
  const kit = useContext(PanelKitContext);
  if (!kit) throw new Error("a panel is used outside the inspector");
  return kit;
}

export function objectInfo(kit: Pick<PanelKit, "objects">, name: string): ObjectInfo | undefined {
  return kit.objects.find((o) => o.name === name);
}

/** An object's fields as conditions and templates see them: its own, then id, created_at, updated_at. */
export function fieldsOf(kit: Pick<PanelKit, "objects">, object: string): FieldInfo[] {
  const o = objectInfo(kit, object);
  return o ? [...o.fields, ...SYSTEM_FIELDS] : [];
}

/** A field's label as a person reads it ("Company size (employees)"), or its name when the object does not have it. */
export function fieldLabel(kit: Pick<PanelKit, "objects">, object: string, name: string): string {
  return fieldsOf(kit, object).find((f) => f.name === name)?.label ?? name;
}

/** The id of a panel's control, from the definition path it edits ("steps.call.action.subject" → "f-steps-call-action-subject"). */
export function controlId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}
