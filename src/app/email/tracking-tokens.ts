/**
 * The tokens of email tracking links: `/t/o/<token>` (the open pixel) names (workspace, message);
 * `/t/c/<token>` (a click) names (workspace, message, target URL). Each is the JSON of what it
 * names, with the kind first so an open token is never a click token, and an HMAC-SHA256 over it
 * with a key derived from the master key, checked in constant time. Nobody can make a link to a
 * URL the email did not carry, nor move one to another message or workspace: the redirect route
 * also checks the target against the message's links as stored (an open redirect needs both a
 * forged MAC and a forged row).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { SecretBox } from "../secrets/secret-box.js";

export type TrackingToken =
  | { kind: "open"; workspaceId: string; messageId: string }
  | { kind: "click"; workspaceId: string; messageId: string; url: string };

/** Longer links are sent as they are (untracked); a longer token is refused before any work. */
export const MAX_TRACKED_URL = 2_000;
const MAX_TOKEN = 4_000;

export class TrackingTokens {
  private constructor(private readonly key: Buffer | undefined) {}

  /** Without a master key nothing can be signed: emails then go out untracked. */
  static from(box: SecretBox): TrackingTokens {
    return new TrackingTokens(box.configured ? box.deriveKey("email-tracking-links") : undefined);
  }

  get available(): boolean {
    return this.key !== undefined;
  }

  sign(t: TrackingToken): string | undefined {
    if (!this.key) return undefined;
    const parts = t.kind === "open" ? ["o", t.workspaceId, t.messageId] : ["c", t.workspaceId, t.messageId, t.url];
    const body = Buffer.from(JSON.stringify(parts), "utf8");
    return `${body.toString("base64url")}.${this.mac(body).toString("base64url")}`;
  }

  /** What a genuine token names, of the kind expected; undefined for anything else, without saying why. */
  verify(token: string, kind: TrackingToken["kind"]): TrackingToken | undefined {
    if (!this.key || token.length > MAX_TOKEN) return undefined;
    const [b, m, extra] = token.split(".");
    if (!b || !m || extra !== undefined) return undefined;
    const body = Buffer.from(b, "base64url");
    const given = Buffer.from(m, "base64url");
    const expected = this.mac(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === "string")) return undefined;
    const [k, workspaceId, messageId, url] = parsed as string[];
    if (!workspaceId || !messageId) return undefined;
    if (kind === "open" && k === "o" && parsed.length === 3) return { kind, workspaceId, messageId };
    if (kind === "click" && k === "c" && parsed.length === 4 && url) return { kind, workspaceId, messageId, url };
    return undefined;
  }

  private mac(body: Buffer): Buffer {
    return createHmac("sha256", this.key as Buffer)
      .update(body)
      .digest();
  }
}
