/**
 * One Store implementation over Kysely, shared by both adapters: they differ only in the
 * Kysely dialect they hand in and the SqlDialect for the few statements spelled differently.
 */
import { type Kysely, type Migration, Migrator, sql } from "kysely";
import type { CustomFieldDef } from "../../crm/custom-fields.js";
import type { ObjectName } from "../../crm/fields.js";
import type { ConnectorRow, NewConfigAuditEntry } from "../connector-ports.js";
import type { FormRow, InboundDeliveryRow, InboundHookRow, WebhookSubscriptionRow } from "../inbound-ports.js";
import { migrationsFor } from "../migrations/index.js";
import type { NewOutboxItem, OutboxQuery, Settlement } from "../outbox-ports.js";
import type {
  ApiToken,
  AuditEntry,
  ClaimResult,
  IdempotencyEntry,
  IdempotencyScope,
  NewDomainEvent,
  RecordQuery,
  ReferenceProbe,
  Store,
  StoredRecord,
  StoreTx,
  Workspace,
  WorkspaceSettings,
} from "../ports.js";
import type { WorkflowRate } from "../rate-ports.js";
import type { EmailSuppression } from "../suppression-ports.js";
import type {
  NewWorkItem,
  NotificationRow,
  RunQuery,
  RunRow,
  RunStepRow,
  ScheduledTrigger,
  TriggerRow,
  WorkflowLogRow,
  WorkflowRow,
  WorkflowVersionRow,
} from "../workflow-ports.js";
import { nextDueInMs } from "./claim-due.js";
import * as conn from "./connectors.js";
import * as deliveries from "./deliveries.js";
import type { SqlDialect } from "./dialect.js";
import { type DirectRunner, runDirectlyOn } from "./direct.js";
import * as forms from "./forms.js";
import * as idem from "./idempotency.js";
import * as hooks from "./inbound-hooks.js";
import * as log from "./log.js";
import * as outbox from "./outbox.js";
import { type OwedSavepoints, withOwedSavepoints } from "./owed-savepoints.js";
import * as rates from "./rates.js";
import * as rec from "./records.js";
import * as runs from "./runs.js";
import * as sched from "./schedules.js";
import type { Database } from "./schema.js";
import * as supp from "./suppressions.js";
import * as subs from "./webhook-subscriptions.js";
import * as wf from "./workflows.js";
import * as ws from "./workspace.js";

/**
 * Reads that one transaction repeats many times — a matcher tick looks up the trigger index for
 * each of its events, a group of workflow steps reads the workspace and its custom fields for
 * each step — and that change rarely. A transaction answers them once; its own writes to them
 * drop the copy. (Another transaction's concurrent change is seen as if it had committed just
 * after this one's first read: these tables are not locked by readers anyway.)
 */
class TxMemo {
  readonly customFields = new Map<string, Promise<CustomFieldDef[]>>();
  readonly workspaces = new Map<string, Promise<Workspace | undefined>>();
  readonly triggers = new Map<string, Promise<TriggerRow[]>>();
  /** Trigger epochs read (see Shared). */
  readonly epochs = new Map<string, Promise<number>>();
  /** Whether this transaction replaced trigger rows (its reads of them are then its own). */
  replacedTriggers = false;
  readonly subscriptions = new Map<string, Promise<WebhookSubscriptionRow[]>>();
  /**
   * Domain events appended in the transaction, inserted together just before it commits. The
   * event log is locked from its insert until the commit (positions in commit order), so the
   * later the insert, the shorter the time other writers wait: a group of workflow steps would
   * otherwise hold it from its first step's write to its commit.
   */
  readonly events: NewDomainEvent[] = [];
  /**
   * Audit entries appended in the transaction, inserted together before it commits: one
   * statement for a group of writes instead of one per write (nothing reads the audit trail
   * inside the transaction that writes it).
   */
  readonly audit: AuditEntry[] = [];
  /**
   * Records this transaction has read or written, by workspace and id (undefined: known not to
   * exist). A workflow step reads the same few records many times — its record, the owner a
   * task goes to, the references a write checks — and every write here keeps the copy true.
   * Reads that lock (getRecordsForUpdate) go to the database where rows are locked
   * (PostgreSQL) unless the row is locked by this transaction already (see `locked`), and
   * refresh the copies; SQLite's transaction holds the write lock already.
   */
  readonly records = new Map<string, StoredRecord | undefined>();
  /**
   * Keys of `records` whose row this transaction holds locked (PostgreSQL): it wrote them, or
   * read them for update. No other writer can move such a row until the commit.
   */
  readonly locked = new Set<string>();
  /**
   * Record writes that cannot fail any more, kept for one statement per kind before the next
   * read that would see them (see SqlSession.writePending): new records, and updates of rows this
   * transaction holds locked at the version it expects. Keyed like `records`, in write order.
   */
  readonly pending = new Map<string, { record: StoredRecord; insert: boolean; expectedVersion: number }>();
  /** Runs this transaction created with insertNewRuns, in their latest state, keyed like `records`. */
  readonly newRuns = new Map<string, RunRow>();
  /** Savepoints opened so far: each gets its own name. */
  savepoints = 0;
  /**
   * Savepoints opened but not yet issued to the database, when the transaction issues them only
   * before something is written under them (PostgreSQL: see owed-savepoints.ts); undefined:
   * each is issued as it opens.
   */
  readonly owed?: OwedSavepoints;

