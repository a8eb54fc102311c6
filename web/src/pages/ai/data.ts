/** The AI models page's reads and writes (GET/POST /api/v1/ai/models…; docs/ai.md). */
import { queryOptions } from "@tanstack/react-query";
import { api, ifMatch, type Schemas, unwrap } from "../../api/client";
import type { paths } from "../../api/schema";

export type AiModel = Schemas["AiModel"];
export type AiPrediction = Schemas["AiPrediction"];
export type AiTrainingJob = NonNullable<Schemas["AiTrainingJob"]>;
export type AiModelVersion = Schemas["AiModelVersion"];

/** A training still queued or running: the page reads the models again until it has ended. */
export const training = (m: AiModel) => m.training_job?.state === "queued" || m.training_job?.state === "running";

export const aiModelsQuery = queryOptions({
  queryKey: ["ai-models"],
  queryFn: async () => unwrap(await api.GET("/api/v1/ai/models")).data,
  // Half a second while a model trains (its progress bar moves), otherwise not at all.
  refetchInterval: (query) => (query.state.data?.some(training) ? 500 : false),
});

/** The model's versions, newest first; read again when a training makes a new one. */
export const versionsQuery = (m: AiModel) =>
  queryOptions({
    queryKey: ["ai-models", m.id, "versions", m.training?.model_version ?? 0],
    queryFn: async () => unwrap(await api.GET("/api/v1/ai/models/{model}/versions", { params: { path: { model: m.id } } })).data,
  });

export type AiModelKind = AiModel["kind"];
/** What a new model's body says it is (the generated type): its activity types are the server's ACTIVITY_TYPES. */
type NewModelBody = NonNullable<paths["/api/v1/ai/models"]["post"]["requestBody"]>["content"]["application/json"];
export type ActivityType = NonNullable<NewModelBody["activity_types"]>[number];

export interface NewModel {
  kind: AiModelKind;
  name: string;
  description: string;
  object: AiModel["object"];
  target: string;
  text_fields: string[];
  value_fields: string[];
  /** Conversion models: the target's values that mean converted, and those that mean lost (empty for a classifier). */
  converted: string[];
  lost: string[];
  /** Conversion models: the activity types whose counts on the record it reads. */
  activity_types: ActivityType[];
  threshold: number;
}

/** A conversion model's chance that the record converts (its `converted` probability). */
export const chanceToConvert = (p: AiPrediction) =>
  p.probabilities.converted ?? (p.value === "converted" ? p.confidence : 1 - p.confidence);

/** The workspace's conversion models of one object: what a scoring model's fit rule may read. */
export const conversionModelsOf = (models: readonly AiModel[], object: string) =>
  models.filter((m) => m.kind === "conversion" && m.object === object);

export const createModel = async (body: NewModel) => unwrap(await api.POST("/api/v1/ai/models", { body }));

export const trainModel = async (m: AiModel) =>
  unwrap(await api.POST("/api/v1/ai/models/{model}/train", { params: { path: { model: m.id } } }));

export const setModelEnabled = async (m: AiModel, enabled: boolean) =>
  unwrap(
    await api.PATCH("/api/v1/ai/models/{model}", { params: { path: { model: m.id } }, body: { enabled }, headers: ifMatch(m.version) }),
  );

/** What the model says of a record described by its fields (and, for a conversion model, how many activities of each type it has). */
export const predict = async (m: AiModel, record: Record<string, unknown>, activities?: Record<string, number>) =>
  unwrap(
    await api.POST("/api/v1/ai/models/{model}/predict", {
      params: { path: { model: m.id } },
      body: { record, ...(activities && Object.keys(activities).length > 0 ? { activities } : {}) },
    }),
  );

/** What the model says of a saved record (a conversion model counts its activities). */
export const predictRecord = async (m: AiModel, recordId: string) =>
  unwrap(await api.POST("/api/v1/ai/models/{model}/predict", { params: { path: { model: m.id } }, body: { record_id: recordId } }));

/** "85.4 %"; a dash for nothing to show. */
export const pct = (n: number | null | undefined) => (n === null || n === undefined ? "—" : `${(n * 100).toFixed(1)} %`);
