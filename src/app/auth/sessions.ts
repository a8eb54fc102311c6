/**
 * Web sessions: sign in with email and password, resume a session from its cookie, sign out.
 *
 * The cookie's value is 32 random bytes (base64url); only its SHA-256 is stored. The CSRF token
 * is derived from the cookie's value (SHA-256 under its own label), so it is the same for the
 * whole session, is never stored, and cannot be computed from anything in the database.
 * Every failure to sign in — unknown email, wrong password, unknown workspace, a user without a
 * password — is the same error, after the same work (a dummy hash is verified when there is no
 * user), so the answer says nothing about which part was wrong.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Issue } from "../../crm/issues.js";
import { ROLES, type Role } from "../../crm/objects.js";
import { textIssue } from "../../crm/text.js";
import type { Store, WebSession, Workspace } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid } from "../errors.js";
import type { Clock, IdGenerator } from "../ports.js";
import { dummyHash, PASSWORD_MAX, verifyPassword } from "./passwords.js";
import type { SignInLimiter } from "./sign-in-limiter.js";

export interface SessionPolicy {
  /** A session unused this long ends. Default 12 h. */
  idleMs: number;
  /** A session ends this long after sign-in, used or not. Default 7 days. */
  maxMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 12 * 3_600_000, maxMs: 7 * 86_400_000 };

/** How often, at most, a session's last use is written (idle expiry is that much coarser). */
const TOUCH_EVERY_MS = 60_000;

export const WRONG_CREDENTIALS = "email or password is wrong";

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
}

/** A live session as its holder sees it. */
export interface SessionView {
  session: WebSession;
  user: SessionUser;
  workspace: Pick<Workspace, "id" | "slug" | "name">;
  csrfToken: string;
  /** When the session ends if it is not used again (the earlier of idle and absolute expiry). */
  expiresAt: string;
}

export type SignInResult = { kind: "signed_in"; view: SessionView; secret: string } | { kind: "rate_limited"; retryAfterSeconds: number };

export const hashSessionSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");
export const csrfTokenOf = (secret: string) => createHash("sha256").update(`handoff-csrf\n${secret}`).digest("base64url");

