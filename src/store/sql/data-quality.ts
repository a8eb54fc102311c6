/** Validation rules, field formats and the workspace's data-quality epoch (data-quality-ports.ts). */
import type { Kysely } from "kysely";
import type { ObjectName } from "../../crm/fields.js";
import type { FieldFormatRow, FormatAction, ValidationRuleRow } from "../data-quality-ports.js";
import type { VersionedUpdate } from "../routing-ports.js";
import type { SqlDialect } from "./dialect.js";
import { direct } from "./direct.js";
import type { Database, FieldFormatsTable, ValidationRulesTable } from "./schema.js";

type Db = Kysely<Database>;

const toRule = (d: SqlDialect, r: ValidationRulesTable): ValidationRuleRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  definition: d.parseJson(r.definition) as ValidationRuleRow["definition"],
  version: Number(r.version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

const toFormat = (r: FieldFormatsTable): FieldFormatRow => ({
  workspaceId: r.workspace_id,
  object: r.object as ObjectName,
  field: r.field,
  onInvalid: r.on_invalid as FormatAction,
  version: Number(r.version),
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

/** The columns copied out of the definition, written from it together. */
const ruleColumns = (d: SqlDialect, r: ValidationRuleRow) => ({
  name: r.definition.name,
  object: r.definition.object,
  enabled: r.definition.enabled ? 1 : 0,
  definition: d.json(r.definition),
  version: r.version,
  updated_at: r.updatedAt,
  updated_by: r.updatedBy,
});

/** The write path reads this once per transaction: hand-written, one point read. */
export async function dataQualityEpoch(db: Db, d: SqlDialect, workspaceId: string): Promise<number> {
  const { rows } = await direct<{ epoch: number }>(db, d, "select epoch from data_quality_epochs where workspace_id = ?", [workspaceId]);
  return Number(rows[0]?.epoch ?? 0);
}

async function bumpEpoch(db: Db, d: SqlDialect, workspaceId: string): Promise<void> {
  await direct(
    db,
    d,
    "insert into data_quality_epochs (workspace_id, epoch) values (?, 1) on conflict (workspace_id) do update set epoch = data_quality_epochs.epoch + 1",
    [workspaceId],
  );
}

export async function listValidationRules(db: Db, d: SqlDialect, workspaceId: string): Promise<ValidationRuleRow[]> {
  const rows = await db.selectFrom("validation_rules").selectAll().where("workspace_id", "=", workspaceId).orderBy("name").execute();
  return rows.map((r) => toRule(d, r));
}

export async function getValidationRule(
  db: Db,
  d: SqlDialect,
  workspaceId: string,
  idOrName: string,
): Promise<ValidationRuleRow | undefined> {
  const rows = await db
    .selectFrom("validation_rules")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb.or([eb("id", "=", idOrName), eb("name", "=", idOrName)]))
    .execute();
  // By id first: a rule named like another's id is still found by its own name.
  const row = rows.find((r) => r.id === idOrName) ?? rows.find((r) => r.name === idOrName);
  return row ? toRule(d, row) : undefined;
}

/** The name's other holder, if any. The unique constraint is the race's last word. */
async function nameTaken(db: Db, workspaceId: string, name: string, id: string): Promise<boolean> {
  const other = await db
    .selectFrom("validation_rules")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("name", "=", name)
    .where("id", "!=", id)
    .executeTakeFirst();
  return other !== undefined;
}

export async function insertValidationRule(db: Db, d: SqlDialect, r: ValidationRuleRow): Promise<boolean> {
  if (await nameTaken(db, r.workspaceId, r.definition.name, r.id)) return false;
  await db
    .insertInto("validation_rules")
    .values({ workspace_id: r.workspaceId, id: r.id, created_at: r.createdAt, ...ruleColumns(d, r) })
    .execute();
  await bumpEpoch(db, d, r.workspaceId);
  return true;
}

export async function updateValidationRule(db: Db, d: SqlDialect, r: ValidationRuleRow): Promise<VersionedUpdate> {
  if (await nameTaken(db, r.workspaceId, r.definition.name, r.id)) return "name_taken";
  const result = await db
    .updateTable("validation_rules")
    .set(ruleColumns(d, r))
    .where("workspace_id", "=", r.workspaceId)
    .where("id", "=", r.id)
    .where("version", "=", r.version - 1)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return "stale";
  await bumpEpoch(db, d, r.workspaceId);
  return "saved";
}

export async function deleteValidationRule(db: Db, d: SqlDialect, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom("validation_rules").where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  if (Number(result.numDeletedRows) !== 1) return false;
  await bumpEpoch(db, d, workspaceId);
  return true;
}

export async function listFieldFormats(db: Db, workspaceId: string): Promise<FieldFormatRow[]> {
  const rows = await db
    .selectFrom("field_formats")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .orderBy("object")
    .orderBy("field")
    .execute();
  return rows.map(toFormat);
}

export async function saveFieldFormat(db: Db, d: SqlDialect, f: FieldFormatRow): Promise<"saved" | "stale"> {
  const values = { on_invalid: f.onInvalid, version: f.version, updated_at: f.updatedAt, updated_by: f.updatedBy };
  if (f.version === 1) {
    const inserted = await db
      .insertInto("field_formats")
      .values({ workspace_id: f.workspaceId, object: f.object, field: f.field, ...values })
      .onConflict((oc) => oc.columns(["workspace_id", "object", "field"]).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return "stale";
  } else {
    const result = await db
      .updateTable("field_formats")
      .set(values)
      .where("workspace_id", "=", f.workspaceId)
      .where("object", "=", f.object)
      .where("field", "=", f.field)
      .where("version", "=", f.version - 1)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return "stale";
  }
  await bumpEpoch(db, d, f.workspaceId);
  return "saved";
}

export async function deleteFieldFormat(db: Db, d: SqlDialect, workspaceId: string, object: ObjectName, field: string): Promise<boolean> {
  const result = await db
    .deleteFrom("field_formats")
    .where("workspace_id", "=", workspaceId)
    .where("object", "=", object)
    .where("field", "=", field)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) !== 1) return false;
  await bumpEpoch(db, d, workspaceId);
  return true;
}
