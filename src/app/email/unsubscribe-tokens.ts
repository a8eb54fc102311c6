/**
 * Unsubscribe links: `/unsubscribe/<token>` where the token carries (workspace id, address) and an
 * HMAC-SHA256 over them with a key derived from the master key. Anyone holding the link may
 * unsubscribe that address — that is the point (RFC 8058 one-click) — and nobody can make a link
 * for another address or workspace. A bad token tells nothing: it is simply not found.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { SecretBox } from "../secrets/secret-box.js";

export interface UnsubscribeSubject {
  workspaceId: string;
  email: string;
}

export class UnsubscribeTokens {
  private constructor(private readonly key: Buffer | undefined) {}

  /** Without a master key no link can be made or checked (emails then go out without one). */
  static from(box: SecretBox): UnsubscribeTokens {
    return new UnsubscribeTokens(box.configured ? box.deriveKey("unsubscribe-links") : undefined);
  }

  get available(): boolean {
    return this.key !== undefined;
  }

  sign(workspaceId: string, email: string): string | undefined {
    if (!this.key) return undefined;
    const body = Buffer.from(JSON.stringify([workspaceId, email.trim().toLowerCase()]), "utf8");
    return `${body.toString("base64url")}.${this.mac(body).toString("base64url")}`;
  }

  verify(token: string): UnsubscribeSubject | undefined {
    if (!this.key || token.length > 2_000) return undefined;
    const [b, m, extra] = token.split(".");
    if (!b || !m || extra !== undefined) return undefined;
    const body = Buffer.from(b, "base64url");
    const given = Buffer.from(m, "base64url");
    const expected = this.mac(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const parsed: unknown = JSON.parse(body.toString("utf8"));
      if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== "string" || typeof parsed[1] !== "string") return undefined;
      return { workspaceId: parsed[0], email: parsed[1] };
    } catch {
      return undefined;
    }
  }

  private mac(body: Buffer): Buffer {
    return createHmac("sha256", this.key as Buffer)
      .update(body)
      .digest();
  }
}
