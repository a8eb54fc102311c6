/**
 * The unit of work of one transaction: every rule by which a transaction answers its own reads
 * and delays its own writes, in one place. The port implementations (records.ts, runs.ts, …)
 * ask it; outside a transaction (the store's committed reads) there is none, and they go to the
 * database directly.
 *
 * The rules:
 * 1. Memoised reads. Reads that one transaction repeats many times — a matcher tick looks up the
 *    trigger index for each of its events, a group of workflow steps reads the workspace and its
 *    custom fields for each step, every record write the data-quality epoch — and that change rarely are answered once; the transaction's
 *    own writes to them drop the copy (`forget…`). Another transaction's concurrent change is
 *    seen as if it had committed just after this one's first read: these tables are not locked
 *    by readers anyway.
 * 2. Record copies. Records this transaction has read or written are kept by (workspace, id); a
 *    read by id is answered from the copy, and every write here keeps the copy true. Reads that
 *    lock go to the database (PostgreSQL) unless this transaction holds the row locked already.
 * 3. Kept writes. Record writes that cannot fail any more (new records; updates of rows this
 *    transaction holds locked, at the version it expects) are kept and written with one statement
 *    per kind before the next read that would see them (`flushRecords`) and before the commit.
 * 4. Kept new runs. Runs created with insertNewRuns are kept in their latest state (updateRun(s)
 *    move them in memory) and inserted before anything reads the runs table and before the commit.
 * 5. Queued log rows. Audit entries and domain events are inserted together just before the
 *    commit: nothing reads the audit trail inside the transaction that writes it, and the event
 *    log is locked from its insert until the commit (positions in commit order), so the later the
 *    insert, the shorter other writers wait.
 * 6. Savepoints. A savepoint marks the queues, the kept writes and the kept runs; rolling back to
 *    it puts them back as they were and forgets every copy read since. On PostgreSQL a savepoint
 *    is owed (see owed-savepoints.ts) until something is written under it; on SQLite it is issued
 *    as it opens (a call into the same process).
 * 7. Shared trigger rows. Across transactions, the store keeps the trigger index's rows with the
 *    workspace's trigger epoch they were read at (`SharedReads`); a transaction that reads the
 *    current epoch uses them without reading the rows. Rows a transaction replaced itself are
 *    not committed yet, and never shared.
 */
import { type Kysely, sql } from "kysely";
import type { CustomFieldDef } from "../../crm/custom-fields.js";
import type { ObjectName } from "../../crm/fields.js";
import type { ApprovalLockRow } from "../approval-ports.js";
import type { AuditEntry } from "../audit-ports.js";
import type { MatchRuleRow } from "../duplicate-ports.js";
import type { NewDomainEvent } from "../event-ports.js";
import type { WebhookSubscriptionRow } from "../inbound-ports.js";
import type { StoredRecord } from "../record-ports.js";
import type { RunRow, TriggerRow, WorkflowRow } from "../workflow-ports.js";
import type { Workspace } from "../workspace-ports.js";
import type { SqlDialect } from "./dialect.js";
import * as log from "./log.js";
import type { OwedSavepoints } from "./owed-savepoints.js";
import * as rec from "./records.js";
import * as runs from "./runs.js";
import type { Database } from "./schema.js";
import * as wf from "./workflows.js";

/** The key of a record or a run in the unit of work's maps. */
export const recordKey = (workspaceId: string, id: string) => `${workspaceId}\u0000${id}`;

/** `cache`'s answer for `key`, loading it once. */
export function memoized<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let hit = cache.get(key);
  if (!hit) {
    hit = load();
    cache.set(key, hit);
  }
  return hit;
}

/** What one store keeps across its transactions (rule 7). */
export class SharedReads {
  readonly triggers = new Map<string, { epoch: number; rows: TriggerRow[] }>();
}

const MAX_SHARED_TRIGGER_SETS = 10_000;

interface KeptWrite {
  record: StoredRecord;
  insert: boolean;
  expectedVersion: number;
}

