/**
 * Delivers `http` outbox items: the connector's base_url + the rendered path, through the egress
 * guard. Every attempt carries `Idempotency-Key: <item key>`, so a receiver can drop the
 * duplicates that at-least-once delivery may produce. Auth comes from the connector's secrets
 * at delivery time (bearer, basic, or an HMAC-SHA256 signature over `timestamp.body`).
 *
 * Outcome: 2xx ok (JSON bodies parsed for response mapping); 408, 429 and 5xx retryable with
 * their Retry-After; any other status permanent; timeouts and connection errors retryable; a
 * destination the egress guard refuses permanent.
 */
import { createHmac } from "node:crypto";
import type { Deliverer, DeliveryContext, DeliveryOutcome, HttpPayload, OutboxItem, ResolvedConnector } from "../contract.js";
import type { EgressGuard } from "../egress/guard.js";
import { type HttpResponse, sendHttp } from "../egress/http-transport.js";
import { outcomeOfError, outcomeOfResponse } from "../http-outcome.js";
import { type HttpConfig, httpConfigSchema } from "./http-config.js";

/** A delivery that cannot succeed as configured: no retry. */
class Misconfigured extends Error {}

function configOf(connector: ResolvedConnector | undefined, item: OutboxItem): HttpConfig {
  if (!connector) throw new Misconfigured(`no connector "${item.connector ?? ""}" in this workspace`);
  if (connector.kind !== "http") throw new Misconfigured(`connector "${connector.key}" is a ${connector.kind} connector, not http`);
  const parsed = httpConfigSchema.safeParse(connector.config);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Misconfigured(`connector "${connector.key}" config ${first?.path.join(".") || "(root)"}: ${first?.message ?? "invalid"}`);
  }
  return parsed.data;
}

function secret(connector: ResolvedConnector, name: string): string {
  const value = connector.secrets[name];
  if (!value) throw new Misconfigured(`connector "${connector.key}" has no secret "${name}"`);
  return value;
}

function joinUrl(base: string, path: string): string {
  if (path === "") return base;
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** Headers from the connector, then the action, then what delivery itself owns (key, auth). */
function headersFor(item: OutboxItem, p: HttpPayload, config: HttpConfig, connector: ResolvedConnector, nowMs: number) {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...config.headers, ...p.headers })) headers[k.toLowerCase()] = v;
  headers["idempotency-key"] = item.key;
  const auth = config.auth;
  switch (auth.type) {
    case "bearer":
      headers.authorization = `Bearer ${secret(connector, "token")}`;
      break;
    case "basic":
      headers.authorization = `Basic ${Buffer.from(`${auth.username}:${secret(connector, "password")}`).toString("base64")}`;
      break;
    case "hmac": {
      const timestamp = Math.floor(nowMs / 1_000);
      const mac = createHmac("sha256", secret(connector, "hmac_secret"))
        .update(`${timestamp}.${p.body ?? ""}`)
        .digest("hex");
      headers[auth.header.toLowerCase()] = `t=${timestamp},v1=${mac}`;
      break;
    }
    case "none":
      break;
  }
  return headers;
}

function parseBody(res: HttpResponse): unknown {
  const text = res.body.toString("utf8");
  if (!/json/i.test(res.headers["content-type"] ?? "") && !/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The receiver's answer as an outcome; a delivered JSON answer is kept for response mapping. */
export function classify(res: HttpResponse, secrets: Readonly<Record<string, string>>, nowMs: number): DeliveryOutcome {
  const outcome = outcomeOfResponse(res, secrets, nowMs);
  if (!outcome.ok) return outcome;
  const response = parseBody(res);
  return response !== undefined ? { ...outcome, response } : outcome;
}

export interface HttpDelivererDeps {
  guard: EgressGuard;
  /** Wall clock for HMAC timestamps and HTTP-date Retry-After. */
  now: () => number;
}

export function httpDeliverer(deps: HttpDelivererDeps): Deliverer {
  return {
    kind: "http",
    destination(_item, connector) {
      try {
        return new URL(String(connector?.config.base_url)).host;
      } catch {
        return `connector:${connector?.key ?? "unknown"}`;
      }
    },
    async deliver(item, connector, ctx: DeliveryContext): Promise<DeliveryOutcome> {
      const p = item.payload as HttpPayload;
      let config: HttpConfig;
      let headers: Record<string, string>;
      try {
        config = configOf(connector, item);
        headers = headersFor(item, p, config, connector as ResolvedConnector, deps.now());
      } catch (error) {
        if (error instanceof Misconfigured) return { ok: false, retryable: false, error: error.message };
        throw error;
      }
      try {
        const res = await sendHttp(
          { method: p.method, url: joinUrl(config.base_url, p.path), headers, ...(p.body !== undefined ? { body: p.body } : {}) },
          { guard: deps.guard, timeoutMs: config.timeout_ms, maxResponseBytes: config.max_response_bytes, signal: ctx.signal },
        );
        return classify(res, connector?.secrets ?? {}, deps.now());
      } catch (error) {
        return outcomeOfError(error, connector?.secrets ?? {}, ctx.signal);
      }
    },
  };
}
