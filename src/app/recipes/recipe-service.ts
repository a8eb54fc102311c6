/**
 * The recipe gallery (issue 14, item 6): the ready recipes as a person chooses among them — what
 * each does, what it triggers on, what it needs from this workspace (connectors) and whether
 * publishing it would be refused here and why — and installing one as a draft or published.
 *
 * Installing again (decided here, documented in docs/api.md):
 * - not installed, or its workflow archived → the recipe becomes the workflow's new version;
 * - installed as a draft still exactly the recipe → "publish" publishes that draft, "draft" is a
 *   409 (there is nothing to install);
 * - published, or a draft changed since → 409 naming the workflow's state: archive it first.
 * Publishing is checked before anything is saved, so a refused publish (a missing connector)
 * installs nothing and answers 422 with every problem by path.
 */
import type { Issue } from "../../crm/issues.js";
import { workflowSchema } from "../../engine/definition.js";
import type { Store } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import { connectorUses } from "../workflows/connector-uses.js";
import { statusOf, type WorkflowStatus } from "../workflows/workflow-overview.js";
import type { WorkflowService, WorkflowView } from "../workflows/workflow-service.js";
import { type RecipeFile, readRecipes } from "./recipe-files.js";

/** A connector the recipe's external actions are delivered through, and whether this workspace has it. */
export interface ConnectorNeed {
  key: string;
  /** The connector kind its actions need (smtp for email, http, chat). */
  kind: string;
  /** The steps that use it. */
  steps: string[];
  /** absent: no connector of that key; wrong_kind: one of another kind. */
  state: "present" | "absent" | "wrong_kind";
}

export interface RecipeView {
  key: string;
  file: string;
  definition: unknown;
  connectors: ConnectorNeed[];
  /** Why publishing it here would be refused, by path; empty when it can be published. */
  problems: Issue[];
  installed: { workflowId: string; status: WorkflowStatus; liveVersion: number | null; latestVersion: number } | null;
}

/** Roles that may install (the roles that may save and publish workflows: WorkflowService). */
const INSTALLERS: ReadonlySet<string> = new Set(["admin", "manager"]);

export class RecipeService {
  private recipes: Promise<RecipeFile[]> | undefined;

  constructor(
    private readonly store: Store,
    private readonly workflows: WorkflowService,
    private readonly dir: string,
  ) {}

  /** The recipes ship with Handoff: read once per process. */
  private all(): Promise<RecipeFile[]> {
    this.recipes ??= readRecipes(this.dir).catch((error: unknown) => {
      this.recipes = undefined;
      throw error;
    });
    return this.recipes;
  }

  private async recipe(key: string): Promise<RecipeFile> {
    const found = (await this.all()).find((r) => r.key === key);
    if (!found) throw notFound(`recipe ${key}`);
    return found;
  }

  async list(ctx: CallContext): Promise<RecipeView[]> {
    return Promise.all((await this.all()).map((r) => this.view(ctx, r)));
  }

  async get(ctx: CallContext, key: string): Promise<RecipeView> {
    return this.view(ctx, await this.recipe(key));
  }

  private async view(ctx: CallContext, r: RecipeFile): Promise<RecipeView> {
    const [problems, connectors, installed] = await Promise.all([
      this.workflows.validate(ctx, r.definition),
      this.connectorNeeds(ctx, r.definition),
      this.installed(ctx, r.key),
    ]);
    return { key: r.key, file: r.file, definition: r.definition, connectors, problems, installed: installed?.summary ?? null };
  }

  private async connectorNeeds(ctx: CallContext, definition: unknown): Promise<ConnectorNeed[]> {
    const parsed = workflowSchema.safeParse(definition);
    if (!parsed.success) return [];
    const needs = new Map<string, ConnectorNeed>();
    for (const use of connectorUses(parsed.data)) {
      const need = needs.get(use.connector) ?? { key: use.connector, kind: use.kind, steps: [], state: "absent" as const };
      need.steps.push(use.step);
      needs.set(use.connector, need);
    }
    for (const need of needs.values()) {
      const connector = await this.store.connectors.getConnectorByKey(ctx.workspaceId, need.key);
      need.state = !connector ? "absent" : connector.kind === need.kind ? "present" : "wrong_kind";
    }
    return [...needs.values()];
  }

  private async installed(ctx: CallContext, key: string) {
    const workflow = await this.store.workflows.getWorkflowByKey(ctx.workspaceId, key);
    if (!workflow) return undefined;
    const versions = await this.store.workflows.listVersions(ctx.workspaceId, workflow.id);
    const current = versions.find((v) => v.version === (workflow.liveVersion ?? workflow.latestVersion));
    const latest = versions.find((v) => v.version === workflow.latestVersion);
    const status = statusOf(workflow, current);
    return {
      workflow,
      latest,
      summary: { workflowId: workflow.id, status, liveVersion: workflow.liveVersion, latestVersion: workflow.latestVersion },
    };
  }

  /** Installs the recipe as its workflow's draft, and with `publish` publishes it (see the rules at the top). */
  async install(ctx: CallContext, key: string, options: { publish: boolean }): Promise<{ recipe: RecipeView; workflow: WorkflowView }> {
    if (!INSTALLERS.has(ctx.role)) throw new AppError("forbidden", `recipes are installed by admins and managers, not role ${ctx.role}`);
    const recipe = await this.recipe(key);
    const existing = await this.installed(ctx, key);
    const inWorkspace = existing ? `workflow ${existing.workflow.key} (${existing.workflow.id})` : "";
    let workflowId: string;
    if (existing && existing.summary.status !== "archived") {
      const unchangedDraft =
        existing.summary.status === "draft" &&
        existing.latest?.state === "draft" &&
        sameJson(existing.latest.definition, recipe.definition);
      if (existing.summary.status === "published")
        throw new AppError(
          "conflict",
          `recipe ${key} is already installed and published as ${inWorkspace}, version ${existing.workflow.liveVersion}; archive it to install the recipe again`,
        );
      if (!unchangedDraft)
        throw new AppError(
          "conflict",
          `recipe ${key} is installed as ${inWorkspace}, whose draft (version ${existing.workflow.latestVersion}) was changed since; archive it to install the recipe again`,
        );
      if (!options.publish)
        throw new AppError(
          "conflict",
          `recipe ${key} is already installed as a draft: ${inWorkspace}, version ${existing.workflow.latestVersion}; install it with publish to publish that draft`,
        );
      await this.refuseUnpublishable(ctx, key, recipe.definition);
      workflowId = existing.workflow.id;
    } else {
      if (options.publish) await this.refuseUnpublishable(ctx, key, recipe.definition);
      workflowId = (await this.workflows.saveDraft(ctx, recipe.definition)).workflow.id;
    }
    const workflow = options.publish ? await this.workflows.publish(ctx, workflowId) : await this.workflows.get(ctx, workflowId);
    return { recipe: await this.view(ctx, recipe), workflow };
  }

  /** Checked before saving: a recipe that cannot go live here leaves nothing behind. */
  private async refuseUnpublishable(ctx: CallContext, key: string, definition: unknown) {
    const problems = await this.workflows.validate(ctx, definition);
    if (problems.length > 0) throw invalid(problems, `recipe ${key} cannot be published in this workspace; nothing was installed`);
  }
}

/** The same JSON value, whatever the order of object keys (PostgreSQL's jsonb reorders them). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
