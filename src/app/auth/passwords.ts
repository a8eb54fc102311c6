/**
 * Password hashing with Node's scrypt: a random 16-byte salt per hash, the parameters stored with
 * the hash (`scrypt$N$r$p$<salt b64url>$<hash b64url>`), a constant-time comparison. A hash that
 * cannot be read — tampered, truncated, parameters out of bounds — verifies nothing (fails closed).
 * The password itself is never stored or logged.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import type { Issue } from "../../crm/issues.js";
import { textIssue } from "../../crm/text.js";

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

/** N = 2^15, r = 8, p = 1 (OWASP's scrypt minimum is 2^17 with r = 8; 2^15 keeps sign-in ~60 ms here). */
const PARAMS = { N: 32_768, r: 8, p: 1 } as const;
const KEY_LEN = 32;
const SALT_LEN = 16;
/** Bounds on parameters read back from a stored hash: a tampered hash cannot make us burn memory. */
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;

function derive(password: string, salt: Buffer, N: number, r: number, p: number, keyLen: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, keyLen, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** What is wrong with a password someone wants to set, at `path`; empty when it is acceptable. */
export function passwordIssues(password: unknown, path: Issue["path"] = ["password"]): Issue[] {
  if (typeof password !== "string") return [{ path, code: "invalid_type", message: "a password is a string", expected: "string" }];
  const text = textIssue(password, path);
  if (text) return [text];
  if (password.length < PASSWORD_MIN) return [{ path, code: "too_small", message: `a password has at least ${PASSWORD_MIN} characters` }];
  if (password.length > PASSWORD_MAX) return [{ path, code: "too_big", message: `a password has at most ${PASSWORD_MAX} characters` }];
  return [];
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LEN);
  const key = await derive(password, salt, PARAMS.N, PARAMS.r, PARAMS.p, KEY_LEN);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Whether `password` is the one `stored` was made from; false for anything unreadable. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string];
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  if (!Number.isInteger(N) || N < 2 || N > MAX_N || (N & (N - 1)) !== 0) return false;
  if (!Number.isInteger(R) || R < 1 || R > MAX_R || !Number.isInteger(P) || P < 1 || P > MAX_P) return false;
  if (!B64URL.test(saltText) || !B64URL.test(keyText)) return false;
  const salt = Buffer.from(saltText, "base64url");
  const expected = Buffer.from(keyText, "base64url");
  if (salt.length < 8 || expected.length < 16 || expected.length > 128) return false;
  try {
    const actual = await derive(password, salt, N, R, P, expected.length);
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

/** A hash of nothing anyone knows: verified against when the user is unknown, so that timing says nothing. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString("base64url"));
  return dummy;
}
