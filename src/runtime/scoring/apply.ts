/**
 * One change of a record's score under one model, in the caller's transaction (the matcher's
 * pass, a decay claim, a rescore batch): new awards inserted (an award already given is not
 * given again), the ledger rows of the change (engine/scoring/ledger.ts), the state with its
 * next change instant, and — when what they hold differs — the model's output fields, written
 * through the RecordWriter as the system actor `scoring:<key>@v<version>` with the triggering
 * event as the cause. That write's `record.updated` event is what `score_threshold` workflows
 * see (once per crossing: the field moves once), and what the scoring hook ignores.
 *
 * A record's scoring writes are serialised by a lock on (workspace, record), so a rescore batch
 * and the matcher never interleave on one record (PostgreSQL; SQLite has one writer).
 */
import type { CallContext } from "../../app/context.js";
import type { IdGenerator } from "../../app/ports.js";
import type { RecordWriter } from "../../app/records/record-writer.js";
import { fitChanges, type LedgerStep, ledgerSteps, type ScoreChange, type ScoreInputs } from "../../engine/scoring/ledger.js";
import {
  type Award,
  awardExpiresAt,
  type FitHit,
  hitsToStore,
  nextChangeAt,
  type ScoreValue,
  scoreAt,
  storedHits,
} from "../../engine/scoring/model.js";
import type { StoredRecord, StoreTx } from "../../store/ports.js";
import type { ScoreAwardRow, ScoreLedgerRow, ScoreStateRow } from "../../store/scoring-ports.js";
import { type LiveModel, scoringActor } from "./models.js";

export interface ScoreWriteDeps {
  writer: RecordWriter;
  ids: IdGenerator;
}

/** An award to give, with what earned it. */
export interface AwardToGive {
  groupKey: string;
  ruleKey: string;
  points: number;
  atMs: number;
  causeKey: string;
  /** What the ledger row says caused it. */
  cause: Record<string, unknown>;
}

export interface ScoreWrite {
  live: LiveModel;
  record: StoredRecord;
  atMs: number;
  /** The fit rules that hold now (undefined: unchanged since the state). */
  hits?: FitHit[] | undefined;
  /** What a fit change says caused it (the fields that changed). */
  fitCause?: Record<string, unknown> | undefined;
  awards?: AwardToGive[] | undefined;
  causeEventId: string | null;
  depth: number;
  /** A decay claim: the state is rewritten even without a change (what decay did since). */
  due?: boolean | undefined;
  /**
   * A new record: its fields are made to hold the model's value even when no rule applies (a
   * value given at create is a starting value; the model owns the field from then on).
   */
  settle?: boolean | undefined;
}

export const lockKeyOf = (workspaceId: string, recordId: string) => `score:${workspaceId}:${recordId}`;

export function hitsOf(live: LiveModel, state: ScoreStateRow | undefined): FitHit[] {
  return state ? storedHits(live.compiled, state.fitRules, state.fitPoints) : [];
}

export const toAward = (a: ScoreAwardRow): Award => ({
  groupKey: a.groupKey,
  ruleKey: a.ruleKey,
  points: a.points,
  awardedAtMs: Date.parse(a.awardedAt),
});

/** The fields the model writes, with what they should hold. */
export function fieldValues(live: LiveModel, value: ScoreValue): Record<string, number> {
  const f = live.compiled.def.fields;
  const out: Record<string, number> = { [f.total]: value.rounded.total };
  if (f.fit) out[f.fit] = value.rounded.fit;
  if (f.engagement) out[f.engagement] = value.rounded.engagement;
  return out;
}

/** Writes the fields that differ from what the record holds. Returns whether it wrote. */
export async function writeFields(
  tx: StoreTx,
  deps: ScoreWriteDeps,
  live: LiveModel,
  record: StoredRecord,
  value: ScoreValue,
  causeId: string | null,
  depth: number,
): Promise<boolean> {
  const want = fieldValues(live, value);
  // Compared with the record as stored now, not as the caller read it: the matcher's tick hands
  // hooks the record as of the tick, and an earlier event of the same tick (a form lead's
  // record.created before its external.received) may have had this model write the fields since.
  const current = (await tx.records.getRecord(record.workspaceId, record.id)) ?? record;
  const fields = Object.fromEntries(Object.entries(want).filter(([k, v]) => current.data[k] !== v));
  if (Object.keys(fields).length === 0) return false;
  const ctx: CallContext = {
    workspaceId: record.workspaceId,
    role: "admin",
    actor: scoringActor(live.row.key, live.version),
    requestId: null,
    causeId,
    depth,
  };
  await deps.writer.update(ctx, record.object, { id: record.id, fields }, tx);
  return true;
}

