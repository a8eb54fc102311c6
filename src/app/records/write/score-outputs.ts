/**
 * Fields a scoring model writes are not written by anyone else (docs/scoring.md "Who writes the
 * score fields"): an enabled model owns its output fields, and a person's, an import's or a
 * workflow's value would be overwritten silently at the model's next write. So a write that
 * changes one (an update) or gives one a value (a create) is refused with an issue naming the
 * field and the model — except the model's own writes (the system actor `scoring:<key>@v<n>`)
 * and a create by an inbound form or hook (actor kind `integration`): its mapped value is the
 * record's starting value, which the model replaces in the same matcher pass that scores it
 * (the demo's contact-sales form starts a lead at the score speed-to-lead decides on).
 */
import type { ObjectName } from "../../../crm/fields.js";
import type { Issue, IssuePath } from "../../../crm/issues.js";
import type { StoreReads } from "../../../store/ports.js";
import type { CallContext } from "../../context.js";
import { invalid } from "../../errors.js";

/** The output fields of the object's enabled scoring models: field → the model's key. */
export interface ScoreOutputs {
  outputsOf(reads: StoreReads, workspaceId: string, object: ObjectName): Promise<ReadonlyMap<string, string>>;
}

/** What the scoring models write as: `scoring:<key>@v<version>` (runtime/scoring/models.ts). */
const SCORING_ACTOR = /^scoring:/;

const isScoring = (ctx: CallContext) => ctx.actor.kind === "system" && SCORING_ACTOR.test(ctx.actor.id);

const issue = (path: IssuePath, field: string, model: string): Issue => ({
  path: [...path, field],
  code: "managed_field",
  message: `${field} is set by scoring model ${model}; change the model instead`,
});

/** The fields each item would write that a model owns; empty when the writer may write them. */
export async function scoreOutputIssues(
  outputs: ScoreOutputs | undefined,
  reads: StoreReads,
  ctx: CallContext,
  object: ObjectName,
  kind: "create" | "update",
  items: ReadonlyArray<{ path: IssuePath; fields: Iterable<string> }>,
): Promise<Issue[]> {
  if (!outputs || isScoring(ctx) || (kind === "create" && ctx.actor.kind === "integration")) return [];
  const owned = await outputs.outputsOf(reads, ctx.workspaceId, object);
  if (owned.size === 0) return [];
  const issues: Issue[] = [];
  for (const item of items)
    for (const field of item.fields) {
      const model = owned.get(field);
      if (model) issues.push(issue(item.path, field, model));
    }
  return issues;
}

export async function checkScoreOutputs(...args: Parameters<typeof scoreOutputIssues>): Promise<void> {
  const issues = await scoreOutputIssues(...args);
  if (issues.length > 0) throw invalid(issues, issues[0]?.message);
}
