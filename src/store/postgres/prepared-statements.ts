/**
 * Named prepared statements for the hand-written SQL (src/store/sql/direct.ts). An unnamed
 * statement is parsed and planned by PostgreSQL every time it runs; the few statements every
 * workflow step repeats are prepared once per connection instead. Measured here: a primary-key
 * read took 130–176 µs unnamed and 77–92 µs named, against 70 µs for `select 1`.
 *
 * Only texts that `direct` produced are named (their set is small and fixed), and at most
 * MAX_NAMED of them, so a connection never accumulates statements without bound.
 */
import type { PostgresPool, PostgresPoolClient } from "kysely";
import type pg from "pg";
import { isDirectText } from "../sql/direct.js";

const MAX_NAMED = 2_000;
const names = new Map<string, string>();
const PATCHED = Symbol("handoff.prepared");

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED && isDirectText(text)) {
    name = `handoff_${names.size + 1}`;
    names.set(text, name);
  }
  return name;
}

/**
 * "cached plan must not change result type": a migration changed a table under a statement this
 * connection prepared (another process migrated while this one ran). The statement fails once;
 * the connection then stops using its prepared statements, and the caller's retry (a work item's
 * backoff, the client's request) runs unprepared.
 */
const PLAN_CHANGED = "0A000";

const STALE = Symbol("handoff.prepared.stale");

type Client = pg.PoolClient & { [PATCHED]?: true; [STALE]?: true };

async function preparing(client: Client): Promise<PostgresPoolClient> {
  if (!client[PATCHED]) {
    // A prepared statement may switch to one generic plan after five runs; for an id list that
    // plan read every run of the table (15 ms instead of 0.3 ms in the benchmark). Plans stay
    // made for each run's parameters: what is saved is the parsing, not the planning.
    await client.query("set plan_cache_mode = force_custom_plan");
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    const patched = (first: unknown, ...rest: unknown[]) => {
      const name = typeof first === "string" && !client[STALE] ? nameOf(first) : undefined;
      if (name === undefined) return query(first, ...rest);
      return (query({ name, text: first, values: rest[0] }) as Promise<unknown>).catch((error: unknown) => {
        if ((error as { code?: string }).code === PLAN_CHANGED) client[STALE] = true;
        throw error;
      });
    };
    Object.assign(client, { query: patched, [PATCHED]: true });
  }
  return client as unknown as PostgresPoolClient;
}

/** The pool as Kysely sees it, handing out connections that prepare the hand-written statements. */
export function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => {
      const client = (await pool.connect()) as Client;
      try {
        return await preparing(client);
      } catch (error) {
        client.release(error instanceof Error ? error : true);
        throw error;
      }
    },
    end: () => pool.end(),
  };
}