  constructor(owed?: OwedSavepoints) {
    this.owed = owed;
  }

  /**
   * What a savepoint opening now will have to put back if rolled back: the queued events and
   * audit rows, and the kept writes and new runs as they stand (those made before it stay kept,
   * so that a group of writes under savepoints still shares one insert). Returns the undo.
   */
  mark(): () => void {
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
        // A kept write's copy is true and its row locked (see SqlSession.keep).
        this.records.set(k, write.record);
        this.locked.add(k);
      }
      this.newRuns.clear();
      for (const [k, run] of newRuns) this.newRuns.set(k, run);
    };
  }

  /** After a rollback to a savepoint: copies read since may hold what it undid. */
  forgetReads() {
    this.records.clear();
    this.locked.clear();
    this.customFields.clear();
    this.workspaces.clear();
    this.triggers.clear();
    this.epochs.clear();
    this.subscriptions.clear();
  }
}

const recordKey = (workspaceId: string, id: string) => `${workspaceId}\u0000${id}`;

function memoized<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let hit = cache.get(key);
  if (!hit) {
    hit = load();
    cache.set(key, hit);
  }
  return hit;
}

/**
 * What one store keeps across its transactions: the trigger index's rows per (workspace,
 * object, kinds), with the workspace's trigger epoch they were read at. Every change of the rows
 * moves the epoch in its own transaction (009), so a copy read at the current epoch is the
 * current rows — in this process or any other sharing the database.
 */
class Shared {
  readonly triggers = new Map<string, { epoch: number; rows: TriggerRow[] }>();
}

const MAX_SHARED_TRIGGER_SETS = 10_000;

/** Reads and writes over one Kysely handle: the pool, or a transaction's connection. */
class SqlSession implements StoreTx {
  constructor(
    protected readonly db: Kysely<Database>,
    protected readonly d: SqlDialect,
    protected readonly now: () => string,
    /** Only inside a transaction. */
    private readonly memo?: TxMemo,
    protected readonly shared: Shared = new Shared(),
  ) {}

