/**
 * A stable digest of the facts a decision read: the same facts give the same digest whatever
 * the order of their keys (PostgreSQL's jsonb reorders a record's keys; a record view built by
 * assignment keeps the data's), so a replay can prove that the facts it rebuilt are the ones
 * decided on without each step storing them.
 */
import { createHash } from "node:crypto";
import type { Facts } from "../engine/conditions.js";

/** JSON with every object's keys sorted; `undefined` members dropped, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const parts: string[] = [];
  for (const [key, v] of Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    if (v !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
  return `{${parts.join(",")}}`;
}

export function factsDigest(facts: Facts): string {
  return createHash("sha256").update(canonicalJson(facts)).digest("base64url");
}
