/**
 * Operational errors — the database busy, unreachable or read-only, a port in use, a disk full —
 * are the world, not a bug: the CLI says in one line what happened and what to do, never with a
 * stack trace. Anything else is unexpected: one line saying so, and the stack only when asked
 * for (HANDOFF_DEBUG=1).
 */

interface Coded {
  code?: unknown;
  errno?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  path?: unknown;
  errors?: unknown;
  cause?: unknown;
}

/** The error's code (SqliteError, pg's DatabaseError, Node's system errors, AggregateError of them). */
function codeOf(error: unknown): { code: string; at: Coded } | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as Coded;
  if (typeof e.code === "string") return { code: e.code, at: e };
  if (Array.isArray(e.errors)) for (const inner of e.errors) return codeOf(inner);
  return e.cause !== undefined && e.cause !== error ? codeOf(e.cause) : undefined;
}

const where = (e: Coded) => (typeof e.address === "string" ? ` at ${e.address}${typeof e.port === "number" ? `:${e.port}` : ""}` : "");

/** What happened and what to do, in one line; undefined when the error is not operational. */
export function operationalMessage(error: unknown, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const found = codeOf(error);
  if (!found) return undefined;
  const { code, at } = found;
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    const ms = Number(env.HANDOFF_SQLITE_BUSY_TIMEOUT_MS) || 10_000;
    return (
      `the SQLite database is busy: another process (a running \`handoff serve\` or \`worker\`?) held its write lock for ` +
      `more than ${ms / 1000} s, so nothing was written. Try again when it is less busy, or wait longer with ` +
      "HANDOFF_SQLITE_BUSY_TIMEOUT_MS (ms)."
    );
  }
  if (code.startsWith("SQLITE_READONLY"))
    return "the SQLite database is read-only for this user: check the permissions of the data directory and its handoff.db files.";
  if (code.startsWith("SQLITE_CANTOPEN"))
    return "cannot open the SQLite database: check that --data-dir (HANDOFF_DATA_DIR) names a directory this user can write.";
  if (code === "SQLITE_FULL" || code === "ENOSPC") return "the disk is full: nothing more can be written. Free some space and try again.";
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB")
    return "the SQLite file is not a Handoff database or is damaged: check --data-dir, or restore it from a backup.";
  if (code === "ECONNREFUSED")
    return `cannot reach the database server${where(at)} (connection refused): is PostgreSQL running? Check DATABASE_URL.`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return `cannot resolve the database host${typeof at.hostname === "string" ? ` "${at.hostname}"` : ""}: check DATABASE_URL.`;
  if (code === "ETIMEDOUT" || code === "ECONNRESET" || code === "EHOSTUNREACH" || code === "57P01")
    return `the connection to the database server${where(at)} was lost or timed out: check that it is up and reachable, then try again.`;
  if (code === "28P01" || code === "28000")
    return "PostgreSQL refused the credentials in DATABASE_URL (authentication failed): check the user and password.";
  if (code === "3D000") return "the database named in DATABASE_URL does not exist: create it (createdb NAME) and try again.";
  if (code === "57P03") return "PostgreSQL is starting up or shutting down: try again in a moment.";
  if (code === "53300") return "PostgreSQL has no connection slot left (too many clients): try again later, or raise max_connections.";
  if (code === "EADDRINUSE")
    return `the address${where(at)} is already in use: stop the other process, or choose another with --port / --host.`;
  if (code === "ENOENT" && typeof at.path === "string") return `no such file or directory: ${at.path}`;
  if (code === "EISDIR" && typeof at.path === "string") return `${at.path} is a directory, not a file`;
  if (code === "EACCES" || code === "EPERM")
    return `permission denied${typeof at.path === "string" ? ` on ${at.path}` : where(at)}: check the file's permissions, or use a port above 1024.`;
  return undefined;
}

/** The lines to print for an error the CLI did not expect (no stack unless HANDOFF_DEBUG=1). */
export function unexpectedLines(error: unknown, env: NodeJS.ProcessEnv = process.env): string[] {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const first = text.split("\n")[0] ?? text;
  if (env.HANDOFF_DEBUG === "1") return [`handoff: unexpected error: ${first}`, error instanceof Error ? (error.stack ?? "") : ""];
  return [
    `handoff: unexpected error: ${first}`,
    "  this is a bug: run again with HANDOFF_DEBUG=1 to see where it happened, and report it.",
  ];
}
