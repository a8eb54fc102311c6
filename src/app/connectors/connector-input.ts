/**
 * Checking what a person sends to create or change a connector: the kind, the config against
 * its kind's schema, secret names against the kind's list. Every problem is reported at its
 * path (`config.auth.type`, `secrets.token`) with the allowed values where there is a list.
 * Pure: no store, no master key.
 */
import type { z } from "zod";
import { CONNECTOR_KIND_NAMES, CONNECTORS, type ConnectorKind, isConnectorKind, secretValueProblem } from "../../connectors/registry.js";
import type { Issue, IssuePath } from "../../crm/issues.js";
import { assertNever } from "../../crm/never.js";

export const CONNECTOR_KEY = /^[a-z][a-z0-9_-]{0,62}$/;

/** A secret change: a new value, or null to remove it. */
export type SecretChanges = Record<string, string | null>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

type SchemaLike = {
  def?: { type?: string; innerType?: unknown };
  shape?: Record<string, unknown>;
  options?: SchemaLike[];
  value?: unknown;
};

/** Through optional() and default() to the schema they wrap. */
function unwrap(s: unknown): SchemaLike | undefined {
  let cur = s as SchemaLike | undefined;
  while (cur?.def?.type === "optional" || cur?.def?.type === "default") cur = cur.def.innerType as SchemaLike;
  return cur;
}

/** The (unwrapped) schema at `path` inside an object schema, when Zod can tell. */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): SchemaLike | undefined {
  let s = unwrap(schema);
  for (const part of path) {
    if (!s?.shape || typeof part !== "string") return undefined;
    s = unwrap(s.shape[part]);
  }
  return s;
}

/** The keys an object schema at `path` allows (for unknown-key messages). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  const shape = schemaAt(schema, path)?.shape;
  return shape ? Object.keys(shape) : undefined;
}

/** The discriminator values of the union at `path` (e.g. config.auth → none, bearer, basic, hmac). */
function discriminatorValues(schema: z.ZodType, path: readonly PropertyKey[], discriminator: string): string[] | undefined {
  const options = schemaAt(schema, path)?.options;
  return options?.map((o) => String(unwrap(o?.shape?.[discriminator])?.value));
}

export function configIssues(kind: ConnectorKind, error: z.ZodError): Issue[] {
  const schema = CONNECTORS[kind].config;
  return error.issues.flatMap((i): Issue[] => {
    const path: IssuePath = ["config", ...i.path.filter((x): x is string | number => typeof x !== "symbol")];
    switch (i.code) {
      case "unrecognized_keys": {
        const allowed = keysAt(schema, i.path);
        return i.keys.map((key) => ({
          path: [...path, key],
          code: "unknown_field" as const,
          message: `unknown key "${key}" for a ${kind} connector${allowed ? `; allowed: ${allowed.join(", ")}` : ""}`,
          ...(allowed ? { expected: allowed } : {}),
        }));
      }
      case "invalid_union": {
        const discriminator = (i as { discriminator?: string }).discriminator;
        if (!discriminator) return [{ path, code: "invalid_value", message: i.message }];
        // Zod reports a bad discriminator at the discriminator's own path (config.auth.type).
        const unionPath = i.path.at(-1) === discriminator ? i.path.slice(0, -1) : i.path;
        const allowed = discriminatorValues(schema, unionPath, discriminator) ?? [];
        return [
          {
            path: i.path.at(-1) === discriminator ? path : [...path, discriminator],
            code: "not_in_options",
            message: `${discriminator} must be one of: ${allowed.join(", ")}`,
            expected: allowed,
          },
        ];
      }
      case "invalid_value":
        return [
          {
            path,
            code: "not_in_options",
            message: `must be one of: ${i.values.map(String).join(", ")}`,
            expected: i.values.map(String),
          },
        ];
      case "invalid_type":
        return [
          { path, code: / received undefined$/.test(i.message) ? "required" : "invalid_type", message: i.message, expected: i.expected },
        ];
      case "too_small":
        return [{ path, code: "too_small", message: i.message }];
      case "too_big":
        return [{ path, code: "too_big", message: i.message }];
      case "invalid_format":
      case "not_multiple_of":
      case "invalid_key":
      case "invalid_element":
      case "custom":
        return [{ path, code: "invalid_value", message: i.message }];
      default:
        return assertNever(i);
    }
  });
}

