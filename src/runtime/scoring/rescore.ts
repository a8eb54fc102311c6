/**
 * Rescoring in the background (docs/scoring.md "Recomputing"): publishing a version (or
 * switching a model on) queues a rescore; a loop beside the worker claims it with a lease and
 * goes through the object's records in id order, BATCH records per transaction — never one long
 * transaction, so writes are never blocked for long — recomputing each record under the new
 * version: fit from the record, engagement awards re-derived from its stored activities and
 * `external.received` events (same instants, same cause keys), one `rescore` ledger row when the
 * total moved, the fields through the RecordWriter (so `score_threshold` fires once per
 * crossing, its cause naming the version) and the progress, all in the batch's transaction.
 * A rescore whose lease lapsed (a crashed process) is taken over where it stopped (`after_id`).
 */

import type { Logger } from "pino";
import type { Clock, IdGenerator } from "../../app/ports.js";
import { activityInstant } from "../../app/records/activity-instant.js";
import { EPSILON } from "../../engine/scoring/ledger.js";
import { type Award, awardExpiresAt, fitHits, rulesEarned, scoreAt } from "../../engine/scoring/model.js";
import type { Store, StoredRecord, StoreTx } from "../../store/ports.js";
import type { ScoreAwardRow, ScoreRescoreRow } from "../../store/scoring-ports.js";
import { recordView } from "../facts.js";
import { Periodic } from "../periodic.js";
import { ledgerRows, lockKeyOf, type ScoreWriteDeps, stateRow, writeFields } from "./apply.js";
import { type FitDeps, fitFacts } from "./fit-facts.js";
import type { LiveModel, ScoreModels } from "./models.js";

export const RESCORE_BATCH = 250;
const LEASE_MS = 60_000;

export interface RescoreDeps extends ScoreWriteDeps, FitDeps {
  store: Store;
  models: ScoreModels;
  clock: Clock;
  ids: IdGenerator;
  logger?: Logger | undefined;
}

export class ScoreRescorer {
  private readonly loop: Periodic;

  constructor(
    private readonly deps: RescoreDeps,
    everyMs = 1_000,
    private readonly batch = RESCORE_BATCH,
  ) {
    this.loop = new Periodic(
      () => this.drain(),
      everyMs,
      (error) => this.deps.logger?.warn({ err: error }, "a rescore pass failed"),
    );
  }

  start(): void {
    this.loop.start();
  }
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Runs every queued rescore to its end (tests and the loop). */
  async drain(): Promise<number> {
    let did = 0;
    for (;;) {
      const n = await this.runOnce(`rescore-${this.deps.ids.next()}`);
      if (n < 0) return did;
      did += n;
    }
  }

  /** Claims one rescore and runs it to its end, batch by batch; returns how many records it did (-1: none to claim). */
  async runOnce(owner: string): Promise<number> {
    const claimed = await this.deps.store.scoring.claimScoreRescore(owner, LEASE_MS);
    if (!claimed) return -1;
    let row = claimed;
    let did = 0;
    try {
      while (row.state === "running") {
        const current: ScoreRescoreRow = row;
        row = await this.deps.store.transaction((tx) => this.batchOf(tx, current));
        did += row.done - current.done;
      }
    } catch (error) {
      await this.deps.store.transaction((tx) =>
        tx.scoring.updateScoreRescore({
          ...row,
          state: "failed",
          error: error instanceof Error ? error.message : String(error),
          finishedAt: this.deps.clock.now().toISOString(),
        }),
      );
    }
    return did;
  }

  private async batchOf(tx: StoreTx, r: ScoreRescoreRow): Promise<ScoreRescoreRow> {
    const now = this.deps.clock.now();
    const latest = await tx.scoring.latestScoreRescore(r.workspaceId, r.modelId);
    // Superseded by a newer version's rescore, or the model deleted: stop here.
    if (!latest || latest.id !== r.id || latest.state === "failed") return { ...r, state: "failed" };
    const live = await this.deps.models.byId(tx, r.workspaceId, r.modelId);
    if (!live || live.version !== r.version) {
      const done = {
        ...r,
        state: "failed" as const,
        error: "the model changed; a newer rescore replaces this one",
        finishedAt: now.toISOString(),
      };
      await tx.scoring.updateScoreRescore(done);
      return done;
    }
    const ids = await tx.scoring.scoredRecordIds(r.workspaceId, live.row.object, r.afterId, this.batch);
    let changed = 0;
    for (const record of await tx.records.getRecords(r.workspaceId, ids)) {
      if (await rescoreRecord(tx, this.deps, live, record, now.getTime())) changed += 1;
    }
    const finished = ids.length < this.batch;
    const next: ScoreRescoreRow = {
      ...r,
      done: r.done + ids.length,
      changed: r.changed + changed,
      afterId: ids.at(-1) ?? r.afterId,
      total: Math.max(r.total, r.done + ids.length),
      ...(finished ? { state: "done" as const, finishedAt: now.toISOString() } : {}),
    };
    await tx.scoring.updateScoreRescore(next);
    return next;
  }
}