export class UnitOfWork {
  // Rule 1: memoised reads.
  readonly customFields = new Map<string, Promise<CustomFieldDef[]>>();
  readonly workspaces = new Map<string, Promise<Workspace | undefined>>();
  readonly subscriptions = new Map<string, Promise<WebhookSubscriptionRow[]>>();
  /** Data-quality epochs read by the write path (issue 20): once per transaction. */
  readonly dataQualityEpochs = new Map<string, Promise<number>>();
  /**
   * Workflow rows by workspace and id: a run's end reads its workflow (TimeTriggers.onRunEnded),
   * one read per run — a transaction of a hundred runs of a few workflows reads each once.
   */
  readonly workflowRows = new Map<string, Promise<WorkflowRow | undefined>>();
  /** Match rules by workspace and object: every record created asks for its object's (duplicate detection, issue 20). */
  readonly matchRules = new Map<string, Promise<MatchRuleRow[]>>();
  /** A record's pending approval locks by workspace and record: the record writer asks before each write. */
  readonly approvalLocks = new Map<string, Promise<ApprovalLockRow[]>>();
  private readonly triggerSets = new Map<string, Promise<TriggerRow[]>>();
  /** Trigger epochs read (rule 7). */
  private readonly epochs = new Map<string, Promise<number>>();
  /** Whether this transaction replaced trigger rows (its reads of them are then its own). */
  private replacedTriggers = false;

  // Rule 2: record copies (undefined: known not to exist).
  readonly records = new Map<string, StoredRecord | undefined>();
  /**
   * Keys of `records` whose row this transaction holds locked (PostgreSQL): it wrote them, or
   * read them for update. No other writer can move such a row until the commit.
   */
  readonly locked = new Set<string>();

