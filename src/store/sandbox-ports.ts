/**
 * Storage port of the sandbox copy (issue 19): what a test run reads of a live workspace, and
 * how it is written into the sandbox's own throw-away store.
 *
 * Glossary
 * - Sandbox: a separate in-memory store that lives for one test run (or one replay batch). The
 *   live store is only read; nothing a test run does is written to it.
 * - Workspace copy: the rows a sandbox starts with — the workspace's configuration (settings,
 *   custom fields, connectors without their secrets, queues, rule sets, calendars, SLA
 *   policies, suppressions, webhook subscriptions), its people (user and team records), and the
 *   chosen records with the records they reference and the records that reference them. Which
 *   table is copied how is one registry, `SANDBOX_COPY` (sql/sandbox-copy.ts), typed over every
 *   table, so that a new table must be classified. Runs, outbox, events, audit, sessions,
 *   tokens, credentials and idempotency keys are never copied.
 */

/** Rows by table, as the source store read them (opaque to everything but the store). */
export interface WorkspaceCopy {
  workspaceId: string;
  tables: Record<string, readonly Record<string, unknown>[]>;
}

export interface SandboxCopyPort {
  /**
   * The workspace's configuration and people, plus `recordIds` (those of the workspace; others
   * are not found and not copied) with the records they reference and those that reference
   * them (at most `referrerCap` of these per record).
   */
  readWorkspaceCopy(workspaceId: string, recordIds: readonly string[], referrerCap?: number): Promise<WorkspaceCopy>;
  /** Writes a copy into this store (an empty sandbox), in one transaction. */
  writeWorkspaceCopy(copy: WorkspaceCopy): Promise<void>;
}
