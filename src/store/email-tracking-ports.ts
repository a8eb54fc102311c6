/**
 * Storage port of email engagement tracking (docs/scoring.md, "Email engagement tracking").
 *
 * Glossary
 * - Tracked message: an email Handoff sent to a record's own address with tracking on, keyed by
 *   its outbox item's id: the record it was sent to, its subject, the links it carries as sent
 *   (each rewritten to a signed redirect) and when it was first opened.
 * - Click: the first follow of one of a message's links (one per message and link).
 */
export interface TrackedMessage {
  workspaceId: string;
  /** The outbox item's id: what the pixel and the links name. */
  id: string;
  /** The record the email was sent to (its own `email`): where opens and clicks are recorded. */
  recordId: string;
  runId: string | null;
  subject: string;
  /** The absolute http(s) links of the HTML body as sent, in order; a click names one of these. */
  links: string[];
  createdAt: string;
  /** The first open (pixel fetched); null until then. */
  openedAt: string | null;
}

export interface EmailTrackingReads {
  getTrackedMessage(workspaceId: string, id: string): Promise<TrackedMessage | undefined>;
}

export interface EmailTrackingPort extends EmailTrackingReads {
  insertTrackedMessage(m: TrackedMessage): Promise<void>;
  /** Marks the first open: true only for the call that set it (later opens change nothing). */
  markOpened(workspaceId: string, id: string, at: string): Promise<boolean>;
  /** Records the first click of link `link` (its index in `links`): true only for the first. */
  addClick(workspaceId: string, id: string, link: number, at: string): Promise<boolean>;
}