  async getRecord(workspaceId: string, id: string) {
    const memo = this.memo?.records;
    const k = recordKey(workspaceId, id);
    if (memo?.has(k)) return memo.get(k);
    const found = await rec.getRecord(this.db, this.d, workspaceId, id);
    memo?.set(k, found);
    return found;
  }
  async getRecords(workspaceId: string, ids: readonly string[]) {
    const memo = this.memo?.records;
    if (!memo) return rec.getRecords(this.db, this.d, workspaceId, ids);
    const missing = [...new Set(ids)].filter((id) => !memo.has(recordKey(workspaceId, id)));
    if (missing.length > 0) this.remember(workspaceId, missing, await rec.getRecords(this.db, this.d, workspaceId, missing));
    return [...new Set(ids)]
      .sort()
      .map((id) => memo.get(recordKey(workspaceId, id)))
      .filter((r): r is StoredRecord => r !== undefined);
  }
  /** Notes what a read of `ids` found, and that the others do not exist. */
  private remember(workspaceId: string, ids: readonly string[], found: readonly StoredRecord[]) {
    const memo = this.memo?.records;
    if (!memo) return;
    for (const id of ids) memo.set(recordKey(workspaceId, id), undefined);
    for (const r of found) memo.set(recordKey(workspaceId, r.id), r);
  }
  async queryRecords(query: RecordQuery) {
    await this.writePending();
    return rec.queryRecords(this.db, this.d, query);
  }
  async countRecords(workspaceId: string, object: ObjectName) {
    await this.writePending();
    return rec.countRecords(this.db, workspaceId, object);
  }
  async findReferrer(workspaceId: string, id: string, probes: readonly ReferenceProbe[]) {
    await this.writePending();
    return rec.findReferrer(this.db, this.d, workspaceId, id, probes);
  }
  readAudit(workspaceId: string, recordId: string, limit: number) {
    return log.readAudit(this.db, this.d, workspaceId, recordId, limit);
  }
  auditOfRequest(workspaceId: string, requestId: string, limit: number) {
    return log.readAudit(this.db, this.d, workspaceId, requestId, limit, true);
  }
  readEvents(afterPosition: number, limit: number, workspaceId?: string) {
    return log.readEvents(this.db, this.d, afterPosition, limit, workspaceId);
  }
  getEvent(workspaceId: string, id: string) {
    return log.getEvent(this.db, this.d, workspaceId, id);
  }
  async listCustomFields(workspaceId: string) {
    const load = () => ws.listCustomFields(this.db, this.d, workspaceId);
    return this.memo ? [...(await memoized(this.memo.customFields, workspaceId, load))] : load();
  }
  getWorkspace(id: string) {
    const load = () => ws.getWorkspace(this.db, id);
    return this.memo ? memoized(this.memo.workspaces, id, load) : load();
  }
  getWorkspaceBySlug(slug: string) {
    return ws.getWorkspaceBySlug(this.db, slug);
  }
  findTokenBySecretHash(secretHash: string) {
    return ws.findTokenBySecretHash(this.db, secretHash);
  }
  listTokens(workspaceId: string) {
    return ws.listTokens(this.db, workspaceId);
  }
  async getRecordsForUpdate(workspaceId: string, ids: readonly string[]) {
    // Without row locks (SQLite) the transaction already holds the database's write lock: no
    // other writer can have moved a row it has read, so its copies serve.
    if (!this.d.rowLocks) return this.getRecords(workspaceId, ids);
    return this.readLocking(workspaceId, ids, (k) => this.memo?.locked.has(k) === true);
  }
  async getRecordsToWrite(workspaceId: string, ids: readonly string[]) {
    if (!this.d.rowLocks) return this.getRecords(workspaceId, ids);
    // A copy read without a lock may be stale: the caller's version guard catches that.
    return this.readLocking(workspaceId, ids, (k) => this.memo?.records.get(k) !== undefined);
  }
  /** Copies that `served` accepts, the other rows read from the database with a lock. */
  private async readLocking(workspaceId: string, ids: readonly string[], served: (key: string) => boolean) {
    const memo = this.memo;
    if (!memo) return rec.getRecords(this.db, this.d, workspaceId, ids, true);
    const unique = [...new Set(ids)];
    const missing = unique.filter((id) => !served(recordKey(workspaceId, id)));
    if (missing.length > 0) {
      const found = await rec.getRecords(this.db, this.d, workspaceId, missing, true);
      this.remember(workspaceId, missing, found);
      // Only rows that exist are locked (a row inserted later by another writer is not).
      for (const r of found) memo.locked.add(recordKey(workspaceId, r.id));
    }
    return unique
      .sort()
      .map((id) => memo.records.get(recordKey(workspaceId, id)))
      .filter((r): r is StoredRecord => r !== undefined);
  }
  async insertRecords(records: readonly StoredRecord[]) {
    const memo = this.memo;
    if (!memo) return rec.insertRecords(this.db, this.d, records);
    for (const r of records) {
      const k = recordKey(r.workspaceId, r.id);
      memo.pending.set(k, { record: r, insert: true, expectedVersion: 0 });
      this.keep(k, r);
    }
  }
  async updateRecord(record: StoredRecord, expectedVersion: number) {
    const memo = this.memo;
    const k = recordKey(record.workspaceId, record.id);
    if (memo?.locked.has(k)) {
      // The row is locked by this transaction and its copy is the truth: the guard is decided here.
      if (memo.records.get(k)?.version !== expectedVersion) return false;
      const earlier = memo.pending.get(k);
      memo.pending.set(k, { record, insert: earlier?.insert ?? false, expectedVersion: earlier?.expectedVersion ?? expectedVersion });
      this.keep(k, record);
      return true;
    }
    const updated = await rec.updateRecord(this.db, this.d, record, expectedVersion);
    // A lost race means the copy is stale: read it again next time.
    if (updated) this.keep(k, record);
    else memo?.records.delete(k);
    return updated;
  }
  /** A row this transaction has just written: its copy is true, and the row is locked until the commit. */
  private keep(key: string, record: StoredRecord | undefined) {
    this.memo?.records.set(key, record);
    this.memo?.locked.add(key);
  }
  /**
   * Writes the kept record writes: new records in one insert, updates in one statement
   * (PostgreSQL). Called before anything that reads records other than by id (reads by id are
   * answered from the copies), before a delete, and before the commit, so that no statement
   * ever sees the table without them. A write that fails here fails the transaction (a group of
   * writes is then written again one by one: see group-commit.ts).
   */
  private async writePending() {
    const pending = this.memo?.pending;
    if (!pending || pending.size === 0) return;
    const writes = [...pending.values()];
    pending.clear();
    const inserts = writes.filter((w) => w.insert).map((w) => w.record);
    const updates = writes.filter((w) => !w.insert);
    if (inserts.length > 0) await rec.insertRecords(this.db, this.d, inserts);
    // Locked rows at the versions their copies say: a miss is a broken invariant, and fails the transaction.
    if (updates.length > 0 && (await rec.updateRecords(this.db, this.d, updates)) !== updates.length)
      throw new Error("a kept record update found its row moved; the transaction is rolled back");
  }
  async deleteRecord(workspaceId: string, id: string, expectedVersion: number) {
    await this.writePending();
    const deleted = await rec.deleteRecord(this.db, workspaceId, id, expectedVersion);
    const k = recordKey(workspaceId, id);
    if (deleted) this.keep(k, undefined);
    else this.memo?.records.delete(k);
    return deleted;
  }
  async appendAudit(entries: readonly AuditEntry[]) {
    if (this.memo) this.memo.audit.push(...entries);
    else await log.appendAudit(this.db, this.d, entries);
  }
  async appendEvents(events: readonly NewDomainEvent[]) {
    if (this.memo) this.memo.events.push(...events);
    else await log.appendEvents(this.db, this.d, events);
  }
  lockKey(key: string) {
    return this.d.lockKey(this.db, key);
  }
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const memo = this.memo;
    if (!memo) throw new Error("a savepoint needs a transaction");
    const name = `sp${++memo.savepoints}`;
    const undo = memo.mark();
    const owed = memo.owed;
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
  /** Called once `fn` of a transaction has returned, before the commit. */
  async beforeCommit() {
    await this.writeNewRuns();
    await this.writePending();
    if (this.memo && this.memo.audit.length > 0) await log.appendAudit(this.db, this.d, this.memo.audit.splice(0));
    if (this.memo && this.memo.events.length > 0) await log.appendEvents(this.db, this.d, this.memo.events.splice(0));
  }
  insertCustomField(workspaceId: string, field: CustomFieldDef) {
    this.memo?.customFields.delete(workspaceId);
    return ws.insertCustomField(this.db, this.d, workspaceId, field, this.now());
  }
  insertWorkspace(workspace: Workspace) {
    this.memo?.workspaces.delete(workspace.id);
    return ws.insertWorkspace(this.db, workspace);
  }
  updateWorkspaceSettings(id: string, settings: WorkspaceSettings) {
    this.memo?.workspaces.delete(id);
    return ws.updateWorkspaceSettings(this.db, id, settings);
  }
  insertToken(token: ApiToken) {
    return ws.insertToken(this.db, token);
  }
  revokeToken(workspaceId: string, id: string, at: string) {
    return ws.revokeToken(this.db, workspaceId, id, at);
  }