/** The kind: known, or an issue listing the kinds. */
export function checkKind(value: unknown, issues: Issue[]): ConnectorKind | undefined {
  if (isConnectorKind(value)) return value;
  issues.push({
    path: ["kind"],
    code: value === undefined ? "required" : "not_in_options",
    message: `kind must be one of: ${CONNECTOR_KIND_NAMES.join(", ")}`,
    expected: CONNECTOR_KIND_NAMES,
  });
  return undefined;
}

/** Parses `config` for `kind`, defaults filled in; pushes issues and returns undefined when invalid. */
export function checkConfig(kind: ConnectorKind, value: unknown, issues: Issue[]): Record<string, unknown> | undefined {
  const parsed = CONNECTORS[kind].config.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  issues.push(...configIssues(kind, parsed.error));
  return undefined;
}

/** `secrets: { name: "value" | null }` checked against the kind's secret names. */
export function checkSecrets(kind: ConnectorKind, value: unknown, issues: Issue[]): SecretChanges {
  if (value === undefined) return {};
  if (!isObject(value)) {
    issues.push({ path: ["secrets"], code: "invalid_type", message: 'expected an object such as { "password": "…" }', expected: "object" });
    return {};
  }
  const allowed = CONNECTORS[kind].secrets;
  const out: SecretChanges = {};
  for (const [name, v] of Object.entries(value)) {
    if (!allowed.includes(name)) {
      issues.push({
        path: ["secrets", name],
        code: "unknown_field",
        message: `a ${kind} connector has no secret "${name}"; its secrets: ${allowed.join(", ")}`,
        expected: allowed,
      });
      continue;
    }
    if (v === null) {
      out[name] = null;
      continue;
    }
    if (typeof v !== "string") {
      issues.push({
        path: ["secrets", name],
        code: "invalid_type",
        message: "expected a string (or null to remove it)",
        expected: "string",
      });
      continue;
    }
    // Never echo the value: the problem names the secret only.
    const problem = secretValueProblem(kind, name, v);
    if (problem) issues.push({ path: ["secrets", name], code: "invalid_value", message: problem });
    else out[name] = v;
  }
  return out;
}

/** Issues for secrets the config needs but that will not be set after this change. */
export function missingSecrets(kind: ConnectorKind, config: Record<string, unknown>, names: ReadonlySet<string>, issues: Issue[]) {
  for (const name of CONNECTORS[kind].requiredSecrets(config)) {
    if (!names.has(name)) {
      const why = kind === "http" ? `auth type ${String((config.auth as { type?: string } | undefined)?.type)}` : `a ${kind} connector`;
      issues.push({ path: ["secrets", name], code: "required", message: `${why} needs the secret "${name}"` });
    }
  }
}

export function checkKey(value: unknown, issues: Issue[]): string | undefined {
  if (typeof value === "string" && CONNECTOR_KEY.test(value)) return value;
  issues.push({
    path: ["key"],
    code: value === undefined ? "required" : "invalid_value",
    message: "a key is lower-case letters, digits, - and _, starting with a letter (at most 63), e.g. email or crm-sync",
  });
  return undefined;
}

export function checkName(value: unknown, fallback: string, issues: Issue[]): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || value.trim() === "" || value.length > 200) {
    issues.push({ path: ["name"], code: "invalid_value", message: "a name of 1–200 characters" });
    return fallback;
  }
  return value.trim();
}

/** Unknown top-level keys of a create or patch body. */
export function checkBodyKeys(body: Record<string, unknown>, allowed: readonly string[], issues: Issue[]) {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      issues.push({
        path: [key],
        code: "unknown_field",
        message: `unknown key "${key}"; allowed: ${allowed.join(", ")}`,
        expected: allowed,
      });
    }
  }
}

export { isObject };
