/**
 * Storage port of workspaces (tenants) and their admin settings.
 *
 * Glossary
 * - Workspace: a tenant, with its slug (in URLs), its time zone and its admin settings.
 */
import type { LastActivityPolicy } from "../crm/activity-counting.js";

export interface Workspace {
  id: string;
  slug: string;
  name: string;
  timeZone: string;
  createdAt: string;
  /** Admin settings (015); absent = every default. */
  settings?: WorkspaceSettings;
}

export interface WorkspaceSettings {
  /** Which activities move `last_activity_at` (and restart inactivity). Default: see activity-counting.ts. */
  last_activity?: LastActivityPolicy;
  /** Days a record merge can be undone (issue 20). Default: 7 (app/merges/undo-window.ts). */
  merge_undo_days?: number;
  /** Email engagement tracking, per kind (app/email/email-tracking.ts). Default: both off. */
  email_tracking?: EmailTrackingSettings;
}

/** Whether emails Handoff sends carry an open pixel, and whether their links are tracked. */
export interface EmailTrackingSettings {
  opens: boolean;
  clicks: boolean;
}

export interface WorkspaceReads {
  getWorkspace(id: string): Promise<Workspace | undefined>;
  getWorkspaceBySlug(slug: string): Promise<Workspace | undefined>;
}

export interface WorkspacePort extends WorkspaceReads {
  insertWorkspace(workspace: Workspace): Promise<void>;
  updateWorkspaceSettings(id: string, settings: WorkspaceSettings): Promise<void>;
}