  // Workflows
  getWorkflow(workspaceId: string, id: string) {
    return wf.getWorkflow(this.db, workspaceId, id);
  }
  getWorkflowByKey(workspaceId: string, key: string) {
    return wf.getWorkflowByKey(this.db, workspaceId, key);
  }
  listWorkflows(workspaceId: string) {
    return wf.listWorkflows(this.db, workspaceId);
  }
  getVersion(workspaceId: string, workflowId: string, version: number) {
    return wf.getVersion(this.db, this.d, workspaceId, workflowId, version);
  }
  listVersions(workspaceId: string, workflowId: string) {
    return wf.listVersions(this.db, this.d, workspaceId, workflowId);
  }
  async findTriggers(workspaceId: string, object: ObjectName, kinds: readonly string[]) {
    const memo = this.memo;
    if (!memo) return wf.findTriggers(this.db, workspaceId, object, kinds);
    const key = `${workspaceId}\u0000${object}\u0000${kinds.join(",")}`;
    const load = async () => {
      const epoch = await memoized(memo.epochs, workspaceId, () => wf.triggerEpoch(this.db, this.d, workspaceId));
      const kept = this.shared.triggers.get(key);
      if (kept?.epoch === epoch) return kept.rows;
      const rows = await wf.findTriggers(this.db, workspaceId, object, kinds);
      // Rows this transaction replaced itself are not committed yet: never shared.
      if (!memo.replacedTriggers) {
        if (this.shared.triggers.size >= MAX_SHARED_TRIGGER_SETS) this.shared.triggers.clear();
        this.shared.triggers.set(key, { epoch, rows });
      }
      return rows;
    };
    return [...(await memoized(memo.triggers, key, load))];
  }
  readWorkflowLog(workspaceId: string, workflowId: string, limit: number) {
    return wf.readWorkflowLog(this.db, this.d, workspaceId, workflowId, limit);
  }
  loopStopsOfRecord(workspaceId: string, recordId: string, limit: number) {
    return wf.loopStopsOfRecord(this.db, this.d, workspaceId, recordId, limit);
  }
  listNotifications(workspaceId: string, userId: string | null, limit: number) {
    return wf.listNotifications(this.db, workspaceId, userId, limit);
  }
  lastEventPosition() {
    return wf.lastEventPosition(this.db);
  }
  insertWorkflow(w: WorkflowRow) {
    return wf.insertWorkflow(this.db, w);
  }
  updateWorkflow(w: WorkflowRow) {
    return wf.updateWorkflow(this.db, w);
  }
  upsertVersion(v: WorkflowVersionRow) {
    return wf.upsertVersion(this.db, this.d, v);
  }
  async replaceTriggers(workspaceId: string, workflowId: string, rows: readonly TriggerRow[]) {
    if (this.memo) {
      this.memo.triggers.clear();
      this.memo.epochs.delete(workspaceId);
      this.memo.replacedTriggers = true;
    }
    await wf.replaceTriggers(this.db, workspaceId, workflowId, rows);
    await wf.bumpTriggerEpoch(this.db, this.d, workspaceId);
  }
  appendWorkflowLog(rows: readonly WorkflowLogRow[]) {
    return wf.appendWorkflowLog(this.db, this.d, rows);
  }
  // The rate cap's slots
  lockWorkflowRates(workspaceId: string, workflowIds: readonly string[]) {
    return rates.lockWorkflowRates(this.db, this.d, workspaceId, workflowIds);
  }
  saveWorkflowRates(rows: readonly WorkflowRate[]) {
    return rates.saveWorkflowRates(this.db, this.d, rows);
  }
  async deferredRuns(workspaceId: string, workflowId: string) {
    await this.writeNewRuns();
    return rates.deferredRuns(this.db, this.d, workspaceId, workflowId);
  }
  getRotation(workspaceId: string, key: string) {
    return wf.getRotation(this.db, workspaceId, key);
  }
  setRotation(workspaceId: string, key: string, lastUserId: string) {
    return wf.setRotation(this.db, workspaceId, key, lastUserId);
  }
  insertNotification(n: NotificationRow) {
    return wf.insertNotification(this.db, n);
  }
  scheduleTrigger(t: Omit<ScheduledTrigger, "id" | "attempts">) {
    return sched.scheduleTrigger(this.db, t, this.now());
  }
  unscheduleTrigger(workspaceId: string, workflowId: string, recordId: string | null) {
    return sched.unscheduleTrigger(this.db, workspaceId, workflowId, recordId);
  }
  cancelScheduledTriggers(workspaceId: string, workflowId: string) {
    return sched.cancelScheduledTriggers(this.db, workspaceId, workflowId);
  }
  completeScheduledTrigger(id: number, owner: string, attempt: number) {
    return sched.completeScheduledTrigger(this.db, id, owner, attempt);
  }
  lockCursor(consumer: string) {
    return wf.lockCursor(this.db, this.d, consumer);
  }
  setCursor(consumer: string, position: number) {
    return wf.setCursor(this.db, consumer, position);
  }

