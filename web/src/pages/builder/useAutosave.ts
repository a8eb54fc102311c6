/**
 * Drafts save themselves: ~800 ms after the last edit the definition is POSTed as the workflow's
 * draft. One save at a time, and a save ends only once what it saved is the latest definition —
 * an edit made while a save is on its way is saved right after it, so none is lost. Saving when
 * the latest version is published makes version N+1 a draft (the server's rule); the answer says
 * which version the page now edits. Leaving with unsaved edits asks first (in the app and when
 * the tab closes or reloads).
 */
import { useQueryClient } from "@tanstack/react-query";
import { useBlocker } from "@tanstack/react-router";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api } from "../../api/client";
import type { WorkflowDefinition } from "../../components/graph/definition";

export const AUTOSAVE_MS = 800;

export type SaveStatus =
  | { kind: "saved"; at: Date; version: number }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "failed"; reason: string };

export interface Autosave {
  status: SaveStatus;
  /** True while an edit is not on the server yet. */
  dirty: boolean;
  /** The version the page's saves go to (the draft, or the live version until the first save makes a draft). */
  version: number;
  /**
   * Saves now (retry, or before publishing); true once the latest definition is saved. `force`
   * saves even an unchanged definition: publishing again what is live needs a draft to publish.
   */
  saveNow: (force?: boolean) => Promise<boolean>;
}

interface SavedWorkflow {
  latest_version: number;
}

/** JSON text as a cheap equality: an edit undone back to what was saved needs no save. */
const same = (a: WorkflowDefinition, b: WorkflowDefinition) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** The version the page opened and when it was saved. */
export interface Opened {
  version: number;
  savedAt: string;
}

export function useAutosave(workflowId: string, definition: WorkflowDefinition, opened: Opened, enabled: boolean): Autosave {
  const queryClient = useQueryClient();
  const version = opened.version;
  const [status, setStatus] = useState<SaveStatus>({ kind: "saved", at: new Date(opened.savedAt), version });
  const latest = useRef(definition);
  latest.current = definition;
  const saved = useRef(definition);
  const savedVersion = useRef(version);
  const inFlight = useRef<Promise<boolean> | null>(null);
  const dirty = !same(definition, saved.current);

  const saveLatest = useCallback(
    async (force: boolean): Promise<boolean> => {
      for (let first = true; ; first = false) {
        const sending = latest.current;
        if (!(force && first) && same(sending, saved.current)) {
          setStatus((s) => (s.kind === "saved" ? s : { kind: "saved", at: new Date(), version: savedVersion.current }));
          return true;
        }
        setStatus({ kind: "saving" });
        let failure: { reason: string } | undefined;
        try {
          const { data, error, response } = await api.POST("/api/v1/workflows", { body: { definition: sending } });
          if (response.ok) {
            const answer = data as SavedWorkflow;
            saved.current = sending;
            if (answer.latest_version !== savedVersion.current) {
              // A new version (the latest was published): the page's workflow and the lists follow.
              savedVersion.current = answer.latest_version;
              void queryClient.invalidateQueries({ queryKey: ["workflow", workflowId] });
              void queryClient.invalidateQueries({ queryKey: ["workflows"] });
            }
            if (latest.current === sending) setStatus({ kind: "saved", at: new Date(), version: savedVersion.current });
            continue;
          }
          failure = refusal(new ApiError(response.status, error as ApiError["problem"]));
        } catch (e) {
          failure = refusal(e);
        }
        setStatus({ kind: "failed", ...failure });
        return false;
      }
    },
    [queryClient, workflowId],
  );

  const saveNow = useCallback(
    async (force = false): Promise<boolean> => {
      // A forced save waits for the one under way, then saves again.
      if (force && inFlight.current) await inFlight.current;
      if (!inFlight.current)
        inFlight.current = saveLatest(force).finally(() => {
          inFlight.current = null;
        });
      return inFlight.current;
    },
    [saveLatest],
  );

  // Debounced: each edit restarts the clock. A save under way picks up the newest edit when it ends.
  useEffect(() => {
    if (!enabled || same(definition, saved.current)) return;
    setStatus((s) => (s.kind === "saving" ? s : { kind: "pending" }));
    const timer = setTimeout(() => void saveNow(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [definition, enabled, saveNow]);

  useBlocker({
    shouldBlockFn: () => !same(latest.current, saved.current) && !window.confirm("Some edits are not saved yet. Leave the builder anyway?"),
    enableBeforeUnload: () => !same(latest.current, saved.current),
  });

  return { status, dirty, saveNow, version: savedVersion.current };
}

/**
 * Why a save failed, in words. A draft that does not follow the format (422) has its problems in
 * the problems list already: the validation reports the same ones.
 */
function refusal(e: unknown): { reason: string } {
  if (e instanceof ApiError) {
    if (e.status === 422) return { reason: "the workflow does not follow the format yet (see the problems)" };
    if (e.status === 401) return { reason: "your session has ended: sign in again in another tab, then retry" };
    if (e.status === 404 || e.status === 403) return { reason: "your role may not change workflows" };
    return { reason: e.message };
  }
  return { reason: "the server could not be reached" };
}
