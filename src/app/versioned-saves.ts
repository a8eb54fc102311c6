/**
 * Saving a named, versioned piece of configuration (a queue, a rule set, a calendar): its name is
 * unique in the workspace, and a new version is written only over the version it was read at, so
 * that two admins saving at once cannot silently overwrite each other.
 */
import type { VersionedUpdate } from "../store/routing-ports.js";
import { AppError } from "./errors.js";

/** The store refused a second one of this name: a 409 naming `name`. */
export const nameTaken = (what: string, name: string): AppError =>
  new AppError("conflict", `a ${what} named "${name}" exists already`, [
    { path: ["name"], code: "invalid_value", message: `"${name}" is taken` },
  ]);

/**
 * The outcome of saving a new version read at `read`: a taken name is a 409; someone else's save
 * in between (or an If-Match older than what was read) is a 412, so that neither admin's change is
 * lost without a word.
 */
export function checkSaved(what: string, name: string, outcome: VersionedUpdate): void {
  if (outcome === "name_taken") throw nameTaken(what, name);
  if (outcome === "stale")
    throw new AppError("precondition_failed", `the ${what} ${name} was changed by someone else meanwhile; read it again and retry`);
}

/** An If-Match older or newer than the version read: refused before anything is written. */
export function checkExpectedVersion(what: string, name: string, current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current)
    throw new AppError("precondition_failed", `the ${what} ${name} is at version ${current}, not ${expected}; read it again and retry`);
}
