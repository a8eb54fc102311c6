/**
 * Fields a scoring model writes are not changed by hand (docs/scoring.md "Who writes the score
 * fields"): an enabled model owns its output fields, and a person's or an integration's value
 * would be overwritten silently at the model's next write. So their update that changes one is
 * refused with an issue naming the field and the model. The model's own writes (the system actor
 * `scoring:<key>@v<n>`) go through, and so do workflows': a published workflow's `change_score`
 * (the re-engagement recipe lowers cold leads' scores) must not start failing runs the day a model
 * is switched on — its change is audited, and the model's next write replaces it.
 *
 * A create may give such a field a value: it is the record's starting value, which the model
 * replaces in the same matcher pass that scores the new record (it evaluates fit on every new
 * record). Workflows deciding on the record as created read it — the demo's contact-sales form
 * and the README's speed-to-lead walk-through create leads with a score that way.
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
const byHand = (ctx: CallContext) => ctx.actor.kind === "person" || ctx.actor.kind === "integration";

/** Refuses an update (issue paths under `path`) that changes a field an enabled model writes. */
export async function checkScoreOutputs(
  outputs: ScoreOutputs | undefined,
  reads: StoreReads,
  ctx: CallContext,
  object: ObjectName,
  path: IssuePath,
  changed: readonly string[],
): Promise<void> {
  if (!outputs || isScoring(ctx) || !byHand(ctx)) return;
  const owned = await outputs.outputsOf(reads, ctx.workspaceId, object);
  if (owned.size === 0) return;
  const issues: Issue[] = [];
  for (const field of changed) {
    const model = owned.get(field);
    if (model)
      issues.push({
        path: [...path, field],
        code: "managed_field",
        message: `${field} is set by scoring model ${model}; change the model instead`,
      });
  }
  if (issues.length > 0) throw invalid(issues, issues[0]?.message);
}
