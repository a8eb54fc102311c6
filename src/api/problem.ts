/**
 * Errors as RFC 9457 problem+json. Every 4xx names what is wrong (field path, what was
 * expected); a 5xx says only that it is ours, with the request id to find it in the logs.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppErrorKind } from "../app/errors.js";
import { formatPath, type Issue } from "../crm/issues.js";

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Array<{
    path: string;
    code: string;
    message: string;
    expected?: string | readonly string[];
    rule?: { id: string; name: string };
  }>;
  request_id?: string;
}

export const STATUS: Record<
  | AppErrorKind
  | "unauthorized"
  | "forbidden"
  | "payload_too_large"
  | "internal"
  | "unsupported_media_type"
  | "method_not_allowed"
  | "rate_limited",
  { status: ContentfulStatusCode; title: string }
> = {
  bad_request: { status: 400, title: "Bad request" },
  validation: { status: 422, title: "Validation failed" },
  unauthorized: { status: 401, title: "Unauthorized" },
  forbidden: { status: 403, title: "Forbidden" },
  not_found: { status: 404, title: "Not found" },
  conflict: { status: 409, title: "Conflict" },
  precondition_failed: { status: 412, title: "Precondition failed" },
  locked: { status: 423, title: "Locked: awaits approval" },
  idempotency_mismatch: { status: 422, title: "Idempotency key reused with another request" },
  idempotency_in_progress: { status: 409, title: "Request with this idempotency key is in progress" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  unavailable: { status: 503, title: "Service unavailable" },
};

export function problem(c: Context, kind: keyof typeof STATUS, detail: string, issues: readonly Issue[] = []): Response {
  const { status, title } = STATUS[kind];
  const body: ProblemBody = { type: `/problems/${kind.replaceAll("_", "-")}`, title, status, detail };
  if (issues.length > 0) {
    body.errors = issues.map((i) => ({
      path: formatPath(i.path),
      code: i.code,
      message: i.message,
      ...(i.expected !== undefined ? { expected: i.expected } : {}),
      ...(i.rule !== undefined ? { rule: i.rule } : {}),
    }));
  }
  const requestId = c.get("requestId" as never) as string | undefined;
  if (requestId) body.request_id = requestId;
  return c.body(JSON.stringify(body), status, { "content-type": "application/problem+json" });
}
