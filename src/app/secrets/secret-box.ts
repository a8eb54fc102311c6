/**
 * Encrypts connector and hook secrets at rest (engineering.md §4.7) with AES-256-GCM under a
 * master key that lives outside the database. Each sealed value names the key it was sealed
 * with (a fingerprint, not the key), so that a wrong key fails closed with a message that says
 * so instead of an opaque authentication error.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { SecretsUnavailableError } from "../../connectors/contract.js";

const VERSION = "v1";
const IV_BYTES = 12;

/** A master key: 32 bytes, given as base64 (44 characters) or hex (64 characters). */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    throw new Error("the master key must be 32 bytes, written as 64 hex characters or 44 base64 characters");
  }
  return key;
}

export function newMasterKey(): string {
  return randomBytes(32).toString("base64");
}

export class SecretBox {
  /** Short fingerprint of the key, stored with every sealed value. */
  readonly keyId: string;

  constructor(private readonly key: Buffer | undefined) {
    this.keyId = key ? createHash("sha256").update(key).digest("hex").slice(0, 12) : "none";
  }

  get configured(): boolean {
    return this.key !== undefined;
  }

  /** `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts) of the JSON of `value`. */
  seal(value: Readonly<Record<string, string>>): string {
    const key = this.requireKey();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(Buffer.from(`${VERSION}.${this.keyId}`));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString("base64url"));
    return [VERSION, this.keyId, ...parts].join(".");
  }

  open(sealed: string): Record<string, string> {
    const key = this.requireKey();
    const [version, keyId, iv, tag, body] = sealed.split(".");
    if (version !== VERSION || !keyId || !iv || !tag || body === undefined) {
      throw new SecretsUnavailableError("a stored secret is malformed; set it again");
    }
    if (keyId !== this.keyId) {
      throw new SecretsUnavailableError(
        `secrets were encrypted with master key ${keyId}, but HANDOFF_MASTER_KEY is key ${this.keyId}; nothing was sent`,
      );
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(`${VERSION}.${keyId}`));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      const text = Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
      return JSON.parse(text) as Record<string, string>;
    } catch {
      throw new SecretsUnavailableError("a stored secret failed its integrity check (tampered, or another key); nothing was sent");
    }
  }

  /**
   * A key for one purpose (signing unsubscribe links …), derived from the master key with HKDF so
   * that no other use ever holds the master key itself. Same key and purpose → same bytes.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync("sha256", this.requireKey(), Buffer.alloc(0), `handoff:${purpose}`, 32));
  }

  private requireKey(): Buffer {
    if (!this.key) {
      throw new SecretsUnavailableError("no master key is configured (HANDOFF_MASTER_KEY); secrets cannot be stored or read");
    }
    return this.key;
  }
}
