/**
 * Duplicate detection on every create and on updates of the fields keys are made of
 * (docs/data-quality.md, "Matching and duplicates"), in the write's transaction: the records'
 * match keys are written, then each enabled match rule of the object scores the records sharing
 * a key and acts — allow (nothing), block (409 naming the existing record, its object and the
 * fields that matched; nothing written), alert (the pair is queued for review), merge (above
 * `merge_above`, through the AutoMerge port; queued when it is not wired).
 */
import { hasMatchKeys, touchesKeys } from "../../../crm/dedupe/keys.js";
import type { ObjectName } from "../../../crm/fields.js";
import type { KeyHolders } from "../../../store/duplicate-ports.js";
import type { StoredRecord, StoreTx } from "../../../store/ports.js";
import type { CallContext } from "../../context.js";
import {
  type DetectedPair,
  findPairs,
  insertKeysFinding,
  matchedFieldsText,
  pairItem,
  rulesFor,
  subjectsOf,
  WORKSPACE_COUNTRY,
} from "../../duplicates/detect.js";
import { AppError } from "../../errors.js";
import { enqueueItem } from "../../review-queue/enqueue.js";
import type { WriteDeps } from "./deps.js";

/**
 * `changes`: undefined for a create; an update's changes otherwise (keys and detection are
 * skipped when none of their fields makes a key).
 */
export async function checkDuplicates(
  deps: WriteDeps,
  tx: StoreTx,
  ctx: CallContext,
  object: ObjectName,
  records: readonly StoredRecord[],
  changes?: ReadonlyArray<{ field: string }>,
): Promise<void> {
  if (!hasMatchKeys(object) || records.length === 0) return;
  if (
    changes !== undefined &&
    !touchesKeys(
      object,
      changes.map((c) => c.field),
    )
  )
    return;
  const subjects = subjectsOf(records, WORKSPACE_COUNTRY);
  const rows = subjects.map((s) => ({ object, recordId: s.record.id, keys: s.keys }));
  const rules = (await rulesFor(tx, ctx.workspaceId, object)).filter((r) => r.spec.action !== "allow");
  // A create's keys and its candidates in one call (one statement on PostgreSQL); an update
  // replaces its keys, then looks up per rule.
  let found: KeyHolders | undefined;
  if (changes !== undefined) await tx.duplicates.replaceMatchKeys(ctx.workspaceId, rows);
  else if (rules.length === 0) await tx.duplicates.insertMatchKeys(ctx.workspaceId, rows);
  else found = await insertKeysFinding(tx, ctx.workspaceId, rules, subjects);
  if (rules.length === 0) return;
  const known = new Map(records.map((r) => [r.id, r]));
  const now = deps.clock.now().toISOString();
  for (const rule of rules)
    for (const pair of await findPairs(tx, ctx.workspaceId, rule, subjects, WORKSPACE_COUNTRY, known, found))
      await act(deps, tx, ctx, pair, now);
}

async function act(deps: WriteDeps, tx: StoreTx, ctx: CallContext, pair: DetectedPair, now: string): Promise<void> {
  const spec = pair.rule.spec;
  if (spec.action === "block") throw blocked(pair);
  const by = ctx.actor.kind === "system" ? "system" : `${ctx.actor.kind}:${ctx.actor.id}`;
  let note: string | undefined;
  if (spec.action === "merge" && spec.merge_above !== null && pair.score >= spec.merge_above) {
    if (deps.autoMerge && pair.other.object === pair.record.object) {
      const request = { object: pair.record.object, survivorId: pair.other.id, mergedId: pair.record.id, fields: {} };
      await deps.autoMerge(ctx, request, tx);
      return;
    }
    note = deps.autoMerge
      ? `not merged automatically: a ${pair.record.object} is not merged into a ${pair.other.object}`
      : "merging automatically is not available here; review it";
  }
  // Through enqueueItem: workflows on `review_queued` (kind duplicate) see the pair once.
  await enqueueItem(tx, deps.ids, ctx, pairItem(pair, deps.ids.next(), by, now, note));
}

function blocked(pair: DetectedPair): AppError {
  const matched = matchedFieldsText(pair);
  return new AppError(
    "conflict",
    `this ${pair.record.object} duplicates ${pair.other.object} ${pair.other.id}: ${matched} match (score ${pair.score.toFixed(2)}, match rule "${pair.rule.spec.name}")`,
    pair.fields
      .filter((f) => f.similarity >= 0.85)
      .map((f) => ({
        path: [f.name],
        code: "invalid_value" as const,
        message: `matches ${pair.other.object} ${pair.other.id} (similarity ${f.similarity})`,
      })),
  );
}