export function ledgerRows(
  deps: ScoreWriteDeps,
  live: LiveModel,
  recordId: string,
  steps: readonly LedgerStep[],
  at: string,
  causeEventId: string | null,
  causeOf: (s: LedgerStep) => Record<string, unknown>,
): ScoreLedgerRow[] {
  return steps.map((s) => ({
    workspaceId: live.row.workspaceId,
    id: deps.ids.next(),
    modelId: live.row.id,
    version: live.version,
    recordId,
    kind: s.kind,
    groupKey: s.groupKey,
    ruleKey: s.ruleKey,
    causeEventId: s.kind === "decay" || s.kind === "expiry" ? null : causeEventId,
    cause: causeOf(s),
    points: s.points,
    before: s.before,
    after: s.after,
    at,
  }));
}

export function stateRow(live: LiveModel, recordId: string, inputs: ScoreInputs, value: ScoreValue, atMs: number): ScoreStateRow {
  const next = nextChangeAt(live.compiled, inputs.hits, inputs.awards, atMs);
  return {
    workspaceId: live.row.workspaceId,
    modelId: live.row.id,
    recordId,
    version: live.version,
    fit: value.fit,
    engagement: value.engagement,
    total: value.total,
    ...hitsToStore(live.compiled, inputs.hits),
    updatedAt: new Date(atMs).toISOString(),
    nextChangeAt: next === null ? null : new Date(next).toISOString(),
  };
}

/**
 * A fit change's cause; an AI prediction rule that gives points adds what its model said
 * (`prediction: {model, version, chance, reasons}`, docs/scoring.md "AI prediction rules"), so the
 * ledger keeps why the points moved when the chance is long since different.
 */
function predictionCause(c: ScoreChange, cause: Record<string, unknown>): Record<string, unknown> {
  if (c.kind !== "fit" || !c.holds || !c.hit.because) return cause;
  const b = c.hit.because;
  return { ...cause, prediction: { model: b.model, version: b.modelVersion, chance: b.chance, reasons: b.reasons } };
}

/** Applies one change (fit, awards, or neither — decay since the state) and writes what it moved. */
export async function applyScore(tx: StoreTx, deps: ScoreWriteDeps, w: ScoreWrite): Promise<void> {
  const { live, record } = w;
  const ws = record.workspaceId;
  await tx.lockKey(lockKeyOf(ws, record.id));
  const state = (await tx.scores.scoreStatesOf(ws, record.id)).find((s) => s.modelId === live.row.id);
  const before: ScoreInputs = {
    hits: hitsOf(live, state),
    awards: (await tx.scores.scoreAwardsOf(ws, live.row.id, record.id)).map(toAward),
  };
  const changes: ScoreChange[] = [];
  const causes = new Map<ScoreChange, Record<string, unknown>>();
  if (w.hits) {
    for (const c of fitChanges(live.compiled, before.hits, w.hits)) {
      changes.push(c);
      causes.set(c, predictionCause(c, w.fitCause ?? {}));
    }
  }
  if (w.awards && w.awards.length > 0) {
    const rows: ScoreAwardRow[] = w.awards.map((a) => {
      const award = { groupKey: a.groupKey, ruleKey: a.ruleKey, points: a.points, awardedAtMs: a.atMs };
      const expires = awardExpiresAt(live.compiled.decay, award);
      return {
        workspaceId: ws,
        id: deps.ids.next(),
        modelId: live.row.id,
        version: live.version,
        recordId: record.id,
        groupKey: a.groupKey,
        ruleKey: a.ruleKey,
        points: a.points,
        awardedAt: new Date(a.atMs).toISOString(),
        causeKey: a.causeKey,
        expiresAt: expires === null ? null : new Date(expires).toISOString(),
      };
    });
    const given = new Set((await tx.scores.insertScoreAwards(rows)).map((r) => r.id));
    rows.forEach((row, i) => {
      if (!given.has(row.id)) return;
      const c: ScoreChange = { kind: "engagement", award: toAward(row) };
      changes.push(c);
      causes.set(c, w.awards?.[i]?.cause ?? {});
    });
  }
  if (changes.length === 0 && !(w.due && state)) {
    if (w.settle) {
      const value = scoreAt(live.compiled, before.hits, before.awards, w.atMs);
      await writeFields(tx, deps, live, record, value, w.causeEventId, w.depth);
    }
    return;
  }
  const out = ledgerSteps(live.compiled, state?.total ?? 0, before, changes, w.atMs);
  const at = new Date(w.atMs).toISOString();
  const rows = ledgerRows(deps, live, record.id, out.steps, at, w.causeEventId, (s) =>
    s.change ? (causes.get(s.change) ?? {}) : { decay: live.compiled.def.engagement?.decay ?? null, since: state?.updatedAt ?? null },
  );
  await tx.scores.appendScoreLedger(rows);
  await tx.scores.putScoreState(stateRow(live, record.id, out.inputs, out.value, w.atMs));
  await writeFields(tx, deps, live, record, out.value, w.causeEventId, w.depth);
}
