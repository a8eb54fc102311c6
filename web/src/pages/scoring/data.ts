/**
 * Scoring models' reads and writes (the /api/v1/scoring API, docs/scoring.md) and a record's
 * score and ledger, through the generated typed client (`api`): the answers' types are the
 * generated ones, so a drift between the pages and the routes fails the typecheck. Also the query
 * keys the pages share and who may change a model (admins; the API answers 403 to anyone else).
 * A running rescore is polled every second until it is done (docs/adr/0008: live state by polling).
 *
 * The model definition's type is written here: the API documents it as JSON (its conditions are
 * recursive, which the OpenAPI generator cannot walk) and checks it with the engine's schema
 * (src/engine/scoring/definition.ts), whose shape this follows.
 */
import { queryOptions } from "@tanstack/react-query";
import { ApiError, api, type Schemas, unwrap } from "../../api/client";
import type { Condition } from "../../components/graph/definition";

// ---- the model definition (docs/scoring.md "Models") ----
/**
 * A fit rule gives its points while its condition holds (`when`), or — with `prediction`, the name
 * of a conversion AI model of the object, and no `when` — the model's chance that the record
 * converts × its points (one decimal): `points` is then the most it gives.
 */
export interface FitRule {
  key: string;
  label: string;
  when?: Condition;
  prediction?: string;
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

// ---- answers (the generated types) ----
/** (The generated component carries the summary's `| null`; one rescore is never null.) */
export type Rescore = NonNullable<Schemas["ScoreRescore"]>;
export type ModelSummary = Schemas["ScoreModelSummary"];
/** A model as read: its current definition (checked by the server against the engine's schema) and its versions. */
export type ModelDetail = Omit<Schemas["ScoreModel"], "definition"> & { definition: ScoreDefinition };
export type ModelVersion = ModelDetail["versions"][number];
export type Preview = Schemas["ScorePreview"];
export type RecordScore = Schemas["RecordScore"];
export type GroupScore = RecordScore["groups"][number];
export type RuleScore = GroupScore["rules"][number];
export type LedgerRow = Schemas["ScoreLedgerRow"];

const detail = (m: Schemas["ScoreModel"]): ModelDetail => ({ ...m, definition: m.definition as unknown as ScoreDefinition });
const withNote = (note: string) => (note.trim() ? { note: note.trim() } : {});
const keyPath = (key: string) => ({ params: { path: { key } } });
/** The definition as the API's body takes it (documented as a JSON object). */
const asBody = (definition: ScoreDefinition) => definition as unknown as Record<string, unknown>;

export const modelsQuery = queryOptions({
  queryKey: ["scoring", "models"],
  queryFn: async () => unwrap(await api.GET("/api/v1/scoring/models")).data,
});

export const modelQuery = (key: string) =>
  queryOptions({
    queryKey: ["scoring", "models", key],
    queryFn: async () => detail(unwrap(await api.GET("/api/v1/scoring/models/{key}", keyPath(key)))),
  });

export const rescoreRunning = (r: Pick<Rescore, "state"> | null | undefined) => r?.state === "queued" || r?.state === "running";

/** Polled every second while a rescore is queued or running; every 30 s otherwise. A model never rescored answers 404: none. */
export const rescoreQuery = (key: string) =>
  queryOptions({
    queryKey: ["scoring", "models", key, "rescore"],
    queryFn: async () => {
      try {
        return unwrap(await api.GET("/api/v1/scoring/models/{key}/rescores/latest", keyPath(key)));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    refetchInterval: (q) => (rescoreRunning(q.state.data) ? 1_000 : 30_000),
  });

export const createModel = async (definition: ScoreDefinition, note: string) =>
  detail(unwrap(await api.POST("/api/v1/scoring/models", { body: { definition: asBody(definition), ...withNote(note) } })));

export const publishVersion = async (key: string, definition: ScoreDefinition, note: string) =>
  detail(
    unwrap(
      await api.POST("/api/v1/scoring/models/{key}/versions", {
        ...keyPath(key),
        body: { definition: asBody(definition), ...withNote(note) },
      }),
    ),
  );

/** The distribution under `definition`, writing nothing: over the model's current scores, or (no key yet: a new model) from nothing. */
export const previewModel = async (key: string | undefined, definition: ScoreDefinition) =>
  key === undefined
    ? unwrap(await api.POST("/api/v1/scoring/preview", { body: { definition: asBody(definition) } }))
    : unwrap(await api.POST("/api/v1/scoring/models/{key}/preview", { ...keyPath(key), body: { definition: asBody(definition) } }));

export const setEnabled = async (key: string, enabled: boolean) =>
  detail(unwrap(await api.PATCH("/api/v1/scoring/models/{key}", { ...keyPath(key), body: { enabled } })));

export const deleteModel = async (key: string) => {
  unwrap(await api.DELETE("/api/v1/scoring/models/{key}", keyPath(key)));
};

const recordPath = (plural: string, id: string) => ({ path: { objects: plural, id } });

export const recordScoreQuery = (plural: string, id: string) =>
  queryOptions({
    queryKey: ["record", "live", plural, id, "score"],
    queryFn: async () => unwrap(await api.GET("/api/v1/{objects}/{id}/score", { params: recordPath(plural, id) })).data,
  });

/** A page of a record's ledger for one model, newest first ("" = the newest page). */
export const fetchLedgerPage = async (plural: string, id: string, modelKey: string, cursor: string) =>
  unwrap(
    await api.GET("/api/v1/{objects}/{id}/score/ledger", {
      params: { ...recordPath(plural, id), query: { model: modelKey, ...(cursor ? { cursor } : {}) } },
    }),
  );

/** Only admins change scoring models; every signed-in role reads them (the API enforces the same). */
export const mayEditScoring = (role: string) => role === "admin";
