/** The web sessions port. */
import type { SessionPort, WebSession } from "../../session-ports.js";
import type { SessionsTable } from "../schema.js";
import type { SqlSession } from "../session.js";

const toSession = (r: SessionsTable): WebSession => ({
  id: r.id,
  workspaceId: r.workspace_id,
  userId: r.user_id,
  secretHash: r.secret_hash,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export class SqlSessions implements SessionPort {
  constructor(private readonly s: SqlSession) {}

  async findSessionBySecretHash(secretHash: string) {
    const r = await this.s.db.selectFrom("sessions").selectAll().where("secret_hash", "=", secretHash).executeTakeFirst();
    return r ? toSession(r) : undefined;
  }
  async listSessions(workspaceId: string, userId: string) {
    const rows = await this.s.db
      .selectFrom("sessions")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("user_id", "=", userId)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute();
    return rows.map(toSession);
  }
  async getSession(workspaceId: string, id: string) {
    const r = await this.s.db
      .selectFrom("sessions")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", id)
      .executeTakeFirst();
    return r ? toSession(r) : undefined;
  }
  async lastSignIns(workspaceId: string) {
    const rows = await this.s.db
      .selectFrom("sessions")
      .select((eb) => ["user_id", eb.fn.max("created_at").as("last_sign_in_at"), eb.fn.max("last_seen_at").as("last_seen_at")])
      .where("workspace_id", "=", workspaceId)
      .groupBy("user_id")
      .orderBy("user_id")
      .execute();
    return rows.map((r) => ({ userId: r.user_id, lastSignInAt: String(r.last_sign_in_at), lastSeenAt: String(r.last_seen_at) }));
  }
  async insertSession(x: WebSession) {
    await this.s.db
      .insertInto("sessions")
      .values({
        workspace_id: x.workspaceId,
        id: x.id,
        user_id: x.userId,
        secret_hash: x.secretHash,
        created_at: x.createdAt,
        last_seen_at: x.lastSeenAt,
        expires_at: x.expiresAt,
        revoked_at: x.revokedAt,
      })
      .execute();
  }
  async touchSession(workspaceId: string, id: string, at: string) {
    await this.s.db
      .updateTable("sessions")
      .set({ last_seen_at: at })
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", id)
      .execute();
  }
  async revokeSession(workspaceId: string, id: string, at: string) {
    const result = await this.s.db
      .updateTable("sessions")
      .set({ revoked_at: at })
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
  async revokeUserSessions(workspaceId: string, userId: string, at: string) {
    const result = await this.s.db
      .updateTable("sessions")
      .set({ revoked_at: at })
      .where("workspace_id", "=", workspaceId)
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
