/**
 * Hand-written SQL for the few statements every workflow step runs (read the run and its record,
 * log the step, move the run, complete the work item). Building and compiling a Kysely query
 * costs more CPU than SQLite takes to run one of these, so they skip the builder: the text is
 * written once with `?` placeholders (numbered for PostgreSQL once) and handed to the driver as
 * it is. Everything else stays on the query builder.
 */
import { CompiledQuery, type Kysely, type QueryResult } from "kysely";
import type { SqlDialect } from "./dialect.js";
import type { Database } from "./schema.js";

const numbered = new Map<string, string>();
/** Every PostgreSQL text this module has produced (the adapter prepares them: see prepared-statements.ts). */
const produced = new Set<string>();

function textFor(d: SqlDialect, text: string): string {
  if (d.name !== "postgres") return text;
  let out = numbered.get(text);
  if (out === undefined) {
    let n = 0;
    out = text.replace(/\?/g, () => `$${++n}`);
    numbered.set(text, out);
    produced.add(out);
  }
  return out;
}

/** Whether `text` is a hand-written statement of this module, as sent to PostgreSQL. */
export function isDirectText(text: string): boolean {
  return produced.has(text);
}

/** A JSON parameter's placeholder: PostgreSQL columns are jsonb, SQLite ones text. */
export const jsonParam = (d: SqlDialect) => (d.name === "postgres" ? "cast(? as jsonb)" : "?");

/**
 * Runs a statement on the connection a transaction holds, without the query builder's machinery
 * (SQLite: better-sqlite3 answers synchronously, and Kysely's per-query connection hand-over
 * cost more than the statement itself).
 */
export type DirectRunner = (text: string, parameters: readonly unknown[]) => QueryResult<unknown>;

/** Transactions whose connection may be used directly, with the runner for it. */
const RUNNERS = new WeakMap<Kysely<Database>, DirectRunner>();

/**
 * Lets `direct` statements of this transaction handle run on `runner`. Only for a transaction:
 * it holds the connection for its whole life, so nothing else can be using it meanwhile.
 */
export function runDirectlyOn(trx: Kysely<Database>, runner: DirectRunner): void {
  RUNNERS.set(trx, runner);
}

export function direct<R>(db: Kysely<Database>, d: SqlDialect, text: string, parameters: unknown[]): Promise<QueryResult<R>> {
  const runner = RUNNERS.get(db);
  if (runner) {
    try {
      return Promise.resolve(runner(text, parameters) as QueryResult<R>);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return db.executeQuery<R>(CompiledQuery.raw(textFor(d, text), parameters));
}

/** `(…), (…), …`: one row of placeholders per item, for multi-row statements. */
export function rows(count: number, row: string): string {
  return Array.from({ length: count }, () => row).join(", ");
}
