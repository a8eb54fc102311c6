/**
 * Drafts save themselves: ~800 ms after the last edit the definition is POSTed as the workflow's
 * draft, by the rules of draft-saver.ts (one save at a time, an edit made during a save saved
 * right after it). Saving when the latest version is published makes version N+1 a draft (the
 * server's rule): the page's workflow and the lists are then refetched. Leaving with unsaved edits
 * asks first (in the app and when the tab closes or reloads).
 */
import { useQueryClient } from "@tanstack/react-query";
import { useBlocker } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";
import { ApiError, api } from "../../api/client";
import type { WorkflowDefinition } from "../../components/graph/definition";
import { DraftSaver, type PostResult, type SaveStatus } from "./draft-saver";

export type { SaveStatus } from "./draft-saver";

export const AUTOSAVE_MS = 800;

export interface Autosave {
  status: SaveStatus;
  /**
   * Saves now (retry, or before publishing); true once the latest definition is saved. `force`
   * saves even an unchanged definition: publishing again what is live needs a draft to publish.
   */
  saveNow: (force?: boolean) => Promise<boolean>;
  /** The version the page's saves go to (the draft, or the live version until the first save makes a draft). */
  version: number;
}

/** The version the page opened and when it was saved. */
export interface Opened {
  version: number;
  savedAt: string;
}

export function useAutosave(definition: WorkflowDefinition, opened: Opened, enabled: boolean): Autosave {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<SaveStatus>({ kind: "saved", at: new Date(opened.savedAt), version: opened.version });
  const saver = useRef<DraftSaver | null>(null);
  if (!saver.current) {
    const post = async (sending: WorkflowDefinition): Promise<PostResult> => {
      const { data, error, response } = await api.POST("/api/v1/workflows", { body: { definition: sending } });
      if (!response.ok) return { ok: false, reason: refusal(new ApiError(response.status, error as ApiError["problem"])) };
      const version = (data as { latest_version: number }).latest_version;
      if (version !== saver.current?.version) {
        // A new version (the latest was published): the page's workflow and the lists follow.
        // Every workflow query: the page may be open by the workflow's key as well as by its id.
        void queryClient.invalidateQueries({ queryKey: ["workflow"] });
        void queryClient.invalidateQueries({ queryKey: ["workflows"] });
      }
      return { ok: true, version };
    };
    saver.current = new DraftSaver({ definition, version: opened.version, savedAt: new Date(opened.savedAt) }, post, setStatus);
  }
  const s = saver.current;

  // Debounced: each edit restarts the clock. A save under way picks up the newest edit when it ends.
  useEffect(() => {
    s.edit(definition);
    if (!enabled || !s.dirty) return;
    const timer = setTimeout(() => void s.saveNow(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [definition, enabled, s]);

  useBlocker({
    shouldBlockFn: () => s.dirty && !window.confirm("Some edits are not saved yet. Leave the builder anyway?"),
    enableBeforeUnload: () => s.dirty,
  });

  return { status, saveNow: (force) => s.saveNow(force), version: s.version };
}

/**
 * Why a save failed, in words. A draft that does not follow the format (422) has its problems in
 * the problems list already: the validation reports the same ones.
 */
function refusal(e: ApiError): string {
  if (e.status === 422) return "the workflow does not follow the format yet (see the problems)";
  if (e.status === 401) return "your session has ended: sign in again in another tab, then retry";
  if (e.status === 404 || e.status === 403) return "your role may not change workflows";
  return e.message;
}
