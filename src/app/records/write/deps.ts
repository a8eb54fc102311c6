import type { StoreTx } from "../../../store/ports.js";
import type { AutoMerge } from "../../duplicates/auto-merge.js";
import type { Clock, IdGenerator } from "../../ports.js";
import type { QualityCache } from "./quality-cache.js";
import type { ScoreOutputs } from "./score-outputs.js";

/** What every write operation needs from the RecordWriter that runs it. */
export interface WriteDeps {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Each workspace's validation rules and formats, compiled once per change (rules.ts). */
  readonly quality: QualityCache;
  /**
   * Runs `fn` in the caller's transaction, or in one shared with other writes arriving at the
   * same time (group commit, each under its savepoint), retrying lost races when `retry`.
   */
  /** A match rule's automatic merge (duplicates/auto-merge.ts); unset = such pairs are queued. */
  readonly autoMerge?: AutoMerge | undefined;
  /** The fields enabled scoring models write, refused to every other writer (score-outputs.ts). */
  readonly scoreOutputs?: ScoreOutputs | undefined;
  within<T>(tx: StoreTx | undefined, retry: boolean, fn: (tx: StoreTx) => Promise<T>): Promise<T>;
}
