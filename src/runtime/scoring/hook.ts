/**
 * Scores follow events (docs/scoring.md "When scores change"): a matcher event hook, so that
 * every award, ledger row and field write commits with the matcher's pass over its event.
 *
 * - `record.created` / `record.updated` / `record.merged` of a scored object: the fit rules are
 *   evaluated again when the record is new or a field a fit rule reads changed;
 * - an activity created with `related_id`: the engagement rules on its type award the record it
 *   is about (conditions see the activity);
 * - `external.received` (a form or inbound hook): the rules on that source award the record
 *   (conditions see the record as the delivery left it).
 *
 * Events written by scoring itself (actor `scoring:<key>@v<n>`) are ignored: a score never
 * rescores itself. A change that cannot be written (a validation rule refusing the output field)
 * is undone alone under a savepoint, so one record's refusal never stops the matcher.
 */
import type { Clock } from "../../app/ports.js";
import type { Facts } from "../../engine/conditions.js";
import { fitHits, rulesEarned } from "../../engine/scoring/model.js";
import type { DomainEvent, StoredRecord, StoreTx } from "../../store/ports.js";
import { loadFacts, recordView } from "../facts.js";
import type { EventHook } from "../matcher.js";
import { applyScore, type ScoreWriteDeps } from "./apply.js";
import { type LiveModel, SCORING_ACTOR_PREFIX, type ScoreModels } from "./models.js";

export interface ScoringHookDeps extends ScoreWriteDeps {
  models: ScoreModels;
  clock: Clock;
}

export const isScoringWrite = (event: DomainEvent) => event.actor.kind === "system" && event.actor.id.startsWith(SCORING_ACTOR_PREFIX);

export function scoringEventHook(deps: ScoringHookDeps): EventHook {
  return async (tx, event, record) => {
    if (!record || isScoringWrite(event)) return;
    if (event.type === "record.created" || event.type === "record.updated" || event.type === "record.merged") {
      await onRecord(tx, deps, event, record);
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
  } catch {
    // The record refuses the write (a validation rule on the output field, a record gone): its
    // score stays as it was; the next event or rescore tries again.
  }
}

async function onRecord(tx: StoreTx, deps: ScoringHookDeps, event: DomainEvent, record: StoredRecord) {
  const models = await deps.models.of(tx, event.workspaceId, event.object);
  if (models.length === 0) return;
  const atMs = instant(event.occurredAt, deps.clock);
  for (const live of models) {
    if (live.compiled.fitRules.length === 0) continue;
    const relevant = event.type !== "record.updated" || event.changes.some((c) => live.compiled.fitReads.has(c.field));
    if (!relevant) continue;
    const facts = await loadFacts(tx, record, live.compiled.fitNeeds, atMs);
    const changed = event.changes.filter((c) => live.compiled.fitReads.has(c.field));
    await guarded(tx, () =>
      applyScore(tx, deps, {
        live,
        record,
        atMs,
        hits: fitHits(live.compiled, facts),
        fitCause: { event: event.type, fields: changed.map((c) => ({ field: c.field, old: c.old ?? null, new: c.new ?? null })) },
        causeEventId: event.id,
        depth: event.depth + 1,
      }),
    );
  }
}

async function award(
  tx: StoreTx,
  deps: ScoringHookDeps,
  event: DomainEvent,
  target: StoredRecord,
  earned: (live: LiveModel) => ReturnType<typeof rulesEarned>,
  atMs: number,
  causeKey: string,
  cause: Record<string, unknown>,
) {
  for (const live of await deps.models.of(tx, target.workspaceId, target.object)) {
    const rules = earned(live);
    if (rules.length === 0) continue;
    await guarded(tx, () =>
      applyScore(tx, deps, {
        live,
        record: target,
        atMs,
        awards: rules.map((r) => ({ groupKey: r.groupKey, ruleKey: r.ruleKey, points: r.points, atMs, causeKey, cause })),
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
  const atMs = instant(activity.createdAt, deps.clock);
  const facts: Facts = { record: recordView(activity), refs: {}, counts: {}, nowMs: atMs };
  await award(
    tx,
    deps,
    event,
    target,
    (live) => rulesEarned(live.compiled, { kind: "activity", type, facts }),
    atMs,
    `activity:${activity.id}`,
    { activity: { id: activity.id, type, subject: activity.data.subject ?? null } },
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
    `event:${event.id}`,
    { external: source },
  );
}
