/**
 * Storage port of hosted forms (glossary: inbound-ports.ts, "Form").
 */
import type { FormRow } from "./inbound-ports.js";

export interface FormReads {
  getFormByKey(key: string): Promise<FormRow | undefined>;
  listForms(workspaceId: string): Promise<FormRow[]>;
}

export interface FormPort extends FormReads {
  /** False when the key is taken (by any workspace). */
  insertForm(form: FormRow): Promise<boolean>;
  updateForm(form: FormRow): Promise<void>;
  deleteForm(workspaceId: string, id: string): Promise<boolean>;
}
