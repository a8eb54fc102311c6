/**
 * Scores follow events (docs/scoring.md "When scores change"): a matcher event hook, so that
 * every award, ledger row and field write commits with the matcher's pass over its event.
 *
 * - `record.created` / `record.updated` / `record.merged` of a scored object: the fit rules are
 *   evaluated again when the record is new or a field a fit rule reads changed — any field, for
 *   a model with AI prediction rules (the AI model may read it);
 * - `record.updated` / `record.merged` of a record others reference (a company): when a field a fit rule reads
 *   through that reference changed (`company_id.industry`), fit is evaluated again for the
 *   records referencing it — up to REFERRERS_INLINE of them here, in the matcher's transaction;
 *   more are left to a rescore of the model in the background, so one write never does
 *   unbounded work;
 * - an activity created with `related_id`: the engagement rules on its type award the record it
 *   is about (conditions see the activity), and a model with AI prediction rules evaluates its
 *   fit again (the AI model may count the record's activities);
 * - `external.received` (a form or inbound hook): the rules on that source award the record
 *   (conditions see the record as the delivery left it).
 *
 * Events written by scoring itself (actor `scoring:<key>@v<n>`) are ignored: a score never
 * rescores itself. A change that cannot be written (a validation rule refusing the output field)
 * is undone alone under a savepoint, so one record's refusal never stops the matcher.
 */
import { AppError } from "../../app/errors.js";
import type { Clock } from "../../app/ports.js";
import { activityInstant } from "../../app/records/activity-instant.js";
import { queueRescore } from "../../app/scoring/queue-rescore.js";
import { OBJECTS } from "../../crm/objects.js";
import type { Facts } from "../../engine/conditions.js";
import { fitHits, rulesEarned } from "../../engine/scoring/model.js";
import type { DomainEvent, StoredRecord, StoreTx } from "../../store/ports.js";
import { recordView } from "../facts.js";
import type { EventHook } from "../matcher.js";
import { applyScore, type ScoreWriteDeps } from "./apply.js";
import { type FitDeps, fitFacts } from "./fit-facts.js";
import { type LiveModel, SCORING_ACTOR_PREFIX, type ScoreModels } from "./models.js";

/** Records a referenced record's change rescores in the matcher's transaction; beyond, a background rescore. */
export const REFERRERS_INLINE = 200;

export interface ScoringHookDeps extends ScoreWriteDeps, FitDeps {
  models: ScoreModels;
  clock: Clock;
}

export const isScoringWrite = (event: DomainEvent) => event.actor.kind === "system" && event.actor.id.startsWith(SCORING_ACTOR_PREFIX);

export function scoringEventHook(deps: ScoringHookDeps): EventHook {
  return async (tx, event, record) => {
    if (!record || isScoringWrite(event)) return;
    if (event.type === "record.created" || event.type === "record.updated" || event.type === "record.merged") {
      await onRecord(tx, deps, event, record);
      // A merge's survivor may take the other record's values too (its `record.merged` carries the changes).
      if (event.type !== "record.created") await onReferenced(tx, deps, event, record);
      if (event.type === "record.created" && event.object === "activity") await onActivity(tx, deps, event, record);
    } else if (event.type === "external.received") await onExternal(tx, deps, event, record);
  };
}

const instant = (iso: string, clock: Clock) => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : clock.now().getTime();
};

/** One model's write, undone alone if refused. */
async function guarded(tx: StoreTx, fn: () => Promise<void>): Promise<void> {
  try {
    await tx.savepoint(fn);
  } catch (error) {
    // The record refuses the write (a validation rule on the output field, a record gone): its
    // score stays as it was; the next event or rescore tries again. Anything else is a fault the
    // matcher must see (it retries the pass), not a refusal to swallow.
    if (!(error instanceof AppError)) throw error;
  }
}

async function onRecord(tx: StoreTx, deps: ScoringHookDeps, event: DomainEvent, record: StoredRecord) {
  const models = await deps.models.of(tx, event.workspaceId, event.object);
  if (models.length === 0) return;
  const atMs = instant(event.occurredAt, deps.clock);
  // A new record, or a merge's survivor, is always settled: a score given at create, or taken from
  // the merged record, is replaced by what the model holds for the record.
  const settle = event.type === "record.created" || event.type === "record.merged";
  for (const live of models) {
    if (live.compiled.fitRules.length === 0 && !settle) continue;
    const predicts = live.compiled.predictions.length > 0;
    const reads = (field: string) => predicts || live.compiled.fitReads.has(field);
    const relevant = event.type !== "record.updated" || event.changes.some((c) => reads(c.field));
    if (!relevant) continue;
    const facts = await fitFacts(tx, deps.conversions, live.compiled, record, atMs);
    const changed = event.changes.filter((c) => reads(c.field));
    await guarded(tx, () =>
      applyScore(tx, deps, {
        live,
        record,
        atMs,
        hits: fitHits(live.compiled, facts),
        fitCause: { event: event.type, fields: changed.map((c) => ({ field: c.field, old: c.old ?? null, new: c.new ?? null })) },
        causeEventId: event.id,
        depth: event.depth + 1,
        settle,
      }),
    );
  }
}

