/** Workspaces, their custom fields and their API tokens. */
import type { Kysely } from "kysely";
import type { CustomFieldDef } from "../../crm/custom-fields.js";
import type { CustomFieldType, ObjectName } from "../../crm/fields.js";
import type { Role } from "../../crm/objects.js";
import type { ApiToken, Workspace, WorkspaceSettings } from "../ports.js";
import type { SqlDialect } from "./dialect.js";
import type { ApiTokensTable, Database, WorkspacesTable } from "./schema.js";

type Db = Kysely<Database>;

const toWorkspace = (r: WorkspacesTable): Workspace => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  timeZone: r.time_zone,
  createdAt: r.created_at,
  ...(r.settings ? { settings: JSON.parse(r.settings) as WorkspaceSettings } : {}),
});

const toToken = (r: ApiTokensTable): ApiToken => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  role: r.role as Role,
  secretHash: r.secret_hash,
  userId: r.user_id,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export async function getWorkspace(db: Db, id: string) {
  const r = await db.selectFrom("workspaces").selectAll().where("id", "=", id).executeTakeFirst();
  return r ? toWorkspace(r) : undefined;
}

export async function getWorkspaceBySlug(db: Db, slug: string) {
  const r = await db.selectFrom("workspaces").selectAll().where("slug", "=", slug).executeTakeFirst();
  return r ? toWorkspace(r) : undefined;
}

export async function insertWorkspace(db: Db, w: Workspace) {
  await db
    .insertInto("workspaces")
    .values({
      id: w.id,
      slug: w.slug,
      name: w.name,
      time_zone: w.timeZone,
      created_at: w.createdAt,
      settings: w.settings ? JSON.stringify(w.settings) : null,
    })
    .execute();
}

export async function updateWorkspaceSettings(db: Db, id: string, settings: WorkspaceSettings) {
  await db
    .updateTable("workspaces")
    .set({ settings: JSON.stringify(settings) })
    .where("id", "=", id)
    .execute();
}

export async function listCustomFields(db: Db, d: SqlDialect, workspaceId: string): Promise<CustomFieldDef[]> {
  const rows = await db
    .selectFrom("custom_fields")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .orderBy("object")
    .orderBy("created_at")
    .orderBy("name")
    .execute();
  return rows.map((r) => ({
    object: r.object as ObjectName,
    name: r.name,
    type: r.type as CustomFieldType,
    label: r.label,
    required: Number(r.required) === 1,
    options: r.options === null ? null : (d.parseJson(r.options) as string[]),
  }));
}

export async function insertCustomField(db: Db, d: SqlDialect, workspaceId: string, f: CustomFieldDef, at: string) {
  await db
    .insertInto("custom_fields")
    .values({
      workspace_id: workspaceId,
      object: f.object,
      name: f.name,
      type: f.type,
      label: f.label,
      required: f.required ? 1 : 0,
      options: f.options === null ? null : d.json(f.options),
      created_at: at,
    })
    .execute();
}

export async function findTokenBySecretHash(db: Db, secretHash: string) {
  const r = await db.selectFrom("api_tokens").selectAll().where("secret_hash", "=", secretHash).executeTakeFirst();
  return r ? toToken(r) : undefined;
}

export async function listTokens(db: Db, workspaceId: string) {
  const rows = await db.selectFrom("api_tokens").selectAll().where("workspace_id", "=", workspaceId).orderBy("created_at").execute();
  return rows.map(toToken);
}

export async function insertToken(db: Db, t: ApiToken) {
  await db
    .insertInto("api_tokens")
    .values({
      id: t.id,
      workspace_id: t.workspaceId,
      name: t.name,
      role: t.role,
      secret_hash: t.secretHash,
      user_id: t.userId,
      created_at: t.createdAt,
      revoked_at: t.revokedAt,
    })
    .execute();
}

export async function revokeToken(db: Db, workspaceId: string, id: string, at: string) {
  const result = await db
    .updateTable("api_tokens")
    .set({ revoked_at: at })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
