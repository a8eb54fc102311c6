/**
 * Scoring models' AI prediction rules against the workspace's AI models (docs/scoring.md "AI
 * prediction rules"): a rule names a conversion model of the scored object — not a classifier,
 * not another object's, not a model that does not exist — refused at save with its path. A
 * conversion model a live scoring model reads cannot be deleted or renamed (the rule would give
 * nothing from then on, silently).
 */
import type { Issue } from "../../crm/issues.js";
import type { ScoreModelDefinition } from "../../engine/scoring/definition.js";
import type { StoreReads } from "../../store/ports.js";
import { specOf } from "../ai/ai-model-schemas.js";

export async function predictionRuleIssues(
  reads: Pick<StoreReads, "aiModels">,
  workspaceId: string,
  def: ScoreModelDefinition,
): Promise<Issue[]> {
  const rules = (def.fit?.groups ?? []).flatMap((g, gi) =>
    g.rules.flatMap((r, ri) =>
      r.prediction === undefined ? [] : [{ name: r.prediction, path: ["fit", "groups", gi, "rules", ri, "prediction"] }],
    ),
  );
  if (rules.length === 0) return [];
  const models = await reads.aiModels.listAiModels(workspaceId);
  const usable = models.filter((m) => m.object === def.object && specOf(m.definition).kind === "conversion").map((m) => m.name);
  const issues: Issue[] = [];
  for (const r of rules) {
    const m = models.find((x) => x.name === r.name);
    const problem = !m
      ? `no AI model "${r.name}" in this workspace`
      : specOf(m.definition).kind !== "conversion"
        ? `AI model "${r.name}" predicts a field's value; a prediction rule reads a conversion model's chance to convert`
        : m.object !== def.object
          ? `AI model "${r.name}" predicts ${m.object} records; this scoring model scores ${def.object} records`
          : undefined;
    if (problem) issues.push({ path: r.path, code: "invalid_reference", message: problem, expected: usable });
  }
  return issues;
}

/** "scoring model lead-score" for each enabled scoring model whose current version reads the AI model. */
export async function scoringModelsNamingAiModel(
  reads: Pick<StoreReads, "scoring">,
  workspaceId: string,
  object: ScoreModelDefinition["object"],
  name: string,
): Promise<string[]> {
  const live = await reads.scoring.liveScoreModels(workspaceId, object);
  return live
    .filter((m) => (m.definition.fit?.groups ?? []).some((g) => g.rules.some((r) => r.prediction === name)))
    .map((m) => `scoring model ${m.model.key}`);
}
