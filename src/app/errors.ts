/**
 * Application errors are data with a kind; the API maps each kind to one HTTP status and a
 * problem+json body. Anything else that escapes is a bug and becomes a logged 500.
 */
import type { Issue } from "../crm/issues.js";

export type AppErrorKind =
  | "bad_request"
  | "validation"
  | "unauthorized"
  /** The caller may see the thing but their role may not do this to it (a rep installing a recipe): 403. */
  | "forbidden"
  | "not_found"
  | "conflict"
  | "precondition_failed"
  /** The record awaits an approval decision and the write touches what is locked: 423. */
  | "locked"
  | "idempotency_mismatch"
  | "idempotency_in_progress"
  /** The operator has not configured something the request needs (e.g. the master key): 503. */
  | "unavailable";

export class AppError extends Error {
  constructor(
    readonly kind: AppErrorKind,
    message: string,
    readonly issues: readonly Issue[] = [],
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const invalid = (issues: readonly Issue[], message = "the request has invalid fields") =>
  new AppError("validation", message, issues);
