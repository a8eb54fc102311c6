/**
 * `handoff recipes list` and `handoff recipes install <key> [--publish]`: the recipe gallery
 * from the command line, a thin edge over the RecipeService acting as the workspace's system
 * administrator (the same install rules as POST /api/v1/recipes/{key}/install).
 */
import { systemContext } from "../../app/context.js";
import type { RecipeView } from "../../app/recipes/recipe-service.js";
import { assertNever } from "../../crm/never.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { configFrom, withServices } from "./open.js";
import { issueLine } from "./workflow.js";

const USAGE = "recipes takes list, or install KEY [--publish]";

/** `speed-to-lead  published v1  needs email (smtp): set up  Speed to lead` */
function recipeLine(r: RecipeView): string {
  const name = (r.definition as { name?: unknown }).name;
  const installed = r.installed
    ? `${r.installed.status}${r.installed.liveVersion !== null ? ` v${r.installed.liveVersion}` : ` v${r.installed.latestVersion}`}`
    : "not installed";
  const needs =
    r.connectors.length === 0
      ? "needs nothing"
      : `needs ${r.connectors.map((c) => `${c.key} (${c.kind}): ${c.state === "present" ? "set up" : c.state === "absent" ? "missing" : "wrong kind"}`).join(", ")}`;
  return `${r.key}\t${installed}\t${needs}\t${typeof name === "string" ? name : r.key}`;
}

export async function recipesCommand(argv: string[]) {
  const { values, positionals } = parse(argv, { ...commonOptions, publish: { type: "boolean", default: false } });
  const [action, key, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (action !== "list" && action !== "install") throw new UsageError(USAGE);
  if (action === "install" && !key) throw new UsageError("recipes install needs a recipe key (see recipes list)");
  if (action === "list" && key) throw new UsageError(`unexpected argument "${key}"`);
  if (values.publish && action !== "install") throw new UsageError("--publish goes with recipes install");

  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const ctx = systemContext(workspace.id);
    switch (action) {
      case "list": {
        for (const r of await s.recipes.list(ctx)) {
          console.log(recipeLine(r));
          // Why it could not be published here, under its line.
          for (const p of r.problems) console.log(`  cannot publish: ${issueLine(p)}`);
        }
        return;
      }
      case "install": {
        const { workflow } = await s.recipes.install(ctx, key as string, { publish: values.publish });
        const w = workflow.workflow;
        console.log(
          values.publish
            ? `published ${w.key} v${w.liveVersion}`
            : `installed ${w.key} as a draft (v${w.latestVersion}); publish it with --publish`,
        );
        return;
      }
      default:
        return assertNever(action);
    }
  });
}
