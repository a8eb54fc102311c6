/** The recipe gallery: GET /api/v1/recipes, GET /api/v1/recipes/{key}, POST /api/v1/recipes/{key}/install. */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { AppError } from "../../app/errors.js";
import type { RecipeView } from "../../app/recipes/recipe-service.js";
import { namedOrNull } from "../../app/workflows/workflow-overview.js";
import type { Services } from "../../composition/root.js";
import { formatPath } from "../../crm/issues.js";
import type { ApiEnv } from "../env.js";
import { jsonBody } from "../request.js";
import { presentVersionWithAuthor, workflowVersionSchema } from "./workflow-summaries.js";

const recipeSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    object: z.string(),
    definition: z.unknown().meta({ description: "the recipe's workflow definition (trigger, conditions, goal, steps)" }),
    connectors: z.array(
      z.object({
        key: z.string(),
        kind: z.string().meta({ description: "the connector kind its actions need: smtp (email), http, chat" }),
        steps: z.array(z.string()),
        state: z.enum(["present", "absent", "wrong_kind"]),
      }),
    ),
    publishable: z.boolean().meta({ description: "whether publishing it in this workspace would be accepted" }),
    problems: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })),
    installed: z
      .object({
        workflow_id: z.string(),
        status: z.enum(["draft", "published", "archived"]),
        live_version: z.number().nullable(),
        latest_version: z.number(),
      })
      .nullable(),
  })
  .openapi("Recipe");

function presentRecipe(r: RecipeView) {
  const d = r.definition as { name?: unknown; description?: unknown; object?: unknown };
  return {
    key: r.key,
    name: typeof d.name === "string" ? d.name : r.key,
    description: typeof d.description === "string" ? d.description : null,
    object: typeof d.object === "string" ? d.object : "",
    definition: r.definition,
    connectors: r.connectors,
    publishable: r.problems.length === 0,
    problems: r.problems.map((p) => ({ path: formatPath(p.path), code: p.code, message: p.message })),
    installed: r.installed
      ? {
          workflow_id: r.installed.workflowId,
          status: r.installed.status,
          live_version: r.installed.liveVersion,
          latest_version: r.installed.latestVersion,
        }
      : null,
  };
}

export function recipeRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["Recipes"];
  const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
  const keyParam = z.object({ key: z.string() });

  reg.registerPath({
    method: "get",
    path: "/api/v1/recipes",
    tags,
    security,
    summary: "The ready recipes: what each does, what it needs here, whether it can be published here, and whether it is installed",
    responses: { 200: { description: "Recipes", ...json(z.object({ data: z.array(recipeSchema) })) } },
  });
  app.get("/api/v1/recipes", async (c) => c.json({ data: (await services.recipes.list(c.get("call"))).map(presentRecipe) }));

  reg.registerPath({
    method: "get",
    path: "/api/v1/recipes/{key}",
    tags,
    security,
    summary: "One recipe",
    request: { params: keyParam },
    responses: { 200: { description: "Recipe", ...json(recipeSchema) }, 404: { description: "No such recipe" } },
  });
  app.get("/api/v1/recipes/:key", async (c) => c.json(presentRecipe(await services.recipes.get(c.get("call"), c.req.param("key")))));

  reg.registerPath({
    method: "post",
    path: "/api/v1/recipes/{key}/install",
    tags,
    security,
    summary:
      "Install a recipe as its workflow's draft, or published (admins and managers). Installed and not archived: 409, except publishing a draft that is still the recipe. A refused publish installs nothing (422 naming each problem, e.g. a missing connector).",
    request: {
      params: keyParam,
      body: json(
        z.object({ publish: z.boolean().meta({ description: "publish it at once (checked first: nothing is saved when refused)" }) }),
      ),
    },
    responses: {
      201: {
        description: "Installed",
        ...json(
          z.object({
            recipe: recipeSchema,
            workflow: z.object({
              id: z.string(),
              key: z.string(),
              live_version: z.number().nullable(),
              latest_version: z.number(),
              versions: z.array(workflowVersionSchema),
            }),
          }),
        ),
      },
      403: { description: "The caller's role may not install recipes" },
      404: { description: "No such recipe" },
      409: { description: "Already installed (the detail says how and what to do)" },
      422: { description: "Publishing would be refused here; every problem by path" },
    },
  });
  app.post("/api/v1/recipes/:key/install", async (c) => {
    const body = (await jsonBody(c)) as { publish?: unknown } | null;
    if (typeof body !== "object" || body === null || typeof body.publish !== "boolean") {
      throw new AppError("bad_request", 'expected {"publish": true | false}', [
        { path: ["publish"], code: "invalid_type", message: "true or false", expected: "boolean" },
      ]);
    }
    const call = c.get("call");
    const { recipe, workflow } = await services.recipes.install(call, c.req.param("key"), { publish: body.publish });
    const names = await services.workflowOverview.names(
      call,
      workflow.versions.map((v) => v.publishedBy ?? null),
    );
    return c.json(
      {
        recipe: presentRecipe(recipe),
        workflow: {
          id: workflow.workflow.id,
          key: workflow.workflow.key,
          live_version: workflow.workflow.liveVersion,
          latest_version: workflow.workflow.latestVersion,
          versions: workflow.versions.map((v) => presentVersionWithAuthor(v, namedOrNull(v.publishedBy ?? null, names))),
        },
      },
      201,
    );
  });
}
