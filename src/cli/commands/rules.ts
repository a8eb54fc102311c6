/**
 * `handoff rules …`: validation rules and stage gates (docs/data-quality.md) — list, show, apply
 * from a JSON file (one rule or an array: each created, or updated when one of its name exists),
 * delete — a thin edge over ValidationRuleAdmin, acting as the workspace's system administrator,
 * with the same checks and problems (by path) as /api/v1/data-quality/rules. Reads print for a
 * person; `--json` prints what the API would answer.
 */
import { type CallContext, systemContext } from "../../app/context.js";
import type { RuleView } from "../../app/data-quality/rule-views.js";
import type { Services } from "../../composition/root.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { readJsonFile } from "../json-file.js";
import { configFrom, withServices } from "./open.js";

const options = { ...commonOptions, file: { type: "string" }, json: { type: "boolean", default: false } } as const;

/** `Proposal needs budget confirmation	deal	gate	refuse	enabled	stage → proposal requires budget_confirmed is true` */
export function ruleLine(r: RuleView): string {
  return [r.name, r.object, r.kind, r.action, r.enabled ? "enabled" : "disabled", r.summary].join("\t");
}

function ruleLines(r: RuleView): string[] {
  const label = (name: string, value: string) => `${name.padEnd(10)}${value}`;
  return [
    label("rule", `${r.name} (id ${r.id}, version ${r.version}, updated ${r.updated_at})`),
    ...(r.description ? [label("why", r.description)] : []),
    label("object", `${r.object}, ${r.kind}, ${r.action}, ${r.enabled ? "enabled" : "disabled"}`),
    label("checks", r.summary),
    label("message", `${r.message} (shown on ${r.kind === "gate" ? (r.shown_on ?? r.field) : r.field})`),
  ];
}

/** Creates each rule of the file, or updates the one of its name. */
async function apply(s: Services, ctx: CallContext, input: unknown): Promise<void> {
  const list = Array.isArray(input) ? input : [input];
  const have = new Set((await s.validationRules.list(ctx)).map((r) => r.name));
  for (const rule of list) {
    const name = typeof rule === "object" && rule !== null ? (rule as { name?: unknown }).name : undefined;
    if (typeof name === "string" && have.has(name)) {
      const r = await s.validationRules.update(ctx, name, rule);
      console.log(`updated rule ${r.name} to version ${r.version}`);
    } else {
      const r = await s.validationRules.create(ctx, rule);
      console.log(`created ${r.kind} ${r.name} on ${r.object}: ${r.summary}`);
    }
  }
}

export async function rulesCommand(argv: string[]) {
  const { values, positionals } = parse(argv, options);
  const [action = "list", ...args] = positionals;
  const arity: Record<string, number> = { list: 0, show: 1, apply: 0, delete: 1 };
  const want = arity[action];
  if (want === undefined) throw new UsageError(`unknown rules command "${action}"`);
  if (args.length < want) throw new UsageError(`rules ${action} needs NAME`);
  if (args.length > want) throw new UsageError(`unexpected argument "${args[want]}"`);
  if (action === "apply" && !values.file) throw new UsageError("rules apply needs --file FILE (JSON: a rule or an array of rules)");
  if (action !== "apply" && values.file !== undefined) throw new UsageError(`--file does not go with rules ${action}`);
  if (values.json && action !== "list" && action !== "show") throw new UsageError(`--json does not go with rules ${action}`);
  // Read before the store is opened: a typo in a file name should not migrate a database.
  const input = action === "apply" ? await readJsonFile(values.file as string) : undefined;
  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const ctx = systemContext(workspace.id);
    const name = args[0] as string;
    switch (action) {
      case "list": {
        const all = await s.validationRules.list(ctx);
        if (values.json) console.log(JSON.stringify({ data: all }, null, 2));
        else for (const r of all) console.log(ruleLine(r));
        return;
      }
      case "show": {
        const r = await s.validationRules.get(ctx, name);
        console.log(values.json ? JSON.stringify(r, null, 2) : ruleLines(r).join("\n"));
        return;
      }
      case "apply":
        return apply(s, ctx, input);
      case "delete":
        await s.validationRules.delete(ctx, name);
        console.log(`deleted rule ${name}`);
        return;
    }
  });
}
