/**
 * Storage port of the email suppression list.
 *
 * Glossary
 * - Suppression: an address a workspace must not email again, with why: `bounce` (the receiving
 *   server refused it permanently), `unsubscribe` (the person asked), `manual` (an admin said so).
 *   Addresses are stored lower-cased; the first reason recorded stays until the row is removed.
 */
export const SUPPRESSION_REASONS = ["bounce", "unsubscribe", "manual"] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export interface EmailSuppression {
  workspaceId: string;
  /** Lower-cased. */
  email: string;
  reason: SuppressionReason;
  /** The SMTP reply of a bounce, an admin's note … */
  detail: string | null;
  createdAt: string;
}

export interface SuppressionReads {
  getSuppression(workspaceId: string, email: string): Promise<EmailSuppression | undefined>;
  /** In address order, after `after` (keyset paging). */
  listSuppressions(workspaceId: string, limit: number, after?: string): Promise<EmailSuppression[]>;
}

export interface SuppressionPort extends SuppressionReads {
  /** False when the address was suppressed already (the existing row is kept). */
  addSuppression(s: EmailSuppression): Promise<boolean>;
  /** False when there was nothing to remove. */
  removeSuppression(workspaceId: string, email: string): Promise<boolean>;
}
