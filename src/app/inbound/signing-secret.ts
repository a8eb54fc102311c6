/**
 * Signing secrets of inbound hooks and webhook subscriptions: `whsec_` + base64 of 24 random
 * bytes (the Standard Webhooks spelling). Stored sealed by the SecretBox; shown in clear only
 * in the response that created or rotated them.
 */
import { randomBytes } from "node:crypto";
import type { SecretBox } from "../secrets/secret-box.js";

export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

export function sealSigningSecret(box: SecretBox, secret: string): string {
  return box.seal({ signing: secret });
}

export function openSigningSecret(box: SecretBox, sealed: string): string {
  const secret = box.open(sealed).signing;
  if (!secret) throw new Error("a sealed signing secret has no value");
  return secret;
}