  // Connectors and the configuration audit
  getConnectorByKey(workspaceId: string, key: string) {
    return conn.getConnectorByKey(this.db, this.d, workspaceId, key);
  }
  getConnectorForUpdate(workspaceId: string, key: string) {
    return conn.getConnectorByKey(this.db, this.d, workspaceId, key, true);
  }
  listConnectors(workspaceId?: string) {
    return conn.listConnectors(this.db, this.d, workspaceId);
  }
  readConfigAudit(workspaceId: string, limit: number, beforeSeq?: number) {
    return conn.readConfigAudit(this.db, this.d, workspaceId, limit, beforeSeq);
  }
  insertConnector(row: ConnectorRow) {
    return conn.insertConnector(this.db, this.d, row);
  }
  updateConnector(row: ConnectorRow) {
    return conn.updateConnector(this.db, this.d, row);
  }
  deleteConnector(workspaceId: string, id: string) {
    return conn.deleteConnector(this.db, workspaceId, id);
  }
  appendConfigAudit(entries: readonly NewConfigAuditEntry[]) {
    return conn.appendConfigAudit(this.db, this.d, entries);
  }
  // Email suppressions
  getSuppression(workspaceId: string, email: string) {
    return supp.getSuppression(this.db, workspaceId, email);
  }
  listSuppressions(workspaceId: string, limit: number, after?: string) {
    return supp.listSuppressions(this.db, workspaceId, limit, after);
  }
  addSuppression(s: EmailSuppression) {
    return supp.addSuppression(this.db, s);
  }
  removeSuppression(workspaceId: string, email: string) {
    return supp.removeSuppression(this.db, workspaceId, email);
  }

