/**
 * What admins do with people's sign-in: set or reset a user's password (which revokes the user's
 * sessions), list a user's sessions and revoke one. Only admins; for anyone else the users'
 * passwords and sessions do not exist (404, as for tokens). Setting a password and revoking a
 * session are written to the configuration audit in the same transaction (security.md: changes of
 * permissions are audited) — who did it and to whom, never the password or its hash.
 */
import type { AdminAction } from "../../crm/permissions.js";
import { canAdmin } from "../../crm/permissions.js";
import type { ConfigAuditAction, NewConfigAuditEntry } from "../../store/config-audit-ports.js";
import type { Store, WebSession } from "../../store/ports.js";
import type { SignInSummary } from "../../store/session-ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import type { Clock, IdGenerator } from "../ports.js";
import { hashPassword, passwordIssues } from "./passwords.js";

const MANAGE: AdminAction = "manage_users";

export class CredentialService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Sets the user's password and revokes every session the user holds; how many were revoked. */
  async setPassword(ctx: CallContext, userId: string, password: unknown): Promise<{ revokedSessions: number }> {
    this.mustManage(ctx);
    await this.mustBeUser(ctx.workspaceId, userId);
    const issues = passwordIssues(password);
    if (issues.length > 0) throw invalid(issues);
    const hash = await hashPassword(password as string);
    const at = this.clock.now().toISOString();
    const revokedSessions = await this.store.transaction(async (tx) => {
      const hadPassword = (await tx.credentials.getPasswordHash(ctx.workspaceId, userId)) !== undefined;
      await tx.credentials.setPasswordHash(ctx.workspaceId, userId, hash, at);
      const revoked = await tx.sessions.revokeUserSessions(ctx.workspaceId, userId, at);
      await tx.configAudit.appendConfigAudit([
        this.audit(ctx, at, "user_password", userId, hadPassword ? "update" : "create", {
          user_id: userId,
          password: hadPassword ? "reset" : "set",
          revoked_sessions: revoked,
        }),
      ]);
      return revoked;
    });
    return { revokedSessions };
  }

  async listSessions(ctx: CallContext, userId: string): Promise<WebSession[]> {
    this.mustManage(ctx);
    await this.mustBeUser(ctx.workspaceId, userId);
    return this.store.sessions.listSessions(ctx.workspaceId, userId);
  }

  /** When each user of the workspace last signed in (users who never did are absent). */
  async lastSignIns(ctx: CallContext): Promise<SignInSummary[]> {
    this.mustManage(ctx);
    return this.store.sessions.lastSignIns(ctx.workspaceId);
  }

  async revokeSession(ctx: CallContext, id: string): Promise<void> {
    this.mustManage(ctx);
    const at = this.clock.now().toISOString();
    const done = await this.store.transaction(async (tx) => {
      const session = await tx.sessions.getSession(ctx.workspaceId, id);
      if (!session || !(await tx.sessions.revokeSession(ctx.workspaceId, id, at))) return false;
      await tx.configAudit.appendConfigAudit([this.audit(ctx, at, "session", id, "delete", { user_id: session.userId })]);
      return true;
    });
    if (!done) throw new AppError("not_found", `session ${id} not found or already revoked`);
  }

  private audit(
    ctx: CallContext,
    at: string,
    entity: string,
    entityId: string,
    action: ConfigAuditAction,
    summary: Record<string, unknown>,
  ): NewConfigAuditEntry {
    return {
      workspaceId: ctx.workspaceId,
      id: this.ids.next(),
      at,
      actor: ctx.actor,
      requestId: ctx.requestId,
      entity,
      entityId,
      action,
      summary,
    };
  }

  private mustManage(ctx: CallContext) {
    if (!canAdmin(ctx.role, MANAGE)) throw new AppError("not_found", "passwords and sessions are managed by admins");
  }

  private async mustBeUser(workspaceId: string, userId: string) {
    const record = await this.store.records.getRecord(workspaceId, userId);
    if (record?.object !== "user") throw notFound(`user ${userId}`);
  }
}
