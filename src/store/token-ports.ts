/**
 * Storage port of API tokens.
 *
 * Glossary
 * - API token: a person's or an integration's credential, with a role; only the SHA-256 of its
 *   secret part is stored (the secret is shown once).
 */
import type { Role } from "../crm/objects.js";

export interface ApiToken {
  id: string;
  workspaceId: string;
  name: string;
  role: Role;
  /** SHA-256 of the secret part; the secret itself is shown once and never stored. */
  secretHash: string;
  userId: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export interface TokenReads {
  findTokenBySecretHash(secretHash: string): Promise<ApiToken | undefined>;
  listTokens(workspaceId: string): Promise<ApiToken[]>;
}

export interface TokenPort extends TokenReads {
  insertToken(token: ApiToken): Promise<void>;
  revokeToken(workspaceId: string, id: string, at: string): Promise<boolean>;
}