  // Runs and work
  async getRun(workspaceId: string, id: string) {
    await this.writeNewRuns();
    return runs.getRun(this.db, this.d, workspaceId, id);
  }
  async getRuns(workspaceId: string, ids: readonly string[]) {
    await this.writeNewRuns();
    return runs.getRuns(this.db, this.d, workspaceId, ids);
  }
  async queryRuns(q: RunQuery) {
    await this.writeNewRuns();
    return runs.queryRuns(this.db, this.d, q);
  }
  async activeRunsOf(workspaceId: string, recordIds: readonly string[]) {
    await this.writeNewRuns();
    return runs.activeRunsOf(this.db, this.d, workspaceId, recordIds);
  }
  async latestRunOf(workspaceId: string, workflowId: string, recordId: string) {
    await this.writeNewRuns();
    return runs.latestRunOf(this.db, this.d, workspaceId, workflowId, recordId);
  }
  async versionsUnderWay(workspaceId: string) {
    await this.writeNewRuns();
    return runs.versionsUnderWay(this.db, workspaceId);
  }
  async runsOfRecords(workspaceId: string, recordIds: readonly string[]) {
    await this.writeNewRuns();
    return runs.runsOfRecords(this.db, this.d, workspaceId, recordIds);
  }

  listRunSteps(workspaceId: string, runId: string) {
    return runs.listRunSteps(this.db, this.d, workspaceId, runId);
  }
  async stepsOfRecord(workspaceId: string, recordId: string, limit: number) {
    await this.writeNewRuns();
    return runs.stepsOfRecord(this.db, this.d, workspaceId, recordId, limit);
  }
  pendingWorkCount() {
    return runs.pendingWorkCount(this.db);
  }
  async insertRun(run: RunRow) {
    await this.writeNewRuns();
    return runs.insertRun(this.db, this.d, run);
  }
  takeQuota(workspaceId: string, workflowId: string, quota: string, windowStart: string, limit: number) {
    return runs.takeQuota(this.db, this.d, workspaceId, workflowId, quota, windowStart, limit);
  }
  async insertRuns(list: readonly RunRow[]) {
    await this.writeNewRuns();
    return runs.insertRuns(this.db, this.d, list);
  }
  async insertNewRuns(list: readonly RunRow[]) {
    const memo = this.memo;
    if (!memo) {
      await this.insertAllRuns(list);
      return;
    }
    for (const run of list) memo.newRuns.set(recordKey(run.workspaceId, run.id), run);
  }
  /**
   * Writes the kept new runs in their latest state. Called before anything reads the runs table
   * and before the commit, so that no statement ever sees the table without them.
   */
  private async writeNewRuns() {
    const kept = this.memo?.newRuns;
    if (!kept || kept.size === 0) return;
    const list = [...kept.values()];
    kept.clear();
    await this.insertAllRuns(list);
  }
  private async insertAllRuns(list: readonly RunRow[]) {
    const written = await runs.insertRuns(this.db, this.d, list);
    if (written.size < list.length)
      throw new Error(
        `${list.length - written.size} new run(s) exist already (same workflow and trigger key); the transaction is rolled back`,
      );
  }
  async updateRun(run: RunRow, expectedSeq: number) {
    const kept = this.memo?.newRuns;
    const k = recordKey(run.workspaceId, run.id);
    const earlier = kept?.get(k);
    if (!kept || !earlier) return runs.updateRun(this.db, this.d, run, expectedSeq);
    if (earlier.seq !== expectedSeq) return false;
    kept.set(k, run);
    return true;
  }
  async updateRuns(updates: ReadonlyArray<{ run: RunRow; expectedSeq: number }>) {
    const kept = this.memo?.newRuns;
    if (!kept || kept.size === 0) return runs.updateRuns(this.db, this.d, updates);
    // A kept run is updated in memory (only this transaction knows it); the others in the table.
    let written = 0;
    const rest: Array<{ run: RunRow; expectedSeq: number }> = [];
    for (const u of updates) {
      const k = recordKey(u.run.workspaceId, u.run.id);
      const earlier = kept.get(k);
      if (!earlier) rest.push(u);
      else if (earlier.seq === u.expectedSeq) {
        kept.set(k, u.run);
        written++;
      }
    }
    return written + (rest.length > 0 ? await runs.updateRuns(this.db, this.d, rest) : 0);
  }
  insertRunStep(step: RunStepRow) {
    return runs.insertRunSteps(this.db, this.d, [step]);
  }
  insertRunSteps(steps: readonly RunStepRow[]) {
    return runs.insertRunSteps(this.db, this.d, steps);
  }
  insertWorkItems(items: readonly NewWorkItem[]) {
    return runs.insertWorkItems(this.db, this.d, items, this.now());
  }
  dueNow(workspaceId: string, runId: string, now: string) {
    return runs.dueNow(this.db, workspaceId, runId, now);
  }
  cancelTimer(workspaceId: string, timerId: string) {
    return runs.cancelTimer(this.db, workspaceId, timerId);
  }
  completeWorkItem(id: number, owner: string, attempt: number) {
    return runs.completeWorkItem(this.db, this.d, id, owner, attempt);
  }

