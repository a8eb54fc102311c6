/**
 * One Store implementation over Kysely, shared by both adapters: they differ only in the
 * Kysely dialect they hand in and the SqlDialect for the few statements spelled differently.
 *
 * The store and each transaction are a set of ports (ports.ts), each implemented over one
 * SqlSession by its file in ports/; a transaction's session also has its unit of work
 * (unit-of-work.ts), which holds every rule about kept writes, memoised reads and savepoints.
 */
import type { Kysely, Migration } from "kysely";
import { Migrator } from "kysely";
import { migrationsFor } from "../migrations/index.js";
import type { Store, StoreTx } from "../ports.js";
import type { SqlDialect } from "./dialect.js";
import { type DirectRunner, runDirectlyOn } from "./direct.js";
import { type OwedSavepoints, withOwedSavepoints } from "./owed-savepoints.js";
import { SqlAiModels } from "./ports/ai-models.js";
import { SqlApprovals } from "./ports/approvals.js";
import { SqlAudit } from "./ports/audit.js";
import { SqlCalendars } from "./ports/calendars.js";
import { SqlConfigAudit } from "./ports/config-audit.js";
import { SqlConnectors } from "./ports/connectors.js";
import { SqlCredentials } from "./ports/credentials.js";
import { SqlCustomFields } from "./ports/custom-fields.js";
import { SqlDataQuality } from "./ports/data-quality.js";
import { SqlDuplicates } from "./ports/duplicates.js";
import { SqlEmailTracking } from "./ports/email-tracking.js";
import { SqlEvents } from "./ports/events.js";
import { SqlForms } from "./ports/forms.js";
import { SqlIdempotency } from "./ports/idempotency.js";
import { SqlInboundDeliveries } from "./ports/inbound-deliveries.js";
import { SqlInboundHooks } from "./ports/inbound-hooks.js";
import { SqlKpis } from "./ports/kpis.js";
import { SqlMerges } from "./ports/merges.js";
import { SqlNotifications } from "./ports/notifications.js";
import { SqlOperations } from "./ports/operations.js";
import { SqlOutbox } from "./ports/outbox.js";
import { SqlPredictions } from "./ports/predictions.js";
import { SqlQuotas } from "./ports/quotas.js";
import { SqlRates } from "./ports/rates.js";
import { SqlRecords } from "./ports/records.js";
import { SqlReviewQueue } from "./ports/review-queue.js";
import { SqlReviews } from "./ports/reviews.js";
import { SqlRotations } from "./ports/rotations.js";
import { SqlRouting } from "./ports/routing.js";
import { SqlRuns } from "./ports/runs.js";
import { SqlSandboxCopy } from "./ports/sandbox.js";
import { SqlSchedules } from "./ports/schedules.js";
import { SqlScores, SqlScoring } from "./ports/scoring.js";
import { SqlSessions } from "./ports/sessions.js";
import { SqlSla } from "./ports/sla.js";
import { SqlSubscriptions } from "./ports/subscriptions.js";
import { SqlSuppressions } from "./ports/suppressions.js";
import { SqlTokens } from "./ports/tokens.js";
import { SqlTriggers } from "./ports/triggers.js";
import { SqlWork } from "./ports/work.js";
import { SqlWorkflowTests } from "./ports/workflow-tests.js";
import { SqlWorkflows } from "./ports/workflows.js";
import { SqlWorkspaces } from "./ports/workspaces.js";
import type { Database } from "./schema.js";
import type { SqlSession } from "./session.js";
import { SharedReads, UnitOfWork } from "./unit-of-work.js";

/**
 * Every port over one session (the session is this object itself). The store and the
 * transaction below declare `implements Store` / `implements StoreTx`: a port listed in
 * `StorePorts` or `TxPorts` (ports.ts) and not wired here is a compile error.
 */
