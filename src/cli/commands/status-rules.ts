/**
 * `handoff status-rules …`: status rules (docs/data-quality.md "Status rules") — list, show,
 * apply from a JSON file (one rule or an array: each created, or updated when one of its name
 * exists), delete — a thin edge over StatusRuleAdmin, acting as the workspace's system
 * administrator, with the same checks and problems (by path) as /api/v1/data-quality/status-rules.
 * Reads print for a person; `--json` prints what the API would answer.
 */
import { type CallContext, systemContext } from "../../app/context.js";
import type { StatusRuleView } from "../../app/data-quality/status-rules-admin.js";
import type { Services } from "../../composition/root.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { readJsonFile } from "../json-file.js";
import { configFrom, withServices } from "./open.js";

const options = { ...commonOptions, file: { type: "string" }, json: { type: "boolean", default: false } } as const;

/** `Qualified leads have an owner	lead	enabled	status qualified requires owner_id is set` */
export function statusRuleLine(r: StatusRuleView): string {
  return [r.name, r.object, r.enabled ? "enabled" : "disabled", r.summary].join("\t");
}

async function apply(s: Services, ctx: CallContext, input: unknown): Promise<void> {
  const list = Array.isArray(input) ? input : [input];
  const have = new Set((await s.statusRules.list(ctx)).map((r) => r.name));
  for (const rule of list) {
    const name = typeof rule === "object" && rule !== null ? (rule as { name?: unknown }).name : undefined;
    if (typeof name === "string" && have.has(name)) {
      const r = await s.statusRules.update(ctx, name, rule);
      console.log(`updated status rule ${r.name} to version ${r.version}`);
    } else {
      const r = await s.statusRules.create(ctx, rule);
      console.log(`created status rule ${r.name} on ${r.object}: ${r.summary}`);
    }
  }
}

export async function statusRulesCommand(argv: string[]) {
  const { values, positionals } = parse(argv, options);
  const [action = "list", ...args] = positionals;
  const arity: Record<string, number> = { list: 0, show: 1, apply: 0, delete: 1 };
  const want = arity[action];
  if (want === undefined) throw new UsageError(`unknown status-rules command "${action}"`);
  if (args.length < want) throw new UsageError(`status-rules ${action} needs NAME`);
  if (args.length > want) throw new UsageError(`unexpected argument "${args[want]}"`);
  if (action === "apply" && !values.file) throw new UsageError("status-rules apply needs --file FILE (JSON: a rule or an array of rules)");
  if (action !== "apply" && values.file !== undefined) throw new UsageError(`--file does not go with status-rules ${action}`);
  if (values.json && action !== "list" && action !== "show") throw new UsageError(`--json does not go with status-rules ${action}`);
  // Read before the store is opened: a typo in a file name should not migrate a database.
  const input = action === "apply" ? await readJsonFile(values.file as string) : undefined;
  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const ctx = systemContext(workspace.id);
    const name = args[0] as string;
    switch (action) {
      case "list": {
        const all = await s.statusRules.list(ctx);
        if (values.json) console.log(JSON.stringify({ data: all }, null, 2));
        else for (const r of all) console.log(statusRuleLine(r));
        return;
      }
      case "show": {
        const r = await s.statusRules.get(ctx, name);
        if (values.json) console.log(JSON.stringify(r, null, 2));
        else
          console.log(
            [
              `rule      ${r.name} (id ${r.id}, version ${r.version})`,
              ...(r.description ? [`why       ${r.description}`] : []),
              `object    ${r.object}, ${r.enabled ? "enabled" : "disabled"}`,
              `checks    ${r.summary}`,
            ].join("\n"),
          );
        return;
      }
      case "apply":
        return apply(s, ctx, input);
      case "delete":
        await s.statusRules.delete(ctx, name);
        console.log(`deleted status rule ${name}`);
        return;
    }
  });
}
