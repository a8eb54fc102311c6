/** Creating records: all or none, validated together, one journal entry each. */
import { deriveManagedFields } from "../../../crm/derived.js";
import type { ObjectName } from "../../../crm/fields.js";
import { type Issue, prefixIssues } from "../../../crm/issues.js";
import { validateWrite } from "../../../crm/validation.js";
import type { StoredRecord, StoreTx } from "../../../store/ports.js";
import type { CallContext } from "../../context.js";
import { invalid } from "../../errors.js";
import { compact, diff } from "../changes.js";
import { loadFields } from "../schema-cache.js";
import { authorize, checkBatchSize, MAX_BULK } from "./access.js";
import type { WriteDeps } from "./deps.js";
import { checkDuplicates } from "./duplicates.js";
import { Journal } from "./journal.js";
import { touchLastActivity } from "./last-activity.js";
import { checkNamedItems, checkReferences } from "./references.js";
import { WriteQuality } from "./rules.js";

/** Rows per insert statement. */
const WRITE_CHUNK = 500;

export interface CreateOptions {
  /** Prefix for each item's issue paths; default: its index (none for a single create). */
  pathOf?: (index: number) => ReadonlyArray<string | number>;
  /** Upper bound on items; imports raise it, one transaction all the same. */
  max?: number;
  /** Called as rows are written, for progress bars. */
  onProgress?: (done: number, total: number) => void;
  /** Write inside this transaction (a workflow step's) instead of a new one. */
  tx?: StoreTx;
}

export async function createRecords(
  deps: WriteDeps,
  ctx: CallContext,
  object: ObjectName,
  inputs: readonly unknown[],
  options: CreateOptions,
): Promise<StoredRecord[]> {
  authorize(ctx, "create", object);
  checkBatchSize(inputs.length, options.max ?? MAX_BULK);
  const pathOf = options.pathOf ?? ((i: number) => [i]);

  return deps.within(options.tx, true, async (tx) => {
    // Read in the transaction: writes grouped into one share the read (and on SQLite a
    // caller's transaction holds the one connection).
    const fields = await loadFields(tx, ctx.workspaceId, object);
    const issues: Issue[] = [];
    const valid: Record<string, unknown>[] = [];
    const quality = await WriteQuality.load(deps, tx, ctx, object, fields);
    (await quality.formatInputs(inputs, async () => undefined, pathOf)).forEach((input, i) => {
      const result = validateWrite(fields, input, "create");
      if (result.ok) valid.push(quality.restore(i, result.data));
      else issues.push(...prefixIssues(pathOf(i), result.issues));
    });
    if (issues.length > 0) throw invalid(issues);
    const now = deps.clock.now().toISOString();
    const referenced = await checkReferences(tx, ctx, fields, valid, pathOf);
    await checkNamedItems(tx, ctx, fields, valid, pathOf);
    const journal = new Journal(tx, ctx, deps.ids, now);
    const records = valid.map((data) => ({
      workspaceId: ctx.workspaceId,
      id: deps.ids.next(),
      object,
      version: 1,
      data: compact(deriveManagedFields(object, undefined, object === "activity" ? withMadeBy(ctx, data) : data, now)),
      createdAt: now,
      updatedAt: now,
    }));
    for (let i = 0; i < records.length; i += WRITE_CHUNK) {
      await tx.records.insertRecords(records.slice(i, i + WRITE_CHUNK));
      options.onProgress?.(Math.min(i + WRITE_CHUNK, records.length), records.length);
    }
    await checkDuplicates(deps, tx, ctx, object, records);
    const causes: string[] = [];
    const written = records.map((record, index) => ({ index, record, before: undefined, changes: diff({}, record.data) }));
    await quality.afterWrite(written, pathOf);
    for (const w of written) causes.push(await journal.record(w.record, "create", w.changes));
    if (object === "activity") await touchLastActivity(tx, ctx, records, causes, referenced, journal);
    return records;
  });
}

/**
 * Who made an activity, when the write does not say: Handoff when a workflow writes it (a step's
 * add_activity; a sent email says so itself), a person for anyone else (a rep, an integration, an
 * import of past calls).
 */
function withMadeBy(ctx: CallContext, data: Record<string, unknown>): Record<string, unknown> {
  if (data.made_by !== undefined && data.made_by !== null) return data;
  return { ...data, made_by: ctx.actor.kind === "workflow" ? "handoff" : "person" };
}
