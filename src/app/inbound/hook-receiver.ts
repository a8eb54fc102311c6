/**
 * `POST /hooks/{key}`: a Standard Webhooks delivery becomes a record and an external event.
 * Order of checks: the hook exists (404), its rate limit (429, counted before any work so a
 * flood of forgeries is cut too), the signature over the RAW body with the current secret or,
 * for 24 hours after a rotation, the previous one (401), a delivery id seen before (the first
 * result again), the JSON body (400), the mapped fields (422 naming the body path).
 */
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import type { Issue } from "../../crm/issues.js";
import { pointerSegments, resolvePointer } from "../../engine/json-pointer.js";
import type { InboundHookRow } from "../../store/inbound-ports.js";
import type { Store } from "../../store/ports.js";
import { AppError } from "../errors.js";
import { checkIncomingJson } from "../incoming-json.js";
import type { Clock } from "../ports.js";
import type { SecretBox } from "../secrets/secret-box.js";
import type { DeliveryResult, Intake, Source } from "./intake.js";
import { RateLimitedError, type RateLimiter } from "./rate-limit.js";
import { openSigningSecret } from "./signing-secret.js";

/** The request parts a delivery is judged on. */
export interface HookRequest {
  key: string;
  /** Exactly the bytes received, as text: the signature covers them, not a re-serialisation. */
  rawBody: string;
  headers: Record<string, string>;
  requestId: string | null;
}

const unauthorized = (message: string) => new AppError("unauthorized", message);

export function hookSource(hook: InboundHookRow): Source {
  return { kind: "hook", workspaceId: hook.workspaceId, id: hook.id, key: hook.key, object: hook.object, matchOn: hook.matchOn };
}

export class HookReceiver {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly intake: Intake,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
  ) {}

  async receive(req: HookRequest): Promise<DeliveryResult> {
    const hook = await this.store.hooks.getInboundHookByKey(req.key);
    if (!hook) throw new AppError("not_found", `no inbound hook "${req.key}"`);
    const now = this.clock.now();
    const rate = this.limiter.take(`hook:${hook.id}`, hook.ratePerMin, now.getTime());
    if (!rate.ok) {
      throw new RateLimitedError(`inbound hook "${hook.key}" accepts ${hook.ratePerMin} deliveries per minute`, rate.retryAfterSeconds);
    }
    this.verify(hook, req, now);
    const deliveryId = req.headers["webhook-id"] as string;
    const source = hookSource(hook);
    const earlier = await this.intake.previous(source, deliveryId);
    if (earlier) return earlier;
    const body = parseJson(req.rawBody);
    const fields = { ...hook.defaults, ...mapBody(hook, body) };
    try {
      return await this.intake.accept(source, deliveryId, fields, req.requestId);
    } catch (error) {
      if (error instanceof AppError && error.kind === "validation" && hook.mapping) throw renamePaths(error, hook.mapping);
      throw error;
    }
  }

  /** Throws 401 unless a current (or recent previous) secret signed id.timestamp.body. */
  private verify(hook: InboundHookRow, req: HookRequest, now: Date) {
    const h = req.headers;
    const missing = ["webhook-id", "webhook-timestamp", "webhook-signature"].filter((name) => !h[name]);
    if (missing.length > 0) throw unauthorized(`the delivery is not signed: missing ${missing.join(", ")} (Standard Webhooks)`);
    if ((h["webhook-id"] as string).length > 255) throw unauthorized("webhook-id is longer than 255 characters");
    const secrets = [hook.secretSealed];
    if (hook.previousSecretSealed && hook.previousExpiresAt && hook.previousExpiresAt > now.toISOString()) {
      secrets.push(hook.previousSecretSealed);
    }
    let reason = "no matching signature";
    for (const sealed of secrets) {
      try {
        // The library compares in constant time and enforces the ±5 minute window.
        new Webhook(openSigningSecret(this.box, sealed)).verify(req.rawBody, h as Record<string, string>, { jsonParse: false });
        return;
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        reason = error.message;
      }
    }
    // The library's messages name what failed (a stale timestamp, no matching signature), never the secret.
    throw unauthorized(`the signature was not accepted: ${reason.toLowerCase()}`);
  }
}

function parseJson(raw: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "unreadable";
    throw new AppError("bad_request", `the body is not valid JSON: ${reason}`, [
      { path: ["body"], code: "invalid_value", message: reason },
    ]);
  }
  checkIncomingJson(parsed, ["body"]);
  return parsed;
}

function mapBody(hook: InboundHookRow, body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new AppError("validation", "the body must be a JSON object", [
      { path: ["body"], code: "invalid_type", message: "expected a JSON object", expected: "object" },
    ]);
  }
  if (!hook.mapping) return body as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const [field, pointer] of Object.entries(hook.mapping)) {
    const value = resolvePointer(body, pointer);
    if (value !== undefined) fields[field] = value;
  }
  return fields;
}

/** Issues about a mapped field name the sender's body path, which is what the sender can fix. */
function renamePaths(error: AppError, mapping: Record<string, string>): AppError {
  const issues: Issue[] = error.issues.map((i) => {
    const [field, ...rest] = i.path;
    const pointer = typeof field === "string" ? mapping[field] : undefined;
    if (!pointer) return i;
    return { ...i, path: [...pointerSegments(pointer), ...rest], message: `${i.message} (mapped to field ${field})` };
  });
  return new AppError("validation", error.message, issues);
}