/**
 * A referenced record changed (a company): fit again for each model's records that reference it
 * through a field whose fit conditions read a changed field. The ledger's cause names the
 * referenced record and its changed fields (`{event, via: {field, object, id}, fields}`).
 */
async function onReferenced(tx: StoreTx, deps: ScoringHookDeps, event: DomainEvent, referenced: StoredRecord) {
  const models = await deps.models.all(tx, event.workspaceId);
  if (models.length === 0) return;
  const atMs = instant(event.occurredAt, deps.clock);
  for (const live of models) {
    for (const [ref, reads] of live.compiled.fitRefReads) {
      const def = OBJECTS[live.row.object].fields.find((f) => f.name === ref);
      if (def?.type !== "reference" || !def.references?.includes(referenced.object)) continue;
      const changed = event.changes.filter((c) => reads.has(c.field));
      if (changed.length === 0) continue;
      const referrers = await tx.records.queryRecords({
        workspaceId: event.workspaceId,
        object: live.row.object,
        filter: { field: def, op: "eq", value: referenced.id },
        sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
        limit: REFERRERS_INLINE + 1,
      });
      if (referrers.length > REFERRERS_INLINE) {
        // Too many to do in this transaction: a rescore of the model goes through every record
        // in batches beside the worker, and recomputes their fit with the referenced record as it is.
        await queueRescore(
          tx,
          deps.ids,
          live.row,
          deps.clock.now().toISOString(),
          `superseded: ${referenced.object} ${referenced.id} changed`,
          true,
        );
        continue;
      }
      const fitCause = {
        event: event.type,
        via: { field: ref, object: referenced.object, id: referenced.id },
        fields: changed.map((c) => ({ field: `${ref}.${c.field}`, old: c.old ?? null, new: c.new ?? null })),
      };
      for (const record of referrers) {
        const facts = await fitFacts(tx, deps.conversions, live.compiled, record, atMs);
        await guarded(tx, () =>
          applyScore(tx, deps, {
            live,
            record,
            atMs,
            hits: fitHits(live.compiled, facts),
            fitCause,
            causeEventId: event.id,
            depth: event.depth + 1,
          }),
        );
      }
    }
  }
}

async function award(
  tx: StoreTx,
  deps: ScoringHookDeps,
  event: DomainEvent,
  target: StoredRecord,
  earned: (live: LiveModel) => ReturnType<typeof rulesEarned>,
  atMs: number,
  awardedAtMs: number,
  causeKey: string,
  cause: Record<string, unknown>,
  refit = false,
) {
  for (const live of await deps.models.of(tx, target.workspaceId, target.object)) {
    const rules = earned(live);
    // An activity may move an AI model's chance (it counts activities): fit is evaluated again with the award.
    const hits =
      refit && live.compiled.predictions.length > 0
        ? fitHits(live.compiled, await fitFacts(tx, deps.conversions, live.compiled, target, atMs))
        : undefined;
    if (rules.length === 0 && hits === undefined) continue;
    await guarded(tx, () =>
      applyScore(tx, deps, {
        live,
        record: target,
        atMs,
        hits,
        fitCause: hits ? { event: event.type, ...cause } : undefined,
        awards: rules.map((r) => ({ groupKey: r.groupKey, ruleKey: r.ruleKey, points: r.points, atMs: awardedAtMs, causeKey, cause })),
        causeEventId: event.id,
        depth: event.depth + 1,
      }),
    );
  }
}

async function onActivity(tx: StoreTx, deps: ScoringHookDeps, event: DomainEvent, activity: StoredRecord) {
  const relatedId = activity.data.related_id;
  const type = activity.data.type;
  if (typeof relatedId !== "string" || typeof type !== "string") return;
  const target = await tx.records.getRecord(activity.workspaceId, relatedId);
  if (!target) return;
  // The change is written now (when the activity was logged); the award is dated when the
  // activity happened, so a meeting logged days later has decayed by then.
  const atMs = instant(activity.createdAt, deps.clock);
  const happened = activityInstant(activity);
  const awardedAtMs = Number.isFinite(happened) ? Math.min(happened, atMs) : atMs;
  const facts: Facts = { record: recordView(activity), refs: {}, counts: {}, nowMs: atMs };
  await award(
    tx,
    deps,
    event,
    target,
    (live) => rulesEarned(live.compiled, { kind: "activity", type, facts }),
    atMs,
    awardedAtMs,
    `activity:${activity.id}`,
    { activity: { id: activity.id, type, subject: activity.data.subject ?? null } },
    true,
  );
}

async function onExternal(tx: StoreTx, deps: ScoringHookDeps, event: DomainEvent, record: StoredRecord) {
  const source = event.source ?? "";
  const atMs = instant(event.occurredAt, deps.clock);
  const facts: Facts = { record: recordView(record), refs: {}, counts: {}, nowMs: atMs };
  await award(
    tx,
    deps,
    event,
    record,
    (live) => rulesEarned(live.compiled, { kind: "external", source, facts }),
    atMs,
    atMs,
    `event:${event.id}`,
    { external: source },
  );
}
