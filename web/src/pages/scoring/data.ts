/**
 * Scoring models' reads and writes (the /api/v1/scoring API, docs/scoring.md) and a record's
 * score and ledger: the wire shapes the pages read, the query keys they share, the writes, and who
 * may change a model (admins; the API answers 403 to anyone else). A running rescore is polled
 * every second until it is done (docs/adr/0008: live state by polling).
 *
 * The shapes are written here from the shared design (docs/scoring.md) while the scoring routes
 * are not yet in the generated client (web/src/api/schema.d.ts): once `npm run gen:api` has them,
 * these types become aliases of the generated ones and the calls go through `api`, so a drift
 * fails the typecheck. Until then the calls are made with fetch and the app's headers (CSRF), as
 * the session routes are.
 */
import { queryOptions } from "@tanstack/react-query";
import { ApiError, apiHeaders, type Problem } from "../../api/client";
import type { Condition } from "../../components/graph/definition";

// ---- the model definition (docs/scoring.md "Models") ----
export interface FitRule {
  key: string;
  label: string;
  when?: Condition;
  points: number;
}
export type EngagementOn = { activity: string[] } | { external: string[] };
export interface EngagementRule {
  key: string;
  label: string;
  on: EngagementOn;
  when?: Condition;
  points: number;
}
export interface ScoreGroup<R> {
  key: string;
  label: string;
  cap?: number;
  rules: R[];
}
export type DecaySpec = { half_life_days: number } | { expires_after_days: number };
export interface ScoreDefinition {
  key: string;
  name: string;
  object: string;
  fields: { total: string; fit?: string; engagement?: string };
  fit?: { groups: ScoreGroup<FitRule>[] };
  engagement?: { groups: ScoreGroup<EngagementRule>[]; decay?: DecaySpec };
  weights?: { fit: number; engagement: number };
  total_cap?: number;
}

// ---- answers ----
export interface Rescore {
  state: "queued" | "running" | "done" | "failed";
  version: number;
  total: number;
  done: number;
  started_at: string | null;
  finished_at: string | null;
  error?: string | null;
}
export interface ModelSummary {
  key: string;
  name: string;
  object: string;
  enabled: boolean;
  version: number;
  fields: ScoreDefinition["fields"];
  rescore: Rescore | null;
}
export interface ModelVersion {
  version: number;
  published_at: string;
  published_by: string | null;
  note: string | null;
}
export interface ModelDetail extends ModelSummary {
  definition: ScoreDefinition;
  versions: ModelVersion[];
}
export interface Preview {
  records: number;
  histogram: { from: number; to: number; count: number }[];
  mean: number;
  median: number;
  changed: number;
  up: number;
  down: number;
  top_rules: { group_key: string; group_label?: string; rule_key: string; label?: string; records: number; points: number }[];
}
export interface RuleScore {
  key: string;
  label: string;
  /** Nominal points of the rule. */
  points: number;
  /** What it gives now, before its group's cap (an engagement rule's awards after decay). */
  current: number;
  /** Fit: 1 when it holds; engagement: how many awards it has. */
  hits: number;
}
export interface GroupScore {
  part: "fit" | "engagement";
  key: string;
  label: string;
  cap: number | null;
  /** min(cap, sum of the rules' current points). */
  value: number;
  rules: RuleScore[];
}
export interface RecordScore {
  model: { key: string; name: string; version: number };
  fields: ScoreDefinition["fields"];
  weights: { fit: number; engagement: number };
  total_cap: number | null;
  at: string;
  /** Exact values; `rounded` is what the fields hold. */
  fit: number;
  engagement: number;
  total: number;
  rounded: { fit: number; engagement: number; total: number };
  groups: GroupScore[];
}
export interface LedgerRow {
  id: string;
  model: string;
  version: number;
  kind: "fit" | "engagement" | "decay" | "expiry" | "rescore";
  group_key: string | null;
  rule_key: string | null;
  /** What changed: a field change (`changes: [{field, old, new}]`), an activity, a form or hook delivery. */
  cause: Record<string, unknown> | null;
  points: number | null;
  before: number;
  after: number;
  at: string;
}
export interface LedgerPage {
  data: LedgerRow[];
  next_cursor: string | null;
}

async function call<T>(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: apiHeaders(method, body !== undefined),
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, json && typeof json === "object" ? (json as Partial<Problem>) : undefined);
  return json as T;
}

const base = "/api/v1/scoring/models";
const model = (key: string) => `${base}/${encodeURIComponent(key)}`;
const withNote = (note: string) => (note.trim() ? { note: note.trim() } : {});

export const modelsQuery = queryOptions({
  queryKey: ["scoring", "models"],
  queryFn: async () => (await call<{ data: ModelSummary[] }>("GET", base)).data,
});

export const modelQuery = (key: string) =>
  queryOptions({ queryKey: ["scoring", "models", key], queryFn: () => call<ModelDetail>("GET", model(key)) });

export const rescoreRunning = (r: Pick<Rescore, "state"> | null | undefined) => r?.state === "queued" || r?.state === "running";

/** Polled every second while a rescore is queued or running; every 30 s otherwise. A model never rescored answers 404: none. */
export const rescoreQuery = (key: string) =>
  queryOptions({
    queryKey: ["scoring", "models", key, "rescore"],
    queryFn: async () => {
      try {
        return await call<Rescore>("GET", `${model(key)}/rescores/latest`);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    refetchInterval: (q) => (rescoreRunning(q.state.data) ? 1_000 : 30_000),
  });

export const createModel = (definition: ScoreDefinition, note: string) =>
  call<ModelDetail>("POST", base, { definition, ...withNote(note) });

export const publishVersion = (key: string, definition: ScoreDefinition, note: string) =>
  call<ModelDetail>("POST", `${model(key)}/versions`, { definition, ...withNote(note) });

export const previewModel = (key: string, definition: ScoreDefinition) => call<Preview>("POST", `${model(key)}/preview`, { definition });

export const setEnabled = (key: string, enabled: boolean) => call<ModelDetail>("PATCH", model(key), { enabled });

export const deleteModel = (key: string) => call<void>("DELETE", model(key));

const recordPath = (plural: string, id: string) => `/api/v1/${encodeURIComponent(plural)}/${encodeURIComponent(id)}/score`;

export const recordScoreQuery = (plural: string, id: string) =>
  queryOptions({
    queryKey: ["record", "live", plural, id, "score"],
    queryFn: async () => (await call<{ data: RecordScore[] }>("GET", recordPath(plural, id))).data,
  });

/** A page of a record's ledger for one model, newest first ("" = the newest page). */
export const fetchLedgerPage = (plural: string, id: string, modelKey: string, cursor: string) =>
  call<LedgerPage>(
    "GET",
    `${recordPath(plural, id)}/ledger?${new URLSearchParams({ model: modelKey, ...(cursor ? { cursor } : {}) }).toString()}`,
  );

/** Only admins change scoring models; every signed-in role reads them (the API enforces the same). */
export const mayEditScoring = (role: string) => role === "admin";
