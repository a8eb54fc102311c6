/**
 * Who made a change, by name: the audit trail keeps actors by id (a user or an API token for
 * people and integrations, a workflow id, a system name), and a rep reading a record's timeline
 * needs "Priya Larsen", "Speed to lead" or "API token ‘CRM sync’", not ids. Names are read as they
 * are now; an id that no longer resolves (a deleted user, a revoked token) keeps its kind's word.
 */
import type { ActorRef } from "../../crm/actor.js";
import type { StoreReads } from "../../store/ports.js";

type Reads = {
  records: Pick<StoreReads["records"], "getRecords">;
  tokens: Pick<StoreReads["tokens"], "listTokens">;
  workflows: Pick<StoreReads["workflows"], "listWorkflows">;
};

/** How the sources of inbound intake are called. */
const INTAKE_WORDS: Record<string, string> = { form: "the web form", hook: "the inbound hook" };

const SYSTEM_NAMES: Record<string, string> = { seed: "Handoff (seed)", "last-activity": "Handoff (last activity)" };

/** A display name for each actor, keyed by `${kind}:${id}`. */
export async function actorNames(store: Reads, workspaceId: string, actors: readonly ActorRef[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const people = [...new Set(actors.filter((a) => a.kind === "person" || a.kind === "integration").map((a) => a.id))];
  const needWorkflows = actors.some((a) => a.kind === "workflow");
  const [users, tokens, workflows] = await Promise.all([
    people.length > 0 ? store.records.getRecords(workspaceId, people) : [],
    people.length > 0 ? store.tokens.listTokens(workspaceId) : [],
    needWorkflows ? store.workflows.listWorkflows(workspaceId) : [],
  ]);
  const userName = new Map(users.filter((u) => u.object === "user").map((u) => [u.id, String(u.data.name ?? u.id)]));
  const tokenName = new Map(tokens.map((t) => [t.id, t.name]));
  const workflowName = new Map(workflows.map((w) => [w.id, w.name]));
  for (const a of actors) {
    const key = `${a.kind}:${a.id}`;
    if (names.has(key)) continue;
    let name: string;
    if (a.kind === "workflow") name = workflowName.get(a.id) ?? "a workflow since deleted";
    else if (a.kind === "system") name = SYSTEM_NAMES[a.id] ?? `Handoff (${a.id})`;
    else if (a.kind === "integration" && INTAKE_WORDS[a.id.split(":")[0] ?? ""]) {
      // Inbound intake acts as `form:<key>` / `hook:<key>` (app/inbound/intake.ts).
      const [source, ...key] = a.id.split(":");
      name = `${INTAKE_WORDS[source as string]} “${key.join(":")}”`;
    } else {
      const token = tokenName.get(a.id);
      name = userName.get(a.id) ?? (token ? `API token “${token}”` : a.kind === "integration" ? "an integration" : "a former user");
    }
    names.set(key, name);
  }
  return names;
}
