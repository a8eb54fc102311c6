/**
 * Storage port of users' passwords.
 *
 * Glossary
 * - Credential: a user's password as an scrypt hash (salt and parameters inside the hash text);
 *   the password itself is never stored. One per (workspace, user).
 * - Sign-in candidate: a user record whose `email` matches (case-insensitively) the one given at
 *   sign-in, with its workspace and its credential's hash if it has one.
 */

export interface SignInCandidate {
  workspaceId: string;
  workspaceSlug: string;
  userId: string;
  /** The user's password hash; null when the user has no password. */
  passwordHash: string | null;
}

export interface CredentialReads {
  /** Users with this email (case-insensitive), in every workspace or in the one of `workspaceSlug`. */
  findSignInCandidates(email: string, workspaceSlug?: string): Promise<SignInCandidate[]>;
  getPasswordHash(workspaceId: string, userId: string): Promise<string | undefined>;
}

export interface CredentialPort extends CredentialReads {
  /** Sets (or replaces) the user's password hash. */
  setPasswordHash(workspaceId: string, userId: string, passwordHash: string, at: string): Promise<void>;
}
