/**
 * Actor: who a change is attributed to — a person or an integration (by API token), a workflow
 * (by its id) or the system (by a name). Domain vocabulary, shared by the audit log, the config
 * audit and every call context; it lives here so that every port can name it without importing
 * another port.
 */
export type ActorKind = "person" | "integration" | "workflow" | "system";

export interface ActorRef {
  kind: ActorKind;
  /** Token id for people and integrations, workflow id for workflows, a name for the system. */
  id: string;
}
