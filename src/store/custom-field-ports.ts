/**
 * Storage port of a workspace's custom fields.
 *
 * Glossary
 * - Custom field: a field a workspace adds to an object (crm/custom-fields.ts), beside the built-in ones.
 */
import type { CustomFieldDef } from "../crm/custom-fields.js";

export interface CustomFieldReads {
  listCustomFields(workspaceId: string): Promise<CustomFieldDef[]>;
}

export interface CustomFieldPort extends CustomFieldReads {
  insertCustomField(workspaceId: string, field: CustomFieldDef): Promise<void>;
}
