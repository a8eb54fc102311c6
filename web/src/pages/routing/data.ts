/**
 * Routing's reads and writes (the /api/v1/routing API, docs/routing.md): queues, rule sets,
 * availability, the distribution, a record's assignment reasons; the query keys the pages share;
 * and the server's problems by the path they name, so each page shows them next to the field.
 */
import { queryOptions } from "@tanstack/react-query";
import { ApiError, api, unwrap } from "../../api/client";

const fetchQueues = async () => unwrap(await api.GET("/api/v1/routing/queues")).data;
const fetchQueue = async (queue: string) => unwrap(await api.GET("/api/v1/routing/queues/{queue}", { params: { path: { queue } } }));
const fetchHolds = async (queue: string) =>
  unwrap(await api.GET("/api/v1/routing/queues/{queue}/holds", { params: { path: { queue } } })).data;
const fetchRuleSets = async () => unwrap(await api.GET("/api/v1/routing/rule-sets")).data;
const fetchRuleSet = async (ruleSet: string) =>
  unwrap(await api.GET("/api/v1/routing/rule-sets/{rule_set}", { params: { path: { rule_set: ruleSet } } }));
const fetchAvailability = async (user: string) =>
  unwrap(await api.GET("/api/v1/routing/availability/{user}", { params: { path: { user } } }));
const fetchTeamAvailability = async () => unwrap(await api.GET("/api/v1/routing/availability")).data;
const fetchDistribution = async (days: number) =>
  unwrap(await api.GET("/api/v1/routing/distribution", { params: { query: { days: String(days) } } }));
const fetchAssignments = async (recordId: string) =>
  unwrap(await api.GET("/api/v1/routing/assignments", { params: { query: { record_id: recordId } } })).data;

export type Queue = Awaited<ReturnType<typeof fetchQueue>>;
export type Hold = Awaited<ReturnType<typeof fetchHolds>>[number];
export type RuleSet = Awaited<ReturnType<typeof fetchRuleSet>>;
export type Rule = RuleSet["rules"][number];
export type Target = Rule["target"];
export type Availability = Awaited<ReturnType<typeof fetchAvailability>>;
export type Distribution = Awaited<ReturnType<typeof fetchDistribution>>;
export type Assignment = Awaited<ReturnType<typeof fetchAssignments>>[number];
export type Strategy = Queue["strategy"];

export const queuesQuery = queryOptions({ queryKey: ["routing", "queues"], queryFn: fetchQueues });
export const queueQuery = (queue: string) => queryOptions({ queryKey: ["routing", "queues", queue], queryFn: () => fetchQueue(queue) });
export const holdsQuery = (queue: string) =>
  queryOptions({ queryKey: ["routing", "queues", queue, "holds"], queryFn: () => fetchHolds(queue) });
export const ruleSetsQuery = queryOptions({ queryKey: ["routing", "rule-sets"], queryFn: fetchRuleSets });
export const ruleSetQuery = (ruleSet: string) =>
  queryOptions({ queryKey: ["routing", "rule-sets", ruleSet], queryFn: () => fetchRuleSet(ruleSet) });
export const availabilityQuery = (user: string) =>
  queryOptions({ queryKey: ["routing", "availability", user], queryFn: () => fetchAvailability(user) });
export const teamAvailabilityQuery = queryOptions({ queryKey: ["routing", "availability"], queryFn: fetchTeamAvailability });
export const distributionQuery = (days: number) =>
  queryOptions({ queryKey: ["routing", "distribution", days], queryFn: () => fetchDistribution(days) });
export const assignmentsQuery = (recordId: string) =>
  queryOptions({ queryKey: ["routing", "assignments", recordId], queryFn: () => fetchAssignments(recordId) });

export const STRATEGY_NAMES: Record<Strategy, { label: string; hint: string }> = {
  round_robin: { label: "Round-robin", hint: "each member in turn" },
  weighted_round_robin: { label: "Weighted round-robin", hint: "in turn, a member of weight 2 gets twice as many as weight 1" },
  least_loaded: { label: "Least loaded", hint: "whoever has the least open work" },
};

/** Admins and managers change queues and rule sets; everyone reads them (the API enforces the same). */
export const mayManageRouting = (role: string) => role === "admin" || role === "manager";

/** A server refusal as a page shows it: messages by the path they name ("rules[1].when"), and a summary. */
export interface Problems {
  summary: string;
  at(path: string): string | undefined;
  /** Messages whose path starts with `prefix` and that no `at` call of the page claims. */
  under(prefix: string): string[];
}

export function problemsOf(error: unknown): Problems | null {
  if (!error) return null;
  const issues = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
  const summary = error instanceof Error ? error.message : String(error);
  return {
    summary,
    at: (path) => {
      const found = issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`));
      return found.length > 0 ? found.map((i) => i.message).join("; ") : undefined;
    },
    under: (prefix) => issues.filter((i) => i.path.startsWith(prefix)).map((i) => i.message),
  };
}
