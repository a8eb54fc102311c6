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
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) out += `${i > 0 ? "," : ""}${value[i] === undefined ? "null" : canonicalJson(value[i])}`;
        return `${out}]`;
      }
      // Keys are unique: the comparison never meets two equal ones.
      const entries = Object.entries(value).sort((a, b) => (a[0] < b[0] ? -1 : 1));
      let out = "{";
      for (const [key, v] of entries) if (v !== undefined) out += `${out.length > 1 ? "," : ""}${JSON.stringify(key)}:${canonicalJson(v)}`;
      return `${out}}`;
    }
    default:
      return JSON.stringify(value) ?? "null";
  }
}

export function factsDigest(facts: Facts): string {
  return createHash("sha256").update(canonicalJson(facts)).digest("base64url");
}