  // Outbox
  getOutboxItem(workspaceId: string, id: string) {
    return outbox.getOutboxItem(this.db, this.d, workspaceId, id);
  }
  listOutbox(q: OutboxQuery) {
    return outbox.listOutbox(this.db, this.d, q);
  }
  listOutboxAttempts(workspaceId: string, outboxIds: readonly string[]) {
    return outbox.listOutboxAttempts(this.db, workspaceId, outboxIds);
  }
  insertOutboxItems(items: readonly NewOutboxItem[]) {
    return outbox.insertOutboxItems(this.db, this.d, items, this.now());
  }
  settleOutbox(workspaceId: string, id: string, owner: string, attempt: number, s: Settlement, now: string) {
    return outbox.settleOutbox(this.db, this.d, workspaceId, id, owner, attempt, s, now);
  }
  replayDeadLetter(workspaceId: string, id: string, by: string, now: string) {
    return outbox.replayDeadLetter(this.db, this.d, workspaceId, id, by, now);
  }
  // Inbound hooks, forms, deliveries, webhook subscriptions
  getInboundHookByKey(key: string) {
    return hooks.getInboundHookByKey(this.db, this.d, key);
  }
  listInboundHooks(workspaceId: string) {
    return hooks.listInboundHooks(this.db, this.d, workspaceId);
  }
  insertInboundHook(hook: InboundHookRow) {
    return hooks.insertInboundHook(this.db, this.d, hook);
  }
  updateInboundHook(hook: InboundHookRow) {
    return hooks.updateInboundHook(this.db, this.d, hook);
  }
  deleteInboundHook(workspaceId: string, id: string) {
    return hooks.deleteInboundHook(this.db, workspaceId, id);
  }
  getFormByKey(key: string) {
    return forms.getFormByKey(this.db, this.d, key);
  }
  listForms(workspaceId: string) {
    return forms.listForms(this.db, this.d, workspaceId);
  }
  insertForm(form: FormRow) {
    return forms.insertForm(this.db, this.d, form);
  }
  updateForm(form: FormRow) {
    return forms.updateForm(this.db, this.d, form);
  }
  deleteForm(workspaceId: string, id: string) {
    return forms.deleteForm(this.db, workspaceId, id);
  }
  getInboundDelivery(sourceId: string, deliveryId: string) {
    return deliveries.getInboundDelivery(this.db, sourceId, deliveryId);
  }
  insertInboundDelivery(delivery: InboundDeliveryRow) {
    return deliveries.insertInboundDelivery(this.db, delivery);
  }
  pruneInboundDeliveries(before: string, limit: number) {
    return deliveries.pruneInboundDeliveries(this.db, before, limit);
  }
  getWebhookSubscription(workspaceId: string, id: string) {
    return subs.getWebhookSubscription(this.db, this.d, workspaceId, id);
  }
  async listWebhookSubscriptions(workspaceId: string) {
    // The matcher asks once per event; a tick answers once per workspace.
    const load = () => subs.listWebhookSubscriptions(this.db, this.d, workspaceId);
    return this.memo ? [...(await memoized(this.memo.subscriptions, workspaceId, load))] : load();
  }
  insertWebhookSubscription(sub: WebhookSubscriptionRow) {
    this.memo?.subscriptions.delete(sub.workspaceId);
    return subs.insertWebhookSubscription(this.db, this.d, sub);
  }
  updateWebhookSubscription(sub: WebhookSubscriptionRow) {
    this.memo?.subscriptions.delete(sub.workspaceId);
    return subs.updateWebhookSubscription(this.db, this.d, sub);
  }
  deleteWebhookSubscription(workspaceId: string, id: string) {
    this.memo?.subscriptions.delete(workspaceId);
    return subs.deleteWebhookSubscription(this.db, workspaceId, id);
  }
  completeWorkItems(owner: string, items: ReadonlyArray<{ id: number; attempt: number }>) {
    return runs.completeWorkItems(this.db, this.d, owner, items);
  }
}