/** The cookie's value: 32 random bytes, base64url (43 characters). */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly limiter: SignInLimiter,
    private readonly policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  ) {}

  /**
   * Signs in from `ip`. A session the client already held (`previousSecret`) is revoked, never
   * adopted: the new session always has a new secret.
   */
  async signIn(body: unknown, ip: string, previousSecret?: string): Promise<SignInResult> {
    const { email, password, workspace } = readSignIn(body);
    const wait = this.limiter.retryAfter(ip, email);
    if (wait > 0) return { kind: "rate_limited", retryAfterSeconds: wait };

    const candidates = (await this.store.credentials.findSignInCandidates(email, workspace)).filter((c) => c.passwordHash !== null);
    if (workspace === undefined && candidates.length > 1) {
      throw new AppError("bad_request", "this email signs in to several workspaces: name one", [
        { path: ["workspace"], code: "required", message: "name the workspace (its slug) to sign in to" },
      ]);
    }
    const target = candidates[0];
    const matches = await verifyPassword(password, target?.passwordHash ?? (await dummyHash()));
    const user = target && matches ? await this.userOf(target.workspaceId, target.userId) : undefined;
    const ws = user && target ? await this.store.workspaces.getWorkspace(target.workspaceId) : undefined;
    if (!target || !matches || !user || !ws) {
      this.limiter.fail(ip, email);
      throw new AppError("unauthorized", WRONG_CREDENTIALS);
    }
    this.limiter.succeed(email);

    const secret = randomBytes(32).toString("base64url");
    const now = this.clock.now();
    const session: WebSession = {
      id: this.ids.next(),
      workspaceId: ws.id,
      userId: user.id,
      secretHash: hashSessionSecret(secret),
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.policy.maxMs).toISOString(),
      revokedAt: null,
    };
    const previous = previousSecret && SECRET_PATTERN.test(previousSecret) ? previousSecret : undefined;
    await this.store.transaction(async (tx) => {
      if (previous) {
        const old = await tx.sessions.findSessionBySecretHash(hashSessionSecret(previous));
        if (old && old.revokedAt === null) await tx.sessions.revokeSession(old.workspaceId, old.id, now.toISOString());
      }
      await tx.sessions.insertSession(session);
    });
    return { kind: "signed_in", secret, view: this.view(session, user, ws, secret) };
  }

  /** The live session a cookie's value holds, its user read afresh; undefined when there is none. */
  async resume(secret: string | undefined): Promise<SessionView | undefined> {
    if (!secret || !SECRET_PATTERN.test(secret)) return undefined;
    const session = await this.store.sessions.findSessionBySecretHash(hashSessionSecret(secret));
    if (!session || session.revokedAt !== null) return undefined;
    const now = this.clock.now().getTime();
    if (now >= Date.parse(session.expiresAt) || now >= Date.parse(session.lastSeenAt) + this.policy.idleMs) return undefined;
    const user = await this.userOf(session.workspaceId, session.userId);
    const ws = user ? await this.store.workspaces.getWorkspace(session.workspaceId) : undefined;
    if (!user || !ws) return undefined;
    let seen = session;
    if (now - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) {
      const at = new Date(now).toISOString();
      await this.store.transaction((tx) => tx.sessions.touchSession(session.workspaceId, session.id, at));
      seen = { ...session, lastSeenAt: at };
    }
    return this.view(seen, user, ws, secret);
  }

  /** Revokes the session of a cookie's value (if it is live). */
  async signOut(view: SessionView): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.store.transaction((tx) => tx.sessions.revokeSession(view.session.workspaceId, view.session.id, at));
  }

  /** The call context of a session: the user's role, as a person; the caller is `user:<id>`. */
  static callOf(view: SessionView, requestId: string | null): CallContext {
    return { workspaceId: view.workspace.id, role: view.user.role, actor: { kind: "person", id: view.user.id }, requestId, causeId: null };
  }

  private view(session: WebSession, user: SessionUser, ws: Workspace, secret: string): SessionView {
    const idleEnd = Date.parse(session.lastSeenAt) + this.policy.idleMs;
    const expiresAt = new Date(Math.min(idleEnd, Date.parse(session.expiresAt))).toISOString();
    return { session, user, workspace: { id: ws.id, slug: ws.slug, name: ws.name }, csrfToken: csrfTokenOf(secret), expiresAt };
  }

  private async userOf(workspaceId: string, userId: string): Promise<SessionUser | undefined> {
    const record = await this.store.records.getRecord(workspaceId, userId);
    if (record?.object !== "user") return undefined;
    const role = record.data.role;
    if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) return undefined;
    return {
      id: record.id,
      name: typeof record.data.name === "string" ? record.data.name : "",
      email: typeof record.data.email === "string" ? record.data.email : "",
      role: role as Role,
    };
  }
}

function readSignIn(body: unknown): { email: string; password: string; workspace?: string } {
  const b = (typeof body === "object" && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const issues: Issue[] = [];
  const email = b.email;
  const password = b.password;
  const workspace = b.workspace;
  if (typeof email !== "string" || email.trim() === "" || email.length > 320)
    issues.push({ path: ["email"], code: "invalid_value", message: "the email, a string of 1–320 characters" });
  else {
    const t = textIssue(email, ["email"]);
    if (t) issues.push(t);
  }
  if (typeof password !== "string" || password === "" || password.length > PASSWORD_MAX)
    issues.push({ path: ["password"], code: "invalid_value", message: `the password, a string of 1–${PASSWORD_MAX} characters` });
  else {
    const t = textIssue(password, ["password"]);
    if (t) issues.push(t);
  }
  // A string that is no workspace's slug is an unknown workspace: the same 401 as any other wrong part.
  if (workspace !== undefined && (typeof workspace !== "string" || workspace === "" || workspace.length > 200))
    issues.push({ path: ["workspace"], code: "invalid_value", message: "a workspace's slug, a string of 1–200 characters" });
  else if (typeof workspace === "string") {
    const t = textIssue(workspace, ["workspace"]);
    if (t) issues.push(t);
  }
  if (issues.length > 0) throw invalid(issues);
  return {
    email: (email as string).trim(),
    password: password as string,
    ...(workspace !== undefined ? { workspace: workspace as string } : {}),
  };
}
