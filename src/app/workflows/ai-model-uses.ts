/**
 * The AI models a definition's `classify` steps name (docs/ai.md "The classify step"). Publishing
 * checks that each exists, predicts the step's field of the workflow's object and is on — a typo
 * or a model not yet trained is refused at `steps.<id>.model` rather than a workflow that sends
 * every record to triage. A model that a live workflow names cannot be deleted or renamed.
 */
import type { Issue } from "../../crm/issues.js";
import type { WorkflowDefinition } from "../../engine/definition.js";
import type { StoreReads } from "../../store/ports.js";
import { specOf } from "../ai/ai-model-schemas.js";
import { liveUses } from "./live-uses.js";

const classifySteps = (def: WorkflowDefinition) =>
  Object.entries(def.steps).flatMap(([id, s]) => (s.type === "classify" ? [{ id, model: s.model, field: s.field }] : []));

export async function aiModelIssues(reads: Pick<StoreReads, "aiModels">, workspaceId: string, def: WorkflowDefinition): Promise<Issue[]> {
  const steps = classifySteps(def);
  if (steps.length === 0) return [];
  const all = await reads.aiModels.listAiModels(workspaceId);
  const issues: Issue[] = [];
  for (const s of steps) {
    const path = ["steps", s.id, "model"];
    const m = all.find((x) => x.name === s.model);
    const classifier = (x: (typeof all)[number]) => specOf(x.definition).kind === "classifier";
    if (!m) {
      const expected = all.filter((x) => x.object === def.object && classifier(x)).map((x) => x.name);
      issues.push({ path, code: "invalid_reference", message: `no AI model "${s.model}" in this workspace`, expected });
    } else if (!classifier(m)) {
      issues.push({
        path,
        code: "invalid_value",
        message: `AI model "${s.model}" predicts the chance a ${m.object} converts, not a field's value: scoring models read it`,
        expected: all.filter((x) => x.object === def.object && classifier(x)).map((x) => x.name),
      });
    } else if (m.object !== def.object) {
      issues.push({
        path,
        code: "invalid_reference",
        message: `AI model "${s.model}" predicts ${m.object} records; this workflow runs on ${def.object}`,
      });
    } else if (m.target !== s.field) {
      issues.push({
        path: ["steps", s.id, "field"],
        code: "invalid_value",
        message: `AI model "${s.model}" predicts "${m.target}", not "${s.field}"`,
        expected: [m.target],
      });
    } else if (!m.enabled) {
      issues.push({
        path,
        code: "invalid_value",
        message: `AI model "${s.model}" is turned off: train it and turn it on before publishing`,
      });
    }
  }
  return issues;
}

/** "workflow triage (steps classify)" for each live workflow (or version with runs under way) naming the model. */
export async function workflowsNamingAiModel(reads: Pick<StoreReads, "workflows" | "runs">, workspaceId: string, name: string) {
  const users = await liveUses(reads, workspaceId, (def) => classifySteps(def).flatMap((s) => (s.model === name ? [s.id] : [])));
  return users.map((u) => `workflow ${u}`);
}
