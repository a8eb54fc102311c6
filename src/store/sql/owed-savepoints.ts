/**
 * Savepoints that reach the database only when something is written under them (PostgreSQL,
 * where each is a round trip). A group of record writes takes one savepoint per write so that a
 * refused write is undone alone; with kept writes (sql-store.ts) a create or an update usually
 * writes nothing before the commit, so most of those savepoints would guard nothing.
 *
 * The check sits where every statement of the transaction passes, its connection: before any
 * statement other than a plain SELECT (and the savepoint statements themselves), the savepoints
 * still owed are issued, outermost first. A savepoint still owed when its scope ends had nothing
 * written under it: releasing it, or rolling back to it, is then nothing to do in the database.
 * Row locks taken by a SELECT … FOR UPDATE under such a savepoint stay until the transaction
 * ends, which is only longer than needed, never wrong.
 */
import { CompiledQuery, type DatabaseConnection, type Kysely, Transaction } from "kysely";
import type { Database } from "./schema.js";

/** Savepoints opened but not yet issued, outermost first (shared with the session that opens them). */
export type OwedSavepoints = string[];

/** Statements that may run under an owed savepoint: they write nothing. */
function writesNothing(query: CompiledQuery): boolean {
  if (query.query.kind === "SelectQueryNode") return true;
  if (query.query.kind !== "RawNode") return false;
  const text = query.sql.trimStart().slice(0, 20).toLowerCase();
  return text.startsWith("select ") || text.startsWith("savepoint ") || text.startsWith("release ") || text.startsWith("rollback ");
}

function owing(connection: DatabaseConnection, owed: OwedSavepoints): DatabaseConnection {
  return {
    async executeQuery(query) {
      if (owed.length > 0 && !writesNothing(query)) {
        for (const name of owed.splice(0)) await connection.executeQuery(CompiledQuery.raw(`savepoint ${name}`));
      }
      return connection.executeQuery(query);
    },
    streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
  };
}

/** The transaction handle, with every statement passing the owed-savepoint check first. */
export function withOwedSavepoints(trx: Kysely<Database>, owed: OwedSavepoints): Kysely<Database> {
  const base = trx.getExecutor();
  const executor = base.withConnectionProvider({
    provideConnection: (consume) => base.provideConnection((connection) => consume(owing(connection, owed))),
  });
  // Only the executor of a handle runs its queries; the rest of its props serve beginning and
  // ending transactions, which this handle (inside one) never does.
  return new Transaction<Database>({ config: { dialect: undefined as never }, driver: {} as never, dialect: {} as never, executor });
}
