/**
 * `handoff records merge|unmerge|merges`: record merges (docs/data-quality.md "Merge" and "Undo"),
 * a thin edge over RecordMerges acting as the workspace's system administrator, with the same
 * checks and problems (by path) as POST /api/v1/{objects}/merges and POST /api/v1/merges/{id}/undo.
 * `--json` prints what the API would answer about the merge.
 */

import type { CallContext } from "../../app/context.js";
import { systemContext } from "../../app/context.js";
import type { Services } from "../../composition/root.js";
import type { FieldChoice, MergeRow } from "../../store/ports.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { objectArg } from "./csv.js";
import { configFrom, withServices } from "./open.js";

const options = {
  ...commonOptions,
  field: { type: "string", multiple: true },
  json: { type: "boolean", default: false },
} as const;

/** `--field phone=merged` → { phone: "merged" }; anything else is a usage error naming the flag. */
function fieldChoices(flags: readonly string[] | undefined): Record<string, FieldChoice> | undefined {
  if (!flags || flags.length === 0) return undefined;
  const out: Record<string, FieldChoice> = {};
  for (const flag of flags) {
    const [name, choice] = flag.split("=");
    if (!name || (choice !== "survivor" && choice !== "merged"))
      throw new UsageError(`--field ${flag}: expected NAME=survivor or NAME=merged`);
    out[name] = choice;
  }
  return out;
}

async function mergeJson(s: Services, ctx: CallContext, m: MergeRow) {
  return {
    id: m.id,
    object: m.object,
    survivor_id: m.survivorId,
    merged_id: m.mergedId,
    fields: m.fields,
    survivor_changes: m.survivorChanges,
    moved: m.moved.map((r) => ({ record_id: r.recordId, object: r.object, field: r.field })),
    merged_by: m.mergedBy,
    merged_at: m.mergedAt,
    undo_until: await s.merges.undoableUntil(ctx, m),
    undone_at: m.undoneAt,
    undone_by: m.undoneBy,
  };
}

/** `merge 01… : contact 01b… merged into 01a… (3 fields changed, 4 references moved; undo until …)` */
async function mergeLine(s: Services, ctx: CallContext, m: MergeRow): Promise<string> {
  const what = `${m.object} ${m.mergedId} ${m.undoneAt ? "unmerged from" : "merged into"} ${m.survivorId}`;
  const counts = `${m.survivorChanges.length} field(s) changed, ${m.moved.length} reference(s) moved`;
  const tail = m.undoneAt ? `undone at ${m.undoneAt}` : `undo until ${await s.merges.undoableUntil(ctx, m)}`;
  return `merge ${m.id}: ${what} (${counts}; ${tail})`;
}

export async function recordsCommand(argv: string[]) {
  const { values, positionals } = parse(argv, options);
  const [sub, ...args] = positionals;
  const run = (fn: (s: Services, ctx: CallContext) => Promise<MergeRow[] | MergeRow>) =>
    withServices(configFrom(values), async (s) => {
      const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
      const ctx = systemContext(workspace.id);
      const out = await fn(s, ctx);
      const list = Array.isArray(out) ? out : [out];
      if (values.json) {
        const shown = await Promise.all(list.map((m) => mergeJson(s, ctx, m)));
        console.log(JSON.stringify(Array.isArray(out) ? { data: shown } : shown[0], null, 2));
      } else for (const m of list) console.log(await mergeLine(s, ctx, m));
    });
  switch (sub) {
    case "merge": {
      const [objectName, survivorId, mergedId] = args;
      const object = objectArg(objectName);
      if (!survivorId || !mergedId)
        throw new UsageError("records merge <object> <survivor-id> <merged-id> [--field NAME=survivor|merged …]");
      const fields = fieldChoices(values.field);
      return run(async (s, ctx) =>
        s.merges.get(ctx, await s.merges.merge(ctx, { object, survivorId, mergedId, ...(fields ? { fields } : {}) })),
      );
    }
    case "unmerge": {
      const [mergeId] = args;
      if (!mergeId) throw new UsageError("records unmerge <merge-id>");
      return run((s, ctx) => s.merges.undo(ctx, mergeId));
    }
    case "merges": {
      const [recordId] = args;
      if (!recordId) throw new UsageError("records merges <record-id>");
      return run((s, ctx) => s.merges.mergesInto(ctx, recordId));
    }
    default:
      throw new UsageError(`records ${sub ?? ""}: expected merge, unmerge or merges`);
  }
}
