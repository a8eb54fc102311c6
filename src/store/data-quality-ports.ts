/**
 * Storage port of validation rules, stage gates and field formats (issue 20; docs/data-quality.md
 * "Validation rules", "Stage gates", "Formats").
 *
 * Glossary
 * - Validation rule: a condition under which a write of one object is invalid, with the message
 *   shown on one field and an action (`refuse` the write, or `warn`: write it and queue the record
 *   for review). A stage gate is a rule of kind `gate`: what must hold when a field moves to a value.
 *   Both are one row here, with their definition (engine/rules.ts) and a version moved by every save.
 * - Field format: what happens to a value of one field that does not normalise (a phone number
 *   that is not E.164 even with the record's country): `refuse`, `fix` or `warn`. A field without
 *   a row is `fix`.
 * - Status rule: when a record's status contradicts its data ("a qualified lead has an owner"),
 *   read by the status accuracy KPI (issue 22) — never on the write path, so no epoch.
 * - Data-quality epoch: a per-workspace counter moved by every change of its rules or formats, in
 *   the same transaction. The write path reads it (once per transaction) and compiles the rules
 *   again only when it moved; 0 = the workspace never had a rule or a format.
 */
import type { ObjectName } from "../crm/fields.js";
import type { RuleDefinition } from "../engine/rules.js";
import type { StatusRuleDefinition } from "../engine/status-rules.js";
import type { VersionedUpdate } from "./routing-ports.js";

export interface ValidationRuleRow {
  workspaceId: string;
  id: string;
  definition: RuleDefinition;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

export interface StatusRuleRow {
  workspaceId: string;
  id: string;
  definition: StatusRuleDefinition;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

export const FORMAT_ACTIONS = ["refuse", "fix", "warn"] as const;
/** What happens to a value that does not normalise (docs/data-quality.md "Formats"). */
export type FormatAction = (typeof FORMAT_ACTIONS)[number];

export interface FieldFormatRow {
  workspaceId: string;
  object: ObjectName;
  field: string;
  onInvalid: FormatAction;
  version: number;
  updatedAt: string;
  updatedBy: string | null;
}

export interface DataQualityReads {
  /** The workspace's data-quality epoch (0 before its first rule or format). */
  dataQualityEpoch(workspaceId: string): Promise<number>;
  /** By name. */
  listValidationRules(workspaceId: string): Promise<ValidationRuleRow[]>;
  /** By id, else by name. */
  getValidationRule(workspaceId: string, idOrName: string): Promise<ValidationRuleRow | undefined>;
  /** By object, then field. */
  listFieldFormats(workspaceId: string): Promise<FieldFormatRow[]>;
  /** By name. */
  listStatusRules(workspaceId: string): Promise<StatusRuleRow[]>;
  /** By id, else by name. */
  getStatusRule(workspaceId: string, idOrName: string): Promise<StatusRuleRow | undefined>;
}

export interface DataQualityPort extends DataQualityReads {
  /** False when the name is taken. Moves the epoch. */
  insertValidationRule(r: ValidationRuleRow): Promise<boolean>;
  /** Saved over `r.version - 1`. Moves the epoch. */
  updateValidationRule(r: ValidationRuleRow): Promise<VersionedUpdate>;
  /** False when there was none. Moves the epoch. */
  deleteValidationRule(workspaceId: string, id: string): Promise<boolean>;
  /** Inserts (version 1) or saves over `f.version - 1`; "stale" when another save came first. Moves the epoch. */
  saveFieldFormat(f: FieldFormatRow): Promise<"saved" | "stale">;
  /** False when there was none. Moves the epoch. */
  deleteFieldFormat(workspaceId: string, object: ObjectName, field: string): Promise<boolean>;
  /** False when the name is taken. */
  insertStatusRule(r: StatusRuleRow): Promise<boolean>;
  /** Saved over `r.version - 1`. */
  updateStatusRule(r: StatusRuleRow): Promise<VersionedUpdate>;
  /** False when there was none. */
  deleteStatusRule(workspaceId: string, id: string): Promise<boolean>;
}
