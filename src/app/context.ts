/** Who is calling, in which workspace: handed to every service call by the edges (API, CLI). */
import type { Role } from "../crm/objects.js";
import type { ActorRef } from "../store/ports.js";

export interface CallContext {
  workspaceId: string;
  role: Role;
  actor: ActorRef;
  /** Correlates audit entries with the request's log lines. */
  requestId: string | null;
  /** The event or run this call happens on behalf of (loop detection follows it). */
  causeId: string | null;
  /** Causal depth of the writes made in this call (0 for people and integrations). */
  depth?: number;
}

/** The identity the CLI and the seed act as: a person-less system administrator. */
export function systemContext(workspaceId: string, id = "cli"): CallContext {
  return { workspaceId, role: "admin", actor: { kind: "system", id }, requestId: null, causeId: null };
}
