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

function textFor(d: SqlDialect, text: string): string {
  if (d.name !== "postgres") return text;
  let out = numbered.get(text);
  if (out === undefined) {
    let n = 0;
    out = text.replace(/\?/g, () => `$${++n}`);
    numbered.set(text, out);
  }
  return out;
}

/** A JSON parameter's placeholder: PostgreSQL columns are jsonb, SQLite ones text. */
export const jsonParam = (d: SqlDialect) => (d.name === "postgres" ? "cast(? as jsonb)" : "?");

export function direct<R>(db: Kysely<Database>, d: SqlDialect, text: string, parameters: unknown[]): Promise<QueryResult<R>> {
  return db.executeQuery<R>(CompiledQuery.raw(textFor(d, text), parameters));
}

/** `(…), (…), …`: one row of placeholders per item, for multi-row statements. */
export function rows(count: number, row: string): string {
  return Array.from({ length: count }, () => row).join(", ");
}
