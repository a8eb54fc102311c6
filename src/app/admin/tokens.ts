/**
 * API tokens: `hk_` + 32 random bytes. Only a SHA-256 of the token is stored; the token itself
 * is shown once, when created.
 */
import { createHash, randomBytes } from "node:crypto";
import { ROLES, type Role } from "../../crm/objects.js";
import type { ApiToken, Store } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import type { Clock, IdGenerator } from "../ports.js";

export const TOKEN_PREFIX = "hk_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface CreatedToken {
  token: ApiToken;
  /** The bearer secret; never retrievable again. */
  secret: string;
}

export class TokenService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async create(workspaceId: string, name: string, role: string, userId: string | null = null): Promise<CreatedToken> {
    if (!(ROLES as readonly string[]).includes(role)) {
      throw invalid([{ path: ["role"], code: "not_in_options", message: `role must be one of: ${ROLES.join(", ")}`, expected: ROLES }]);
    }
    if (name.trim() === "" || name.length > 200)
      throw invalid([{ path: ["name"], code: "invalid_value", message: "a token needs a name of 1–200 characters" }]);
    if (!(await this.store.workspaces.getWorkspace(workspaceId))) throw notFound(`workspace ${workspaceId}`);
    const secret = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
    const token: ApiToken = {
      id: this.ids.next(),
      workspaceId,
      name: name.trim(),
      role: role as Role,
      secretHash: hashToken(secret),
      userId,
      createdAt: this.clock.now().toISOString(),
      revokedAt: null,
    };
    await this.store.transaction((tx) => tx.tokens.insertToken(token));
    return { token, secret };
  }

  /** The token a bearer secret belongs to, if it is live. */
  async authenticate(secret: string): Promise<ApiToken | undefined> {
    if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
    const token = await this.store.tokens.findTokenBySecretHash(hashToken(secret));
    return token && token.revokedAt === null ? token : undefined;
  }

  async list(ctx: CallContext): Promise<ApiToken[]> {
    return this.store.tokens.listTokens(ctx.workspaceId);
  }

  async revoke(ctx: CallContext, id: string): Promise<void> {
    const done = await this.store.transaction((tx) => tx.tokens.revokeToken(ctx.workspaceId, id, this.clock.now().toISOString()));
    if (!done) throw new AppError("not_found", `token ${id} not found or already revoked`);
  }
}
