/** How long a merge can be undone: the workspace's `merge_undo_days` setting, 7 days unless set. */
import type { WorkspaceSettings } from "../../store/ports.js";

export const DEFAULT_MERGE_UNDO_DAYS = 7;
export const MAX_MERGE_UNDO_DAYS = 365;

export const undoDays = (settings: WorkspaceSettings | undefined) => settings?.merge_undo_days ?? DEFAULT_MERGE_UNDO_DAYS;

/** The instant after which a merge made at `mergedAt` can no longer be undone. */
export function undoDeadline(mergedAt: string, days: number): Date {
  return new Date(new Date(mergedAt).getTime() + days * 86_400_000);
}
