/** Hosted web forms: looked up by their global key, listed per workspace. */
import type { Kysely } from "kysely";
import type { ObjectName } from "../../crm/fields.js";
import type { FormField, FormRow } from "../inbound-ports.js";
import type { SqlDialect } from "./dialect.js";
import type { Database, FormsTable } from "./schema.js";

type Db = Kysely<Database>;

const toForm = (d: SqlDialect, r: FormsTable): FormRow => ({
  workspaceId: r.workspace_id,
  id: r.id,
  key: r.key,
  title: r.title,
  intro: r.intro,
  object: r.object as ObjectName,
  fields: d.parseJson(r.fields) as FormField[],
  hidden: d.parseJson(r.hidden) as Record<string, unknown>,
  successMessage: r.success_message,
  ratePerMin: Number(r.rate_per_min),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const columns = (d: SqlDialect, f: FormRow) => ({
  title: f.title,
  intro: f.intro,
  object: f.object,
  fields: d.json(f.fields),
  hidden: d.json(f.hidden),
  success_message: f.successMessage,
  rate_per_min: f.ratePerMin,
  updated_at: f.updatedAt,
});

export async function getFormByKey(db: Db, d: SqlDialect, key: string) {
  const r = await db.selectFrom("forms").selectAll().where("key", "=", key).executeTakeFirst();
  return r ? toForm(d, r) : undefined;
}

export async function listForms(db: Db, d: SqlDialect, workspaceId: string) {
  const rows = await db.selectFrom("forms").selectAll().where("workspace_id", "=", workspaceId).orderBy("key").execute();
  return rows.map((r) => toForm(d, r));
}

export async function insertForm(db: Db, d: SqlDialect, f: FormRow): Promise<boolean> {
  const result = await db
    .insertInto("forms")
    .values({ workspace_id: f.workspaceId, id: f.id, key: f.key, created_at: f.createdAt, ...columns(d, f) })
    .onConflict((oc) => oc.column("key").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function updateForm(db: Db, d: SqlDialect, f: FormRow) {
  await db.updateTable("forms").set(columns(d, f)).where("workspace_id", "=", f.workspaceId).where("id", "=", f.id).execute();
}

export async function deleteForm(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom("forms").where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
