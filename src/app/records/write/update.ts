/**
 * Updating records: each under the version guard of its write, from the copy the transaction
 * holds when it has one; a copy found stale is read again with a lock and the write retried.
 */
import { deriveManagedFields } from "../../../crm/derived.js";
import type { ObjectName } from "../../../crm/fields.js";
import { type Issue, prefixIssues } from "../../../crm/issues.js";
import { validateWrite } from "../../../crm/validation.js";
import type { StoredRecord, StoreTx } from "../../../store/ports.js";
import type { CallContext } from "../../context.js";
import { AppError, invalid, notFound } from "../../errors.js";
import { compact, diff } from "../changes.js";
import { loadFields } from "../schema-cache.js";
import { authorize, checkBatchSize, MAX_BULK } from "./access.js";
import { checkApprovalLocks } from "./approval-locks.js";
import type { WriteDeps } from "./deps.js";
import { checkDuplicates } from "./duplicates.js";
import { Journal } from "./journal.js";
import { touchLastActivity } from "./last-activity.js";
import { LostRace } from "./lost-race.js";
import { notePredictionOverrides } from "./prediction-overrides.js";
import { checkNamedItems, checkReferences } from "./references.js";
import { WriteQuality, type Written } from "./rules.js";
import { checkScoreOutputs } from "./score-outputs.js";

export interface UpdateItem {
  id: string;
  fields: unknown;
  /** The version the caller read (If-Match); omitted = last writer wins. */
  expectedVersion?: number;
  /** An admin writes through an approval lock (audited on the request; docs/approvals.md). */
  overrideApprovalLock?: boolean;
}

/**
 * `indexed`: issue paths start with the item's index (a bulk request) rather than at its fields.
 * Only lost races of unpinned items are retried: a pinned version is the caller's to refresh.
 */
export async function updateRecords(
  deps: WriteDeps,
  ctx: CallContext,
  object: ObjectName,
  items: readonly UpdateItem[],
  indexed: boolean,
  tx: StoreTx | undefined,
): Promise<StoredRecord[]> {
  authorize(ctx, "update", object);
  checkBatchSize(items.length, MAX_BULK);

  const pinned = items.some((i) => i.expectedVersion !== undefined);
  return deps.within(tx, !pinned, async (tx) => {
    const fields = await loadFields(tx, ctx.workspaceId, object);
    const issues: Issue[] = [];
    const patches: Record<string, unknown>[] = [];
    const pathOf = (i: number) => (indexed ? [i, "fields"] : []);
    const quality = await WriteQuality.load(deps, tx, ctx, object, fields);
    const inputs = await quality.formatInputs(
      items.map((i) => i.fields),
      (i) => tx.records.getRecord(ctx.workspaceId, items[i]?.id ?? ""),
      pathOf,
    );
    inputs.forEach((input, i) => {
      const result = validateWrite(fields, input, "update");
      if (result.ok) patches.push(quality.restore(i, result.data));
      else issues.push(...(indexed ? prefixIssues([i, "fields"], result.issues) : result.issues));
    });
    if (issues.length > 0) throw invalid(issues);
    const now = deps.clock.now().toISOString();
    // Copies this transaction holds already (a workflow step has read its record) are used
    // without another round trip; the version guard of the write catches a stale one.
    const known = await tx.records.getRecordsToWrite(
      ctx.workspaceId,
      items.map((i) => i.id),
    );
    const current = new Map(known.map((r) => [r.id, r]));
    const referenced = await checkReferences(tx, ctx, fields, patches, pathOf);
    await checkNamedItems(tx, ctx, fields, patches, pathOf);
    const journal = new Journal(tx, ctx, deps.ids, now);
    const out: StoredRecord[] = [];
    const touched: StoredRecord[] = [];
    const causes: string[] = [];
    const written: Written[] = [];
    /** The row read again with a lock: another writer committed since this transaction's copy. */
    const reread = async (id: string) => (await tx.records.getRecordsForUpdate(ctx.workspaceId, [id]))[0];
    for (const [i, item] of items.entries()) {
      let before = current.get(item.id);
      let fresh = false;
      for (;;) {
        if (!before || before.object !== object) throw notFound(`${object} ${item.id}`);
        if (item.expectedVersion !== undefined && item.expectedVersion !== before.version) {
          if (!fresh) {
            before = await reread(item.id);
            fresh = true;
            continue;
          }
          throw new AppError(
            "precondition_failed",
            `${object} ${item.id} is at version ${before.version}, not ${item.expectedVersion}; read it again and retry`,
          );
        }
        const merged = compact(deriveManagedFields(object, before.data, { ...before.data, ...patches[i] }, now));
        const changes = diff(before.data, merged);
        if (changes.length === 0) {
          // Nothing to write, so no guard to catch a stale copy: that is known only from a locked read.
          if (!fresh) {
            before = await reread(item.id);
            fresh = true;
            continue;
          }
          out.push(before);
          break;
        }
        await checkApprovalLocks(tx, ctx, before, changes, item.overrideApprovalLock === true, now, pathOf(i));
        await checkScoreOutputs(
          deps.scoreOutputs,
          tx,
          ctx,
          object,
          pathOf(i),
          changes.map((c) => c.field),
        );
        const after: StoredRecord = { ...before, version: before.version + 1, data: merged, updatedAt: now };
        // The version guard in the WHERE clause catches a writer that slipped in since our read.
        if (await tx.records.updateRecord(after, before.version)) {
          current.set(after.id, after);
          written.push({ index: i, record: after, before, changes });
          await checkDuplicates(deps, tx, ctx, object, [after], changes);
          causes.push(await journal.record(after, "update", changes));
          await notePredictionOverrides(tx, ctx, after, changes, new Set(Object.keys(patches[i] ?? {})), now);
          touched.push(after);
          out.push(after);
          break;
        }
        if (fresh) throw new LostRace(`${object} ${item.id} was changed by someone else; read it again and retry`);
        before = await reread(item.id);
        fresh = true;
      }
    }
    await quality.afterWrite(written, pathOf);
    if (object === "activity") await touchLastActivity(tx, ctx, touched, causes, referenced, journal);
    return out;
  });
}
