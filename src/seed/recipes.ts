/**
 * The ready recipes (recipes/*.json at the package root) installed into a workspace: every one is
 * saved as a draft, and those this release can run are published (with `backfill`, time-based ones
 * also enroll the records already past their instant). The others stay drafts, with
 * the first reason they cannot be published yet (a trigger or connector that is not available).
 */
import type { CallContext } from "../app/context.js";
import { readRecipes, recipesDir } from "../app/recipes/recipe-files.js";
import type { WorkflowService } from "../app/workflows/workflow-service.js";
import { formatPath } from "../crm/issues.js";

export { packageRoot, recipesDir } from "../app/recipes/recipe-files.js";

export type RecipeOutcome =
  | { key: string; file: string; state: "published"; version: number; backfilled?: number }
  | { key: string; file: string; state: "draft"; version: number; reason: string };

/**
 * Saves every recipe as a draft, then publishes those without problems. Drafts first, so that a
 * recipe which enrolls into another one finds its key. Files are read in name order.
 */
export async function installRecipes(
  workflows: WorkflowService,
  ctx: CallContext,
  dir: string = recipesDir(),
  options: { backfill?: boolean; notes?: Readonly<Record<string, string>> } = {},
): Promise<RecipeOutcome[]> {
  const saved: Array<{ file: string; id: string; key: string; definition: unknown }> = [];
  for (const { file, definition } of await readRecipes(dir)) {
    const { workflow } = await workflows.saveDraft(ctx, definition);
    saved.push({ file, id: workflow.id, key: workflow.key, definition });
  }
  const outcomes: RecipeOutcome[] = [];
  for (const r of saved) {
    const [problem] = await workflows.validate(ctx, r.definition);
    if (problem) {
      const { workflow } = await workflows.get(ctx, r.id);
      const where = formatPath(problem.path);
      outcomes.push({
        key: r.key,
        file: r.file,
        state: "draft",
        version: workflow.latestVersion,
        reason: where ? `${where}: ${problem.message}` : problem.message,
      });
      continue;
    }
    // Backfill only where the trigger has records past their instant (relative_date, inactivity).
    const backfill = options.backfill === true && (await workflows.publishPreview(ctx, r.id)).backfill !== null;
    const note = options.notes?.[r.key];
    const { workflow, backfilled } = await workflows.publish(ctx, r.id, { backfill, ...(note ? { note } : {}) });
    outcomes.push({
      key: r.key,
      file: r.file,
      state: "published",
      version: workflow.liveVersion ?? workflow.latestVersion,
      ...(backfill ? { backfilled } : {}),
    });
  }
  return outcomes;
}
