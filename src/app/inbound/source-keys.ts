/**
 * Hooks and forms share one namespace of keys: an `external` trigger names a key, and it must
 * not be ambiguous which source fires it. Keys are global (public URLs name no workspace).
 */
import type { StoreReads } from "../../store/ports.js";
import { AppError } from "../errors.js";

export const SOURCE_KEY = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const SOURCE_KEY_MESSAGE = "lower-case letters, digits and -, 2–63 characters";

export async function requireFreeKey(reads: StoreReads, key: string): Promise<void> {
  if ((await reads.hooks.getInboundHookByKey(key)) || (await reads.forms.getFormByKey(key))) {
    throw new AppError("conflict", `the key "${key}" is taken by another hook or form; choose another`, [
      { path: ["key"], code: "invalid_value", message: `"${key}" is taken` },
    ]);
  }
}

export function requireAdmin(role: string, what: string) {
  if (role !== "admin") throw new AppError("not_found", `${what} are managed by admins, not role ${role}`);
}
