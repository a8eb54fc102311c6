/**
 * Decay and expiry at the exact instant (docs/scoring.md "Decay"): each score state keeps
 * `next_change_at`, the next instant its fields change by decay alone (computed in closed form,
 * engine/scoring/model.ts). A worker claims due states with a lease by the database clock, like
 * SLA clocks, and for each — in one transaction for the claim — writes a `decay` (or `expiry`)
 * ledger row, the fields (a `record.updated` event: `score_threshold` down-crossings fire when
 * they happen, not at a nightly run) and the state with its next instant. A state whose record
 * or model is gone is parked (no next instant).
 */
import type { Clock } from "../../app/ports.js";
import type { Store, StoreTx } from "../../store/ports.js";
import type { ScoreStateRow } from "../../store/scoring-ports.js";
import { applyScore, type ScoreWriteDeps } from "./apply.js";
import type { ScoreModels } from "./models.js";

export interface DecayDeps extends ScoreWriteDeps {
  store: Store;
  models: ScoreModels;
  clock: Clock;
  /** Judges due-ness by this instant instead of the database clock: tests on a simulated clock only. */
  dueBy?: (() => Date) | undefined;
}

export class ScoreDecay {
  constructor(private readonly deps: DecayDeps) {}

  /** Claims up to `limit` due states and rewrites them in one transaction; returns how many. */
  async rewriteDue(owner: string, limit: number, leaseMs: number): Promise<number> {
    const dueBy = this.deps.dueBy?.().toISOString();
    const claimed = await this.deps.store.scores.claimDueScoreStates(owner, limit, leaseMs, dueBy);
    if (claimed.length === 0) return 0;
    return this.deps.store.transaction((tx) => this.rewrite(tx, claimed));
  }

  private async rewrite(tx: StoreTx, claimed: readonly ScoreStateRow[]): Promise<number> {
    let n = 0;
    for (const state of claimed) {
      const live = await this.deps.models.byId(tx, state.workspaceId, state.modelId);
      const record = await tx.records.getRecord(state.workspaceId, state.recordId);
      if (!live || !record || !state.nextChangeAt) {
        await tx.scores.putScoreState({ ...state, nextChangeAt: null });
        continue;
      }
      // The instant it fell due (not the worker's, which may be late): the ledger and the state
      // say what the closed form says then; the fields hold it from now on.
      const atMs = Math.max(Date.parse(state.nextChangeAt), Date.parse(state.updatedAt));
      await applyScore(tx, this.deps, { live, record, atMs, causeEventId: null, depth: 0, due: true });
      n += 1;
    }
    return n;
  }
}