export class SqlStore extends SqlSession implements Store {
  readonly dialect: SqlDialect["name"];
  readonly concurrentWriters: boolean;

  constructor(
    db: Kysely<Database>,
    d: SqlDialect,
    private readonly clock: () => string,
    private readonly onClose: () => Promise<void> = async () => {},
    /** Runs hand-written statements of a transaction on its connection directly (SQLite). */
    private readonly runner?: DirectRunner,
  ) {
    super(db, d, clock);
    this.dialect = d.name;
    this.concurrentWriters = d.rowLocks;
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      if (this.runner) runDirectlyOn(trx, this.runner);
      // PostgreSQL: a savepoint costs a round trip, and most of them guard no statement (see
      // owed-savepoints.ts). SQLite's cost a call into the same process: issued as they open.
      const owed: OwedSavepoints | undefined = this.d.name === "postgres" ? [] : undefined;
      const memo = new TxMemo(owed);
      const session = new SqlSession(owed ? withOwedSavepoints(trx, owed) : trx, this.d, this.clock, memo, this.shared);
      const result = await fn(session);
      await session.beforeCommit();
      return result;
    });
  }

  claimIdempotencyKey(entry: IdempotencyEntry, staleBefore: string): Promise<ClaimResult> {
    return idem.claimIdempotencyKey(this.db, entry, staleBefore);
  }
  completeIdempotencyKey(scope: IdempotencyScope, status: number, response: string) {
    return idem.completeIdempotencyKey(this.db, scope, status, response);
  }
  releaseIdempotencyKey(scope: IdempotencyScope) {
    return idem.releaseIdempotencyKey(this.db, scope);
  }

  claimScheduledTriggers(owner: string, limit: number, leaseMs: number) {
    return sched.claimScheduledTriggers(this.db, this.d, owner, limit, leaseMs);
  }
  nextDueInMs() {
    return nextDueInMs(this.db, this.d);
  }
  claimWork(owner: string, limit: number, leaseMs: number) {
    return runs.claimWork(this.db, this.d, owner, limit, leaseMs);
  }
  extendLeases(owner: string, ids: readonly number[], leaseMs: number) {
    return runs.extendLeases(this.db, this.d, owner, ids, leaseMs);
  }
  releaseWork(id: number, owner: string, delayMs: number, error: string) {
    return runs.releaseWork(this.db, this.d, id, owner, delayMs, error);
  }
  claimOutbox(owner: string, limit: number, leaseMs: number) {
    return outbox.claimOutbox(this.db, this.d, owner, limit, leaseMs);
  }
  extendOutboxLeases(owner: string, items: ReadonlyArray<{ workspaceId: string; id: string }>, leaseMs: number) {
    return outbox.extendOutboxLeases(this.db, this.d, owner, items, leaseMs);
  }
  explainOutboxClaim() {
    return outbox.explainOutboxClaim(this.db, this.d);
  }

  async migrate(): Promise<void> {
    const migrations = migrationsFor(this.d.name);
    const migrator = new Migrator({
      db: this.db,
      provider: { getMigrations: async (): Promise<Record<string, Migration>> => migrations },
    });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === "Error");
    if (error || failed) {
      // No migration ran and failed: the database could not be reached or locked. Its own error
      // (with its code) says that better than "migration failed".
      if (!failed && error instanceof Error) throw error;
      const reason = error instanceof Error ? error.message : String(error ?? "unknown error");
      throw new Error(`migration ${failed?.migrationName ?? ""} failed: ${reason}`, { cause: error });
    }
  }

  serverWarnings(): Promise<string[]> {
    return this.d.serverWarnings(this.db);
  }

  async rawInsert(payload: string): Promise<void> {
    await sql`insert into bench_raw (payload) values (${payload})`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
    await this.onClose();
  }
}
