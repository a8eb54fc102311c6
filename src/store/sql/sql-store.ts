/**
 * One Store implementation over Kysely, shared by both adapters: they differ only in the
 * Kysely dialect they hand in and the SqlDialect for the few statements spelled differently.
 */
import { type Kysely, type Migration, Migrator, sql } from "kysely";
import type { CustomFieldDef } from "../../crm/custom-fields.js";
import type { ObjectName } from "../../crm/fields.js";
import { migrationsFor } from "../migrations/index.js";
import type {
  ApiToken,
  AuditEntry,
  ClaimResult,
  IdempotencyEntry,
  NewDomainEvent,
  RecordQuery,
  ReferenceProbe,
  Store,
  StoredRecord,
  StoreTx,
  Workspace,
} from "../ports.js";
import type { SqlDialect } from "./dialect.js";
import * as idem from "./idempotency.js";
import * as log from "./log.js";
import * as rec from "./records.js";
import type { Database } from "./schema.js";
import * as ws from "./workspace.js";

/** Reads and writes over one Kysely handle: the pool, or a transaction's connection. */
class SqlSession implements StoreTx {
  constructor(
    protected readonly db: Kysely<Database>,
    protected readonly d: SqlDialect,
    private readonly now: () => string,
  ) {}

  getRecord(workspaceId: string, id: string) {
    return rec.getRecord(this.db, this.d, workspaceId, id);
  }
  getRecords(workspaceId: string, ids: readonly string[]) {
    return rec.getRecords(this.db, this.d, workspaceId, ids);
  }
  queryRecords(query: RecordQuery) {
    return rec.queryRecords(this.db, this.d, query);
  }
  countRecords(workspaceId: string, object: ObjectName) {
    return rec.countRecords(this.db, workspaceId, object);
  }
  findReferrer(workspaceId: string, id: string, probes: readonly ReferenceProbe[]) {
    return rec.findReferrer(this.db, this.d, workspaceId, id, probes);
  }
  readAudit(workspaceId: string, recordId: string, limit: number) {
    return log.readAudit(this.db, this.d, workspaceId, recordId, limit);
  }
  readEvents(afterPosition: number, limit: number, workspaceId?: string) {
    return log.readEvents(this.db, this.d, afterPosition, limit, workspaceId);
  }
  listCustomFields(workspaceId: string) {
    return ws.listCustomFields(this.db, this.d, workspaceId);
  }
  getWorkspace(id: string) {
    return ws.getWorkspace(this.db, id);
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
  getRecordsForUpdate(workspaceId: string, ids: readonly string[]) {
    return rec.getRecords(this.db, this.d, workspaceId, ids, true);
  }
  insertRecords(records: readonly StoredRecord[]) {
    return rec.insertRecords(this.db, this.d, records);
  }
  updateRecord(record: StoredRecord, expectedVersion: number) {
    return rec.updateRecord(this.db, this.d, record, expectedVersion);
  }
  deleteRecord(workspaceId: string, id: string, expectedVersion: number) {
    return rec.deleteRecord(this.db, workspaceId, id, expectedVersion);
  }
  appendAudit(entries: readonly AuditEntry[]) {
    return log.appendAudit(this.db, this.d, entries);
  }
  appendEvents(events: readonly NewDomainEvent[]) {
    return log.appendEvents(this.db, this.d, events);
  }
  insertCustomField(workspaceId: string, field: CustomFieldDef) {
    return ws.insertCustomField(this.db, this.d, workspaceId, field, this.now());
  }
  insertWorkspace(workspace: Workspace) {
    return ws.insertWorkspace(this.db, workspace);
  }
  insertToken(token: ApiToken) {
    return ws.insertToken(this.db, token);
  }
  revokeToken(workspaceId: string, id: string, at: string) {
    return ws.revokeToken(this.db, workspaceId, id, at);
  }
}

export class SqlStore extends SqlSession implements Store {
  readonly dialect: SqlDialect["name"];

  constructor(
    db: Kysely<Database>,
    d: SqlDialect,
    private readonly clock: () => string,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {
    super(db, d, clock);
    this.dialect = d.name;
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new SqlSession(trx, this.d, this.clock)));
  }

  claimIdempotencyKey(entry: IdempotencyEntry, staleBefore: string): Promise<ClaimResult> {
    return idem.claimIdempotencyKey(this.db, entry, staleBefore);
  }
  completeIdempotencyKey(workspaceId: string, key: string, status: number, response: string) {
    return idem.completeIdempotencyKey(this.db, workspaceId, key, status, response);
  }
  releaseIdempotencyKey(workspaceId: string, key: string) {
    return idem.releaseIdempotencyKey(this.db, workspaceId, key);
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
      const reason = error instanceof Error ? error.message : String(error ?? "unknown error");
      throw new Error(`migration ${failed?.migrationName ?? ""} failed: ${reason}`);
    }
  }

  async rawInsert(payload: string): Promise<void> {
    await sql`insert into bench_raw (payload) values (${payload})`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
    await this.onClose();
  }
}
