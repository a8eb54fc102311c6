/** The API tokens port. */
import type { ApiToken, TokenPort } from "../../token-ports.js";
import type { SqlSession } from "../session.js";
import * as ws from "../workspace.js";

export class SqlTokens implements TokenPort {
  constructor(private readonly s: SqlSession) {}

  findTokenBySecretHash(secretHash: string) {
    return ws.findTokenBySecretHash(this.s.db, secretHash);
  }
  listTokens(workspaceId: string) {
    return ws.listTokens(this.s.db, workspaceId);
  }
  insertToken(token: ApiToken) {
    return ws.insertToken(this.s.db, token);
  }
  revokeToken(workspaceId: string, id: string, at: string) {
    return ws.revokeToken(this.s.db, workspaceId, id, at);
  }
}
