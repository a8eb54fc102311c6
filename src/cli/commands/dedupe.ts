/**
 * `handoff dedupe …`: duplicate detection (docs/data-quality.md, "Matching and duplicates",
 * "Scan") — thin edges over the match rule service and the scanner, acting as the workspace's
 * system administrator, with the same checks and problems (by path) as /api/v1/data-quality.
 *
 *   handoff dedupe rules [list] [--json] | rules show|delete NAME | rules create --file F | rules update NAME --file F
 *   handoff dedupe scan OBJECT     scans the object's records, printing progress; the pairs go to the review queue
 */
import { type CallContext, systemContext } from "../../app/context.js";
import type { MatchRuleView } from "../../app/duplicates/match-rules.js";
import type { Services } from "../../composition/root.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { readJsonFile } from "../json-file.js";
import { progressBar } from "../progress.js";
import { configFrom, withServices } from "./open.js";

const options = { ...commonOptions, file: { type: "string" }, json: { type: "boolean", default: false } } as const;
type Values = ReturnType<typeof parse<typeof options>>["values"];

/** `Leads vs contacts	lead → lead, contact	alert ≥ 0.80	keys email, phone	enabled` */
const ruleLine = (r: MatchRuleView) =>
  `${r.name}\t${r.object} → ${r.compare_with.join(", ")}\t${r.action} ≥ ${r.threshold.toFixed(2)}${r.merge_above !== null ? ` (merge ≥ ${r.merge_above.toFixed(2)})` : ""}\tkeys ${r.keys.join(", ")}\t${r.enabled ? "enabled" : "disabled"}`;

const ruleLines = (r: MatchRuleView) => [
  `rule       ${r.name} (id ${r.id}, version ${r.version}, ${r.enabled ? "enabled" : "disabled"})`,
  ...(r.description ? [`about      ${r.description}`] : []),
  `checks     ${r.object} records, compared with ${r.compare_with.join(", ")}`,
  `keys       ${r.keys.join(", ")}`,
  `fields     ${r.fields.map((f) => `${f.field} ×${f.weight} (${f.similarity})`).join(", ")}`,
  `action     ${r.action} at a score ≥ ${r.threshold}${r.merge_above !== null ? `; merged ≥ ${r.merge_above}` : ""}`,
];

async function rules(s: Services, ctx: CallContext, args: string[], v: Values, input: unknown) {
  const [action = "list", name] = args;
  if (action === "list") {
    const all = await s.matchRules.list(ctx);
    console.log(v.json ? JSON.stringify({ data: all }, null, 2) : all.length === 0 ? "no match rules" : all.map(ruleLine).join("\n"));
  } else if (action === "show") {
    const r = await s.matchRules.get(ctx, name as string);
    console.log(v.json ? JSON.stringify(r, null, 2) : ruleLines(r).join("\n"));
  } else if (action === "create") {
    const r = await s.matchRules.create(ctx, input);
    console.log(`created match rule ${r.name} (id ${r.id})`);
  } else if (action === "update") {
    const r = await s.matchRules.update(ctx, name as string, input);
    console.log(`updated match rule ${r.name} to version ${r.version}`);
  } else {
    await s.matchRules.delete(ctx, name as string);
    console.log(`deleted match rule ${name}`);
  }
}

async function scan(s: Services, ctx: CallContext, object: string) {
  const bar = progressBar(`scanning ${object}`);
  let last = -1;
  const { scan: done } = await s.dedupeScans.scan(ctx, object, (p) => {
    bar.update(p.done, p.total);
    // Without a terminal (CI, a pipe) one line per tenth of the way.
    const tenth = Math.floor((p.done / Math.max(1, p.total)) * 10);
    if (!process.stderr.isTTY && tenth !== last) {
      last = tenth;
      process.stderr.write(`scanned ${p.done}/${p.total}, ${p.pairs_found} pair(s) found\n`);
    }
  });
  bar.stop();
  console.log(
    `scan ${done.id}: ${done.done} of ${done.total} records gone through; ${done.pairs_found} pair(s) found, ${done.pairs_queued} new in the review queue`,
  );
}

const RULE_ACTIONS: Record<string, { name: boolean; file: boolean }> = {
  list: { name: false, file: false },
  show: { name: true, file: false },
  create: { name: false, file: true },
  update: { name: true, file: true },
  delete: { name: true, file: false },
};

export async function dedupeCommand(argv: string[]) {
  const { values, positionals } = parse(argv, options);
  const [what, ...args] = positionals;
  let input: unknown;
  if (what === "rules") {
    const action = args[0] ?? "list";
    const shape = RULE_ACTIONS[action];
    if (!shape) throw new UsageError(`unknown dedupe rules command "${action}"; it takes list, show, create, update or delete`);
    if (shape.name && args.length < 2) throw new UsageError(`dedupe rules ${action} needs NAME`);
    const most = shape.name ? 2 : 1;
    if (args.length > most) throw new UsageError(`unexpected argument "${args[most]}"`);
    if (shape.file !== (values.file !== undefined))
      throw new UsageError(shape.file ? `dedupe rules ${action} needs --file F` : `--file does not go with dedupe rules ${action}`);
    if (values.file !== undefined) input = await readJsonFile(values.file);
  } else if (what === "scan") {
    if (args.length !== 1) throw new UsageError("dedupe scan needs OBJECT (lead, contact or company)");
    if (values.file !== undefined || values.json) throw new UsageError("dedupe scan takes no --file or --json");
  } else throw new UsageError(`unknown dedupe command "${what ?? ""}"; dedupe takes rules or scan`);
  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const ctx = systemContext(workspace.id);
    if (what === "rules")
      await rules(s, ctx, args.slice(1).length > 0 ? [args[0] as string, ...args.slice(1)] : [args[0] ?? "list"], values, input);
    else await scan(s, ctx, args[0] as string);
  });
}
