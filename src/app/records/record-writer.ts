/**
 * Every record write goes through here: validate, check references, write the record, its
 * audit entry and its domain event in ONE transaction (engineering.md §3.1). Bulk writes are
 * all-or-nothing.
 *
 * One file per operation under `write/` (create, update, delete), each writing through a
 * `Journal` (write/journal.ts) that hands its audit entries and events to the transaction.
 * This class is what callers hold: it chooses the transaction — the caller's, or one shared by
 * writes that arrive together (group commit) — and retries lost races.
 */
import type { ObjectName } from "../../crm/fields.js";
import type { Store, StoredRecord, StoreTx } from "../../store/ports.js";
import type { CommitCounters } from "../commit-counters.js";
import type { CallContext } from "../context.js";
import type { AutoMerge } from "../duplicates/auto-merge.js";
import type { Clock, IdGenerator, Nudge } from "../ports.js";
import { GroupCommit } from "./group-commit.js";
import { type CreateOptions, createRecords } from "./write/create.js";
import { deleteRecord } from "./write/delete.js";
import type { WriteDeps } from "./write/deps.js";
import { LostRace } from "./write/lost-race.js";
import { QualityCache } from "./write/quality-cache.js";
import type { ScoreOutputs } from "./write/score-outputs.js";
import { type UpdateItem, updateRecords } from "./write/update.js";

export { MAX_BULK } from "./write/access.js";
export type { CreateOptions } from "./write/create.js";
export { referenceProbesFor } from "./write/references.js";
export type { ScoreOutputs } from "./write/score-outputs.js";
export type { UpdateItem } from "./write/update.js";

export class RecordWriter {
  private readonly deps: WriteDeps;

  /**
   * `onCommit`: called after each commit this writer made (not a caller's transaction, whose
   * owner says when it commits) — new events for the matcher.
   */
  /** `autoMerge`: the merge service's port, for match rules that merge (duplicates/auto-merge.ts). */
  /** `scoreOutputs`: the fields scoring models own (write/score-outputs.ts); unset = none are guarded. */
  constructor(
    store: Store,
    clock: Clock,
    ids: IdGenerator,
    onCommit: Nudge = () => {},
    autoMerge?: AutoMerge,
    scoreOutputs?: ScoreOutputs,
    /** `counters`: where the group commits are counted (app/commit-counters.ts). */
    counters?: CommitCounters,
  ) {
    /** Writes that arrive together share a transaction and its commit. */
    const group = new GroupCommit(store, undefined, onCommit, counters);
    this.deps = {
      clock,
      ids,
      quality: new QualityCache(),
      autoMerge,
      scoreOutputs,
      within: (tx, retry, fn) => (tx ? fn(tx) : group.run(fn, (error) => retry && error instanceof LostRace)),
    };
  }

  async create(ctx: CallContext, object: ObjectName, input: unknown): Promise<StoredRecord> {
    const [created] = await this.createMany(ctx, object, [input], { pathOf: () => [] });
    if (!created) throw new Error("create returned nothing");
    return created;
  }

  /** Creates all or none. */
  createMany(ctx: CallContext, object: ObjectName, inputs: readonly unknown[], options: CreateOptions = {}): Promise<StoredRecord[]> {
    return createRecords(this.deps, ctx, object, inputs, options);
  }

  async update(ctx: CallContext, object: ObjectName, item: UpdateItem, tx?: StoreTx): Promise<StoredRecord> {
    const [updated] = await this.updateMany(ctx, object, [item], false, tx);
    if (!updated) throw new Error("update returned nothing");
    return updated;
  }

  /** Updates all or none; `indexed`: issue paths start with each item's index (a bulk request). */
  updateMany(ctx: CallContext, object: ObjectName, items: readonly UpdateItem[], indexed = true, tx?: StoreTx): Promise<StoredRecord[]> {
    return updateRecords(this.deps, ctx, object, items, indexed, tx);
  }

  delete(ctx: CallContext, object: ObjectName, id: string, expectedVersion?: number, tx?: StoreTx): Promise<void> {
    return deleteRecord(this.deps, ctx, object, id, expectedVersion, tx);
  }
}