abstract class SqlPorts implements SqlSession {
  readonly records = new SqlRecords(this);
  readonly audit = new SqlAudit(this);
  readonly events = new SqlEvents(this);
  readonly workspaces = new SqlWorkspaces(this);
  readonly tokens = new SqlTokens(this);
  readonly credentials = new SqlCredentials(this);
  readonly sessions = new SqlSessions(this);
  readonly customFields = new SqlCustomFields(this);
  readonly workflows = new SqlWorkflows(this);
  readonly triggers = new SqlTriggers(this);
  readonly schedules = new SqlSchedules(this);
  readonly runs = new SqlRuns(this);
  readonly work = new SqlWork(this);
  readonly quotas = new SqlQuotas(this);
  readonly rates = new SqlRates(this);
  readonly rotations = new SqlRotations(this);
  readonly notifications = new SqlNotifications(this);
  readonly connectors = new SqlConnectors(this);
  readonly configAudit = new SqlConfigAudit(this);
  readonly suppressions = new SqlSuppressions(this);
  readonly outbox = new SqlOutbox(this);
  readonly hooks = new SqlInboundHooks(this);
  readonly forms = new SqlForms(this);
  readonly inboundDeliveries = new SqlInboundDeliveries(this);
  readonly subscriptions = new SqlSubscriptions(this);
  readonly routing = new SqlRouting(this);
  readonly calendars = new SqlCalendars(this);
  readonly sla = new SqlSla(this);
  readonly approvals = new SqlApprovals(this);
  readonly workflowTests = new SqlWorkflowTests(this);
  readonly reviewQueue = new SqlReviewQueue(this);
  readonly dataQuality = new SqlDataQuality(this);
  readonly duplicates = new SqlDuplicates(this);
  readonly aiModels = new SqlAiModels(this);
  readonly predictions = new SqlPredictions(this);
  readonly reviews = new SqlReviews(this);
  readonly merges = new SqlMerges(this);
  readonly emailTracking = new SqlEmailTracking(this);
  readonly scoring = new SqlScoring(this);
  readonly scores = new SqlScores(this);
  readonly kpis = new SqlKpis(this);

  constructor(
    readonly db: Kysely<Database>,
    readonly d: SqlDialect,
    readonly now: () => string,
    readonly uow: UnitOfWork | undefined,
  ) {}
}

/** One transaction: its ports over its connection and its unit of work. */
class SqlTx extends SqlPorts implements StoreTx {
  declare readonly uow: UnitOfWork;

  savepoint<T>(fn: () => Promise<T>): Promise<T> {
    return this.uow.savepoint(fn);
  }
  lockKey(key: string) {
    return this.d.lockKey(this.db, key);
  }
}

export class SqlStore extends SqlPorts implements Store {
  readonly dialect: SqlDialect["name"];
  readonly concurrentWriters: boolean;
  readonly idempotency = new SqlIdempotency(this);
  readonly sandboxCopy = new SqlSandboxCopy(this);
  readonly operations = new SqlOperations(this);
  /** What the store keeps across its transactions (see unit-of-work.ts, rule 7). */
  private readonly shared = new SharedReads();

  constructor(
    db: Kysely<Database>,
    d: SqlDialect,
    private readonly clock: () => string,
    private readonly onClose: () => Promise<void> = async () => {},
    /** Runs hand-written statements of a transaction on its connection directly (SQLite). */
    private readonly runner?: DirectRunner,
  ) {
    super(db, d, clock, undefined);
    this.dialect = d.name;
    this.concurrentWriters = d.rowLocks;
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      if (this.runner) runDirectlyOn(trx, this.runner);
      // PostgreSQL: a savepoint costs a round trip, and most of them guard no statement (see
      // owed-savepoints.ts). SQLite's cost a call into the same process: issued as they open.
      const owed: OwedSavepoints | undefined = this.d.name === "postgres" ? [] : undefined;
      const db = owed ? withOwedSavepoints(trx, owed) : trx;
      const uow = new UnitOfWork(db, this.d, this.shared, owed);
      const result = await fn(new SqlTx(db, this.d, this.clock, uow));
      await uow.beforeCommit();
      return result;
    });
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

  async close(): Promise<void> {
    await this.db.destroy();
    await this.onClose();
  }
}
