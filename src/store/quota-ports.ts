/**
 * Storage port of workflow action quotas.
 *
 * Glossary
 * - Quota: how many times a workflow may use an action (an email, a webhook …) in a clock window;
 *   each use is counted in the transaction that decides it.
 */

export interface QuotaPort {
  /**
   * Counts one use of a workflow's quota in the window starting at `windowStart`, unless `limit`
   * uses are counted there already; returns whether it was counted and the uses so far. Older
   * windows of the workflow's quota are dropped when a new one starts.
   */
  takeQuota(
    workspaceId: string,
    workflowId: string,
    quota: string,
    windowStart: string,
    limit: number,
  ): Promise<{ taken: boolean; used: number }>;
}
