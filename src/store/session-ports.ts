/**
 * Storage port of web sessions.
 *
 * Glossary
 * - Session: a person signed in to one workspace through the web app, held by a cookie. Only the
 *   SHA-256 of the cookie's value is stored (like an API token's secret); its id names it in lists
 *   and revocations and is never the cookie's value.
 * - Expiry: absolute (`expiresAt`, fixed at sign-in) and idle (`lastSeenAt` + the idle limit,
 *   judged by the application). A revoked session (`revokedAt`) never works again.
 */

export interface WebSession {
  id: string;
  workspaceId: string;
  userId: string;
  /** SHA-256 of the cookie's value. */
  secretHash: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface SignInSummary {
  userId: string;
  lastSignInAt: string;
  lastSeenAt: string;
}

export interface SessionReads {
  findSessionBySecretHash(secretHash: string): Promise<WebSession | undefined>;
  /** The user's sessions, newest first (revoked and expired ones included). */
  listSessions(workspaceId: string, userId: string): Promise<WebSession[]>;
  getSession(workspaceId: string, id: string): Promise<WebSession | undefined>;
  /** Per user of the workspace who ever signed in: the latest sign-in and the latest use of any session. */
  lastSignIns(workspaceId: string): Promise<SignInSummary[]>;
}

export interface SessionPort extends SessionReads {
  insertSession(session: WebSession): Promise<void>;
  /** Moves `lastSeenAt` forward (idle expiry counts from it). */
  touchSession(workspaceId: string, id: string, at: string): Promise<void>;
  /** Revokes one live session; false when there is none by that id. */
  revokeSession(workspaceId: string, id: string, at: string): Promise<boolean>;
  /** Revokes every live session of the user; how many. */
  revokeUserSessions(workspaceId: string, userId: string, at: string): Promise<number>;
}
