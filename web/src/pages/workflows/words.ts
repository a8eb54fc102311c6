/** Words shared by the workflows list, a workflow's page and the recipe gallery. */
import type { Schemas } from "../../api/client";

export type WorkflowStatus = Schemas["WorkflowSummary"]["status"];

export const STATUS_WORDS: Record<WorkflowStatus, string> = {
  draft: "Draft",
  published: "Published",
  archived: "Archived",
};

/** What each status means, for the filter's hint and the badges' titles. */
export const STATUS_MEANING: Record<WorkflowStatus, string> = {
  draft: "saved, not running",
  published: "running on new records",
  archived: "retired: starts no new runs",
};

/** The actor who changed something, as a person reads it. */
export function byWhom(actor: Schemas["NamedActor"] | null | undefined): string {
  return actor ? actor.name : "unknown (changed before Handoff recorded it)";
}

/** Connector kinds as a RevOps admin calls them. */
export const CONNECTOR_KIND_WORDS: Record<string, string> = {
  smtp: "an email sender (SMTP)",
  http: "an HTTP connection",
  chat: "a chat webhook",
};
