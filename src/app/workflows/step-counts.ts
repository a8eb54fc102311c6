/**
 * Runs on the canvas (issue 15, item 6): for one version of a workflow — the live one unless
 * asked — how many of the runs started in a period passed each step, wait there now and failed
 * there. The counting is the store's (two grouped statements); this resolves the workflow within
 * the caller's workspace, the version and the period.
 */
import type { Store } from "../../store/ports.js";
import type { StepCount } from "../../store/workflow-ports.js";
import type { CallContext } from "../context.js";
import { AppError, notFound } from "../errors.js";
import type { Clock } from "../ports.js";

/** The period when none is given: the last 7 days, as the workflows list counts. */
export const DEFAULT_STEP_COUNT_DAYS = 7;

export interface StepCountsView {
  workflowId: string;
  version: number;
  since: string;
  steps: StepCount[];
}

export class StepCounts {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /**
   * `version` defaults to the live one (else the latest: a draft or an archived workflow still
   * shows what its last runs did); `since` to 7 days before now.
   */
  async of(ctx: CallContext, idOrKey: string, options: { version?: number; since?: string }): Promise<StepCountsView> {
    const workflows = this.store.workflows;
    const workflow =
      (await workflows.getWorkflow(ctx.workspaceId, idOrKey)) ?? (await workflows.getWorkflowByKey(ctx.workspaceId, idOrKey));
    if (!workflow) throw notFound(`workflow ${idOrKey}`);
    const version = options.version ?? workflow.liveVersion ?? workflow.latestVersion;
    if (options.version !== undefined && !(await workflows.getVersion(ctx.workspaceId, workflow.id, options.version)))
      throw new AppError("not_found", `${workflow.key} has no version ${options.version}`, [
        { path: ["version"], code: "not_found", message: `no version ${options.version}` },
      ]);
    const since = options.since ?? new Date(this.clock.now().getTime() - DEFAULT_STEP_COUNT_DAYS * 86_400_000).toISOString();
    const steps = await this.store.runs.stepCountsSince(ctx.workspaceId, workflow.id, version, since);
    return { workflowId: workflow.id, version, since, steps };
  }
}
