/**
 * A run's parts by the names the run pages use, each the API's own generated type (schema.d.ts,
 * from src/api/routes/run-schemas.ts): GET /api/v1/runs/{id} answers a `RunDetail`, GET
 * /api/v1/runs a list of `RunSummary`.
 */
import type { Schemas } from "../../api/client";

export type RunStatus = Schemas["RunStatus"];
export type RunWait = Schemas["RunWait"];
export type DeliveryAttempt = Schemas["DeliveryAttempt"];
/** What a step did, one entry per command carried out. */
export type StepEffect = Schemas["StepEffect"];
/** A step as the run answers it: with its definition's description (why the step exists). */
export type RunStep = Schemas["RunDetail"]["steps"][number];
/** An outbox item of the run, as it stands now. */
export type RunDelivery = Schemas["RunDelivery"];
export type RunDetail = Schemas["RunDetail"];
/** A run in a list, with what it waits for when it waits. */
export type RunSummary = Schemas["RunListItem"];

export const TERMINAL_STATUSES: readonly RunStatus[] = ["completed", "exited", "failed", "cancelled"];
