/** The credentials port: users' password hashes, and the users an email signs in as. */
import { sql } from "kysely";
import type { FieldDef } from "../../../crm/fields.js";
import type { CredentialPort, SignInCandidate } from "../../credential-ports.js";
import type { SqlSession } from "../session.js";

const EMAIL: FieldDef = { name: "email", type: "email", label: "Email" };

/** `email` as a LIKE pattern that matches only itself. */
const literalPattern = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export class SqlCredentials implements CredentialPort {
  constructor(private readonly s: SqlSession) {}

  async findSignInCandidates(email: string, workspaceSlug?: string): Promise<SignInCandidate[]> {
    let q = this.s.db
      .selectFrom("records")
      .innerJoin("workspaces", "workspaces.id", "records.workspace_id")
      .leftJoin("credentials", (j) =>
        j.onRef("credentials.workspace_id", "=", "records.workspace_id").onRef("credentials.user_id", "=", "records.id"),
      )
      .select([
        "records.workspace_id as workspaceId",
        "workspaces.slug as workspaceSlug",
        "records.id as userId",
        "credentials.password_hash as passwordHash",
      ])
      .where("records.object", "=", "user")
      .where(this.s.d.likeInsensitive(sql`${this.s.d.fieldExpr(EMAIL)}`, literalPattern(email)));
    if (workspaceSlug !== undefined) q = q.where("workspaces.slug", "=", workspaceSlug);
    const rows = await q.orderBy("records.workspace_id").orderBy("records.id").execute();
    return rows.map((r) => ({ ...r, passwordHash: r.passwordHash ?? null }));
  }

  async getPasswordHash(workspaceId: string, userId: string) {
    const r = await this.s.db
      .selectFrom("credentials")
      .select("password_hash")
      .where("workspace_id", "=", workspaceId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    return r?.password_hash;
  }

  async setPasswordHash(workspaceId: string, userId: string, passwordHash: string, at: string) {
    await this.s.db
      .insertInto("credentials")
      .values({ workspace_id: workspaceId, user_id: userId, password_hash: passwordHash, updated_at: at })
      .onConflict((oc) => oc.columns(["workspace_id", "user_id"]).doUpdateSet({ password_hash: passwordHash, updated_at: at }))
      .execute();
  }
}