/** Derives a record's engagement awards under `live` from its stored activities and deliveries. */
export async function deriveAwards(
  tx: StoreTx,
  deps: { ids: IdGenerator },
  live: LiveModel,
  record: StoredRecord,
): Promise<ScoreAwardRow[]> {
  const m = live.compiled;
  if (m.engagementRules.length === 0) return [];
  const out: ScoreAwardRow[] = [];
  const give = (rules: ReturnType<typeof rulesEarned>, atMs: number, causeKey: string) => {
    for (const rule of rules) {
      const award: Award = { groupKey: rule.groupKey, ruleKey: rule.ruleKey, points: rule.points, awardedAtMs: atMs };
      const expires = awardExpiresAt(m.decay, award);
      out.push({
        workspaceId: record.workspaceId,
        id: deps.ids.next(),
        modelId: live.row.id,
        version: live.version,
        recordId: record.id,
        groupKey: rule.groupKey,
        ruleKey: rule.ruleKey,
        points: rule.points,
        awardedAt: new Date(atMs).toISOString(),
        causeKey,
        expiresAt: expires === null ? null : new Date(expires).toISOString(),
      });
    }
  };
  if (m.engagementRules.some((r) => "activity" in r.on)) {
    const activities = await tx.scores.activitiesAbout(record.workspaceId, record.id);
    for (const a of activities) {
      // Conditions see the activity as when it was logged (as the event path does); the award is
      // dated when it happened, the same instant the event path gave it.
      const loggedMs = Date.parse(a.createdAt);
      const type = String(a.data.type ?? "");
      give(
        rulesEarned(m, { kind: "activity", type, facts: { record: recordView(a), refs: {}, counts: {}, nowMs: loggedMs } }),
        activityInstant(a),
        `activity:${a.id}`,
      );
    }
  }
  if (m.engagementRules.some((r) => "external" in r.on)) {
    for (const e of await tx.scores.externalReceivedOf(record.workspaceId, record.id)) {
      const atMs = Date.parse(e.occurredAt);
      give(
        rulesEarned(m, { kind: "external", source: e.source, facts: { record: recordView(record), refs: {}, counts: {}, nowMs: atMs } }),
        atMs,
        `event:${e.id}`,
      );
    }
  }
  return out;
}

/** One record under a new version: awards re-derived, the state replaced, a `rescore` row when the total moved. */
export async function rescoreRecord(
  tx: StoreTx,
  deps: ScoreWriteDeps & FitDeps,
  live: LiveModel,
  record: StoredRecord,
  nowMs: number,
): Promise<boolean> {
  const ws = record.workspaceId;
  await tx.lockKey(lockKeyOf(ws, record.id));
  const state = (await tx.scores.scoreStatesOf(ws, record.id)).find((s) => s.modelId === live.row.id);
  const hits = fitHits(live.compiled, await fitFacts(tx, deps.conversions, live.compiled, record, nowMs));
  await tx.scores.deleteScoreAwards(ws, live.row.id, record.id);
  const awards = await tx.scores.insertScoreAwards(await deriveAwards(tx, deps, live, record));
  const inputs = {
    hits,
    awards: awards.map((a) => ({ groupKey: a.groupKey, ruleKey: a.ruleKey, points: a.points, awardedAtMs: Date.parse(a.awardedAt) })),
  };
  const value = scoreAt(live.compiled, inputs.hits, inputs.awards, nowMs);
  const before = state?.total ?? 0;
  if (!state && Math.abs(value.total) <= EPSILON && inputs.hits.length === 0 && inputs.awards.length === 0) return false;
  const at = new Date(nowMs).toISOString();
  const moved = Math.abs(value.total - before) > EPSILON;
  if (moved)
    await tx.scores.appendScoreLedger(
      ledgerRows(
        deps,
        live,
        record.id,
        [{ kind: "rescore", groupKey: null, ruleKey: null, points: null, before, after: value.total }],
        at,
        null,
        () => ({
          version: live.version,
          from_version: state?.version ?? null,
        }),
      ),
    );
  await tx.scores.putScoreState(stateRow(live, record.id, inputs, value, nowMs));
  await writeFields(tx, deps, live, record, value, null, 0);
  return moved;
}
