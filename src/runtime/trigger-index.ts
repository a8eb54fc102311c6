/**
 * Trigger candidates indexed by the fields they watch (engineering.md §5): the store's trigger
 * index narrows an event to the workflows of its (workspace, object, trigger kinds); this
 * narrows an update further to the workflows whose watched field it changed, and those that
 * watch none. `field_changed`, `score_threshold` and `record_updated` with `fields` cannot fire
 * unless one of their fields is among the event's changes (see triggerFires), so leaving the
 * others out changes no outcome; the matcher still asks triggerFires of every candidate.
 *
 * A set is built from the rows the store returned and reused, across ticks, for as long as the
 * store returns the same rows: publishing or archiving — in this process or another — replaces
 * them, so the matcher sees it exactly when it would have by reading the rows alone.
 */
import type { ObjectName } from "../crm/fields.js";
import type { CompiledWorkflow } from "../engine/compile.js";
import type { DomainEvent, StoreTx } from "../store/ports.js";
import type { TriggerRow } from "../store/workflow-ports.js";
import type { CompiledCache } from "./compiled-cache.js";
import { needsOf, needsOnlyRecord } from "./facts.js";

export interface Candidate {
  readonly row: TriggerRow;
  readonly w: CompiledWorkflow;
  /** Position among the rows: candidates are visited in the order of the store's rows. */
  readonly ord: number;
  /** Whether the version's conditions read the record alone (needsOnlyRecord), worked out once. */
  readonly onlyRecord: boolean;
}

/** The fields a trigger fires on, when it can fire only if one of them changed. */
export function watchedFields(w: CompiledWorkflow): readonly string[] | undefined {
  const t = w.trigger;
  switch (t.type) {
    case "field_changed":
    case "score_threshold":
      return [t.field];
    case "record_updated":
      return t.fields;
    default:
      return undefined;
  }
}

const sameRow = (a: TriggerRow, b: TriggerRow) =>
  a.workflowId === b.workflowId &&
  a.version === b.version &&
  a.sincePosition === b.sincePosition &&
  a.kind === b.kind &&
  a.object === b.object &&
  a.workspaceId === b.workspaceId;

export class TriggerSet {
  /** Candidates whatever the event changed. */
  private readonly always: Candidate[] = [];
  private readonly byField = new Map<string, Candidate[]>();

  /** `compiled[i]` is the version of `rows[i]`, or undefined where it is missing (never fires). */
  constructor(
    private readonly rows: readonly TriggerRow[],
    compiled: readonly (CompiledWorkflow | undefined)[],
  ) {
    rows.forEach((row, ord) => {
      const w = compiled[ord];
      if (!w) return;
      const candidate = { row, w, ord, onlyRecord: needsOnlyRecord(needsOf(w)) };
      const fields = watchedFields(w);
      if (!fields) {
        this.always.push(candidate);
        return;
      }
      for (const field of new Set(fields)) {
        const list = this.byField.get(field);
        if (list) list.push(candidate);
        else this.byField.set(field, [candidate]);
      }
    });
  }

  /** Whether the store's rows are still the ones this set was built from. */
  matches(rows: readonly TriggerRow[]): boolean {
    if (rows.length !== this.rows.length) return false;
    for (let i = 0; i < rows.length; i++) if (!sameRow(rows[i] as TriggerRow, this.rows[i] as TriggerRow)) return false;
    return true;
  }

  /** The candidates an event can fire, in row order. */
  candidates(event: DomainEvent): readonly Candidate[] {
    if (this.byField.size === 0) return this.always;
    const lists: Candidate[][] = [];
    for (const c of event.changes) {
      const list = this.byField.get(c.field);
      if (list && !lists.includes(list)) lists.push(list);
    }
    if (lists.length === 0) return this.always;
    if (lists.length === 1 && this.always.length === 0) return lists[0] as Candidate[];
    let merged: readonly Candidate[] = this.always;
    for (const list of lists) merged = merge(merged, list);
    return merged;
  }
}

/**
 * Two lists in row order merged into one, in row order. A record_updated trigger with several
 * fields sits in several lists: it is taken once.
 */
function merge(a: readonly Candidate[], b: readonly Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Candidate;
    const y = b[j] as Candidate;
    if (x.ord <= y.ord) {
      out.push(x);
      i += 1;
      if (x === y) j += 1;
    } else {
      out.push(y);
      j += 1;
    }
  }
  while (i < a.length) out.push(a[i++] as Candidate);
  while (j < b.length) out.push(b[j++] as Candidate);
  return out;
}

/** Sets kept beyond this many are dropped all at once (many workspaces × objects × kinds). */
const MAX_SETS = 10_000;

/** The matcher's trigger sets, per (workspace, object, kinds), kept across ticks. */
export class TriggerSets {
  private readonly sets = new Map<string, TriggerSet>();

  constructor(private readonly cache: CompiledCache) {}

  /**
   * The set of the store's current rows. `seen` holds the sets one transaction has already
   * checked, so that its events do not each read and compare the rows again.
   */
  async get(
    tx: StoreTx,
    workspaceId: string,
    object: ObjectName,
    kinds: readonly string[],
    seen?: Map<string, TriggerSet>,
  ): Promise<TriggerSet> {
    const key = `${workspaceId}\u0000${object}\u0000${kinds.join(",")}`;
    const checked = seen?.get(key);
    if (checked) return checked;
    const rows = await tx.triggers.findTriggers(workspaceId, object, kinds);
    let set = this.sets.get(key);
    if (!set?.matches(rows)) {
      set = await this.build(tx, rows);
      if (this.sets.size >= MAX_SETS) this.sets.clear();
      this.sets.set(key, set);
    }
    seen?.set(key, set);
    return set;
  }

  private async build(tx: StoreTx, rows: readonly TriggerRow[]): Promise<TriggerSet> {
    const compiled: Array<CompiledWorkflow | undefined> = [];
    for (const t of rows)
      compiled.push(
        this.cache.peek(t.workspaceId, t.workflowId, t.version) ?? (await this.cache.get(tx, t.workspaceId, t.workflowId, t.version)),
      );
    return new TriggerSet(rows, compiled);
  }
}