  // Rule 3: kept record writes, keyed like `records`, in write order.
  private readonly pending = new Map<string, KeptWrite>();
  // Rule 4: runs created with insertNewRuns, in their latest state, keyed like `records`.
  private readonly newRuns = new Map<string, RunRow>();
  // Rule 5: queued log rows.
  private readonly events: NewDomainEvent[] = [];
  private readonly audit: AuditEntry[] = [];
  // Rule 6: savepoints opened so far (each gets its own name), and those owed (PostgreSQL).
  private savepoints = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: SqlDialect,
    private readonly shared: SharedReads,
    /** Undefined: each savepoint is issued as it opens (SQLite). */
    private readonly owed?: OwedSavepoints,
  ) {}

  // ---- rule 2: record copies ------------------------------------------------------------------

  /** Notes what a read of `ids` found, and that the others do not exist. */
  remember(workspaceId: string, ids: readonly string[], found: readonly StoredRecord[]) {
    for (const id of ids) this.records.set(recordKey(workspaceId, id), undefined);
    for (const r of found) this.records.set(recordKey(workspaceId, r.id), r);
  }

  /** A row this transaction has just written: its copy is true, and the row is locked until the commit. */
  keep(key: string, record: StoredRecord | undefined) {
    this.records.set(key, record);
    this.locked.add(key);
  }

  /** The copies of `ids` that exist, in id order (every id must have been read). */
  copies(workspaceId: string, ids: readonly string[]): StoredRecord[] {
    return [...new Set(ids)]
      .sort()
      .map((id) => this.records.get(recordKey(workspaceId, id)))
      .filter((r): r is StoredRecord => r !== undefined);
  }

  // ---- rule 3: kept record writes -------------------------------------------------------------

  keepInserts(records: readonly StoredRecord[]) {
    for (const r of records) {
      const k = recordKey(r.workspaceId, r.id);
      this.pending.set(k, { record: r, insert: true, expectedVersion: 0 });
      this.keep(k, r);
    }
  }

  /**
   * Keeps an update of a row this transaction holds locked, whose copy is then the truth: the
   * version guard is decided here. Undefined when the row is not locked (the caller writes it).
   */
  keepUpdate(record: StoredRecord, expectedVersion: number): boolean | undefined {
    const k = recordKey(record.workspaceId, record.id);
    if (!this.locked.has(k)) return undefined;
    if (this.records.get(k)?.version !== expectedVersion) return false;
    const earlier = this.pending.get(k);
    this.pending.set(k, { record, insert: earlier?.insert ?? false, expectedVersion: earlier?.expectedVersion ?? expectedVersion });
    this.keep(k, record);
    return true;
  }

  /**
   * Writes the kept record writes: new records in one insert, updates in one statement
   * (PostgreSQL). Called before anything that reads records other than by id (reads by id are
   * answered from the copies), before a delete, and before the commit, so that no statement
   * ever sees the table without them. A write that fails here fails the transaction (a group of
   * writes is then written again one by one: see group-commit.ts).
   */
  async flushRecords() {
    const pending = this.pending;
    if (pending.size === 0) return;
    const writes = [...pending.values()];
    pending.clear();
    const inserts = writes.filter((w) => w.insert).map((w) => w.record);
    const updates = writes.filter((w) => !w.insert);
    if (inserts.length > 0) await rec.insertRecords(this.db, this.d, inserts);
    // Locked rows at the versions their copies say: a miss is a broken invariant, and fails the transaction.
    if (updates.length > 0 && (await rec.updateRecords(this.db, this.d, updates)) !== updates.length)
      throw new Error("a kept record update found its row moved; the transaction is rolled back");
  }

  // ---- rule 4: kept new runs ------------------------------------------------------------------

  /** How many new runs are kept (none: updates go to the table as they are). */
  get keptRuns(): number {
    return this.newRuns.size;
  }

  keepNewRuns(list: readonly RunRow[]) {
    for (const run of list) this.newRuns.set(recordKey(run.workspaceId, run.id), run);
  }

  /** Moves a kept run in memory; undefined when the run is not kept (the caller writes it). */
  updateKeptRun(run: RunRow, expectedSeq: number): boolean | undefined {
    const k = recordKey(run.workspaceId, run.id);
    const earlier = this.newRuns.get(k);
    if (!earlier) return undefined;
    if (earlier.seq !== expectedSeq) return false;
    this.newRuns.set(k, run);
    return true;
  }

  /**
   * Moves the kept runs among `updates` in memory (only this transaction knows them); returns how
   * many of those were at their expected seq, and the updates of the other runs, for the table.
   */
  updateKeptRuns(updates: ReadonlyArray<{ run: RunRow; expectedSeq: number }>) {
    let written = 0;
    const rest: Array<{ run: RunRow; expectedSeq: number }> = [];
    for (const u of updates) {
      const k = recordKey(u.run.workspaceId, u.run.id);
      const earlier = this.newRuns.get(k);
      if (!earlier) rest.push(u);
      else if (earlier.seq === u.expectedSeq) {
        this.newRuns.set(k, u.run);
        written++;
      }
    }
    return { written, rest };
  }

  /**
   * Writes the kept new runs in their latest state. Called before anything reads the runs table
   * and before the commit, so that no statement ever sees the table without them.
   */
  async flushNewRuns() {
    const kept = this.newRuns;
    if (kept.size === 0) return;
    const list = [...kept.values()];
    kept.clear();
    await insertAllRuns(this.db, this.d, list);
  }

  // ---- rule 5: queued log rows ----------------------------------------------------------------

  queueAudit(entries: readonly AuditEntry[]) {
    this.audit.push(...entries);
  }

  queueEvents(events: readonly NewDomainEvent[]) {
    this.events.push(...events);
  }

  // ---- rule 7: shared trigger rows ------------------------------------------------------------

  async triggers(workspaceId: string, object: ObjectName, kinds: readonly string[]): Promise<TriggerRow[]> {
    const key = `${workspaceId}\u0000${object}\u0000${kinds.join(",")}`;
    const load = async () => {
      const epoch = await memoized(this.epochs, workspaceId, () => wf.triggerEpoch(this.db, this.d, workspaceId));
      const kept = this.shared.triggers.get(key);
      if (kept?.epoch === epoch) return kept.rows;
      const rows = await wf.findTriggers(this.db, workspaceId, object, kinds);
      if (!this.replacedTriggers) {
        if (this.shared.triggers.size >= MAX_SHARED_TRIGGER_SETS) this.shared.triggers.clear();
        this.shared.triggers.set(key, { epoch, rows });
      }
      return rows;
    };
    return [...(await memoized(this.triggerSets, key, load))];
  }

  /** This transaction is replacing trigger rows of the workspace: its reads of them are its own from now on. */
  replacingTriggers(workspaceId: string) {
    this.triggerSets.clear();
    this.epochs.delete(workspaceId);
    this.replacedTriggers = true;
  }

  // ---- rule 6: savepoints ---------------------------------------------------------------------

  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const name = `sp${++this.savepoints}`;
    const undo = this.mark();
    const owed = this.owed;
    if (owed) owed.push(name);
    else await sql.raw(`savepoint ${name}`).execute(this.db);
    try {
      const result = await fn();
      // Still owed: nothing was written under it, and there is nothing to release.
      if (owed?.at(-1) === name) owed.pop();
      else await sql.raw(`release savepoint ${name}`).execute(this.db);
      return result;
    } catch (error) {
      const at = owed?.indexOf(name) ?? -1;
      if (owed && at >= 0)
        owed.length = at; // nothing written under it (nor under the ones inside it)
      else {
        await sql.raw(`rollback to savepoint ${name}`).execute(this.db);
        await sql.raw(`release savepoint ${name}`).execute(this.db);
      }
      undo();
      throw error;
    }
  }

  /**
   * What a savepoint opening now will have to put back if rolled back: the queued events and
   * audit rows, and the kept writes and new runs as they stand (those made before it stay kept,
   * so that a group of writes under savepoints still shares one insert). Returns the undo.
   */
  private mark(): () => void {
    const appended = this.events.length;
    const audited = this.audit.length;
    const pending = new Map(this.pending);
    const newRuns = new Map(this.newRuns);
    return () => {
      this.events.length = appended;
      this.audit.length = audited;
      this.forgetReads();
      this.pending.clear();
      for (const [k, write] of pending) {
        this.pending.set(k, write);
        // A kept write's copy is true and its row locked (see keep).
        this.records.set(k, write.record);
        this.locked.add(k);
      }
      this.newRuns.clear();
      for (const [k, run] of newRuns) this.newRuns.set(k, run);
    };
  }

  /** After a rollback to a savepoint: copies read since may hold what it undid. */
  private forgetReads() {
    this.records.clear();
    this.locked.clear();
    this.customFields.clear();
    this.workspaces.clear();
    this.triggerSets.clear();
    this.epochs.clear();
    this.subscriptions.clear();
    this.dataQualityEpochs.clear();
    this.workflowRows.clear();
    this.matchRules.clear();
    this.approvalLocks.clear();
  }

  // ---- the commit -----------------------------------------------------------------------------

  /** Called once the transaction's work has returned, before the commit: writes everything kept and queued. */
  async beforeCommit() {
    await this.flushNewRuns();
    await this.flushRecords();
    if (this.audit.length > 0) await log.appendAudit(this.db, this.d, this.audit.splice(0));
    if (this.events.length > 0) await log.appendEvents(this.db, this.d, this.events.splice(0));
  }
}

/** Inserts new runs, every one of which must be new: a run that exists already fails the transaction. */
export async function insertAllRuns(db: Kysely<Database>, d: SqlDialect, list: readonly RunRow[]) {
  const written = await runs.insertRuns(db, d, list);
  if (written.size < list.length)
    throw new Error(
      `${list.length - written.size} new run(s) exist already (same workflow and trigger key); the transaction is rolled back`,
    );
}
