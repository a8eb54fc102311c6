/**
 * The workflows list and a workflow's page as a person reads them (issue 14, item 6): each
 * workflow's status (draft / published / archived), its description (why it exists), its runs
 * and failures in the last 7 days, and who changed it last — with people named. A fixed number
 * of reads whatever the number of workflows: the workflows, their current versions, one grouped
 * count of recent runs, and the people who changed them.
 */
import type { ActorRef } from "../../crm/actor.js";
import type { Store } from "../../store/ports.js";
import type { WorkflowRow, WorkflowVersionRow } from "../../store/workflow-ports.js";
import type { CallContext } from "../context.js";
import type { Clock } from "../ports.js";
import { actorNames } from "../records/actor-names.js";

export type WorkflowStatus = "draft" | "published" | "archived";

/** An actor with the name a person recognises (a user's name, an API token's, a workflow's; "Handoff (seed)"). */
export interface NamedActor extends ActorRef {
  name: string;
}

export interface WorkflowSummary {
  workflow: WorkflowRow;
  status: WorkflowStatus;
  description: string | null;
  /** Runs started in the last 7 days, and how many of those have failed. */
  runs7d: number;
  failures7d: number;
  updatedBy: NamedActor | null;
}

/** The window of the list's counts. */
export const RECENT_DAYS = 7;

/**
 * Published while a version is live; otherwise what its latest version is: a draft never
 * published (or saved again after archiving), or archived.
 */
export function statusOf(workflow: WorkflowRow, current: WorkflowVersionRow | undefined): WorkflowStatus {
  if (workflow.liveVersion !== null) return "published";
  return current?.state === "archived" ? "archived" : "draft";
}

/** The definition's `description`, when it has one (drafts are parsed, not validated: read it loosely). */
export function descriptionOf(definition: unknown): string | null {
  const d = (definition as { description?: unknown } | null)?.description;
  return typeof d === "string" && d.trim() !== "" ? d : null;
}

export class WorkflowOverview {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Every workflow of the workspace, summarised, in key order. */
  async list(ctx: CallContext): Promise<WorkflowSummary[]> {
    const workflows = await this.store.workflows.listWorkflows(ctx.workspaceId);
    return this.summarise(ctx, workflows);
  }

  async summarise(ctx: CallContext, workflows: readonly WorkflowRow[]): Promise<WorkflowSummary[]> {
    if (workflows.length === 0) return [];
    const since = new Date(this.clock.now().getTime() - RECENT_DAYS * 86_400_000).toISOString();
    const ids = workflows.map((w) => w.id);
    const [current, counts, names] = await Promise.all([
      this.store.workflows.currentVersions(ctx.workspaceId),
      this.store.runs.runCountsSince(ctx.workspaceId, ids, since),
      this.names(
        ctx,
        workflows.map((w) => w.updatedBy ?? null),
      ),
    ]);
    const versionOf = new Map(current.map((v) => [v.workflowId, v]));
    const countOf = new Map(counts.map((c) => [c.workflowId, c]));
    return workflows.map((workflow) => {
      const version = versionOf.get(workflow.id);
      const count = countOf.get(workflow.id);
      return {
        workflow,
        status: statusOf(workflow, version),
        description: descriptionOf(version?.definition),
        runs7d: count?.runs ?? 0,
        failures7d: count?.failures ?? 0,
        updatedBy: namedOrNull(workflow.updatedBy ?? null, names),
      };
    });
  }

  /** The actors named, keyed by `${kind}:${id}` (one home for names: records/actor-names.ts). */
  names(ctx: CallContext, actors: ReadonlyArray<ActorRef | null>): Promise<Map<string, string>> {
    return actorNames(
      this.store,
      ctx.workspaceId,
      actors.filter((a) => a !== null),
    );
  }
}

/** An actor with its name from `names` (which names every actor it was given). */
export function namedOrNull(actor: ActorRef | null, names: ReadonlyMap<string, string>): NamedActor | null {
  if (!actor) return null;
  return { ...actor, name: names.get(`${actor.kind}:${actor.id}`) ?? actor.id };
}
